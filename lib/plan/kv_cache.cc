#include "plan/kv_cache.h"

#include <algorithm>


namespace sizer {
namespace {

int64_t RoundUp(int64_t value, int64_t multiple) {
  if (multiple <= 1) return value;
  return (value + multiple - 1) / multiple * multiple;
}

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

double KvBytesPerTokenPerLayer(const ModelSpec& model, LayerKind kind, double bytes_per_element) {
  if (kind == LayerKind::kLinear) return 0;
  if (model.has_mla) {
    return static_cast<double>(model.mla.kv_lora_rank + model.mla.qk_rope_head_dim) *
           bytes_per_element;
  }
  return 2.0 * static_cast<double>(model.KvHeadsOf(kind) * model.HeadDimOf(kind)) *
         bytes_per_element;
}

double KvBytesPerToken(const ModelSpec& model, double bytes_per_element) {
  double total = 0;
  for (int64_t layer = 0; layer < model.n_layers; ++layer) {
    total += KvBytesPerTokenPerLayer(model, model.KindOfLayer(layer), bytes_per_element);
  }
  return total;
}

double LinearStateBytes(const ModelSpec& model, double bytes_per_element) {
  return static_cast<double>(model.linear_state_elements) * bytes_per_element;
}

namespace {

// Cells per full and sliding layer under the runtime's allocation policy; returns the policy
// as the row's formula tail.
Formula AllocateCells(const PlanInputs& in, int64_t context_tokens, int64_t sequences,
                      KvPlan& kv) {
  const RuntimeProfile& r = in.runtime;
  const int64_t window = in.model.sliding_window_tokens;
  Formula policy;
  switch (r.kv_allocation) {
    case KvAllocation::kUpFront: {
      // llama.cpp: one unified cache of n_ctx = context x sequences cells, padded to 256;
      // sliding layers keep min(n_ctx, pad(window x sequences + n_ubatch)) cells.
      kv.full_cells = RoundUp(context_tokens * sequences, r.kv_pad_tokens);
      kv.sliding_cells =
          in.keep_full_sliding_cache || window == 0
              ? kv.full_cells
              : std::min(kv.full_cells,
                         RoundUp(window * sequences + r.micro_batch_tokens, r.kv_pad_tokens));
      policy = {"cells = pad{pad}(context x sequences)", {Whole("pad", r.kv_pad_tokens)}};
      if (window > 0) {
        policy.Append(in.keep_full_sliding_cache
                          ? "; sliding layers keep the full cache (keep_full_sliding_cache)"
                          : "; sliding layers min(that, pad(window x sequences + micro-batch))");
      }
      break;
    }
    case KvAllocation::kPagedPool:
    case KvAllocation::kDynamic: {
      // Paged runtimes hold ceil(context / page) pages per sequence; sliding layers need only
      // the pages that cover the window plus the one being written. MLX grows in steps and
      // keeps a rotating buffer of `window` tokens for sliding layers.
      const int64_t page = std::max<int64_t>(1, r.kv_page_tokens);
      const int64_t per_seq = CeilDiv(context_tokens, page) * page;
      kv.full_cells = per_seq * sequences;
      int64_t sliding_per_seq = per_seq;
      if (window > 0 && !in.keep_full_sliding_cache) {
        sliding_per_seq = r.kv_allocation == KvAllocation::kDynamic
                              ? std::min(per_seq, window)
                              : std::min(per_seq, (CeilDiv(window, page) + 1) * page);
      }
      kv.sliding_cells = sliding_per_seq * sequences;
      policy = {"cells = sequences x ceil(context / {page}) x {page}", {Whole("page", page)}};
      if (window > 0) policy.Append("; sliding layers cover the window");
      break;
    }
  }

  return policy;
}

struct LayerCounts {
  int64_t full = 0, sliding = 0, linear = 0;
};

// Attention K/V over each layer's cells, and each linear layer's state per sequence.
LayerCounts SumLayers(const PlanInputs& in, int64_t sequences, KvPlan& kv) {
  const ModelSpec& m = in.model;
  const double b = in.kv_dtype.bytes_per_element;
  LayerCounts n;
  for (int64_t layer = 0; layer < m.n_layers; ++layer) {
    LayerKind kind = m.KindOfLayer(layer);
    double per_token = KvBytesPerTokenPerLayer(m, kind, b);
    switch (kind) {
      case LayerKind::kFull:
        kv.attention_bytes += per_token * static_cast<double>(kv.full_cells);
        ++n.full;
        break;
      case LayerKind::kSliding:
        kv.attention_bytes += per_token * static_cast<double>(kv.sliding_cells);
        ++n.sliding;
        break;
      case LayerKind::kLinear:
        kv.state_bytes += LinearStateBytes(m, in.runtime.recurrent_state_bytes_per_element) *
                          static_cast<double>(sequences);
        ++n.linear;
        break;
    }
  }
  kv.bytes = kv.attention_bytes + kv.state_bytes;
  return n;
}

// Bytes per token: 2 (K and V) x heads x head_dim x bytes per element per attention layer,
// or MLA's latent plus RoPE key (KvBytesPerTokenPerLayer).
Formula PerTokenFormula(const PlanInputs& in, int64_t attention_layers) {
  const ModelSpec& m = in.model;
  const Operand element_bytes{"element_bytes", in.kv_dtype.bytes_per_element, Unit::kNone, 4};
  if (m.has_mla) {
    return {"(kv_lora_rank {kv_lora_rank} + qk_rope_head_dim {qk_rope_head_dim}) x "
            "{element_bytes} B x {layers} layers",
            {Whole("kv_lora_rank", m.mla.kv_lora_rank),
             Whole("qk_rope_head_dim", m.mla.qk_rope_head_dim), element_bytes,
             Whole("layers", attention_layers)}};
  }
  return {"2 x n_kv_heads {n_kv_heads} x head_dim {head_dim} x {element_bytes} B (" +
              in.kv_dtype.id + ") x {layers} attention layers",
          {Whole("n_kv_heads", m.n_kv_heads), Whole("head_dim", m.head_dim), element_bytes,
           Whole("layers", attention_layers)}};
}

void AddKvRows(const PlanInputs& in, const LayerCounts& n, const Formula& policy,
               int64_t context_tokens, int64_t sequences, KvPlan& kv) {
  const RuntimeProfile& r = in.runtime;
  kv.rows.push_back({"kv_bytes_per_token", "KV bytes per token", kv.bytes_per_token, Unit::kBytes,
                     PerTokenFormula(in, n.full + n.sliding), in.kv_dtype.source});
  Formula formula{"{full_layers} full layers x {full_cells} cells",
                  {Whole("full_layers", n.full),
                   {"full_cells", static_cast<double>(kv.full_cells), Unit::kCount}}};
  if (n.sliding > 0) {
    formula.Append(" + {sliding_layers} sliding layers x {sliding_cells} cells (window {window})",
                   {Whole("sliding_layers", n.sliding),
                    {"sliding_cells", static_cast<double>(kv.sliding_cells), Unit::kCount},
                    Whole("window", in.model.sliding_window_tokens)});
  }
  if (n.linear > 0) {
    formula.Append(
        " + {linear_layers} linear layers x {state_bytes} state x {state_sequences} sequences",
        {Whole("linear_layers", n.linear),
         {"state_bytes", LinearStateBytes(in.model, r.recurrent_state_bytes_per_element),
          Unit::kBytes},
         Whole("state_sequences", sequences)});
  }
  formula.Append("; ").Append(policy);
  formula.Append(" (context {context}, {sequences} sequences)",
                 {Whole("context", context_tokens), Whole("sequences", sequences)});
  kv.rows.push_back({"kv_cache_bytes", "KV cache", kv.bytes, Unit::kBytes, formula,
                     r.id + " " + r.memory_source});
}

}  // namespace

KvPlan PlanKvCache(const PlanInputs& in, int64_t context_tokens, int64_t sequences) {
  KvPlan kv;
  kv.bytes_per_token = KvBytesPerToken(in.model, in.kv_dtype.bytes_per_element);
  const Formula policy = AllocateCells(in, context_tokens, sequences, kv);
  const LayerCounts n = SumLayers(in, sequences, kv);
  AddKvRows(in, n, policy, context_tokens, sequences, kv);
  return kv;
}

double KvReadBytesPerToken(const PlanInputs& in, int64_t depth) {
  const ModelSpec& m = in.model;
  const double b = in.kv_dtype.bytes_per_element;
  double total = 0;
  for (int64_t layer = 0; layer < m.n_layers; ++layer) {
    LayerKind kind = m.KindOfLayer(layer);
    switch (kind) {
      case LayerKind::kFull:
        total += KvBytesPerTokenPerLayer(m, kind, b) * static_cast<double>(depth);
        break;
      case LayerKind::kSliding:
        total += KvBytesPerTokenPerLayer(m, kind, b) *
                 static_cast<double>(std::min(depth, m.sliding_window_tokens));
        break;
      case LayerKind::kLinear:
        total += LinearStateBytes(m, in.runtime.recurrent_state_bytes_per_element);
        break;
    }
  }
  return total;
}

}  // namespace sizer
