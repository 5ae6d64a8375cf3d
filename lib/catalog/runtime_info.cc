#include "catalog/runtime_info.h"

#include <algorithm>

#include "base/edit_distance.h"
#include "yaml/yaml_reader.h"

namespace sizer {
namespace {

StatusOr<HardwareKind> ParseKind(const YamlValue& node) {
  SIZER_ASSIGN_OR_RETURN(std::string kind, node.AsString());
  for (HardwareKind k : {HardwareKind::kGpu, HardwareKind::kUnified, HardwareKind::kCpu}) {
    if (kind == HardwareKindName(k)) return k;
  }
  return node.Error("unknown hardware kind '" + kind + "'" +
                    DidYouMean(kind, {"gpu", "unified", "cpu"}) + " (expected gpu, unified or cpu)");
}

StatusOr<WeightContainer> ParseContainer(const YamlValue& node) {
  SIZER_ASSIGN_OR_RETURN(std::string name, node.AsString());
  for (WeightContainer c :
       {WeightContainer::kGguf, WeightContainer::kSafetensors, WeightContainer::kMlx}) {
    if (name == WeightContainerName(c)) return c;
  }
  return node.Error("unknown artifact format '" + name + "'" +
                    DidYouMean(name, {"gguf", "safetensors", "mlx"}) +
                    " (expected gguf, safetensors or mlx)");
}

template <typename T, typename Fn>
StatusOr<std::vector<T>> ParseList(const YamlValue& node, Fn parse) {
  if (!node.IsSequence()) return node.Error("expected a list");
  std::vector<T> out;
  for (const YamlValue& item : node.Items()) {
    SIZER_ASSIGN_OR_RETURN(T value, parse(item));
    out.push_back(value);
  }
  return out;
}

Status ParseCapabilities(const YamlValue& node, RuntimeInfo& info) {
  if (!node.IsMap()) return node.Error("expected a mapping of capability: {supported, source}");
  for (const auto& [name, value] : node.Entries()) {
    if (!IsRuntimeCapability(name)) {
      return value.Error("unknown capability '" + name + "'" +
                         DidYouMean(name, RuntimeCapabilityNames()));
    }
    SIZER_RETURN_IF_ERROR(value.CheckKeys({"supported", "source", "note"}));
    RuntimeCapability cap;
    SIZER_RETURN_IF_ERROR(ReadRequired(value, "supported", &YamlValue::AsBool, cap.supported));
    SIZER_RETURN_IF_ERROR(ReadRequired(value, "source", &YamlValue::AsString, cap.source));
    info.capabilities[name] = cap;
  }
  for (const std::string& name : RuntimeCapabilityNames()) {
    if (info.capabilities.count(name) == 0) {
      return node.Error("missing capability '" + name + "' (state every capability, true or false)");
    }
  }
  return Status();
}

Status ParseEndpoints(const YamlValue& node, RuntimeEndpoints& e) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys({"port", "openai_base", "health", "metrics", "source"}));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "port", &YamlValue::AsPositiveInt, e.port));
  if (e.port > 65535) return node.GetOptional("port").Error("port must be at most 65535");
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "openai_base", &YamlValue::AsString, e.openai_base));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "health", &YamlValue::AsString, e.health));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "metrics", &YamlValue::AsString, e.metrics));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "source", &YamlValue::AsString, e.source));
  for (const std::string* path : {&e.openai_base, &e.health, &e.metrics}) {
    if (!path->empty() && path->front() != '/') {
      return node.Error("endpoint paths start with '/', got '" + *path + "'");
    }
  }
  return Status();
}

StatusOr<RuntimeImage> ParseImage(const YamlValue& node) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys({"image", "kind", "vendor", "source"}));
  RuntimeImage image;
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "image", &YamlValue::AsString, image.image));
  // Pinned by tag: "name:tag" where the tag is not "latest" (a digest "@sha256:" also pins).
  const size_t slash = image.image.rfind('/');
  const size_t colon = image.image.rfind(':');
  const bool has_tag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  const bool has_digest = image.image.find("@sha256:") != std::string::npos;
  if (!has_digest && (!has_tag || image.image.substr(colon + 1) == "latest")) {
    return node.GetOptional("image").Error("an image must be pinned by a tag other than 'latest'");
  }
  SIZER_ASSIGN_OR_RETURN(YamlValue kind, node.Get("kind"));
  SIZER_ASSIGN_OR_RETURN(image.kind, ParseKind(kind));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "vendor", &YamlValue::AsString, image.vendor));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "source", &YamlValue::AsString, image.source));
  return image;
}

}  // namespace

const std::vector<std::string>& RuntimeCapabilityNames() {
  static const std::vector<std::string> kNames = {
      "openai_api",      "batching",          "metrics",    "health",
      "tensor_parallel", "pipeline_parallel", "multi_node", "kv_cache_quantization",
      "cpu_offload",     "sparse_kernels",    "gpu_serving"};
  return kNames;
}

bool IsRuntimeCapability(std::string_view name) {
  const auto& names = RuntimeCapabilityNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool RuntimeInfo::Has(std::string_view capability) const {
  auto it = capabilities.find(std::string(capability));
  return it != capabilities.end() && it->second.supported;
}

std::vector<std::string> RuntimeInfo::Supported() const {
  std::vector<std::string> out;
  for (const std::string& name : RuntimeCapabilityNames()) {
    if (Has(name)) out.push_back(name);
  }
  return out;
}

const RuntimeImage* RuntimeInfo::ImageFor(const HardwareSpec& hw) const {
  for (const RuntimeImage& image : images) {
    if (image.kind == hw.kind && (image.vendor.empty() || image.vendor == hw.vendor)) return &image;
  }
  return nullptr;
}

StatusOr<std::string> RuntimeInfo::Flag(const std::string& setting) const {
  auto it = flags.find(setting);
  if (it == flags.end()) {
    return Status::NotFound("runtime_db/" + id + ".yaml has no flags." + setting);
  }
  return it->second;
}

StatusOr<RuntimeInfo> ParseRuntimeInfo(const YamlValue& node) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys({"id", "name", "version", "source", "artifact_formats",
                                        "hardware_kinds", "images", "endpoints", "capabilities",
                                        "flags", "notes", "memory_model"}));
  RuntimeInfo info;
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "id", &YamlValue::AsString, info.id));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "name", &YamlValue::AsString, info.name));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "version", &YamlValue::AsString, info.version));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "source", &YamlValue::AsString, info.source));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "notes", &YamlValue::AsString, info.notes));
  SIZER_ASSIGN_OR_RETURN(YamlValue formats, node.Get("artifact_formats"));
  SIZER_ASSIGN_OR_RETURN(info.artifact_formats, ParseList<WeightContainer>(formats, ParseContainer));
  SIZER_ASSIGN_OR_RETURN(YamlValue kinds, node.Get("hardware_kinds"));
  SIZER_ASSIGN_OR_RETURN(info.hardware_kinds, ParseList<HardwareKind>(kinds, ParseKind));
  if (node.Has("images")) {
    SIZER_ASSIGN_OR_RETURN(info.images,
                           ParseList<RuntimeImage>(node.GetOptional("images"), ParseImage));
  }
  SIZER_ASSIGN_OR_RETURN(YamlValue endpoints, node.Get("endpoints"));
  SIZER_RETURN_IF_ERROR(ParseEndpoints(endpoints, info.endpoints));
  SIZER_ASSIGN_OR_RETURN(YamlValue capabilities, node.Get("capabilities"));
  SIZER_RETURN_IF_ERROR(ParseCapabilities(capabilities, info));
  SIZER_ASSIGN_OR_RETURN(YamlValue flags, node.Get("flags"));
  if (!flags.IsMap()) return flags.Error("expected a mapping of setting: flag");
  for (const auto& [key, value] : flags.Entries()) {
    SIZER_ASSIGN_OR_RETURN(std::string flag, value.AsString());
    if (key == "source") {
      info.flags_source = flag;
    } else {
      info.flags[key] = flag;
    }
  }
  if (info.flags_source.empty()) return flags.Error("missing required key 'source'");
  if (info.Has("metrics") && info.endpoints.metrics.empty()) {
    return endpoints.Error("metrics is supported but endpoints.metrics is empty");
  }
  if (info.Has("health") && info.endpoints.health.empty()) {
    return endpoints.Error("health is supported but endpoints.health is empty");
  }
  SIZER_ASSIGN_OR_RETURN(YamlValue memory_model, node.Get("memory_model"));
  SIZER_ASSIGN_OR_RETURN(info.memory_model, ParseRuntimeMemoryModel(memory_model));
  const std::string& pool_flag = info.memory_model.pool_fraction_flag;
  if (!pool_flag.empty() && info.flags.count(pool_flag) == 0) {
    return memory_model.GetOptional("pool_fraction_flag")
        .Error("'" + pool_flag + "' is not a key of flags:" + DidYouMean(pool_flag, [&] {
                 std::vector<std::string> keys;
                 for (const auto& [key, flag] : info.flags) keys.push_back(key);
                 return keys;
               }()));
  }
  return info;
}

}  // namespace sizer
