#include "base/data_dir.h"

#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace sizer {
namespace {

namespace fs = std::filesystem;

// A fake install prefix: <prefix>/bin/sizer and, when `with_data`, <prefix>/share/sizer/model_db.
class DataDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prefix_ = fs::path(::testing::TempDir()) /
              ("sizer_data_dir_" + std::string(::testing::UnitTest::GetInstance()
                                                   ->current_test_info()
                                                   ->name()));
    fs::remove_all(prefix_);
    fs::create_directories(prefix_ / "bin");
  }
  void TearDown() override { fs::remove_all(prefix_); }

  void AddInstalledData() { fs::create_directories(prefix_ / "share" / "sizer" / "model_db"); }
  std::string Exe() const { return (prefix_ / "bin" / "sizer").string(); }
  std::string Share() const { return (prefix_ / "share" / "sizer").lexically_normal().string(); }

  fs::path prefix_;
};

TEST_F(DataDirTest, FlagWinsOverEverything) {
  AddInstalledData();
  DataDir dir = ResolveDataDir({"/my/db", "/env/db", Exe(), "/src"});
  EXPECT_EQ(dir.path, "/my/db");
  EXPECT_EQ(dir.rule, DataDirRule::kFlag);
}

TEST_F(DataDirTest, EnvironmentBeforeExecutable) {
  AddInstalledData();
  DataDir dir = ResolveDataDir({"", "/env/db", Exe(), "/src"});
  EXPECT_EQ(dir.path, "/env/db");
  EXPECT_EQ(dir.rule, DataDirRule::kEnvironment);
}

TEST_F(DataDirTest, ExecutableRelativeBeforeSourceTree) {
  AddInstalledData();
  DataDir dir = ResolveDataDir({"", "", Exe(), "/src"});
  EXPECT_EQ(dir.path, Share());
  EXPECT_EQ(dir.rule, DataDirRule::kExecutable);
}

TEST_F(DataDirTest, MovedPrefixIsFoundFromTheExecutable) {
  // The whole point of the relative rule: no path baked in at build time.
  AddInstalledData();
  fs::path moved = prefix_.string() + "_moved";
  fs::remove_all(moved);
  fs::rename(prefix_, moved);
  DataDir dir = ResolveDataDir({"", "", (moved / "bin" / "sizer").string(), "/src"});
  EXPECT_EQ(dir.path, (moved / "share" / "sizer").string());
  EXPECT_EQ(dir.rule, DataDirRule::kExecutable);
  fs::rename(moved, prefix_);
}

TEST_F(DataDirTest, BuildTreeFallsBackToSourceTree) {
  // A build-tree binary has no share/sizer next to it (or one without a model_db/).
  fs::create_directories(prefix_ / "share" / "sizer");
  DataDir dir = ResolveDataDir({"", "", Exe(), "/src"});
  EXPECT_EQ(dir.path, "/src");
  EXPECT_EQ(dir.rule, DataDirRule::kSourceTree);
}

TEST_F(DataDirTest, UnknownExecutableFallsBackToSourceTree) {
  DataDir dir = ResolveDataDir({"", "", "", "/src"});
  EXPECT_EQ(dir.path, "/src");
  EXPECT_EQ(dir.rule, DataDirRule::kSourceTree);
}

TEST(DataDir, ProcessResolverReadsTheEnvironment) {
  const char* saved = std::getenv("SIZER_DATA_DIR");
  std::string old = saved != nullptr ? saved : "";
  setenv("SIZER_DATA_DIR", "/from/env", 1);
  EXPECT_EQ(ResolveDataDir("").path, "/from/env");
  EXPECT_EQ(ResolveDataDir("").rule, DataDirRule::kEnvironment);
  EXPECT_EQ(ResolveDataDir("/flag").rule, DataDirRule::kFlag);
  unsetenv("SIZER_DATA_DIR");
  // The test binary lives in the build tree: no share/sizer next to it.
  EXPECT_EQ(ResolveDataDir("").rule, DataDirRule::kSourceTree);
  EXPECT_FALSE(CurrentExecutablePath().empty());
  if (saved != nullptr) setenv("SIZER_DATA_DIR", old.c_str(), 1);
}

TEST(DataDir, RuleNames) {
  EXPECT_STREQ(DataDirRuleName(DataDirRule::kFlag), "--db");
  EXPECT_STREQ(DataDirRuleName(DataDirRule::kEnvironment), "$SIZER_DATA_DIR");
  EXPECT_STREQ(DataDirRuleName(DataDirRule::kExecutable), "next to the executable");
  EXPECT_STREQ(DataDirRuleName(DataDirRule::kSourceTree), "source tree");
}

}  // namespace
}  // namespace sizer
