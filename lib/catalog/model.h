// ModelSpec: what the planner needs to know about a model's architecture. Filled from a
// model_db/ YAML file, an inline mapping in a job, or (later) GGUF metadata.
#ifndef SIZER_CATALOG_MODEL_H_
#define SIZER_CATALOG_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace sizer {

enum class LayerKind {
  kFull,     // full causal attention: the KV cache grows with the context
  kSliding,  // sliding-window attention: the KV cache stops at the window
  kLinear,   // linear/recurrent attention (Gated DeltaNet, Mamba): a fixed state per sequence
};

std::string_view LayerKindName(LayerKind kind);

struct MlaSpec {             // multi-head latent attention (DeepSeek-V2/V3)
  int64_t kv_lora_rank = 0;      // latent width stored in the cache
  int64_t qk_rope_head_dim = 0;  // decoupled RoPE key stored once per token
  int64_t qk_nope_head_dim = 0;
  int64_t v_head_dim = 0;
  int64_t q_lora_rank = 0;       // 0: q is a full projection
};

struct MoeSpec {
  int64_t n_experts = 0;
  int64_t n_experts_per_token = 0;
  int64_t n_shared_experts = 0;
  int64_t expert_d_ff = 0;
  int64_t shared_expert_d_ff = 0;  // total width of the shared expert(s)
  int64_t n_dense_leading_layers = 0;
};

// The exact tensor bytes of one stored copy of the model in one weight format (`sizer db
// import` records the file's): plans in that format use them instead of params x bits.
struct ArtifactWeights {
  std::string format;  // a weight-format id ("Q4_K_M", "FP8", "GPTQ-4bit-g128")
  double bytes = 0;    // tensor bytes of the language model (a vision tower excluded)
};

struct ModelSpec {
  std::string id;
  std::string name;
  std::string family;
  std::string source;
  std::string notes;
  double params_total = 0;
  double params_active = 0;  // == params_total for dense models
  int64_t n_layers = 0;
  int64_t d_model = 0;
  int64_t n_heads = 0;
  int64_t n_kv_heads = 0;
  int64_t head_dim = 0;
  int64_t d_ff = 0;
  int64_t vocab_size = 0;
  bool tied_embeddings = false;
  int64_t max_context_tokens = 0;

  // Attention layout: `layer_pattern` is cycled over the layers from layer 0.
  std::vector<LayerKind> layer_pattern = {LayerKind::kFull};
  int64_t sliding_window_tokens = 0;
  int64_t linear_state_elements = 0;  // per linear layer, per sequence
  int64_t full_layer_n_kv_heads = 0;  // 0: same as n_kv_heads
  int64_t full_layer_head_dim = 0;    // 0: same as head_dim

  bool has_mla = false;
  MlaSpec mla;
  bool has_moe = false;
  MoeSpec moe;
  std::optional<ArtifactWeights> artifact_weights;

  LayerKind KindOfLayer(int64_t layer) const {
    return layer_pattern[static_cast<size_t>(layer) % layer_pattern.size()];
  }
  int64_t CountLayers(LayerKind kind) const;
  int64_t KvHeadsOf(LayerKind kind) const {
    return kind == LayerKind::kFull && full_layer_n_kv_heads > 0 ? full_layer_n_kv_heads
                                                                 : n_kv_heads;
  }
  int64_t HeadDimOf(LayerKind kind) const {
    return kind == LayerKind::kFull && full_layer_head_dim > 0 ? full_layer_head_dim : head_dim;
  }
};

class YamlValue;

// Parses a model mapping (model_db file or inline). Checks every field and every
// cross-field rule (heads divisible by KV heads, a window when a layer slides, ...).
StatusOr<ModelSpec> ParseModelSpec(const YamlValue& node);

}  // namespace sizer

#endif  // SIZER_CATALOG_MODEL_H_
