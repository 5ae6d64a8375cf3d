#include "catalog/model_from_gguf.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace sizer {
namespace {

using gguf::GgufFile;
using gguf::Value;
using gguf::ValueType;

// Families and the metadata prefix llama.cpp writes for them.
const std::vector<std::string>& Families() {
  static const std::vector<std::string> kFamilies = {
      "llama",  "mistral", "mistral3", "qwen2",  "qwen2moe", "qwen3",   "qwen3moe", "qwen3next",
      "gemma",  "gemma2",  "gemma3",   "phi3",   "deepseek2", "gpt-oss", "granite",  "olmo2",
      "command-r", "starcoder2", "stablelm", "internlm2", "exaone", "smollm3"};
  return kFamilies;
}

class Meta {
 public:
  Meta(const GgufFile& file, std::string arch) : file_(file), arch_(std::move(arch)) {}

  std::string Key(const std::string& suffix) const { return arch_ + "." + suffix; }

  // A per-model integer; arrays (per-layer values) give their largest element.
  StatusOr<int64_t> Int(const std::string& suffix) const {
    const std::string key = Key(suffix);
    const Value* v = file_.Find(key);
    if (v == nullptr) return Status::NotFound("metadata key '" + key + "' is missing");
    if (v->IsArray()) {
      if (v->element_type == ValueType::kString || v->element_type == ValueType::kArray ||
          v->count == 0) {
        return Status::Corruption("metadata key '" + key + "' is not a number or number array");
      }
      double best = 0;
      for (uint64_t i = 0; i < v->count; ++i) best = std::max(best, v->NumberAt(i));
      return Check(key, best);
    }
    if (!v->IsInteger() && !v->IsFloat()) {
      return Status::Corruption("metadata key '" + key + "' is " +
                                std::string(gguf::ValueTypeName(v->type)) + ", expected a number");
    }
    return Check(key, v->IsInteger() ? static_cast<double>(v->i64) : v->f64);
  }

  int64_t IntOr(const std::string& suffix, int64_t fallback) const {
    StatusOr<int64_t> v = Int(suffix);
    return v.ok() ? *v : fallback;
  }

  const Value* Find(const std::string& suffix) const { return file_.Find(Key(suffix)); }

 private:
  static StatusOr<int64_t> Check(const std::string& key, double value) {
    if (!(value >= 0) || value > 1e15) {
      return Status::Corruption("metadata key '" + key + "' has an impossible value");
    }
    return static_cast<int64_t>(value);
  }

  const GgufFile& file_;
  std::string arch_;
};

// Layer pattern from sliding_window_pattern: an integer N (N-1 sliding then 1 full) or a
// per-layer bool array (true = sliding), as llama.cpp writes them.
void ApplySlidingPattern(const Meta& meta, const std::string& arch, ModelSpec& m) {
  m.layer_pattern.clear();
  const Value* pattern = meta.Find("attention.sliding_window_pattern");
  if (pattern != nullptr && pattern->IsArray() && pattern->count > 0 &&
      pattern->element_type != ValueType::kString && pattern->element_type != ValueType::kArray) {
    for (uint64_t i = 0; i < pattern->count && i < static_cast<uint64_t>(m.n_layers); ++i) {
      m.layer_pattern.push_back(pattern->NumberAt(i) != 0 ? LayerKind::kSliding : LayerKind::kFull);
    }
    return;
  }
  int64_t every = 0;
  if (pattern != nullptr && pattern->IsInteger()) every = pattern->i64;
  if (every <= 0) every = arch == "gemma3" ? 6 : 2;  // gemma2, gpt-oss alternate
  for (int64_t i = 0; i < every - 1; ++i) m.layer_pattern.push_back(LayerKind::kSliding);
  m.layer_pattern.push_back(LayerKind::kFull);
}

}  // namespace

std::string GgufFileTypeName(uint64_t t) {
  // enum llama_ftype (llama.cpp include/llama.h).
  static const std::map<uint64_t, std::string> kNames = {
      {0, "F32"},     {1, "F16"},     {2, "Q4_0"},    {3, "Q4_1"},    {7, "Q8_0"},
      {8, "Q5_0"},    {9, "Q5_1"},    {10, "Q2_K"},   {11, "Q3_K_S"}, {12, "Q3_K_M"},
      {13, "Q3_K_L"}, {14, "Q4_K_S"}, {15, "Q4_K_M"}, {16, "Q5_K_S"}, {17, "Q5_K_M"},
      {18, "Q6_K"},   {19, "IQ2_XXS"}, {20, "IQ2_XS"}, {21, "Q2_K_S"}, {22, "IQ3_XS"},
      {23, "IQ3_XXS"}, {24, "IQ1_S"}, {25, "IQ4_NL"}, {26, "IQ3_S"},  {27, "IQ3_M"},
      {28, "IQ2_S"},  {29, "IQ2_M"},  {30, "IQ4_XS"}, {31, "IQ1_M"},  {32, "BF16"},
      {36, "TQ1_0"},  {37, "TQ2_0"},  {38, "MXFP4_MOE"}};
  auto it = kNames.find(t);
  return it == kNames.end() ? "ftype " + std::to_string(t) : it->second;
}

const std::vector<std::string>& SupportedGgufArchitectures() { return Families(); }

namespace {

Status CheckArchitectureKnown(const GgufFile& file, const std::string& arch) {
  const auto& families = Families();
  if (std::find(families.begin(), families.end(), arch) != families.end() ||
      file.Has(arch + ".block_count")) {
    return Status();
  }
  std::string known;
  for (const std::string& f : families) known += (known.empty() ? "" : ", ") + f;
  return Status::Unsupported("architecture '" + arch + "' is not supported (known: " + known + ")");
}

// Layer count, widths and heads (llama.cpp's LLM_KV_* keys under the architecture prefix).
Status ReadDimensions(const Meta& meta, const std::string& arch, ModelSpec& m) {
  SIZER_ASSIGN_OR_RETURN(m.n_layers, meta.Int("block_count"));
  SIZER_ASSIGN_OR_RETURN(m.d_model, meta.Int("embedding_length"));
  SIZER_ASSIGN_OR_RETURN(m.n_heads, meta.Int("attention.head_count"));
  m.n_kv_heads = meta.IntOr("attention.head_count_kv", m.n_heads);
  m.max_context_tokens = meta.IntOr("context_length", 4096);
  m.d_ff = meta.IntOr("feed_forward_length", 0);
  if (m.n_layers < 1 || m.d_model < 1 || m.n_heads < 1 || m.n_kv_heads < 1 ||
      m.max_context_tokens < 1) {
    return Status::Corruption(arch + ": block_count, embedding_length, head counts and "
                              "context_length must be positive");
  }
  if (m.n_heads % m.n_kv_heads != 0) {
    return Status::Corruption(arch + ": head_count " + std::to_string(m.n_heads) +
                              " is not a multiple of head_count_kv " + std::to_string(m.n_kv_heads));
  }
  m.head_dim = meta.IntOr("attention.key_length", m.d_model / m.n_heads);
  return Status();
}

// Vocabulary: the explicit key, else the tokenizer's token list, else the embedding rows.
Status ReadVocabulary(const gguf::Artifact& artifact, const Meta& meta, const std::string& arch,
                      ModelSpec& m) {
  m.vocab_size = meta.IntOr("vocab_size", 0);
  if (m.vocab_size == 0) {
    const Value* tokens = artifact.metadata().Find("tokenizer.ggml.tokens");
    if (tokens != nullptr && tokens->IsArray()) m.vocab_size = static_cast<int64_t>(tokens->count);
  }
  const gguf::TensorInfo* embd = artifact.FindTensor("token_embd.weight");
  if (m.vocab_size == 0 && embd != nullptr && embd->shape.size() >= 2) {
    m.vocab_size = static_cast<int64_t>(embd->shape[1]);
  }
  if (m.vocab_size == 0) return Status::Corruption(arch + ": cannot tell the vocabulary size");
  m.tied_embeddings = artifact.FindTensor("output.weight") == nullptr;
  return Status();
}

void ReadSlidingWindows(const Meta& meta, const std::string& arch, ModelSpec& m) {
  m.sliding_window_tokens = meta.IntOr("attention.sliding_window", 0);
  if (m.sliding_window_tokens > 0 &&
      (arch == "gemma2" || arch == "gemma3" || arch == "gpt-oss" ||
       meta.Find("attention.sliding_window_pattern") != nullptr)) {
    ApplySlidingPattern(meta, arch, m);
  } else if (m.sliding_window_tokens > 0 && (arch == "mistral" || arch == "qwen2")) {
    m.layer_pattern = {LayerKind::kSliding};
  } else {
    m.sliding_window_tokens = 0;
  }
}

// Mixture of experts; m.params_active must already hold the total parameter count.
Status ReadMixtureOfExperts(const gguf::Artifact& artifact, const Meta& meta,
                            const std::string& arch, ModelSpec& m) {
  const int64_t experts = meta.IntOr("expert_count", 0);
  if (experts <= 1) return Status();
  m.has_moe = true;
  m.moe.n_experts = experts;
  m.moe.n_experts_per_token = std::max<int64_t>(1, meta.IntOr("expert_used_count", 1));
  m.moe.n_shared_experts = meta.IntOr("expert_shared_count", 0);
  m.moe.expert_d_ff = meta.IntOr("expert_feed_forward_length", m.d_ff);
  m.moe.shared_expert_d_ff = meta.IntOr("expert_shared_feed_forward_length",
                                        m.moe.expert_d_ff * m.moe.n_shared_experts);
  m.moe.n_dense_leading_layers = meta.IntOr("leading_dense_block_count", 0);
  if (m.moe.n_experts_per_token > experts) {
    return Status::Corruption(arch + ": expert_used_count exceeds expert_count");
  }
  // Active parameters: the routed-expert tensors ("*_exps") count only for the experts used.
  double routed = 0;
  for (const gguf::TensorInfo* t : artifact.tensors()) {
    if (t->name.find("_exps") != std::string_view::npos) routed += static_cast<double>(t->n_elements);
  }
  m.params_active = m.params_total - routed * (1.0 - static_cast<double>(m.moe.n_experts_per_token) /
                                                         static_cast<double>(experts));
  return Status();
}

// Multi-head latent attention (deepseek2 and kin).
void ReadLatentAttention(const Meta& meta, ModelSpec& m) {
  const int64_t kv_lora = meta.IntOr("attention.kv_lora_rank", 0);
  if (kv_lora <= 0) return;
  m.has_mla = true;
  m.mla.kv_lora_rank = kv_lora;
  m.mla.qk_rope_head_dim = meta.IntOr("rope.dimension_count", 64);
  m.mla.q_lora_rank = meta.IntOr("attention.q_lora_rank", 0);
  // Newer files store the absorbed sizes in key_length and the MLA sizes in *_mla.
  const int64_t key_length = meta.IntOr("attention.key_length_mla", m.head_dim);
  m.mla.qk_nope_head_dim = std::max<int64_t>(1, key_length - m.mla.qk_rope_head_dim);
  m.mla.v_head_dim = meta.IntOr("attention.value_length_mla",
                                meta.IntOr("attention.value_length", m.mla.qk_nope_head_dim));
  m.head_dim = m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim;
}

// True when the per-layer KV-head array has zeros: those layers keep a recurrent state.
bool HasStateLayers(const Value* kv_per_layer) {
  if (kv_per_layer == nullptr || !kv_per_layer->IsArray() ||
      kv_per_layer->element_type == ValueType::kString ||
      kv_per_layer->element_type == ValueType::kArray) {
    return false;
  }
  for (uint64_t i = 0; i < kv_per_layer->count; ++i) {
    if (kv_per_layer->NumberAt(i) == 0) return true;
  }
  return false;
}

// Hybrid linear attention: qwen3next's Gated DeltaNet, or Mamba-2 style SSM layers.
void ReadHybridLayers(const Meta& meta, ModelSpec& m) {
  const int64_t interval = meta.IntOr("full_attention_interval", 0);
  const int64_t ssm_inner = meta.IntOr("ssm.inner_size", 0);
  const int64_t ssm_state = meta.IntOr("ssm.state_size", 0);
  const int64_t conv = meta.IntOr("ssm.conv_kernel", 4);
  const Value* kv_per_layer = meta.Find("attention.head_count_kv");
  if (HasStateLayers(kv_per_layer) && interval <= 1) {
    // jamba, granitehybrid, lfm2...: zero KV heads mark the recurrent layers.
    m.layer_pattern.clear();
    for (uint64_t i = 0; i < kv_per_layer->count && i < static_cast<uint64_t>(m.n_layers); ++i) {
      m.layer_pattern.push_back(kv_per_layer->NumberAt(i) == 0 ? LayerKind::kLinear
                                                                : LayerKind::kFull);
    }
    const int64_t groups = std::max<int64_t>(1, meta.IntOr("ssm.group_count", 1));
    // Mamba-2: state d_inner x d_state, conv state (conv - 1) x (d_inner + 2 x groups x d_state).
    m.linear_state_elements =
        ssm_inner * ssm_state + (conv - 1) * (ssm_inner + 2 * groups * ssm_state);
  } else if (interval > 1 && ssm_inner > 0 && ssm_state > 0) {
    m.layer_pattern.assign(static_cast<size_t>(interval - 1), LayerKind::kLinear);
    m.layer_pattern.push_back(LayerKind::kFull);
    const int64_t k_heads = std::max<int64_t>(1, meta.IntOr("ssm.group_count", 1));
    const int64_t v_heads = std::max<int64_t>(1, meta.IntOr("ssm.time_step_rank", 1));
    const int64_t v_dim = ssm_inner / v_heads;
    // Recurrent state v_heads x k_dim x v_dim, plus the conv state over q, k and v channels.
    m.linear_state_elements =
        v_heads * ssm_state * v_dim + (conv - 1) * (2 * k_heads * ssm_state + ssm_inner);
  }
}

}  // namespace

StatusOr<ModelSpec> ModelFromGguf(const gguf::Artifact& artifact) {
  const GgufFile& file = artifact.metadata();
  SIZER_ASSIGN_OR_RETURN(const std::string arch, file.GetString("general.architecture"));
  SIZER_RETURN_IF_ERROR(CheckArchitectureKnown(file, arch));
  const Meta meta(file, arch);
  const std::filesystem::path first = artifact.paths().front();
  ModelSpec m;
  m.family = arch;
  StatusOr<std::string> name = file.GetString("general.name");
  m.name = name.ok() ? *name : first.stem().string();
  m.id = first.stem().string();
  m.source = "GGUF metadata of " + first.filename().string();
  SIZER_RETURN_IF_ERROR(ReadDimensions(meta, arch, m));
  SIZER_RETURN_IF_ERROR(ReadVocabulary(artifact, meta, arch, m));
  double params = 0;
  for (const gguf::TensorInfo* t : artifact.tensors()) params += static_cast<double>(t->n_elements);
  m.params_total = params;
  m.params_active = params;
  ReadSlidingWindows(meta, arch, m);
  SIZER_RETURN_IF_ERROR(ReadMixtureOfExperts(artifact, meta, arch, m));
  ReadLatentAttention(meta, m);
  ReadHybridLayers(meta, m);
  return m;
}

ArtifactSpec DescribeArtifact(const gguf::Artifact& artifact) {
  ArtifactSpec a;
  a.path = artifact.paths().front();
  a.files = artifact.paths();
  a.file_bytes = artifact.file_bytes();
  a.tensor_data_bytes = artifact.tensor_data_bytes();
  StatusOr<std::string> arch = artifact.metadata().GetString("general.architecture");
  a.architecture = arch.ok() ? *arch : "";
  std::map<std::string, uint64_t> bytes_by_type;
  for (const gguf::TensorInfo* t : artifact.tensors()) {
    a.tensors.push_back({std::string(t->name), std::string(t->type.name), t->n_elements, t->n_bytes});
    bytes_by_type[std::string(t->type.name)] += t->n_bytes;
  }
  StatusOr<uint64_t> ftype = artifact.metadata().GetUint("general.file_type");
  if (ftype.ok()) {
    a.file_type = GgufFileTypeName(*ftype);
  } else {
    // No general.file_type (older converters): name the file by its predominant tensor type.
    uint64_t best = 0;
    a.file_type = "unknown";
    for (const auto& [type, bytes] : bytes_by_type) {
      if (bytes > best) {
        best = bytes;
        a.file_type = type;
      }
    }
  }
  return a;
}

}  // namespace sizer
