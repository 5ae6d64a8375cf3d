// File helpers that report failure as Status.
#ifndef SIZER_BASE_FILE_H_
#define SIZER_BASE_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace sizer {

// The whole file. kNotFound when it does not exist, kIOError when it cannot be read,
// kInvalidArgument when it is larger than `max_bytes` (YAML inputs are small; a huge file
// is a mistake, and reading it whole would be an unbounded allocation).
StatusOr<std::string> ReadFileToString(const std::string& path,
                                       size_t max_bytes = 64u << 20);

// A read-only memory map of a whole file. Move-only; unmaps on destruction.
class MappedFile {
 public:
  // kNotFound for a missing file, kIOError when it cannot be opened or mapped.
  static StatusOr<MappedFile> Open(const std::string& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  std::string path_;
};

// Regular files in `dir` whose names end in `suffix`, sorted by name.
StatusOr<std::vector<std::string>> ListFiles(const std::string& dir, const std::string& suffix);

}  // namespace sizer

#endif  // SIZER_BASE_FILE_H_
