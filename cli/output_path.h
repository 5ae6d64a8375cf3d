// Where a command writes, checked before it does any work. One rule for every command that
// writes files: a path whose directory is missing or not writable, a directory where a file
// is expected, or a file where a directory is expected, is bad input (exit 2), reported on
// one line that names the path. A run never plans, measures or quantizes for minutes only to
// fail at the end on a typo in -o.
#ifndef SIZER_CLI_OUTPUT_PATH_H_
#define SIZER_CLI_OUTPUT_PATH_H_

#include <string>

#include "base/status.h"

namespace sizer::cli {

enum class OutputKind {
  kFile,             // a file; "" or "-" is standard output
  kDirectory,        // a directory, created when missing (its parent must exist)
  kFileOrDirectory,  // an existing directory or a path ending in '/' is a directory, else a file
};

struct OutputPath {
  std::string path;  // as given; empty for standard output
  bool directory = false;

  bool to_stdout() const { return path.empty(); }
};

// Checks `path`, given with option `flag` ("-o", "--junit"), against the rule above. Errors
// are kInvalidArgument reading "FLAG PATH: what is wrong". Creates nothing.
StatusOr<OutputPath> ResolveOutputPath(const std::string& flag, const std::string& path,
                                       OutputKind kind);

// A file in sizer's own cache directory (probe --save, validate --calibrate): the directory
// is sizer's, so it is created first; then the rule above applies to the file.
StatusOr<OutputPath> ResolveCachePath(const std::string& flag, const std::string& path);

}  // namespace sizer::cli

#endif  // SIZER_CLI_OUTPUT_PATH_H_
