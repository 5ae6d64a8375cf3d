#include "plan/kv_cache.h"

#include <algorithm>

#include "base/format.h"

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

KvPlan PlanKvCache(const PlanInputs& in, int64_t context_tokens, int64_t sequences) {
  const ModelSpec& m = in.model;
  const RuntimeProfile& r = in.runtime;
  const double b = in.kv_dtype.bytes_per_element;
  const int64_t window = m.sliding_window_tokens;
  KvPlan kv;
  kv.bytes_per_token = KvBytesPerToken(m, b);

  std::string policy;
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
      policy = "cells = pad" + std::to_string(r.kv_pad_tokens) + "(context x sequences)";
      if (window > 0) {
        policy += in.keep_full_sliding_cache
                      ? "; sliding layers keep the full cache (keep_full_sliding_cache)"
                      : "; sliding layers min(that, pad(window x sequences + micro-batch))";
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
      policy = "cells = sequences x ceil(context / " + std::to_string(page) + ") x " +
               std::to_string(page);
      if (window > 0) policy += "; sliding layers cover the window";
      break;
    }
  }

  int64_t full_layers = 0, sliding_layers = 0, linear_layers = 0;
  for (int64_t layer = 0; layer < m.n_layers; ++layer) {
    LayerKind kind = m.KindOfLayer(layer);
    double per_token = KvBytesPerTokenPerLayer(m, kind, b);
    switch (kind) {
      case LayerKind::kFull:
        kv.attention_bytes += per_token * static_cast<double>(kv.full_cells);
        ++full_layers;
        break;
      case LayerKind::kSliding:
        kv.attention_bytes += per_token * static_cast<double>(kv.sliding_cells);
        ++sliding_layers;
        break;
      case LayerKind::kLinear:
        kv.state_bytes += LinearStateBytes(m, r.recurrent_state_bytes_per_element) *
                          static_cast<double>(sequences);
        ++linear_layers;
        break;
    }
  }
  kv.bytes = kv.attention_bytes + kv.state_bytes;

  std::string per_token_formula =
      m.has_mla ? "(kv_lora_rank " + std::to_string(m.mla.kv_lora_rank) + " + qk_rope_head_dim " +
                      std::to_string(m.mla.qk_rope_head_dim) + ") x " + FormatFixed(b, 4) +
                      " B x " + std::to_string(full_layers + sliding_layers) + " layers"
                : "2 x n_kv_heads " + std::to_string(m.n_kv_heads) + " x head_dim " +
                      std::to_string(m.head_dim) + " x " + FormatFixed(b, 4) + " B (" +
                      in.kv_dtype.id + ") x " + std::to_string(full_layers + sliding_layers) +
                      " attention layers";
  kv.rows.push_back({"kv_bytes_per_token", "KV bytes per token", kv.bytes_per_token, "bytes",
                     per_token_formula, in.kv_dtype.source});
  std::string formula = std::to_string(full_layers) + " full layers x " +
                        FormatCount(static_cast<double>(kv.full_cells)) + " cells";
  if (sliding_layers > 0) {
    formula += " + " + std::to_string(sliding_layers) + " sliding layers x " +
               FormatCount(static_cast<double>(kv.sliding_cells)) + " cells (window " +
               std::to_string(window) + ")";
  }
  if (linear_layers > 0) {
    formula += " + " + std::to_string(linear_layers) + " linear layers x " +
               FormatBytes(LinearStateBytes(m, r.recurrent_state_bytes_per_element)) +
               " state x " + std::to_string(sequences) + " sequences";
  }
  formula += "; " + policy + " (context " + std::to_string(context_tokens) + ", " +
             std::to_string(sequences) + " sequences)";
  kv.rows.push_back({"kv_cache_bytes", "KV cache", kv.bytes, "bytes", formula,
                     r.id + " " + r.memory_source});
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
