// Exit code 3: an internal error (an exception, out of memory, a Status::Internal) is not
// "a check failed" (1) or "bad input" (2), so a CI gate can tell a crash from a rejected
// release. SIZER_TEST_INTERNAL_ERROR, read only by main, makes sizer fail like a bug would.
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/gguf_builder.h"
#include "testing/test_env.h"

// gcc says __SANITIZE_ADDRESS__; clang (scripts/test-sanitizers.sh uses clang-14) says it
// through __has_feature.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SIZER_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SIZER_TEST_SANITIZED 1
#endif
#endif

namespace sizer {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::CliResult;
using testing::RunCli;

// One line on stderr, "sizer: internal error: ...", nothing on stdout, exit 3.
void ExpectInternalError(const CliResult& r, const std::string& what) {
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("sizer: internal error: "));
  EXPECT_THAT(r.err, HasSubstr(what));
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
}

TEST(ExitCodes, AnExceptionIsAnInternalError) {
  ExpectInternalError(RunCli("db list models", "SIZER_TEST_INTERNAL_ERROR=1"),
                      "test failure requested by SIZER_TEST_INTERNAL_ERROR");
  ExpectInternalError(RunCli("plan worksheets/chat-assistant-8b.yaml", "SIZER_TEST_INTERNAL_ERROR=throw"),
                      "SIZER_TEST_INTERNAL_ERROR");
}

TEST(ExitCodes, OutOfMemoryIsAnInternalError) {
  ExpectInternalError(RunCli("db list models", "SIZER_TEST_INTERNAL_ERROR=bad_alloc"), "out of memory");
}

TEST(ExitCodes, AnInternalStatusIsAnInternalError) {
  ExpectInternalError(RunCli("db list models", "SIZER_TEST_INTERNAL_ERROR=status"),
                      "SIZER_TEST_INTERNAL_ERROR");
}

// A real allocation that cannot succeed: the KV cache of a tiny model whose GGUF claims a
// context of 2^30 positions (275 GB of f16 keys), run with that context under a 4 GB
// address-space limit. The runner allocates it with std::vector, so the failure reaches main's
// catch as std::bad_alloc.
TEST(ExitCodes, ARealOutOfMemoryIsExitThree) {
#ifdef SIZER_TEST_SANITIZED
  GTEST_SKIP() << "sanitizers reserve more address space than the limit allows";
#endif
  testing::LlamaLikeOptions o;
  o.context_length = 1u << 30;
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("sizer_oom_" + std::to_string(::getpid()) + ".gguf"))
                               .string();
  ASSERT_TRUE(testing::WriteBytesToFile(path, testing::LlamaLikeGguf(o)));
  CliResult r = RunCli("run '" + path + "' --context 1073741824 -n 1 -t 1", "ulimit -v 4000000 &&");
  std::filesystem::remove(path);
  ExpectInternalError(r, "out of memory");
}

TEST(ExitCodes, WithoutTheTriggerNothingChangesAndHelpDocumentsThree) {
  CliResult r = RunCli("--help", "SIZER_TEST_INTERNAL_ERROR=");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("0 ok, 1 a check failed, 2 bad input or usage, 3 internal error"));
  // The other codes are unchanged: a usage error is 2.
  EXPECT_EQ(RunCli("no-such-command").exit_code, 2);
}

}  // namespace
}  // namespace sizer
