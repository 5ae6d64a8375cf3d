#include "runner/architecture.h"

#include <array>

namespace sizer::runner {
namespace {

// One entry per architecture; every value is what llama.cpp's graph builder for that name does
// (b4748 src/llama.cpp build_*, qwen3/qwen3moe from the builds that added them).
ArchitectureTraits Llama() {
  ArchitectureTraits t;
  t.name = "llama";  // Llama 1-3, Mistral; Mixtral when llama.expert_count > 0
  t.moe = MoeSupport::kOptional;
  t.renormalize_expert_weights = true;  // build_llama: build_moe_ffn(..., norm_w = true)
  return t;
}

ArchitectureTraits Qwen2() {
  ArchitectureTraits t;
  t.name = "qwen2";
  t.rope_style = RopeStyle::kNeox;
  t.qkv_bias = true;
  return t;
}

ArchitectureTraits Qwen2Moe() {
  ArchitectureTraits t = Qwen2();
  t.name = "qwen2moe";
  t.moe = MoeSupport::kRequired;
  t.renormalize_expert_weights = false;  // build_qwen2moe: norm_w = false
  t.shared_expert = true;
  t.expert_ff_key = true;
  return t;
}

ArchitectureTraits Qwen3() {
  ArchitectureTraits t;
  t.name = "qwen3";
  t.rope_style = RopeStyle::kNeox;
  t.qk_norm = true;
  return t;
}

ArchitectureTraits Qwen3Moe() {
  ArchitectureTraits t = Qwen3();
  t.name = "qwen3moe";
  t.moe = MoeSupport::kRequired;
  t.renormalize_expert_weights = true;  // build_qwen3moe: norm_w = true
  t.expert_ff_key = true;
  return t;
}

ArchitectureTraits Phi3() {
  ArchitectureTraits t;
  t.name = "phi3";
  t.rope_style = RopeStyle::kNeox;
  t.fused_projections = true;
  t.prescale_query = true;
  t.sliding_window = SlidingWindowLayers::kAll;  // build_phi3: the SWA mask on every layer
  return t;
}

ArchitectureTraits Gemma() {
  ArchitectureTraits t;
  t.name = "gemma";
  t.rope_style = RopeStyle::kNeox;
  t.scale_embeddings = true;
  t.prescale_query = true;
  t.activation = FfnActivation::kGeluTanh;
  return t;
}

ArchitectureTraits Gemma2() {
  ArchitectureTraits t = Gemma();
  t.name = "gemma2";
  t.post_norms = true;
  t.soft_caps = true;
  t.sliding_window = SlidingWindowLayers::kEven;  // build_gemma2: is_sliding = il % 2 == 0
  t.model_dim_query_scale_layers = 46;
  return t;
}

// build_gemma3 (llm_build_gemma3_iswa): gemma2's sandwich norms without soft-caps, plus Q/K
// norms; load_hparams: set_swa_pattern(6), rope_freq_base_train_swa = 10000 with
// rope_freq_scale_train_swa = 1 (get_rope_freq_base/scale pick them on sliding layers).
ArchitectureTraits Gemma3() {
  ArchitectureTraits t = Gemma();
  t.name = "gemma3";
  t.qk_norm = true;
  t.post_norms = true;
  t.model_dim_query_scale_layers = 62;
  t.sliding_window = SlidingWindowLayers::kFiveOfSix;
  t.sliding_rope_base = 10000.0f;
  return t;
}

const std::array<ArchitectureTraits, 9>& Table() {
  static const std::array<ArchitectureTraits, 9> kTable = {
      Llama(), Qwen2(), Qwen2Moe(), Qwen3(), Qwen3Moe(), Phi3(), Gemma(), Gemma2(), Gemma3()};
  return kTable;
}

}  // namespace

const ArchitectureTraits* FindArchitecture(std::string_view architecture) {
  for (const ArchitectureTraits& t : Table()) {
    if (t.name == architecture) return &t;
  }
  return nullptr;
}

std::vector<std::string> RunnableArchitectures() {
  std::vector<std::string> names;
  for (const ArchitectureTraits& t : Table()) names.emplace_back(t.name);
  return names;
}

}  // namespace sizer::runner
