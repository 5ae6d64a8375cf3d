#include "cli/cli_common.h"

#include "base/data_dir.h"
#include "cli/command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace sizer::cli {

void PrintError(const std::string& message) { std::cerr << "sizer: error: " << message << "\n"; }
void PrintInternalError(const std::string& message) {
  std::cerr << "sizer: internal error: " << message << "\n";
}
void PrintWarning(const std::string& message) {
  std::cerr << "sizer: warning: " << message << "\n";
}

std::optional<po::variables_map> ParseOptions(const std::string& command,
                                              const std::vector<std::string>& args,
                                              const po::options_description& options,
                                              const po::positional_options_description& positional) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    PrintError(command + ": " + e.what() + " (see 'sizer " + command + " --help')");
    return std::nullopt;
  }
  return vm;
}

std::optional<int> HelpOrMissing(const po::variables_map& vm, const po::options_description& options,
                                 const std::string& command, const std::string& required,
                                 const std::string& what) {
  if (vm.count("help")) {
    std::cout << options << "\n";
    return kExitOk;
  }
  if (!vm.count(required)) {
    PrintError(command + ": missing " + what + " (see 'sizer " + command + " --help')");
    return kExitBadInput;
  }
  return std::nullopt;
}

std::string StringOption(const po::variables_map& vm, const std::string& name) {
  return vm.count(name) ? vm[name].as<std::string>() : "";
}

void AddDbOption(po::options_description& options) {
  options.add_options()("db", po::value<std::string>()->value_name("DIR"),
                        "database root holding model_db/ and hardware_db/ (default: "
                        "$SIZER_DATA_DIR, else <prefix>/share/sizer next to the binary, else the source tree "
                        "sizer was built from; sizer --version names it)");
}

StatusOr<Catalog> LoadCatalog(const po::variables_map& vm) {
  std::string flag = vm.count("db") ? vm["db"].as<std::string>() : "";
  return Catalog::Load(ResolveDataDir(flag).path);
}

Status WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    std::cout.flush();
    return std::cout ? Status() : Status::IOError("cannot write to standard output");
  }
  // Write a sibling file, then rename: a reader never sees half a report.
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IOError(path + ": cannot open for writing");
    out << text;
    if (!out) return Status::IOError(path + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::IOError(path + ": " + ec.message());
  return Status();
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInternal:
      return kExitInternal;
    case StatusCode::kIOError:
      return kExitCheckFailed;
    default:
      return kExitBadInput;
  }
}

int ReportError(const Status& status, const std::string& context) {
  const std::string message = context.empty() ? status.message() : context + ": " + status.message();
  if (status.code() == StatusCode::kInternal) {
    PrintInternalError(message);
  } else {
    PrintError(message);
  }
  return ExitCodeFor(status);
}

StatusOr<JobSpec> LoadJobFromOptions(const po::variables_map& vm, const Catalog& catalog) {
  JobParseOptions parse_options;
  parse_options.strict = vm.count("strict") > 0;
  return LoadJobSpec(vm["job"].as<std::string>(), catalog, parse_options);
}

}  // namespace sizer::cli

