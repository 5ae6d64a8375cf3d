// Helpers shared by the subcommands: option parsing with usage errors, error printing,
// loading the databases, writing output files whole.
#ifndef SIZER_CLI_CLI_COMMON_H_
#define SIZER_CLI_CLI_COMMON_H_

#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "base/status.h"
#include "catalog/catalog.h"
#include "input/job.h"

namespace sizer::cli {

namespace po = boost::program_options;

// Prints "sizer: error: <message>" to stderr.
void PrintError(const std::string& message);
// Prints "sizer: internal error: <message>" to stderr (a bug or exhausted resources).
void PrintInternalError(const std::string& message);
void PrintWarning(const std::string& message);

// Parses `args` against `options` (and positional `positional`). On a usage error prints it
// with a hint to `--help` and returns nullopt; the caller exits with kExitBadInput.
std::optional<po::variables_map> ParseOptions(const std::string& command,
                                              const std::vector<std::string>& args,
                                              const po::options_description& options,
                                              const po::positional_options_description& positional);

// For a command with one required positional argument: prints the help (kExitOk) when
// --help was given, reports "<command>: missing <what>" (kExitBadInput) when `required` is
// absent; nullopt when the command should go on.
std::optional<int> HelpOrMissing(const po::variables_map& vm, const po::options_description& options,
                                 const std::string& command, const std::string& required,
                                 const std::string& what);

// The value of a string option, or "" when it was not given.
std::string StringOption(const po::variables_map& vm, const std::string& name);

// The --db option every command that reads the databases takes.
void AddDbOption(po::options_description& options);
StatusOr<Catalog> LoadCatalog(const po::variables_map& vm);

// The job named by the positional "job" option, parsed against `catalog`; --strict (when the
// command has it) makes a context above the model's maximum an error.
StatusOr<JobSpec> LoadJobFromOptions(const po::variables_map& vm, const Catalog& catalog);

// Writes `text` to `path` (replacing it whole) or to stdout when path is empty or "-".
Status WriteOutput(const std::string& path, const std::string& text);

// Exit code for a failed Status: kInternal is kExitInternal, kIOError (a write that failed
// after the checks) kExitCheckFailed, every input problem kExitBadInput.
int ExitCodeFor(const Status& status);

// The one error reporter of every command: prints `status` as one line, its message after
// `context` when given ("report: ..."), as an internal error for kInternal, and returns
// ExitCodeFor(status).
int ReportError(const Status& status, const std::string& context = "");

}  // namespace sizer::cli

#endif  // SIZER_CLI_CLI_COMMON_H_
