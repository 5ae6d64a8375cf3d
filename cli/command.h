// The subcommand table (after ninja's kTools[]): name, one-line summary, entry point.
#ifndef SIZER_CLI_COMMAND_H_
#define SIZER_CLI_COMMAND_H_

#include <string>
#include <vector>

namespace sizer::cli {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;  // the input was fine, the answer is "no"
inline constexpr int kExitBadInput = 2;     // unreadable or invalid input, bad usage
// A bug or resource exhaustion (out of memory, an exception, a Status::Internal): kept apart
// from 1 so that a CI gate can tell a crash from a rejected release.
inline constexpr int kExitInternal = 3;

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);  // args after the command name
};

int RunPlan(const std::vector<std::string>& args);
int RunDb(const std::vector<std::string>& args);
int RunInspect(const std::vector<std::string>& args);
int RunRun(const std::vector<std::string>& args);
int RunCheck(const std::vector<std::string>& args);
int RunProbe(const std::vector<std::string>& args);
int RunSynth(const std::vector<std::string>& args);
int RunValidate(const std::vector<std::string>& args);
int RunBench(const std::vector<std::string>& args);
int RunRuntimes(const std::vector<std::string>& args);
int RunDeploy(const std::vector<std::string>& args);
int RunReport(const std::vector<std::string>& args);
int RunFit(const std::vector<std::string>& args);
int RunRecommend(const std::vector<std::string>& args);
int RunTokenize(const std::vector<std::string>& args);
int RunMcp(const std::vector<std::string>& args);
int RunServe(const std::vector<std::string>& args);

}  // namespace sizer::cli

#endif  // SIZER_CLI_COMMAND_H_
