#include "catalog/runtime_memory_model.h"

#include <utility>

#include "base/edit_distance.h"
#include "base/format.h"
#include "yaml/yaml_reader.h"

namespace sizer {
namespace {

template <typename Enum>
StatusOr<Enum> ParseEnum(const YamlValue& node, std::initializer_list<Enum> values,
                         std::string_view (*name_of)(Enum)) {
  SIZER_ASSIGN_OR_RETURN(std::string text, node.AsString());
  std::vector<std::string> names;
  for (Enum v : values) {
    if (text == name_of(v)) return v;
    names.emplace_back(name_of(v));
  }
  return node.Error("unknown value '" + text + "'" + DidYouMean(text, names) +
                    " (expected one of: " + Join(names, ", ") + ")");
}

std::string_view MultiDeviceKey(MultiDevice mode) {
  return mode == MultiDevice::kLayerSplit ? "layer_split" : "tensor_parallel";
}

// {gpu: 0.65, unified: 0.60, cpu: 0.46}; bytes when `bytes` ("450 MiB"). Every kind stated.
StatusOr<PerKind> ParsePerKind(const YamlValue& node, bool bytes) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys({"gpu", "unified", "cpu"}));
  PerKind out;
  for (auto [key, field] : {std::pair{"gpu", &out.gpu}, std::pair{"unified", &out.unified},
                            std::pair{"cpu", &out.cpu}}) {
    if (bytes) {
      SIZER_RETURN_IF_ERROR(ReadRequired(node, key, &YamlValue::AsBytes, *field));
    } else {
      SIZER_RETURN_IF_ERROR(ReadRequired(node, key, &YamlValue::AsFraction, *field));
    }
  }
  return out;
}

Status ReadPerKind(const YamlValue& node, std::string_view key, bool bytes, PerKind& out) {
  SIZER_ASSIGN_OR_RETURN(YamlValue child, node.Get(key));
  SIZER_ASSIGN_OR_RETURN(out, ParsePerKind(child, bytes));
  return Status();
}

}  // namespace

std::string_view KvAllocationName(KvAllocation allocation) {
  switch (allocation) {
    case KvAllocation::kUpFront: return "up_front";
    case KvAllocation::kPagedPool: return "paged_pool";
    case KvAllocation::kDynamic: return "dynamic";
  }
  return "?";
}

std::string_view ActivationModelName(ActivationModel model) {
  return model == ActivationModel::kLlamaCppGraph ? "llama_cpp_graph" : "torch_profile";
}

std::string_view MultiDeviceName(MultiDevice mode) {
  return mode == MultiDevice::kLayerSplit ? "layer split" : "tensor parallel";
}

StatusOr<RuntimeMemoryModel> ParseRuntimeMemoryModel(const YamlValue& node) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys(
      {"version", "engine", "source", "vendors", "kv_dtypes", "sparse_structures",
       "kv_allocation", "kv_page_tokens", "kv_pad_tokens", "sliding_keeps_window_only",
       "logits_on_host", "token_embedding_on_host", "activation_model", "sampler_rows",
       "multi_device", "quantized_v_needs_flash_attention", "flash_attention",
       "default_pool_fraction", "pool_fraction_flag", "recurrent_state_bytes_per_element",
       "device_context_bytes", "fixed_runtime_bytes_gpu", "micro_batch_tokens",
       "fragmentation_fraction", "decode_efficiency", "prefill_efficiency", "efficiency_source",
       "memory_source"}));
  RuntimeMemoryModel m;
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "version", &YamlValue::AsString, m.version));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "engine", &YamlValue::AsString, m.engine));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "source", &YamlValue::AsString, m.source));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "vendors", &YamlValue::AsStringList, m.vendors));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "kv_dtypes", &YamlValue::AsStringList, m.kv_dtypes));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "sparse_structures", &YamlValue::AsStringList, m.sparse_structures));

  SIZER_ASSIGN_OR_RETURN(YamlValue allocation, node.Get("kv_allocation"));
  SIZER_ASSIGN_OR_RETURN(m.kv_allocation,
                         ParseEnum(allocation, {KvAllocation::kUpFront, KvAllocation::kPagedPool,
                                                KvAllocation::kDynamic},
                                   KvAllocationName));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "kv_page_tokens", &YamlValue::AsPositiveInt, m.kv_page_tokens));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "kv_pad_tokens", &YamlValue::AsPositiveInt, m.kv_pad_tokens));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "sliding_keeps_window_only", &YamlValue::AsBool,
                                     m.sliding_keeps_window_only));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "logits_on_host", &YamlValue::AsBool, m.logits_on_host));
  SIZER_RETURN_IF_ERROR(
      ReadRequired(node, "token_embedding_on_host", &YamlValue::AsBool, m.token_embedding_on_host));
  SIZER_ASSIGN_OR_RETURN(YamlValue activation, node.Get("activation_model"));
  SIZER_ASSIGN_OR_RETURN(
      m.activation_model,
      ParseEnum(activation, {ActivationModel::kLlamaCppGraph, ActivationModel::kTorchProfile},
                ActivationModelName));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "sampler_rows", &YamlValue::AsPositiveInt, m.sampler_rows));
  SIZER_ASSIGN_OR_RETURN(YamlValue multi_device, node.Get("multi_device"));
  SIZER_ASSIGN_OR_RETURN(
      m.multi_device,
      ParseEnum(multi_device, {MultiDevice::kLayerSplit, MultiDevice::kTensorParallel}, MultiDeviceKey));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "quantized_v_needs_flash_attention", &YamlValue::AsBool,
                                     m.quantized_v_needs_flash_attention));

  SIZER_RETURN_IF_ERROR(ReadRequired(node, "flash_attention", &YamlValue::AsBool, m.flash_attention));
  SIZER_RETURN_IF_ERROR(
      ReadRequired(node, "default_pool_fraction", &YamlValue::AsFraction, m.default_pool_fraction));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "pool_fraction_flag", &YamlValue::AsString, m.pool_fraction_flag));
  if (m.default_pool_fraction > 0 && m.pool_fraction_flag.empty()) {
    return node.Error("a runtime with default_pool_fraction names its flag: pool_fraction_flag");
  }
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "recurrent_state_bytes_per_element",
                                     &YamlValue::AsPositiveNumber, m.recurrent_state_bytes_per_element));
  SIZER_RETURN_IF_ERROR(ReadPerKind(node, "device_context_bytes", true, m.device_context_bytes));
  SIZER_RETURN_IF_ERROR(
      ReadRequired(node, "fixed_runtime_bytes_gpu", &YamlValue::AsBytes, m.fixed_runtime_bytes_gpu));
  SIZER_RETURN_IF_ERROR(
      ReadRequired(node, "micro_batch_tokens", &YamlValue::AsPositiveInt, m.micro_batch_tokens));
  SIZER_RETURN_IF_ERROR(
      ReadRequired(node, "fragmentation_fraction", &YamlValue::AsFraction, m.fragmentation_fraction));
  SIZER_RETURN_IF_ERROR(ReadPerKind(node, "decode_efficiency", false, m.decode_efficiency));
  SIZER_RETURN_IF_ERROR(ReadPerKind(node, "prefill_efficiency", false, m.prefill_efficiency));
  SIZER_RETURN_IF_ERROR(
      ReadRequired(node, "efficiency_source", &YamlValue::AsString, m.efficiency_source));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "memory_source", &YamlValue::AsString, m.memory_source));
  return m;
}

}  // namespace sizer
