// What this machine is: CPU, cores, SIMD features, memory and caches, read from Linux's
// /proc and /sys. Missing files leave fields empty rather than failing.
#ifndef SIZER_PROBE_MACHINE_H_
#define SIZER_PROBE_MACHINE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace sizer::probe {

struct CacheLevel {
  int level = 0;
  std::string type;   // Data, Instruction, Unified
  uint64_t bytes = 0; // per instance, as /sys reports it
};

struct MachineInfo {
  std::string cpu_model;
  int physical_cores = 0;
  int logical_cpus = 0;
  std::vector<std::string> simd_features;  // the ones the runner's kernels care about
  std::string simd_target;                 // the Highway target the runner dispatches to
  uint64_t memory_total_bytes = 0;
  uint64_t memory_available_bytes = 0;
  std::vector<CacheLevel> caches;
  uint64_t last_level_cache_bytes() const;
};

MachineInfo DescribeMachine();

}  // namespace sizer::probe

#endif  // SIZER_PROBE_MACHINE_H_
