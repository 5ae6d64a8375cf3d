// Catalog: the model, hardware and runtime databases (model_db/, hardware_db/, runtime_db/),
// loaded once.
#ifndef SIZER_CATALOG_CATALOG_H_
#define SIZER_CATALOG_CATALOG_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/hardware.h"
#include "catalog/model.h"
#include "catalog/runtime_info.h"

namespace sizer {

class Catalog {
 public:
  // Loads every *.yaml under `root`/model_db, `root`/hardware_db and `root`/runtime_db. Any
  // broken entry is an error naming its file, line and column; an id that differs from its
  // file name is too. A runtime_db entry carries its own memory model.
  static StatusOr<Catalog> Load(const std::string& root);

  // kNotFound with the closest ids when unknown.
  StatusOr<ModelSpec> FindModel(const std::string& id) const;
  StatusOr<HardwareSpec> FindHardware(const std::string& id) const;
  StatusOr<RuntimeInfo> FindRuntime(const std::string& id) const;

  const std::vector<ModelSpec>& models() const { return models_; }
  const std::vector<HardwareSpec>& hardware() const { return hardware_; }
  const std::vector<RuntimeInfo>& runtimes() const { return runtimes_; }
  const std::string& root() const { return root_; }

  // For tests and inline use.
  void AddModel(ModelSpec model) { models_.push_back(std::move(model)); }
  void AddHardware(HardwareSpec hw) { hardware_.push_back(std::move(hw)); }
  void AddRuntime(RuntimeInfo runtime) { runtimes_.push_back(std::move(runtime)); }

 private:
  std::string root_;
  std::vector<ModelSpec> models_;
  std::vector<HardwareSpec> hardware_;
  std::vector<RuntimeInfo> runtimes_;
  StatusOr<HardwareSpec> this_machine_ = Status::NotFound("no probe of this machine loaded");
};

// The hardware id `sizer probe --save` writes; FindHardware falls back to the saved file.
inline constexpr const char* kThisMachineId = "this-machine";
// $SIZER_CACHE_DIR/this-machine.yaml, else $XDG_CACHE_HOME/sizer/..., else ~/.cache/sizer/...
std::string ThisMachinePath();
// The saved probe at ThisMachinePath(); kNotFound (saying how to make it) when there is none.
// Catalog::Load reads it once; FindHardware(kThisMachineId) returns it.
StatusOr<HardwareSpec> LoadThisMachine();

}  // namespace sizer

#endif  // SIZER_CATALOG_CATALOG_H_
