// RuntimeInfo: what a serving runtime offers, from runtime_db/<id>.yaml: artifact formats,
// hardware kinds, capabilities (OpenAI API, batching, metrics, ...), endpoints, the pinned
// container images and the spelling of its flags. Every fact names its source. The memory
// behaviour of the same runtimes is modelled in C++ (knowledge/runtime_profile.h); ids match.
#ifndef SIZER_CATALOG_RUNTIME_INFO_H_
#define SIZER_CATALOG_RUNTIME_INFO_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "catalog/hardware.h"
#include "catalog/runtime_memory_model.h"
#include "catalog/weight_container.h"

namespace sizer {

// The capability names a runtime_db entry must state (true or false) and a job may require.
const std::vector<std::string>& RuntimeCapabilityNames();
bool IsRuntimeCapability(std::string_view name);

struct RuntimeImage {
  std::string image;  // pinned by tag, e.g. "vllm/vllm-openai:v0.10.2"
  HardwareKind kind = HardwareKind::kGpu;
  std::string vendor;  // "" = any vendor of that kind
  std::string source;
};

struct RuntimeEndpoints {
  int64_t port = 0;
  std::string openai_base;  // "/v1"
  std::string health;       // "" = none
  std::string metrics;      // "" = none
  std::string source;
};

struct RuntimeCapability {
  bool supported = false;
  std::string source;
};

struct RuntimeInfo {
  std::string id;
  std::string name;
  std::string version;  // the release the images pin
  std::string source;
  std::string notes;
  std::vector<WeightContainer> artifact_formats;
  RuntimeMemoryModel memory_model;  // what the planner assumes it allocates (`memory_model:`)
  std::vector<HardwareKind> hardware_kinds;
  std::vector<RuntimeImage> images;
  RuntimeEndpoints endpoints;
  std::map<std::string, RuntimeCapability> capabilities;  // every RuntimeCapabilityNames()
  std::map<std::string, std::string> flags;               // setting -> flag spelling
  std::string flags_source;

  bool Has(std::string_view capability) const;
  // Names of the capabilities this runtime supports, in RuntimeCapabilityNames() order.
  std::vector<std::string> Supported() const;
  // The image for `hw` (kind and vendor), or nullptr.
  const RuntimeImage* ImageFor(const HardwareSpec& hw) const;
  // The flag for `setting`; kNotFound naming runtime_db/<id>.yaml when the entry lacks it.
  StatusOr<std::string> Flag(const std::string& setting) const;
};

class YamlValue;

// Parses one runtime_db entry. Every capability must be stated; unknown ones are errors.
StatusOr<RuntimeInfo> ParseRuntimeInfo(const YamlValue& node);

}  // namespace sizer

#endif  // SIZER_CATALOG_RUNTIME_INFO_H_
