#include "catalog/catalog.h"

#include <cstdlib>
#include <filesystem>

#include "base/data_dir.h"
#include "base/edit_distance.h"
#include "base/file.h"
#include "yaml/yaml_reader.h"

namespace sizer {
namespace {

std::string Stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

template <typename Spec, typename ParseFn>
StatusOr<std::vector<Spec>> LoadDirectory(const std::string& dir, ParseFn parse) {
  SIZER_ASSIGN_OR_RETURN(std::vector<std::string> files, ListFiles(dir, ".yaml"));
  std::vector<Spec> specs;
  for (const std::string& file : files) {
    SIZER_ASSIGN_OR_RETURN(YamlValue root, YamlValue::Load(file));
    SIZER_ASSIGN_OR_RETURN(Spec spec, parse(root));
    if (spec.id != Stem(file)) {
      return root.GetOptional("id").Error("id '" + spec.id + "' differs from the file name '" +
                                   Stem(file) + "'");
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

template <typename Spec>
StatusOr<Spec> FindById(const std::vector<Spec>& specs, const std::string& id,
                        const std::string& what, const std::string& list_command) {
  std::vector<std::string> ids;
  for (const Spec& spec : specs) {
    if (spec.id == id) return spec;
    ids.push_back(spec.id);
  }
  std::string hint = DidYouMean(id, ids);
  if (hint.empty()) hint = " (see 'sizer db list " + list_command + "')";
  return Status::NotFound("unknown " + what + " '" + id + "'" + hint);
}

}  // namespace

StatusOr<Catalog> Catalog::Load(const std::string& root) {
  Catalog catalog;
  catalog.root_ = root;
  SIZER_ASSIGN_OR_RETURN(catalog.models_,
                         LoadDirectory<ModelSpec>(root + "/model_db", ParseModelSpec));
  SIZER_ASSIGN_OR_RETURN(catalog.hardware_,
                         LoadDirectory<HardwareSpec>(root + "/hardware_db", ParseHardwareSpec));
  // The runtimes are the project's, not the user's: a --db root of one's own models and
  // machines without a runtime_db/ uses the bundled one.
  std::string runtime_dir = root + "/runtime_db";
  if (!std::filesystem::is_directory(runtime_dir)) runtime_dir = ResolveDataDir("").path + "/runtime_db";
  // The saved probe is read once, here; a missing or broken file is an error only for a job
  // that names this-machine.
  catalog.this_machine_ = LoadThisMachine();
  if (std::filesystem::is_directory(runtime_dir)) {
    SIZER_ASSIGN_OR_RETURN(catalog.runtimes_,
                           LoadDirectory<RuntimeInfo>(runtime_dir, ParseRuntimeInfo));
  }
  return catalog;
}

StatusOr<ModelSpec> Catalog::FindModel(const std::string& id) const {
  return FindById(models_, id, "model", "models");
}

StatusOr<HardwareSpec> Catalog::FindHardware(const std::string& id) const {
  StatusOr<HardwareSpec> found = FindById(hardware_, id, "hardware", "hardware");
  if (found.ok() || id != kThisMachineId) return found;
  return this_machine_;
}

StatusOr<HardwareSpec> LoadThisMachine() {
  const std::string path = ThisMachinePath();
  if (!std::filesystem::exists(path)) {
    return Status::NotFound("no probe of this machine yet: run 'sizer probe --save' to create " + path);
  }
  SIZER_ASSIGN_OR_RETURN(YamlValue root, YamlValue::Load(path));
  return ParseHardwareSpec(root);
}

StatusOr<RuntimeInfo> Catalog::FindRuntime(const std::string& id) const {
  return FindById(runtimes_, id, "runtime", "runtimes");
}

std::string ThisMachinePath() {
  const std::string file = std::string("/") + kThisMachineId + ".yaml";
  if (const char* dir = std::getenv("SIZER_CACHE_DIR"); dir != nullptr && *dir != '\0') return dir + file;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/sizer" + file;
  }
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.cache/sizer" + file;
}

}  // namespace sizer
