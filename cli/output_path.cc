#include "cli/output_path.h"

#include <unistd.h>

#include <filesystem>

namespace sizer::cli {
namespace {

namespace fs = std::filesystem;

// access(2) rather than the permission bits: it answers for this user (and root).
bool Writable(const fs::path& path) { return ::access(path.c_str(), W_OK | X_OK) == 0; }

// "a/b" -> "a"; "b" -> "."; "a/b/" -> "a".
fs::path ParentOf(const std::string& path) {
  fs::path p(path);
  if (p.has_filename() == false) p = p.parent_path();  // drop the trailing '/'
  fs::path parent = p.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

Status Bad(const std::string& flag, const std::string& path, const std::string& what) {
  return Status::InvalidArgument(flag + " " + path + ": " + what);
}

// The directory a new file or directory goes into must exist and be writable.
Status CheckParent(const std::string& flag, const std::string& path, const std::string& creating) {
  const fs::path parent = ParentOf(path);
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) {
    return Bad(flag, path, creating + "directory " + parent.string() +
                               (fs::exists(parent, ec) ? " is a file" : " does not exist"));
  }
  if (!Writable(parent)) {
    return Bad(flag, path, creating + "directory " + parent.string() + " is not writable");
  }
  return Status();
}

Status CheckFile(const std::string& flag, const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return Bad(flag, path, "is a directory, expected a file");
  SIZER_RETURN_IF_ERROR(CheckParent(flag, path, ""));
  if (fs::exists(path, ec) && ::access(path.c_str(), W_OK) != 0) {
    return Bad(flag, path, "file is not writable");
  }
  return Status();
}

Status CheckDirectory(const std::string& flag, const std::string& path) {
  std::error_code ec;
  if (fs::exists(path, ec)) {
    if (!fs::is_directory(path, ec)) return Bad(flag, path, "is a file, expected a directory");
    if (!Writable(path)) return Bad(flag, path, "directory is not writable");
    return Status();
  }
  return CheckParent(flag, path, "cannot create the directory: ");
}

}  // namespace

StatusOr<OutputPath> ResolveOutputPath(const std::string& flag, const std::string& path,
                                       OutputKind kind) {
  OutputPath out;
  if (path.empty() || path == "-") {
    if (kind == OutputKind::kDirectory) return Bad(flag, path, "expected a directory");
    return out;
  }
  out.path = path;
  std::error_code ec;
  out.directory = kind == OutputKind::kDirectory ||
                  (kind == OutputKind::kFileOrDirectory &&
                   (path.back() == '/' || fs::is_directory(path, ec)));
  SIZER_RETURN_IF_ERROR(out.directory ? CheckDirectory(flag, path) : CheckFile(flag, path));
  return out;
}

StatusOr<OutputPath> ResolveCachePath(const std::string& flag, const std::string& path) {
  std::error_code ec;
  fs::create_directories(ParentOf(path), ec);  // a failure is reported by the check below
  return ResolveOutputPath(flag, path, OutputKind::kFile);
}

}  // namespace sizer::cli
