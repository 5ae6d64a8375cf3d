#include "plan/weights.h"

#include <cmath>
#include <functional>


namespace sizer {
namespace {

class Inventory {
 public:
  Inventory(const ModelSpec& model, const WeightFormat& format, WeightPlan& plan)
      : model_(model), format_(format), plan_(plan) {
    plan_.layer_bytes.assign(static_cast<size_t>(model.n_layers), 0.0);
  }

  // Adds `count` tensors of `rows x cols` (cols = ne[0], the input width) at `site`.
  double Add(TensorSite site, double rows, double cols, int64_t count = 1) {
    site.n_layers = model_.n_layers;
    site.n_experts = model_.has_moe ? model_.moe.n_experts : 0;
    site.n_gqa = model_.n_heads / model_.n_kv_heads;
    site.row_elements = static_cast<int64_t>(cols);
    site.is_llama_70b = model_.family == "llama" && model_.n_layers == 80 &&
                        model_.n_heads != model_.n_kv_heads;
    TensorStorage storage = format_.StorageOf(site);
    double params = rows * cols * static_cast<double>(count);
    double bytes = params * storage.bits_per_weight / 8.0;
    Record(site.cls, storage.type, params, bytes, count);
    if (site.layer >= 0) plan_.layer_bytes[static_cast<size_t>(site.layer)] += bytes;
    plan_.derived_params += params;
    return bytes;
  }

  void Record(TensorClass cls, const std::string& type, double params, double bytes,
              int64_t count) {
    for (TensorGroup& g : plan_.groups) {
      if (g.cls == cls && g.type == type) {
        g.params += params;
        g.bytes += bytes;
        g.tensors += count;
        return;
      }
    }
    plan_.groups.push_back({cls, type, params, bytes, count});
  }

 private:
  const ModelSpec& model_;
  const WeightFormat& format_;
  WeightPlan& plan_;
};

int64_t CountAttnV(const ModelSpec& m) {
  // llama.cpp counts attn_v (and MLA's attn_kv_b) tensors: one per attention layer.
  return m.n_layers - m.CountLayers(LayerKind::kLinear);
}

// Routed-expert figures summed over the MoE layers.
struct ExpertTotals {
  double read_bytes = 0;     // bytes of the experts a token uses
  double params = 0;         // all routed expert parameters
  double active_params = 0;  // the parameters a token uses
};

// Attention tensors of one attention layer: MLA's low-rank projections, or Q, K, V, O.
void AddAttention(const ModelSpec& m, const std::function<TensorSite(TensorClass)>& site,
                  LayerKind kind, Inventory& inv) {
  const double d = static_cast<double>(m.d_model);
  if (m.has_mla) {
    const MlaSpec& a = m.mla;
    const double qk = static_cast<double>(a.qk_nope_head_dim + a.qk_rope_head_dim);
    const double heads = static_cast<double>(m.n_heads);
    if (a.q_lora_rank > 0) {
      inv.Add(site(TensorClass::kAttnOther), static_cast<double>(a.q_lora_rank), d);
      inv.Add(site(TensorClass::kAttnOther), heads * qk, static_cast<double>(a.q_lora_rank));
    } else {
      inv.Add(site(TensorClass::kAttnQ), heads * qk, d);
    }
    inv.Add(site(TensorClass::kAttnOther),
            static_cast<double>(a.kv_lora_rank + a.qk_rope_head_dim), d);
    inv.Add(site(TensorClass::kAttnV), heads * static_cast<double>(a.qk_nope_head_dim +
                                                                   a.v_head_dim),
            static_cast<double>(a.kv_lora_rank));
    inv.Add(site(TensorClass::kAttnOutput), d, heads * static_cast<double>(a.v_head_dim));
    return;
  }
  const double q_width = static_cast<double>(m.n_heads * m.HeadDimOf(kind));
  const double kv_width = static_cast<double>(m.KvHeadsOf(kind) * m.HeadDimOf(kind));
  inv.Add(site(TensorClass::kAttnQ), q_width, d);
  inv.Add(site(TensorClass::kAttnK), kv_width, d);
  inv.Add(site(TensorClass::kAttnV), kv_width, d);
  inv.Add(site(TensorClass::kAttnOutput), d, q_width);
}

// Feed-forward tensors of one layer: the routed experts (a token uses n_experts_per_token of
// n_experts), a shared expert and the router on MoE layers, else the dense FFN.
void AddFeedForward(const ModelSpec& m, const std::function<TensorSite(TensorClass)>& site,
                    bool moe_layer, Inventory& inv, WeightPlan& plan, ExpertTotals& experts) {
  const double d = static_cast<double>(m.d_model);
  if (!moe_layer) {
    const double ff = static_cast<double>(m.d_ff);
    inv.Add(site(TensorClass::kFfnGateUp), 2 * ff, d);
    inv.Add(site(TensorClass::kFfnDown), d, ff);
    return;
  }
  const MoeSpec& e = m.moe;
  const double ff = static_cast<double>(e.expert_d_ff);
  const double n = static_cast<double>(e.n_experts);
  double routed = inv.Add(site(TensorClass::kExpertGateUp), n * 2 * ff, d);
  routed += inv.Add(site(TensorClass::kExpertDown), n * d, ff);
  plan.routed_expert_bytes += routed;
  experts.params += n * 3 * ff * d;
  double used = static_cast<double>(e.n_experts_per_token) / n;
  experts.read_bytes += routed * used;
  experts.active_params += n * 3 * ff * d * used;
  if (e.shared_expert_d_ff > 0) {
    const double sff = static_cast<double>(e.shared_expert_d_ff);
    inv.Add(site(TensorClass::kFfnGateUp), 2 * sff, d);
    inv.Add(site(TensorClass::kFfnDown), d, sff);
  }
  inv.Add(site(TensorClass::kRouter), n, d);
}

// Whatever the dimensions do not explain (linear-attention blocks, biases, q/k norms) is
// stored at the format's plain rule for "other attention" tensors and spread over the
// layers that own it.
void AddResidual(const ModelSpec& m, const WeightFormat& format, Inventory& inv,
                 WeightPlan& plan) {
  plan.residual_params = m.params_total - plan.derived_params;
  if (plan.residual_params > 0) {
    TensorSite other{TensorClass::kAttnOther};
    other.n_layers = m.n_layers;
    other.n_experts = m.has_moe ? m.moe.n_experts : 0;  // a MoE model's (gpt-oss keeps them BF16)
    TensorStorage storage = format.StorageOf(other);
    double bytes = plan.residual_params * storage.bits_per_weight / 8.0;
    inv.Record(TensorClass::kAttnOther, storage.type, plan.residual_params, bytes, 0);
    int64_t linear_layers = m.CountLayers(LayerKind::kLinear);
    for (int64_t layer = 0; layer < m.n_layers; ++layer) {
      bool owner = linear_layers == 0 || m.KindOfLayer(layer) == LayerKind::kLinear;
      if (owner) {
        plan.layer_bytes[static_cast<size_t>(layer)] +=
            bytes / static_cast<double>(linear_layers == 0 ? m.n_layers : linear_layers);
      }
    }
  }
  double mismatch = -plan.residual_params / m.params_total;
  if (mismatch > 0.02) {
    plan.warnings.push_back({"the architecture's dimensions give {derived} parameters, {mismatch} "
                             "more than params_total ({params_total}); check the model entry",
                             {{"derived", plan.derived_params, Unit::kParams},
                              {"mismatch", mismatch, Unit::kFraction},
                              {"params_total", m.params_total, Unit::kParams}}});
  }
}

void AddWeightRows(const ModelSpec& m, const WeightFormat& format, WeightPlan& plan) {
  plan.rows.push_back({"weights_bytes", "Weights", plan.total_bytes, Unit::kBytes,
                       {"sum over tensors of params x bits/weight / 8 (" + format.id +
                            " per-tensor types; {params} params, {bits_per_weight} bits/weight on "
                            "average)",
                        {{"params", plan.total_params, Unit::kParams},
                         {"bits_per_weight", 8 * plan.total_bytes / plan.total_params, Unit::kNone, 3}}},
                       format.source});
  Formula read = m.has_moe ? Formula{"non-expert tensors + routed experts x {used}/{experts}" +
                                         std::string(m.tied_embeddings ? "" : " - embedding table (lookup)"),
                                     {Whole("used", m.moe.n_experts_per_token),
                                      Whole("experts", m.moe.n_experts)}}
                 : m.tied_embeddings ? Formula{"all weights (tied embedding is the output)"}
                                     : Formula{"all weights - embedding table (lookup)"};
  plan.rows.push_back({"weights_read_per_token_bytes", "Weights read per token",
                       plan.read_per_token_bytes, Unit::kBytes, read,
                       "decode reads each used weight once per step"});
}

}  // namespace

WeightPlan PlanWeights(const ModelSpec& m, const WeightFormat& format) {
  WeightPlan plan;
  Inventory inv(m, format, plan);
  const double d = static_cast<double>(m.d_model);
  const int64_t attn_v_count = std::max<int64_t>(1, CountAttnV(m));
  int64_t attn_v_index = 0;
  ExpertTotals experts;

  // Token embedding (vocab x d_model). When tied, llama.cpp quantizes it as the output.
  TensorSite embd_site{m.tied_embeddings ? TensorClass::kOutput : TensorClass::kTokenEmbedding};
  plan.token_embedding_bytes = inv.Add(embd_site, static_cast<double>(m.vocab_size), d);
  if (!m.tied_embeddings) {
    plan.output_bytes = inv.Add({TensorClass::kOutput}, static_cast<double>(m.vocab_size), d);
  }
  inv.Add({TensorClass::kNorm}, 1, d);  // output_norm

  for (int64_t layer = 0; layer < m.n_layers; ++layer) {
    LayerKind kind = m.KindOfLayer(layer);
    std::function<TensorSite(TensorClass)> site = [&](TensorClass cls) {
      TensorSite s{cls};
      s.layer = layer;
      s.attn_v_index = attn_v_index;
      s.attn_v_count = attn_v_count;
      return s;
    };
    if (kind != LayerKind::kLinear) {
      AddAttention(m, site, kind, inv);
      ++attn_v_index;
    }
    const bool moe_layer = m.has_moe && layer >= m.moe.n_dense_leading_layers;
    AddFeedForward(m, site, moe_layer, inv, plan, experts);
    inv.Add(site(TensorClass::kNorm), 2, d);  // attn_norm, ffn_norm
  }
  AddResidual(m, format, inv, plan);

  for (const TensorGroup& g : plan.groups) {
    plan.total_bytes += g.bytes;
    plan.total_params += g.params;
  }
  // Decode reads every tensor once per token, except: the embedding table (one row; read in
  // full only when tied, as the output matrix) and the routed experts not selected.
  double embedding_skipped = m.tied_embeddings ? 0 : plan.token_embedding_bytes;
  plan.read_per_token_bytes =
      plan.total_bytes - embedding_skipped - plan.routed_expert_bytes + experts.read_bytes;
  double embedding_params = m.tied_embeddings ? 0 : static_cast<double>(m.vocab_size) * d;
  plan.active_params =
      plan.total_params - embedding_params - experts.params + experts.active_params;
  AddWeightRows(m, format, plan);
  return plan;
}

void RescaleWeights(WeightPlan& plan, double given_bytes, const std::string& why) {
  if (plan.total_bytes <= 0) return;
  double factor = given_bytes / plan.total_bytes;
  for (TensorGroup& g : plan.groups) g.bytes *= factor;
  for (double& b : plan.layer_bytes) b *= factor;
  plan.total_bytes = given_bytes;
  plan.token_embedding_bytes *= factor;
  plan.output_bytes *= factor;
  plan.routed_expert_bytes *= factor;
  plan.read_per_token_bytes *= factor;
  for (Quantity& q : plan.rows) {
    if (q.unit == Unit::kBytes) {
      q.value *= factor;
      q.formula.Append("; scaled to " + why + " (x {scale})", {{"scale", factor, Unit::kRatio, 3}});
    }
  }
}

}  // namespace sizer
