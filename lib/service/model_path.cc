// ResolveModelPath: a model file named in a request, kept under the service's models folder.
#include <filesystem>
#include <string>
#include <system_error>

#include "service/api.h"

namespace sizer::service {
namespace {

namespace fs = std::filesystem;

Status Refuse(std::string_view requested, const std::string& why) {
  return Status::InvalidArgument("model file '" + std::string(requested) + "': " + why);
}

// `inner` (canonical) lies under `root` (canonical): every component of root is a prefix.
bool IsUnder(const fs::path& inner, const fs::path& root) {
  auto r = root.begin();
  auto i = inner.begin();
  for (; r != root.end(); ++r, ++i) {
    if (i == inner.end() || *i != *r) return false;
  }
  return i != inner.end();
}

}  // namespace

StatusOr<fs::path> ResolveModelPath(const ServiceContext& ctx, std::string_view requested) {
  if (ctx.models_dir.empty()) {
    return Refuse(requested, "this server reads no model files (start it with --models-dir DIR)");
  }
  if (requested.empty()) return Refuse(requested, "an empty name");
  if (requested.find('\0') != std::string_view::npos) return Refuse("?", "a NUL byte in the name");
  const fs::path relative{std::string(requested)};
  if (relative.has_root_name() || relative.has_root_directory()) {
    return Refuse(requested, "an absolute path; name a file under the models folder");
  }
  for (const fs::path& part : relative) {
    if (part == "..") return Refuse(requested, "'..' is not allowed; name a file under the models folder");
  }
  std::error_code ec;
  const fs::path root = fs::canonical(ctx.models_dir, ec);
  if (ec) return Status::NotFound("the models folder cannot be read: " + ec.message());
  const fs::path full = fs::canonical(root / relative, ec);
  if (ec) return Status::NotFound("model file '" + std::string(requested) + "': no such file in the models folder");
  if (!IsUnder(full, root)) return Refuse(requested, "it resolves outside the models folder");
  if (!fs::is_regular_file(full, ec)) return Refuse(requested, "not a regular file");
  return full;
}

}  // namespace sizer::service
