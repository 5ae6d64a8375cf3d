#include "knowledge/runtime_profile.h"

#include <algorithm>
#include <cctype>

namespace sizer {
namespace {

template <typename T>
bool Contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool RuntimeProfile::Supports(HardwareKind kind) const { return Contains(hardware_kinds, kind); }
bool RuntimeProfile::Supports(WeightContainer container) const {
  return Contains(containers, container);
}
bool RuntimeProfile::SupportsKvDtype(const std::string& dtype) const {
  return Contains(kv_dtypes, Lower(dtype));
}
bool RuntimeProfile::SupportsVendor(const std::string& vendor) const {
  return vendors.empty() || vendor.empty() || Contains(vendors, Lower(vendor));
}

RuntimeProfile MakeRuntimeProfile(const RuntimeInfo& info) {
  RuntimeProfile p;
  static_cast<RuntimeMemoryModel&>(p) = info.memory_model;
  p.id = info.id;
  p.containers = info.artifact_formats;
  p.hardware_kinds = info.hardware_kinds;
  p.multi_node = info.Has("multi_node");
  if (!p.pool_fraction_flag.empty()) {
    auto flag = info.flags.find(p.pool_fraction_flag);
    if (flag != info.flags.end()) p.pool_fraction_flag_text = flag->second;
  }
  return p;
}

}  // namespace sizer
