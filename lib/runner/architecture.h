// The decoder architectures the micro-runner executes, as a table of the traits that set them
// apart (after llama.cpp's graph builders: build_llama, build_qwen2, build_qwen2moe, build_phi3,
// build_gemma and build_gemma2 of build 4748; build_qwen3, build_qwen3moe and build_gemma3 of
// later builds).
// The forward pass reads these traits; nothing else switches on the name.
#ifndef SIZER_RUNNER_ARCHITECTURE_H_
#define SIZER_RUNNER_ARCHITECTURE_H_

#include <string>
#include <string_view>
#include <vector>

namespace sizer::runner {

// llama.cpp LLAMA_ROPE_TYPE_NORM rotates adjacent pairs, LLAMA_ROPE_TYPE_NEOX the two halves.
enum class RopeStyle { kNormal, kNeox };

// The FFN non-linearity applied to the gate before it multiplies the up projection.
enum class FfnActivation { kSilu, kGeluTanh };

// Which layers mask keys outside the sliding window (when the file sets one).
// kFiveOfSix: gemma3's hparams.set_swa_pattern(6), layer il slides unless (il + 1) % 6 == 0.
enum class SlidingWindowLayers { kNone, kAll, kEven, kFiveOfSix };

// Whether the FFN is a mixture of experts.
enum class MoeSupport { kNever, kOptional, kRequired };

struct ArchitectureTraits {
  std::string_view name;
  RopeStyle rope_style = RopeStyle::kNormal;
  bool qkv_bias = false;           // qwen2, qwen2moe: attn_{q,k,v}.bias
  bool qk_norm = false;            // qwen3, qwen3moe, gemma3: per-head RMSNorm of Q and K
  bool fused_projections = false;  // phi3: attn_qkv = [Q|K|V], ffn_up = [gate|up]
  bool scale_embeddings = false;   // gemma, gemma2, gemma3: x *= sqrt(d_model) after the lookup
  bool prescale_query = false;     // gemma*, phi3: Q *= 1/sqrt(head_dim) before QK^T
  bool post_norms = false;         // gemma2, gemma3: RMSNorm of each sub-layer's output
  bool soft_caps = false;          // gemma2: cap*tanh(x/cap) on attention scores and logits
  FfnActivation activation = FfnActivation::kSilu;
  // gemma2 (46) and gemma3 (62): the block count of the 27B, whose Q is scaled by
  // 1/sqrt(d_model / n_heads) instead (llama.cpp f_attention_scale); 0: none.
  int64_t model_dim_query_scale_layers = 0;
  SlidingWindowLayers sliding_window = SlidingWindowLayers::kNone;
  // gemma3: the RoPE base of sliding layers (rope_freq_base_train_swa, with freq scale 1);
  // 0: every layer rotates as the file's rope.freq_base and rope.scaling say.
  float sliding_rope_base = 0;
  MoeSupport moe = MoeSupport::kNever;
  bool renormalize_expert_weights = false;  // the chosen top-k weights are scaled to sum 1
  bool shared_expert = false;               // qwen2moe: plus a sigmoid-gated shared expert
  bool expert_ff_key = false;  // the expert FFN width is {arch}.expert_feed_forward_length
};

// The traits of `architecture`, or nullptr when the runner does not run it.
const ArchitectureTraits* FindArchitecture(std::string_view architecture);

// The names of the architectures the runner executes, in table order.
std::vector<std::string> RunnableArchitectures();

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_ARCHITECTURE_H_
