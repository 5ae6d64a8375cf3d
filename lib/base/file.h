// File helpers that report failure as Status.
#ifndef SIZER_BASE_FILE_H_
#define SIZER_BASE_FILE_H_

#include <string>
#include <vector>

#include "base/status.h"

namespace sizer {

// The whole file. kNotFound when it does not exist, kIOError when it cannot be read,
// kInvalidArgument when it is larger than `max_bytes` (YAML inputs are small; a huge file
// is a mistake, and reading it whole would be an unbounded allocation).
StatusOr<std::string> ReadFileToString(const std::string& path,
                                       size_t max_bytes = 64u << 20);

// Regular files in `dir` whose names end in `suffix`, sorted by name.
StatusOr<std::vector<std::string>> ListFiles(const std::string& dir, const std::string& suffix);

}  // namespace sizer

#endif  // SIZER_BASE_FILE_H_
