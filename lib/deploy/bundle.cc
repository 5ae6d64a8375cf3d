#include "deploy/bundle.h"

#include <filesystem>
#include <fstream>

#include "input/manifest.h"

namespace sizer {

std::vector<BundleFile> RenderBundle(const Deployment& d, const BundleContext& context) {
  std::vector<BundleFile> files = RenderPackaging(d);
  files.push_back(RenderHealthcheck(d));
  for (BundleFile& f : RenderSmokeEval(d)) files.push_back(std::move(f));
  files.push_back(RenderReleaseManifest(d, context));
  files.push_back({"settings.json", SettingsJson(d).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n", false});
  files.push_back(RenderOperatorReadme(d, context, files));
  return files;
}

StatusOr<BundleContext> LoadPreviousRelease(const std::string& path) {
  BundleContext context;
  if (path.empty()) return context;
  SIZER_ASSIGN_OR_RETURN(PreviousRelease previous, LoadReleaseIdentity(path));
  std::error_code ec;
  context.previous_release = std::filesystem::absolute(path, ec).lexically_normal().string();
  if (ec) context.previous_release = path;
  context.previous_model_version = previous.model_version;
  const std::string& artifact = previous.artifact.path;
  context.previous_artifact_path =
      artifact.empty() ? previous.artifact.uri
                       : std::filesystem::absolute(artifact, ec).lexically_normal().string();
  context.previous_sha256 = previous.artifact.sha256;
  return context;
}

Status WriteBundle(const std::string& dir, const std::vector<BundleFile>& files) {
  namespace fs = std::filesystem;
  for (const BundleFile& f : files) {
    const fs::path path = fs::path(dir) / f.path;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) return Status::IOError(path.parent_path().string() + ": " + ec.message());
    const fs::path tmp = path.string() + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) return Status::IOError(tmp.string() + ": cannot open for writing");
      out << f.content;
      if (!out) return Status::IOError(tmp.string() + ": write failed");
    }
    fs::rename(tmp, path, ec);
    if (ec) return Status::IOError(path.string() + ": " + ec.message());
    fs::permissions(path,
                    f.executable ? fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                       fs::perms::others_read | fs::perms::others_exec
                                 : fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                       fs::perms::others_read,
                    fs::perm_options::replace, ec);
    if (ec) return Status::IOError(path.string() + ": " + ec.message());
  }
  return Status();
}

}  // namespace sizer
