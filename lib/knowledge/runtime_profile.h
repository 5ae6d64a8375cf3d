// RuntimeProfile: the runtime as the planner sees it. Every fact comes from the runtime's
// runtime_db/<id>.yaml, the one place a runtime is described: the artifact formats and
// hardware kinds it runs, whether it serves across machines, and its memory model
// (catalog/runtime_memory_model.h: allocation policy, named constants with their sources).
// The code that turns the memory model into bytes lives in lib/plan; a job's
// `assumptions:` overrides the constants (plan/plan_inputs.cc).
#ifndef SIZER_KNOWLEDGE_RUNTIME_PROFILE_H_
#define SIZER_KNOWLEDGE_RUNTIME_PROFILE_H_

#include <string>
#include <vector>

#include "catalog/hardware.h"
#include "catalog/runtime_info.h"
#include "catalog/runtime_memory_model.h"
#include "catalog/weight_container.h"

namespace sizer {

struct RuntimeProfile : RuntimeMemoryModel {
  std::string id;  // as written in a job: "llama.cpp"
  std::vector<WeightContainer> containers;
  std::vector<HardwareKind> hardware_kinds;
  bool multi_node = false;  // serves one model across machines (tensor x pipeline parallel)
  std::string pool_fraction_flag_text;  // "--gpu-memory-utilization"; empty without a pool

  bool Supports(HardwareKind kind) const;
  bool Supports(WeightContainer container) const;
  bool SupportsKvDtype(const std::string& dtype) const;
  bool SupportsVendor(const std::string& vendor) const;
};

// The profile of a runtime_db entry.
RuntimeProfile MakeRuntimeProfile(const RuntimeInfo& info);

}  // namespace sizer

#endif  // SIZER_KNOWLEDGE_RUNTIME_PROFILE_H_
