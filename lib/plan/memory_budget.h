// The memory budget of one candidate: every bucket on every device, against what is usable
// on that device after the OS share (unified memory) and the reserve. Several devices are
// never pooled: each must hold its own shard and its own buffers.
#ifndef SIZER_PLAN_MEMORY_BUDGET_H_
#define SIZER_PLAN_MEMORY_BUDGET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/extras.h"
#include "plan/kv_cache.h"
#include "plan/plan_inputs.h"
#include "plan/quantity.h"
#include "plan/runtime_memory.h"
#include "plan/verdict.h"
#include "plan/weights.h"
#include "input/job.h"

namespace sizer {

// The memory buckets of one device, in worksheet order.
enum class Bucket { kWeights, kKvCache, kRuntime, kActivations, kFragmentation };
inline constexpr Bucket kBuckets[] = {Bucket::kWeights, Bucket::kKvCache, Bucket::kRuntime,
                                      Bucket::kActivations, Bucket::kFragmentation};
// The bucket's stable key, as in --json: "weights_bytes", "kv_cache_bytes", ...
std::string_view BucketKey(Bucket bucket);

struct DeviceBudget {
  std::string label;  // "rtx-4090", "h100-sxm #2", "host ryzen-9-7950x-64gb"
  HardwareKind kind = HardwareKind::kGpu;
  int64_t node = 0;    // the machine (0-based) of a multi-node candidate
  int64_t layers = 0;  // transformer blocks held (layer split, offload, pipeline stage); 0: all, or a shard of every block
  double weights_bytes = 0;
  double kv_cache_bytes = 0;
  double runtime_bytes = 0;
  double activation_bytes = 0;
  double fragmentation_bytes = 0;
  double planned_bytes = 0;
  double capacity_bytes = 0;  // what the accelerator may use (after the OS share / wired cap)
  double usable_bytes = 0;    // capacity x (1 - reserve_fraction)
  bool capacity_in_binary_units = false;  // the hardware is sold in GiB (HardwareSpec)
  bool fits() const { return planned_bytes <= usable_bytes; }
  double bytes(Bucket bucket) const;
};

struct MemoryPlan {
  std::vector<DeviceBudget> devices;
  size_t binding = 0;  // the device with the highest planned / usable
  KvPlan kv;
  RuntimeMemory runtime;
  ExtrasMemory extras;  // projector, draft, adapters (inside the buckets above; own rows)
  std::optional<double> recommended_pool_fraction;  // paged-pool runtimes
  bool fits = false;
  std::vector<Reason> reasons;  // kKvPool and kMemory checks that failed
  QuantityList rows;

  const DeviceBudget& binding_device() const { return devices[binding]; }
};

// Memory the accelerator of `hw` may use: device memory (gpu); RAM x the GPU wired-memory
// limit (unified; macOS lets the GPU wire about 2/3-3/4 of RAM by default); RAM - OS share (cpu).
double CapacityBytes(const HardwareSpec& hw, const AssumptionOverrides& overrides);

// The budget of `candidate` at `context_tokens` x `sequences`: the devices' buckets under the
// candidate's placement (one device, tensor parallel, layer split, CPU offload, pipeline
// stages over nodes), the job's memory_overrides, a paged pool, the fit check and the rows.
MemoryPlan PlanMemory(const PlanInputs& in, const Candidate& candidate, const WeightPlan& weights,
                      int64_t context_tokens, int64_t sequences);

}  // namespace sizer

#endif  // SIZER_PLAN_MEMORY_BUDGET_H_
