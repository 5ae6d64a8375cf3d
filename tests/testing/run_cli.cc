#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "testing/test_env.h"

namespace sizer::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

CliResult RunCli(const std::string& args, const std::string& env) {
  static int counter = 0;
  std::string base = (std::filesystem::temp_directory_path() /
                      ("sizer_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++)))
                         .string();
  std::string command = "cd '" + SourceDir() + "' && " + env + " '" + CliPath() + "' " + args + " >'" + base +
                        ".out' 2>'" + base + ".err' </dev/null";
  int status = std::system(command.c_str());
  CliResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = Slurp(base + ".out");
  result.err = Slurp(base + ".err");
  std::filesystem::remove(base + ".out");
  std::filesystem::remove(base + ".err");
  return result;
}

}  // namespace sizer::testing
