#include "base/file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace sizer {

StatusOr<std::string> ReadFileToString(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) return Status::NotFound(path + ": no such file");
  if (std::filesystem::is_directory(st)) {
    return Status::InvalidArgument(path + ": is a directory, expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot open for reading");
  std::string data;
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof(buffer));
    data.append(buffer, static_cast<size_t>(in.gcount()));
    if (data.size() > max_bytes) {
      return Status::InvalidArgument(path + ": larger than " + std::to_string(max_bytes) +
                                     " bytes; not a spec file?");
    }
  }
  if (in.bad()) return Status::IOError(path + ": read error");
  return data;
}

StatusOr<std::vector<std::string>> ListFiles(const std::string& dir, const std::string& suffix) {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return Status::NotFound(dir + ": cannot list directory: " + ec.message());
  std::vector<std::string> out;
  for (const auto& entry : it) {
    if (!entry.is_regular_file(ec)) continue;
    std::string name = entry.path().filename().string();
    if (name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(entry.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace sizer
