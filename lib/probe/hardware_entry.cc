#include "probe/hardware_entry.h"

#include <ctime>

#include "base/format.h"
#include "base/units.h"

namespace sizer::probe {
std::string HardwareEntryYaml(const std::string& id, const MachineInfo& m,
                         const BandwidthResult& bw,
                         const std::vector<KernelThroughput>& kernels) {
  double f16_weights = 0, q8_weights = 0;
  for (const auto& k : kernels) {
    if (k.type == "F16") f16_weights = k.weights_per_s;
    if (k.type == "Q8_0") q8_weights = k.weights_per_s;
  }
  const double cores = static_cast<double>(m.physical_cores);
  std::string vendor = m.cpu_model.find("AMD") != std::string::npos     ? "amd"
                       : m.cpu_model.find("Intel") != std::string::npos ? "intel"
                                                                        : "";
  std::string y = "id: " + id + "\n";
  y += "name: \"" + m.cpu_model + " (" + std::to_string(m.physical_cores) + " cores, probed)\"\n";
  y += "kind: cpu\n";
  if (!vendor.empty()) y += "vendor: " + vendor + "\n";
  y += "memory: " + FormatFixed(static_cast<double>(m.memory_total_bytes) / kGiB, 1) + " GiB\n";
  y += "memory_bandwidth: " + FormatFixed(bw.best_bytes_per_s / kGB, 1) + " GB/s\n";
  // Measured matrix-vector rates: 2 FLOPs per weight, all physical cores.
  y += "fp16_tflops: " + FormatFixed(2 * f16_weights * cores / 1e12, 4) + "\n";
  y += "int8_tops: " + FormatFixed(2 * q8_weights * cores / 1e12, 4) + "\n";
  y += "os_reserved: " +
       FormatFixed(static_cast<double>(m.memory_total_bytes - m.memory_available_bytes) / kGiB, 1) +
       " GiB\n";
  y += "cores: " + std::to_string(m.physical_cores) + "\n";
  y += "interconnect: none\n";
  y += "source: \"sizer probe on " + TodayUtc() + ": best of " + std::to_string(bw.runs) +
       " streaming reads of " + FormatBytes(static_cast<double>(bw.buffer_bytes)) + " with " +
       std::to_string(bw.threads) + " threads; compute from the runner's " + m.simd_target +
       " F16/Q8_0 dot products x " + std::to_string(m.physical_cores) +
       " cores; os_reserved = memory in use at probe time\"\n";
  return y;
}


}  // namespace sizer::probe
