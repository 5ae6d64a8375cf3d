// One rule for every command that writes files: a bad output path (a missing directory, a
// directory where a file is expected, a file where a directory is expected, an unwritable
// place) is refused before any work, exit 2, with one line that names the path. Each command
// is given an input that would fail later (a missing job, a missing model), so an error about
// the input instead of the path shows that the path was not checked first.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/test_env.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing::CliResult;
using testing::RunCli;

class OutputPathRule : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sizer_output_path_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "a-directory");
    std::ofstream(dir_ / "a-file") << "not a directory\n";
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(dir_);
  }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  std::string Quoted(const std::string& name) const { return "'" + Path(name) + "'"; }

  // Exit 2, nothing on stdout, one line on stderr naming `path`, no mention of `later`.
  static void ExpectRefused(const CliResult& r, const std::string& path, const std::string& what,
                            const std::string& later) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, StartsWith("sizer: error: "));
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
    EXPECT_THAT(r.err, HasSubstr(path));
    EXPECT_THAT(r.err, HasSubstr(what));
    EXPECT_THAT(r.err, Not(HasSubstr(later)));
  }

  fs::path dir_;
};

TEST_F(OutputPathRule, PlanOutputFile) {
  ExpectRefused(RunCli("plan no-such-job.yaml -o " + Quoted("missing/plan.txt")),
                Path("missing/plan.txt"), "does not exist", "no-such-job");
  ExpectRefused(RunCli("plan no-such-job.yaml -o " + Quoted("a-directory")), Path("a-directory"),
                "is a directory, expected a file", "no-such-job");
  ExpectRefused(RunCli("plan no-such-job.yaml --json -o " + Quoted("a-file/plan.json")),
                Path("a-file/plan.json"), "is a file", "no-such-job");
}

TEST_F(OutputPathRule, ReportOutputFileOrDirectory) {
  ExpectRefused(RunCli("report no-such-job.yaml -o " + Quoted("missing/r.html")), Path("missing/r.html"),
                "does not exist", "no-such-job");
  ExpectRefused(RunCli("report no-such-job.yaml -o " + Quoted("missing/out/")), Path("missing/out/"),
                "cannot create the directory", "no-such-job");
}

TEST_F(OutputPathRule, DeployOutputDirectory) {
  ExpectRefused(RunCli("deploy no-such-job.yaml -o " + Quoted("a-file")), Path("a-file"),
                "is a file, expected a directory", "no-such-job");
  ExpectRefused(RunCli("deploy no-such-job.yaml -o " + Quoted("missing/bundle")), Path("missing/bundle"),
                "cannot create the directory", "no-such-job");
}

TEST_F(OutputPathRule, SynthOutputFile) {
  // --like names no model: had the path not been checked first, the error would be about it.
  ExpectRefused(RunCli("synth --like no-such-model --quant Q8_0 -o " + Quoted("missing/x.gguf")),
                Path("missing/x.gguf"), "does not exist", "no-such-model");
  ExpectRefused(RunCli("synth --like no-such-model --quant Q8_0 -o " + Quoted("a-directory")),
                Path("a-directory"), "is a directory", "no-such-model");
}

TEST_F(OutputPathRule, ValidateOutputAndCalibrationFiles) {
  const std::string env = "SIZER_CACHE_DIR=" + Quoted("cache");
  ExpectRefused(RunCli("validate no-such-model.gguf --json -o " + Quoted("missing/v.json"), env),
                Path("missing/v.json"), "does not exist", "no-such-model");
  ExpectRefused(RunCli("validate no-such-model.gguf --calibrate --calibration " +
                           Quoted("missing/cal.yaml"), env),
                Path("missing/cal.yaml"), "does not exist", "no-such-model");
  // The default calibration file lives in sizer's cache directory; one that cannot be created
  // is refused the same way.
  ExpectRefused(RunCli("validate no-such-model.gguf --calibrate",
                       "SIZER_CACHE_DIR=" + Quoted("a-file/cache")),
                Path("a-file/cache/calibration.yaml"), "does not exist", "no-such-model");
}

TEST_F(OutputPathRule, CheckJunitFile) {
  ExpectRefused(RunCli("check no-such-manifest.yaml --junit " + Quoted("missing/junit.xml")),
                Path("missing/junit.xml"), "does not exist", "no-such-manifest");
}

TEST_F(OutputPathRule, BenchDirectory) {
  // An unknown type would be refused next; the directory is checked before.
  ExpectRefused(RunCli("bench --types Q9_9 --dir " + Quoted("a-file")), Path("a-file"),
                "is a file, expected a directory", "Q9_9");
  ExpectRefused(RunCli("bench --types Q9_9 --dir " + Quoted("missing/bench")), Path("missing/bench"),
                "cannot create the directory", "Q9_9");
}

TEST_F(OutputPathRule, ProbeSaveBeforeMeasuring) {
  // The probe takes seconds; a cache directory under a file is refused at once.
  CliResult r = RunCli("probe --save --runs 1 --buffer-mb 1", "SIZER_CACHE_DIR=" + Quoted("a-file/cache"));
  ExpectRefused(r, Path("a-file/cache/this-machine.yaml"), "does not exist", "bandwidth");
}

TEST_F(OutputPathRule, UnwritableDirectoriesAreRefused) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes anywhere";
  fs::create_directories(dir_ / "read-only");
  fs::permissions(dir_ / "read-only", fs::perms::owner_read | fs::perms::owner_exec);
  ExpectRefused(RunCli("plan no-such-job.yaml -o " + Quoted("read-only/p.txt")), Path("read-only/p.txt"),
                "not writable", "no-such-job");
  ExpectRefused(RunCli("deploy no-such-job.yaml -o " + Quoted("read-only")), Path("read-only"),
                "not writable", "no-such-job");
  ExpectRefused(RunCli("synth --like no-such-model --quant Q8_0 -o " + Quoted("read-only/x.gguf")),
                Path("read-only/x.gguf"), "not writable", "no-such-model");
  fs::permissions(dir_ / "read-only", fs::perms::owner_all);
}

TEST_F(OutputPathRule, StandardOutputAndGoodPathsStillWork) {
  CliResult r = RunCli("plan worksheets/chat-assistant-8b.yaml --summary -o -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Recommendation"));
  r = RunCli("plan worksheets/chat-assistant-8b.yaml --json -o " + Quoted("a-directory/plan.json"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "a-directory/plan.json"));
  // A GGUF cannot go to standard output.
  r = RunCli("synth --dims d_model=64,n_layers=1,n_heads=2,n_kv_heads=2,d_ff=128,vocab=64 "
             "--quant Q8_0 -o -");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("standard output"));
}

}  // namespace
}  // namespace sizer
