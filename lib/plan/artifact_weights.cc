#include "plan/artifact_weights.h"

#include <charconv>


namespace sizer {
namespace {

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

}  // namespace

int64_t LayerOfTensor(std::string_view name) {
  if (name.substr(0, 4) != "blk.") return -1;
  std::string_view rest = name.substr(4);
  int64_t layer = -1;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), layer);
  if (ec != std::errc() || end == rest.data() || end == rest.data() + rest.size() || *end != '.') {
    return -1;
  }
  return layer;
}

TensorClass ClassifyTensor(std::string_view name) {
  if (name == "token_embd.weight") return TensorClass::kTokenEmbedding;
  if (name == "output.weight") return TensorClass::kOutput;
  if (Contains(name, "norm")) return TensorClass::kNorm;
  if (Contains(name, "ffn_gate_inp")) return TensorClass::kRouter;
  if (Contains(name, "_exps")) {
    return Contains(name, "ffn_down") ? TensorClass::kExpertDown : TensorClass::kExpertGateUp;
  }
  if (Contains(name, "ffn_down")) return TensorClass::kFfnDown;
  if (Contains(name, "ffn_gate") || Contains(name, "ffn_up")) return TensorClass::kFfnGateUp;
  if (Contains(name, "attn_q.") ) return TensorClass::kAttnQ;
  if (Contains(name, "attn_k.")) return TensorClass::kAttnK;
  if (Contains(name, "attn_v.") || Contains(name, "attn_kv_b")) return TensorClass::kAttnV;
  if (Contains(name, "attn_output")) return TensorClass::kAttnOutput;
  return TensorClass::kAttnOther;
}

WeightPlan WeightsFromArtifact(const ModelSpec& m, const ArtifactSpec& artifact) {
  WeightPlan plan;
  plan.layer_bytes.assign(static_cast<size_t>(m.n_layers), 0.0);
  double routed_params = 0;
  double embedding_params = 0;
  for (const ArtifactTensor& t : artifact.tensors) {
    // A multimodal checkpoint's vision tower and projector ("mm.", catalog/model_from_hf.h)
    // are not the language model: the vision rows budget them (input/vision_spec.h
    // VisionSpecFromCheckpoint), and no decoded token reads them.
    if (t.name.rfind("mm.", 0) == 0) continue;
    TensorClass cls = ClassifyTensor(t.name);
    const double bytes = static_cast<double>(t.bytes);
    const double params = static_cast<double>(t.elements);
    bool found = false;
    for (TensorGroup& g : plan.groups) {
      if (g.cls == cls && g.type == t.type) {
        g.params += params;
        g.bytes += bytes;
        ++g.tensors;
        found = true;
        break;
      }
    }
    if (!found) plan.groups.push_back({cls, t.type, params, bytes, 1});
    int64_t layer = LayerOfTensor(t.name);
    if (layer >= 0 && layer < m.n_layers) plan.layer_bytes[static_cast<size_t>(layer)] += bytes;
    if (cls == TensorClass::kTokenEmbedding) {
      plan.token_embedding_bytes += bytes;
      embedding_params += params;
    }
    if (cls == TensorClass::kOutput) plan.output_bytes += bytes;
    if (cls == TensorClass::kExpertGateUp || cls == TensorClass::kExpertDown) {
      plan.routed_expert_bytes += bytes;
      routed_params += params;
    }
    plan.total_bytes += bytes;
    plan.total_params += params;
  }
  plan.derived_params = plan.total_params;
  const double used = m.has_moe ? static_cast<double>(m.moe.n_experts_per_token) /
                                      static_cast<double>(m.moe.n_experts)
                                : 1.0;
  const bool tied = plan.output_bytes == 0;
  plan.read_per_token_bytes = plan.total_bytes - (tied ? 0 : plan.token_embedding_bytes) -
                              plan.routed_expert_bytes * (1 - used);
  plan.active_params = plan.total_params - (tied ? 0 : embedding_params) - routed_params * (1 - used);

  const bool gguf = artifact.container == WeightContainer::kGguf;
  const std::string file =
      !gguf ? artifact.path + ", " + std::to_string(artifact.files.size()) +
                  (artifact.files.size() == 1 ? " shard" : " shards")
      : artifact.files.size() > 1
          ? artifact.path + " and " + std::to_string(artifact.files.size() - 1) + " more split parts"
          : artifact.path;
  const std::string headers = gguf ? "GGUF tensor infos" : "safetensors headers";
  plan.rows.push_back(
      {"weights_bytes", "Weights", plan.total_bytes, Unit::kBytes,
       {std::string(gguf ? "read from the file" : "from safetensors headers") + ": {tensors} tensors, {params} params, {bits_per_weight} bits/weight on "
        "average (" + artifact.file_type + ")",
        {Whole("tensors", static_cast<int64_t>(artifact.tensors.size())),
         {"params", plan.total_params, Unit::kParams, 3},
         {"bits_per_weight", 8 * plan.total_bytes / plan.total_params, Unit::kNone, 3}}},
       headers + " of " + file});
  Formula read{tied ? "all tensors (tied embedding is the output)"
                    : "all tensors - token_embd (a lookup)"};
  if (m.has_moe) {
    read.Append(" - unused routed experts ({used}/{experts} used)",
                {Whole("used", m.moe.n_experts_per_token), Whole("experts", m.moe.n_experts)});
  }
  plan.rows.push_back({"weights_read_per_token_bytes", "Weights read per token",
                       plan.read_per_token_bytes, Unit::kBytes, read, headers});
  return plan;
}

}  // namespace sizer
