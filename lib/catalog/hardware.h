// HardwareSpec: one device or machine from hardware_db/ or an inline job mapping.
#ifndef SIZER_CATALOG_HARDWARE_H_
#define SIZER_CATALOG_HARDWARE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace sizer {

enum class HardwareKind {
  kGpu,      // discrete accelerator with its own memory
  kUnified,  // one memory shared by CPU and GPU (Apple silicon)
  kCpu,      // inference on the CPU from system RAM
};

std::string_view HardwareKindName(HardwareKind kind);

struct HardwareSpec {
  std::string id;
  std::string name;
  HardwareKind kind = HardwareKind::kGpu;
  std::string vendor;  // nvidia, amd, apple, intel
  double memory_bytes = 0;
  bool memory_in_binary_units = false;  // given as "24 GiB": display it in GiB, not "25.8 GB"
  double memory_bandwidth_bytes_per_s = 0;
  double fp16_flop_per_s = 0;  // dense
  double int8_op_per_s = 0;    // dense, 0 if none
  double fp8_flop_per_s = 0;   // dense, 0 if the device has no FP8 units
  double tdp_watts = 0;
  double price_usd = 0;
  std::string price_date;
  std::string interconnect;  // nvlink4, pcie5, ...
  double interconnect_bandwidth_bytes_per_s = 0;
  std::vector<std::string> low_bit_formats;
  double gpu_wired_limit_fraction = 0;  // unified only; 0 = not applicable
  double os_reserved_bytes = 0;         // cpu/unified
  int64_t cores = 0;
  std::string source;
  std::string notes;

  bool SupportsFormat(const std::string& format) const;
};

class YamlValue;

// Parses a hardware mapping (hardware_db file or inline candidate).
StatusOr<HardwareSpec> ParseHardwareSpec(const YamlValue& node);

}  // namespace sizer

#endif  // SIZER_CATALOG_HARDWARE_H_
