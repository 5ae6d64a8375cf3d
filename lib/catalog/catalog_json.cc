#include "catalog/catalog_json.h"

#include <string>
#include <vector>

#include "catalog/weight_container.h"

namespace sizer {

using nlohmann::json;
using nlohmann::ordered_json;

json ModelToJson(const ModelSpec& m) {
  json j = {{"id", m.id}, {"name", m.name}, {"family", m.family}, {"params_total", m.params_total},
            {"params_active", m.params_active}, {"n_layers", m.n_layers}, {"d_model", m.d_model},
            {"n_heads", m.n_heads}, {"n_kv_heads", m.n_kv_heads}, {"head_dim", m.head_dim},
            {"d_ff", m.d_ff}, {"vocab_size", m.vocab_size}, {"tied_embeddings", m.tied_embeddings},
            {"max_context_tokens", m.max_context_tokens}, {"source", m.source}, {"notes", m.notes}};
  json pattern = json::array();
  for (LayerKind k : m.layer_pattern) pattern.push_back(std::string(LayerKindName(k)));
  j["attention"] = {{"pattern", pattern}, {"sliding_window_tokens", m.sliding_window_tokens},
                    {"linear_state_elements", m.linear_state_elements}};
  if (m.has_mla) {
    j["mla"] = {{"kv_lora_rank", m.mla.kv_lora_rank}, {"qk_rope_head_dim", m.mla.qk_rope_head_dim}};
  }
  if (m.has_moe) {
    j["moe"] = {{"n_experts", m.moe.n_experts}, {"n_experts_per_token", m.moe.n_experts_per_token},
                {"n_shared_experts", m.moe.n_shared_experts}, {"expert_d_ff", m.moe.expert_d_ff}};
  }
  return j;
}

json HardwareToJson(const HardwareSpec& h) {
  return {{"id", h.id}, {"name", h.name}, {"kind", std::string(HardwareKindName(h.kind))},
          {"vendor", h.vendor}, {"memory_bytes", h.memory_bytes},
          {"memory_bandwidth_bytes_per_s", h.memory_bandwidth_bytes_per_s},
          {"fp16_flop_per_s", h.fp16_flop_per_s}, {"int8_op_per_s", h.int8_op_per_s},
          {"fp8_flop_per_s", h.fp8_flop_per_s}, {"tdp_watts", h.tdp_watts},
          {"price_usd", h.price_usd}, {"price_date", h.price_date},
          {"interconnect", h.interconnect},
          {"interconnect_bandwidth_bytes_per_s", h.interconnect_bandwidth_bytes_per_s},
          {"low_bit_formats", h.low_bit_formats},
          {"gpu_wired_limit_fraction", h.gpu_wired_limit_fraction},
          {"os_reserved_bytes", h.os_reserved_bytes}, {"source", h.source}, {"notes", h.notes}};
}

ordered_json RuntimeInfoToJson(const RuntimeInfo& r) {
  ordered_json caps = ordered_json::object();
  for (const std::string& name : RuntimeCapabilityNames()) {
    const RuntimeCapability& c = r.capabilities.at(name);
    caps[name] = {{"supported", c.supported}, {"source", c.source}};
  }
  ordered_json images = ordered_json::array();
  for (const RuntimeImage& i : r.images) {
    images.push_back({{"image", i.image}, {"kind", std::string(HardwareKindName(i.kind))},
                      {"vendor", i.vendor}, {"source", i.source}});
  }
  std::vector<std::string> formats, kinds;
  for (WeightContainer c : r.artifact_formats) formats.emplace_back(WeightContainerName(c));
  for (HardwareKind k : r.hardware_kinds) kinds.emplace_back(HardwareKindName(k));
  return {{"id", r.id}, {"name", r.name}, {"version", r.version}, {"source", r.source},
          {"artifact_formats", formats}, {"hardware_kinds", kinds}, {"images", images},
          {"endpoints", {{"port", r.endpoints.port}, {"openai_base", r.endpoints.openai_base},
                         {"health", r.endpoints.health}, {"metrics", r.endpoints.metrics},
                         {"source", r.endpoints.source}}},
          {"capabilities", caps}, {"supported", r.Supported()}, {"flags", r.flags},
          {"notes", r.notes}};
}

}  // namespace sizer
