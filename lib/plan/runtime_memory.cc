#include "plan/runtime_memory.h"

#include <algorithm>

#include "base/units.h"

namespace sizer {
namespace {

// Rows of d_model-wide f32 activations alive at the attention peak besides the score matrix
// (residual, normed input, Q, K, V, attention output). Fitted: 6 reproduces llama.cpp b4748.
constexpr double kLlamaCppAttentionActivationRows = 6;
// Small graph tensors (positions, masks' views, ids): the 0.01 MiB residual of the fit.
constexpr double kLlamaCppGraphSmallTensorsBytes = 0.01 * kMiB;
constexpr double kF32 = 4, kF16 = 2, kBf16 = 2;

double FeedForwardWidth(const ModelSpec& m) {
  if (!m.has_moe) return static_cast<double>(m.d_ff);
  double routed = static_cast<double>(m.moe.n_experts_per_token * m.moe.expert_d_ff);
  double shared = static_cast<double>(m.moe.shared_expert_d_ff);
  return std::max(static_cast<double>(m.d_ff), routed + shared);
}

}  // namespace

double LlamaCppComputeBufferBytes(const ModelSpec& m, int64_t micro_batch, int64_t kv_cells,
                                  bool flash_attention) {
  const double t = static_cast<double>(micro_batch);
  const double n_kv = static_cast<double>(kv_cells);
  const double d = static_cast<double>(m.d_model);
  const double rows = kLlamaCppAttentionActivationRows * t * d * kF32;
  const double attention = flash_attention
                               ? t * n_kv * kF16 + rows
                               : t * n_kv * static_cast<double>(m.n_heads) * kF32 + rows;
  const double ffn = 3 * t * FeedForwardWidth(m) * kF32;
  const double output = t * (static_cast<double>(m.vocab_size) + d) * kF32;
  return std::max({attention, ffn, output}) + kLlamaCppGraphSmallTensorsBytes;
}

double TorchActivationBytes(const ModelSpec& m, int64_t tokens, int64_t sampler_rows) {
  // Gate and up outputs (2 x d_ff) and four d_model-wide tensors per token, in bf16.
  const double t = static_cast<double>(tokens);
  const double per_token = (2 * FeedForwardWidth(m) + 4 * static_cast<double>(m.d_model)) * kBf16;
  return t * per_token + static_cast<double>(sampler_rows * m.vocab_size) * kF32;
}

RuntimeMemory PlanRuntimeMemory(const PlanInputs& in, HardwareKind kind, int64_t context_tokens,
                                int64_t sequences, int64_t kv_cells) {
  const ModelSpec& m = in.model;
  const RuntimeProfile& r = in.runtime;
  RuntimeMemory mem;
  const int64_t micro_batch = std::min<int64_t>(r.micro_batch_tokens, context_tokens * sequences);

  Formula activation_formula;
  if (r.activation_model == ActivationModel::kLlamaCppGraph) {
    mem.activation_bytes = LlamaCppComputeBufferBytes(m, micro_batch, kv_cells, in.flash_attention);
    activation_formula = {
        "llama.cpp compute buffer: max(attention " +
            std::string(in.flash_attention ? "T x n_kv x 2 (FA mask)" : "T x n_kv x n_heads x 4") +
            " + 6 x T x d_model x 4, FFN 3 x T x d_ff x 4, output T x (vocab + d_model) x 4) + "
            "0.01 MiB; T = {micro_batch}, n_kv = {kv_cells}",
        {Whole("micro_batch", micro_batch),
         {"kv_cells", static_cast<double>(kv_cells), Unit::kCount}}};
  } else {
    mem.activation_bytes = TorchActivationBytes(m, micro_batch, r.sampler_rows);
    activation_formula = {
        "profile run: T x (2 x d_ff + 4 x d_model) x 2 B + {sampler_rows} x vocab x 4 B sampler "
        "logits; T = {micro_batch}",
        {Whole("sampler_rows", r.sampler_rows), Whole("micro_batch", micro_batch)}};
  }

  const double context_bytes = r.device_context_bytes.Of(kind);
  const double fixed = kind == HardwareKind::kGpu ? r.fixed_runtime_bytes_gpu : 0.0;
  // The output (logits) buffer: one row of vocab floats per sequence.
  const double logits = static_cast<double>(sequences * m.vocab_size) * kF32;
  const bool logits_on_device = !(r.logits_on_host && kind == HardwareKind::kGpu);
  mem.runtime_bytes = context_bytes + fixed + (logits_on_device ? logits : 0.0);
  if (!logits_on_device) mem.host_bytes += logits;

  Formula runtime_formula{"context {context_bytes}",
                          {{"context_bytes", context_bytes, Unit::kBytes}}};
  if (fixed > 0) {
    runtime_formula.Append(" + fixed reserves {fixed_bytes}", {{"fixed_bytes", fixed, Unit::kBytes}});
  }
  if (logits_on_device) {
    runtime_formula.Append(" + logits {sequences} x vocab x 4 B", {Whole("sequences", sequences)});
  } else {
    runtime_formula.Append(" (logits buffer in host memory)");
  }
  mem.rows.push_back({"runtime_bytes", "Runtime buffers", mem.runtime_bytes, Unit::kBytes,
                      runtime_formula, r.id + " profile " + r.version});
  mem.rows.push_back({"activation_bytes", "Activations (prefill)", mem.activation_bytes,
                      Unit::kBytes, activation_formula, r.memory_source});
  return mem;
}

}  // namespace sizer
