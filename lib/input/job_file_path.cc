#include "input/job_file_path.h"

#include <filesystem>

#include "yaml/yaml_reader.h"

namespace sizer {

std::string PathBesideJobFile(const std::string& path, const std::string& job_file) {
  std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  std::filesystem::path beside = std::filesystem::path(job_file).parent_path() / p;
  std::error_code ec;
  if (!beside.parent_path().empty() && std::filesystem::exists(beside, ec)) return beside.string();
  return path;
}

StatusOr<std::string> OpenableJobPath(const YamlValue& node, const std::string& path,
                                      const ModelFileResolver& resolver) {
  if (!resolver) return PathBesideJobFile(path, node.file());
  StatusOr<std::string> allowed = resolver(path);
  if (!allowed.ok()) return node.Error(allowed.status().message(), allowed.status().code());
  return allowed;
}

bool IsConfigJsonName(const std::string& path) {
  return std::filesystem::path(path).filename() == "config.json";
}

}  // namespace sizer
