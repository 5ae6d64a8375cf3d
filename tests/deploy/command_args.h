// Reading a runtime's command line (a deployment's argument vector) in deploy tests.
#ifndef SIZER_TESTS_DEPLOY_COMMAND_ARGS_H_
#define SIZER_TESTS_DEPLOY_COMMAND_ARGS_H_

#include <string>
#include <vector>

namespace sizer::testing {

// The value after `flag` in `args`; "" when the flag is absent, "<switch>" when it has none.
inline std::string ArgOf(const std::vector<std::string>& args, const std::string& flag) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] != flag) continue;
    if (i + 1 == args.size() || args[i + 1].rfind("--", 0) == 0) return "<switch>";
    return args[i + 1];
  }
  return "";
}

}  // namespace sizer::testing

#endif  // SIZER_TESTS_DEPLOY_COMMAND_ARGS_H_
