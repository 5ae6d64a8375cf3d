#include "runner/config.h"

#include <algorithm>

namespace sizer::runner {
namespace {

StatusOr<int64_t> PositiveInt(const gguf::GgufFile& f, const std::string& key) {
  StatusOr<uint64_t> v = f.GetUint(key);
  if (!v.ok()) return v.status();
  if (*v == 0 || *v > (uint64_t{1} << 31)) {
    return Status::Corruption("metadata '" + key + "' = " + std::to_string(*v) + " is out of range");
  }
  return static_cast<int64_t>(*v);
}

}  // namespace

const std::vector<std::string>& RunnableArchitectures() {
  static const std::vector<std::string> kArchitectures = {"llama", "qwen2", "qwen3"};
  return kArchitectures;
}

StatusOr<RunnerConfig> ReadRunnerConfig(const gguf::GgufFile& f) {
  RunnerConfig c;
  SIZER_ASSIGN_OR_RETURN(c.architecture, f.GetString("general.architecture"));
  const auto& runnable = RunnableArchitectures();
  if (std::find(runnable.begin(), runnable.end(), c.architecture) == runnable.end()) {
    return Status::Unsupported("the micro-runner does not run architecture '" + c.architecture +
                               "' (it runs llama, qwen2 and qwen3)");
  }
  const std::string a = c.architecture + ".";
  SIZER_ASSIGN_OR_RETURN(c.n_layers, PositiveInt(f, a + "block_count"));
  SIZER_ASSIGN_OR_RETURN(c.d_model, PositiveInt(f, a + "embedding_length"));
  SIZER_ASSIGN_OR_RETURN(c.n_heads, PositiveInt(f, a + "attention.head_count"));
  c.n_kv_heads = c.n_heads;
  if (f.Has(a + "attention.head_count_kv")) {
    SIZER_ASSIGN_OR_RETURN(c.n_kv_heads, PositiveInt(f, a + "attention.head_count_kv"));
  }
  SIZER_ASSIGN_OR_RETURN(c.d_ff, PositiveInt(f, a + "feed_forward_length"));
  SIZER_ASSIGN_OR_RETURN(c.context_tokens, PositiveInt(f, a + "context_length"));
  c.head_dim = c.d_model / c.n_heads;
  if (f.Has(a + "attention.key_length")) {
    SIZER_ASSIGN_OR_RETURN(c.head_dim, PositiveInt(f, a + "attention.key_length"));
  }
  c.rope_dims = c.head_dim;
  if (f.Has(a + "rope.dimension_count")) {
    SIZER_ASSIGN_OR_RETURN(c.rope_dims, PositiveInt(f, a + "rope.dimension_count"));
  }
  if (f.Has(a + "rope.freq_base")) {
    SIZER_ASSIGN_OR_RETURN(double base, f.GetFloat(a + "rope.freq_base"));
    c.rope_base = static_cast<float>(base);
  }
  if (f.Has(a + "attention.layer_norm_rms_epsilon")) {
    SIZER_ASSIGN_OR_RETURN(double eps, f.GetFloat(a + "attention.layer_norm_rms_epsilon"));
    c.rms_eps = static_cast<float>(eps);
  }
  // Vocabulary: the explicit key, else the tokenizer's token list.
  if (f.Has(a + "vocab_size")) {
    SIZER_ASSIGN_OR_RETURN(c.vocab_size, PositiveInt(f, a + "vocab_size"));
  } else if (const gguf::Value* tokens = f.Find("tokenizer.ggml.tokens");
             tokens != nullptr && tokens->IsArray() && tokens->count > 0) {
    c.vocab_size = static_cast<int64_t>(tokens->count);
  } else {
    return Status::Corruption("cannot tell the vocabulary size (no " + a +
                              "vocab_size and no tokenizer.ggml.tokens)");
  }
  if (c.n_heads % c.n_kv_heads != 0) {
    return Status::Corruption("head_count " + std::to_string(c.n_heads) +
                              " is not a multiple of head_count_kv " + std::to_string(c.n_kv_heads));
  }
  if (c.rope_dims > c.head_dim || c.rope_dims % 2 != 0 || !(c.rope_base > 0) ||
      !(c.rms_eps > 0)) {
    return Status::Corruption("impossible RoPE or RMSNorm parameters");
  }
  // llama.cpp: llama uses the normal (pairwise) RoPE, Qwen models the NeoX (half) layout.
  c.rope_style = c.architecture == "llama" ? RopeStyle::kNormal : RopeStyle::kNeox;
  c.qkv_bias = c.architecture == "qwen2";
  c.qk_norm = c.architecture == "qwen3";
  return c;
}

}  // namespace sizer::runner
