#include "base/data_dir.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

// Set by lib/CMakeLists.txt; an absolute path into the source tree, so only a build-tree
// run may rely on it: an installed or relocated tree is found from the executable instead.
#ifndef SIZER_DEFAULT_DATA_DIR
#define SIZER_DEFAULT_DATA_DIR "."
#endif

namespace sizer {

const char* DataDirRuleName(DataDirRule rule) {
  switch (rule) {
    case DataDirRule::kFlag:
      return "--db";
    case DataDirRule::kEnvironment:
      return "$SIZER_DATA_DIR";
    case DataDirRule::kExecutable:
      return "next to the executable";
    case DataDirRule::kSourceTree:
      return "source tree";
  }
  return "?";
}

DataDir ResolveDataDir(const DataDirInputs& inputs) {
  namespace fs = std::filesystem;
  if (!inputs.flag.empty()) return {inputs.flag, DataDirRule::kFlag};
  if (!inputs.env.empty()) return {inputs.env, DataDirRule::kEnvironment};
  if (!inputs.executable.empty()) {
    // The install layout is <prefix>/bin/sizer next to <prefix>/share/sizer; a relative one
    // keeps a moved prefix (or an unpacked .deb under another root) working.
    fs::path dir =
        (fs::path(inputs.executable).parent_path() / ".." / "share" / "sizer").lexically_normal();
    std::error_code ec;
    if (fs::is_directory(dir / "model_db", ec)) {
      return {dir.string(), DataDirRule::kExecutable};
    }
  }
  return {inputs.source_dir, DataDirRule::kSourceTree};
}

DataDir ResolveDataDir(const std::string& flag) {
  DataDirInputs inputs;
  inputs.flag = flag;
  if (const char* env = std::getenv("SIZER_DATA_DIR"); env != nullptr) inputs.env = env;
  inputs.executable = CurrentExecutablePath();
  inputs.source_dir = SIZER_DEFAULT_DATA_DIR;
  return ResolveDataDir(inputs);
}

std::string CurrentExecutablePath() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.string();
}

}  // namespace sizer
