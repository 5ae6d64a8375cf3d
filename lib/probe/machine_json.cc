#include "probe/machine_json.h"

namespace sizer::probe {

using nlohmann::json;

json ProbeResultToJson(const ProbeResult& result) {
  const MachineInfo& m = result.machine;
  const BandwidthResult& bw = result.bandwidth;
  const BandwidthResult& single = result.bandwidth_one_thread;
  json caches = json::array();
  for (const CacheLevel& c : m.caches) {
    caches.push_back({{"level", c.level}, {"type", c.type}, {"bytes", c.bytes}});
  }
  json kernels = json::array();
  for (const KernelThroughput& t : result.kernels) {
    kernels.push_back(
        {{"type", t.type}, {"weights_per_s", t.weights_per_s}, {"bytes_per_s", t.bytes_per_s}});
  }
  return {{"cpu_model", m.cpu_model},
          {"physical_cores", m.physical_cores},
          {"logical_cpus", m.logical_cpus},
          {"simd_features", m.simd_features},
          {"simd_target", m.simd_target},
          {"memory_total_bytes", m.memory_total_bytes},
          {"memory_available_bytes", m.memory_available_bytes},
          {"caches", caches},
          {"read_bandwidth",
           {{"threads", bw.threads},
            {"buffer_bytes", bw.buffer_bytes},
            {"runs", bw.runs},
            {"best_bytes_per_s", bw.best_bytes_per_s},
            {"median_bytes_per_s", bw.median_bytes_per_s},
            {"note", bw.note}}},
          {"read_bandwidth_one_thread",
           {{"best_bytes_per_s", single.best_bytes_per_s},
            {"median_bytes_per_s", single.median_bytes_per_s}}},
          {"kernels_one_core", kernels}};
}

}  // namespace sizer::probe
