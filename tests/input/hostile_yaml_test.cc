// Pathological YAML must be an input error, never a crash, hang or huge allocation.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "input/job.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

Status ParseStatus(const std::string& text) {
  return ParseJobSpec(text, "job.yaml", testing::RealCatalog()).status();
}

TEST(HostileYaml, DeepNestingIsASyntaxErrorNotAStackOverflow) {
  EXPECT_EQ(ParseStatus("job: " + std::string(200000, '[')).code(), StatusCode::kCorruption);
  std::string maps;
  for (int i = 0; i < 50000; ++i) maps += "{a: ";
  EXPECT_EQ(ParseStatus("job: " + maps).code(), StatusCode::kCorruption);
}

TEST(HostileYaml, AnAliasBombIsRejectedWithoutExpandingIt) {
  // 2^40 logical elements if expanded; the parser must stop at the first wrong shape.
  std::string text = "job: t\nmodel: llama-3.1-8b\nquant: Q4_K_M\ncontext_tokens: 8\n"
                     "runtime: llama.cpp\nprompt_tokens: 1\noutput_tokens: 1\n"
                     "x0: &a0 [rtx-4090, rtx-4090]\n";
  for (int i = 1; i <= 40; ++i) {
    text += "x" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) +
            ", *a" + std::to_string(i - 1) + "]\n";
  }
  text += "candidates: *a40\n";
  const auto start = std::chrono::steady_clock::now();
  Status s = ParseStatus(text);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("unknown key 'x0'"), std::string::npos) << s.message();
  EXPECT_LT(seconds, 5.0);  // generous: expanding the bomb would take hours
}

TEST(HostileYaml, HugeScalarsAreRejectedByTheirType) {
  EXPECT_FALSE(ParseStatus("job: t\ncontext_tokens: 1e400\n").ok());
  EXPECT_FALSE(ParseStatus("job: t\ncontext_tokens: 99999999999999999999999\n").ok());
}

// A bomb under keys the parser re-emits as JSON (an inline model, a candidate entry) used to
// be expanded by ToJsonText before any check looked at it: 2^41 values, a hang and then an
// out-of-memory; a node that contains itself recursed until the stack overflowed. Found by
// reading ToJsonText while writing the job fuzzer; reproducers: tests/fuzz/regressions/.
// {b0: &b0 [x, x], b1: &b1 [*b0, *b0], ...}: 2^(levels + 1) nodes once expanded.
std::string AliasBomb(int levels) {
  std::string text = "{b0: &b0 [x, x]";
  for (int i = 1; i <= levels; ++i) {
    text += ", b" + std::to_string(i) + ": &b" + std::to_string(i) + " [*b" +
            std::to_string(i - 1) + ", *b" + std::to_string(i - 1) + "]";
  }
  return text + "}";
}

TEST(HostileYaml, AnAliasBombUnderARemittedKeyIsNotExpanded) {
  const std::string head = "job: t\nquant: Q4_K_M\ncontext_tokens: 8\nruntime: llama.cpp\n"
                           "prompt_tokens: 1\noutput_tokens: 1\n";
  for (const std::string& tail :
       {"model: " + AliasBomb(40) + "\ncandidates: [rtx-4090]\n",
        "model: llama-3.1-8b\ncandidates: [{hardware: rtx-4090, measured: " + AliasBomb(40) +
            "}]\n"}) {
    SCOPED_TRACE(tail);
    const auto start = std::chrono::steady_clock::now();
    Status s = ParseStatus(head + tail);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.message().rfind("job.yaml:", 0), 0u) << s.message();
    EXPECT_LT(seconds, 5.0);
  }
}

TEST(HostileYaml, ANodeThatContainsItselfIsAnErrorNotAStackOverflow) {
  // yaml-cpp registers an anchor before its node ends, so `&m {self: [*m]}` is a cycle.
  Status s = ParseStatus("job: t\nquant: Q4_K_M\ncontext_tokens: 8\nruntime: llama.cpp\n"
                         "prompt_tokens: 1\noutput_tokens: 1\ncandidates: [rtx-4090]\n"
                         "model: &m {id: m, self: [*m]}\n");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("job.yaml:8:"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("levels once anchors are expanded"), std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace sizer
