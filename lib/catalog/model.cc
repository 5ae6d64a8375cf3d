#include "catalog/model.h"

#include "yaml/yaml_reader.h"

namespace sizer {

std::string_view LayerKindName(LayerKind kind) {
  switch (kind) {
    case LayerKind::kFull: return "full";
    case LayerKind::kSliding: return "sliding";
    case LayerKind::kLinear: return "linear";
  }
  return "?";
}

int64_t ModelSpec::CountLayers(LayerKind kind) const {
  int64_t count = 0;
  for (int64_t layer = 0; layer < n_layers; ++layer) count += KindOfLayer(layer) == kind ? 1 : 0;
  return count;
}

namespace {

Status ParseAttention(const YamlValue& node, ModelSpec& model) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys({"pattern", "sliding_window_tokens",
                                        "linear_state_elements", "full_layer_n_kv_heads",
                                        "full_layer_head_dim"}));
  if (node.Has("pattern")) {
    SIZER_ASSIGN_OR_RETURN(YamlValue pattern, node.Get("pattern"));
    if (!pattern.IsSequence() || pattern.Items().empty()) {
      return pattern.Error("expected a non-empty list of layer kinds (full, sliding, linear)");
    }
    model.layer_pattern.clear();
    for (const YamlValue& item : pattern.Items()) {
      SIZER_ASSIGN_OR_RETURN(std::string kind, item.AsString());
      if (kind == "full") {
        model.layer_pattern.push_back(LayerKind::kFull);
      } else if (kind == "sliding") {
        model.layer_pattern.push_back(LayerKind::kSliding);
      } else if (kind == "linear") {
        model.layer_pattern.push_back(LayerKind::kLinear);
      } else {
        return item.Error("unknown layer kind '" + kind + "' (expected full, sliding or linear)");
      }
    }
  }
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "sliding_window_tokens", &YamlValue::AsPositiveInt, model.sliding_window_tokens));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "linear_state_elements", &YamlValue::AsPositiveInt, model.linear_state_elements));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "full_layer_n_kv_heads", &YamlValue::AsPositiveInt, model.full_layer_n_kv_heads));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "full_layer_head_dim", &YamlValue::AsPositiveInt, model.full_layer_head_dim));
  bool slides = false, linear = false;
  for (LayerKind kind : model.layer_pattern) {
    slides = slides || kind == LayerKind::kSliding;
    linear = linear || kind == LayerKind::kLinear;
  }
  if (slides && model.sliding_window_tokens == 0) {
    return node.Error("the pattern has sliding layers but no sliding_window_tokens");
  }
  if (linear && model.linear_state_elements == 0) {
    return node.Error("the pattern has linear layers but no linear_state_elements");
  }
  return Status();
}

Status ParseMla(const YamlValue& node, ModelSpec& model) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys(
      {"kv_lora_rank", "qk_rope_head_dim", "qk_nope_head_dim", "v_head_dim", "q_lora_rank"}));
  model.has_mla = true;
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "kv_lora_rank", &YamlValue::AsPositiveInt, model.mla.kv_lora_rank));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "qk_rope_head_dim", &YamlValue::AsPositiveInt, model.mla.qk_rope_head_dim));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "qk_nope_head_dim", &YamlValue::AsPositiveInt, model.mla.qk_nope_head_dim));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "v_head_dim", &YamlValue::AsPositiveInt, model.mla.v_head_dim));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "q_lora_rank", &YamlValue::AsNonNegativeInt, model.mla.q_lora_rank));
  return Status();
}

Status ParseMoe(const YamlValue& node, ModelSpec& model) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys({"n_experts", "n_experts_per_token", "n_shared_experts",
                                        "expert_d_ff", "shared_expert_d_ff",
                                        "n_dense_leading_layers"}));
  model.has_moe = true;
  MoeSpec& moe = model.moe;
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "n_experts", &YamlValue::AsPositiveInt, moe.n_experts));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "n_experts_per_token", &YamlValue::AsPositiveInt, moe.n_experts_per_token));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "expert_d_ff", &YamlValue::AsPositiveInt, moe.expert_d_ff));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "n_shared_experts", &YamlValue::AsNonNegativeInt, moe.n_shared_experts));
  moe.shared_expert_d_ff = moe.expert_d_ff * moe.n_shared_experts;
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "shared_expert_d_ff", &YamlValue::AsNonNegativeInt, moe.shared_expert_d_ff));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "n_dense_leading_layers", &YamlValue::AsNonNegativeInt, moe.n_dense_leading_layers));
  if (moe.n_experts_per_token > moe.n_experts) {
    return node.Error("n_experts_per_token (" + std::to_string(moe.n_experts_per_token) +
                      ") exceeds n_experts (" + std::to_string(moe.n_experts) + ")");
  }
  return Status();
}

}  // namespace

StatusOr<ModelSpec> ParseModelSpec(const YamlValue& node) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys(
      {"id", "name", "family", "source", "notes", "params_total", "params_active", "n_layers",
       "d_model", "n_heads", "n_kv_heads", "head_dim", "d_ff", "vocab_size", "tied_embeddings",
       "max_context_tokens", "attention", "mla", "moe", "artifact_weights"}));
  ModelSpec model;
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "id", &YamlValue::AsString, model.id));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "name", &YamlValue::AsString, model.name));
  if (model.name.empty()) model.name = model.id;
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "family", &YamlValue::AsString, model.family));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "source", &YamlValue::AsString, model.source));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "notes", &YamlValue::AsString, model.notes));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "params_total", &YamlValue::AsPositiveNumber, model.params_total));
  model.params_active = model.params_total;
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "params_active", &YamlValue::AsPositiveNumber, model.params_active));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "n_layers", &YamlValue::AsPositiveInt, model.n_layers));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "d_model", &YamlValue::AsPositiveInt, model.d_model));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "n_heads", &YamlValue::AsPositiveInt, model.n_heads));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "n_kv_heads", &YamlValue::AsPositiveInt, model.n_kv_heads));
  model.head_dim = model.d_model / model.n_heads;
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "head_dim", &YamlValue::AsPositiveInt, model.head_dim));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "d_ff", &YamlValue::AsNonNegativeInt, model.d_ff));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "vocab_size", &YamlValue::AsPositiveInt, model.vocab_size));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "tied_embeddings", &YamlValue::AsBool, model.tied_embeddings));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "max_context_tokens", &YamlValue::AsPositiveInt, model.max_context_tokens));
  if (node.Has("attention")) {
    SIZER_RETURN_IF_ERROR(ParseAttention(node.GetOptional("attention"), model));
  }
  if (node.Has("mla")) SIZER_RETURN_IF_ERROR(ParseMla(node.GetOptional("mla"), model));
  if (node.Has("moe")) SIZER_RETURN_IF_ERROR(ParseMoe(node.GetOptional("moe"), model));
  if (node.Has("artifact_weights")) {
    const YamlValue a = node.GetOptional("artifact_weights");
    SIZER_RETURN_IF_ERROR(a.CheckKeys({"format", "bytes"}));
    ArtifactWeights weights;
    SIZER_RETURN_IF_ERROR(ReadRequired(a, "format", &YamlValue::AsString, weights.format));
    SIZER_RETURN_IF_ERROR(ReadRequired(a, "bytes", &YamlValue::AsPositiveNumber, weights.bytes));
    model.artifact_weights = weights;
  }

  if (model.n_heads % model.n_kv_heads != 0) {
    return node.Error("n_heads (" + std::to_string(model.n_heads) +
                      ") must be a multiple of n_kv_heads (" + std::to_string(model.n_kv_heads) +
                      ")");
  }
  if (model.params_active > model.params_total) {
    return node.Error("params_active exceeds params_total");
  }
  if (!model.has_moe && model.d_ff == 0) {
    return node.Error("d_ff must be greater than 0 for a dense model");
  }
  return model;
}

}  // namespace sizer
