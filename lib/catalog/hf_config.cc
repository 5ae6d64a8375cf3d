#include "catalog/hf_config.h"

#include <algorithm>
#include <filesystem>

#include "base/file.h"
#include "catalog/hf_params.h"

namespace sizer {
namespace {

using nlohmann::json;

// model_type -> the family name model_db and llama.cpp use (convert_hf_to_gguf.py's
// @ModelBase.register classes map each HF architecture to a GGUF architecture).
struct FamilyOf {
  const char* model_type;
  const char* family;
};
constexpr FamilyOf kFamilies[] = {
    {"llama", "llama"},         {"mistral", "llama"},         {"mixtral", "llama"},
    {"qwen2", "qwen2"},         {"qwen2_moe", "qwen2moe"},    {"qwen3", "qwen3"},
    {"qwen3_moe", "qwen3moe"},  {"qwen3_next", "qwen3next"},  {"gemma2", "gemma2"},
    {"gemma3_text", "gemma3"},  {"phi3", "phi3"},             {"deepseek_v2", "deepseek2"},
    {"deepseek_v3", "deepseek2"}, {"gpt_oss", "gpt-oss"},
};

// Multimodal wrappers: the text model is under text_config (transformers
// Gemma3Config, Mistral3Config, LlavaConfig, Llama4Config); the text model_type when the
// text_config does not name one.
struct WrapperOf {
  const char* model_type;
  const char* text_model_type;
};
constexpr WrapperOf kWrappers[] = {
    {"gemma3", "gemma3_text"}, {"mistral3", "mistral"}, {"llava", "llama"},
    {"llava_next", "llama"},   {"qwen2_vl", "qwen2"},   {"qwen2_5_vl", "qwen2"},
};

const char* FamilyFor(const std::string& model_type) {
  for (const FamilyOf& f : kFamilies) {
    if (model_type == f.model_type) return f.family;
  }
  return nullptr;
}

// The layer kinds of a config's per-layer `layer_types` list, as the shortest cycle.
StatusOr<std::vector<LayerKind>> LayerTypes(const HfFields& f, int64_t n_layers) {
  const json& types = f.Raw("layer_types");
  if (!types.is_array() || types.empty()) {
    return Status::InvalidArgument(f.Where("layer_types") + " must be a non-empty list");
  }
  std::vector<LayerKind> kinds;
  for (const json& t : types) {
    const std::string name = t.is_string() ? t.get<std::string>() : "";
    if (name == "full_attention") {
      kinds.push_back(LayerKind::kFull);
    } else if (name == "sliding_attention") {
      kinds.push_back(LayerKind::kSliding);
    } else if (name == "linear_attention") {
      kinds.push_back(LayerKind::kLinear);
    } else {
      return Status::InvalidArgument(f.Where("layer_types") + " has an unknown entry " + t.dump() +
                                     " (known: full_attention, sliding_attention, "
                                     "linear_attention)");
    }
  }
  if (static_cast<int64_t>(kinds.size()) > n_layers) kinds.resize(static_cast<size_t>(n_layers));
  for (size_t period = 1; period <= kinds.size(); ++period) {
    bool cycles = true;
    for (size_t i = period; i < kinds.size() && cycles; ++i) cycles = kinds[i] == kinds[i % period];
    if (cycles) return std::vector<LayerKind>(kinds.begin(), kinds.begin() + static_cast<long>(period));
  }
  return kinds;
}

// Attention layout: sliding windows and hybrid linear layers.
Status ReadLayout(const HfFields& f, const std::string& type, ModelSpec& m) {
  SIZER_ASSIGN_OR_RETURN(int64_t window, f.IntOr("sliding_window", 0));
  if (f.Has("layer_types")) {
    SIZER_ASSIGN_OR_RETURN(m.layer_pattern, LayerTypes(f, m.n_layers));
  } else if (type == "gemma2") {
    // Gemma2DecoderLayer: is_sliding = not bool(layer_idx % 2), so layer 0 slides.
    m.layer_pattern = {LayerKind::kSliding, LayerKind::kFull};
  } else if (type == "gemma3_text") {
    // Gemma3TextConfig: sliding_window_pattern 6 (every 6th layer full).
    SIZER_ASSIGN_OR_RETURN(int64_t every, f.IntOr("sliding_window_pattern", 6));
    if (every < 1 || every > 1024) return Status::InvalidArgument(f.Where("sliding_window_pattern") + " out of range");
    m.layer_pattern.assign(static_cast<size_t>(every - 1), LayerKind::kSliding);
    m.layer_pattern.push_back(LayerKind::kFull);
  } else if (type == "qwen3_next") {
    // Qwen3NextConfig: full_attention_interval 4 (3 Gated DeltaNet layers, then 1 full).
    SIZER_ASSIGN_OR_RETURN(int64_t every, f.IntOr("full_attention_interval", 4));
    if (every < 1 || every > 1024) return Status::InvalidArgument(f.Where("full_attention_interval") + " out of range");
    m.layer_pattern.assign(static_cast<size_t>(every - 1), LayerKind::kLinear);
    m.layer_pattern.push_back(LayerKind::kFull);
  } else if (window > 0 && (type == "mistral" || type == "mixtral" ||
                            (type.rfind("qwen", 0) == 0 && f.BoolOr("use_sliding_window", false)))) {
    // MistralConfig.sliding_window on every layer; Qwen2Config only with use_sliding_window.
    m.layer_pattern = {LayerKind::kSliding};
  }
  const bool slides = std::find(m.layer_pattern.begin(), m.layer_pattern.end(),
                                LayerKind::kSliding) != m.layer_pattern.end();
  if (slides && window <= 0) {
    return Status::InvalidArgument(f.Where("sliding_window") + " is missing, but layers slide");
  }
  m.sliding_window_tokens = slides ? window : 0;
  if (std::find(m.layer_pattern.begin(), m.layer_pattern.end(), LayerKind::kLinear) !=
      m.layer_pattern.end()) {
    // Gated DeltaNet state (Qwen3NextGatedDeltaNet): v_heads x k_dim x v_dim recurrent, plus
    // the causal conv's (kernel - 1) columns over q, k and v channels.
    SIZER_ASSIGN_OR_RETURN(int64_t v_heads, f.Int("linear_num_value_heads"));
    SIZER_ASSIGN_OR_RETURN(int64_t k_heads, f.Int("linear_num_key_heads"));
    SIZER_ASSIGN_OR_RETURN(int64_t k_dim, f.Int("linear_key_head_dim"));
    SIZER_ASSIGN_OR_RETURN(int64_t v_dim, f.Int("linear_value_head_dim"));
    SIZER_ASSIGN_OR_RETURN(int64_t conv, f.IntOr("linear_conv_kernel_dim", 4));
    m.linear_state_elements =
        v_heads * k_dim * v_dim + (conv - 1) * (2 * k_heads * k_dim + v_heads * v_dim);
  }
  return Status();
}

// Mixture of experts (MixtralConfig, Qwen2MoeConfig, Qwen3MoeConfig, Qwen3NextConfig,
// DeepseekV3Config, GptOssConfig field names).
Status ReadMoe(const HfFields& f, const std::string& type, ModelSpec& m) {
  const bool deepseek = type.rfind("deepseek", 0) == 0;
  const char* experts_key = deepseek ? "n_routed_experts"
                            : (type == "mixtral" || type == "gpt_oss") ? "num_local_experts"
                                                                       : "num_experts";
  SIZER_ASSIGN_OR_RETURN(int64_t experts, f.IntOr(experts_key, 0));
  if (experts <= 1) return Status();
  m.has_moe = true;
  MoeSpec& moe = m.moe;
  moe.n_experts = experts;
  SIZER_ASSIGN_OR_RETURN(moe.n_experts_per_token,
                         f.Int(type == "gpt_oss" && !f.Has("num_experts_per_tok")
                                   ? "experts_per_token" : "num_experts_per_tok"));
  if (moe.n_experts_per_token < 1 || moe.n_experts_per_token > experts) {
    return Status::InvalidArgument(f.Where("num_experts_per_tok") + " must be 1.." + std::to_string(experts));
  }
  if (type == "mixtral" || type == "gpt_oss") {
    moe.expert_d_ff = m.d_ff;  // intermediate_size is the expert width
  } else {
    SIZER_ASSIGN_OR_RETURN(moe.expert_d_ff, f.Int("moe_intermediate_size"));
  }
  if (deepseek) {
    SIZER_ASSIGN_OR_RETURN(moe.n_shared_experts, f.IntOr("n_shared_experts", 0));
    moe.shared_expert_d_ff = moe.n_shared_experts * moe.expert_d_ff;
    SIZER_ASSIGN_OR_RETURN(moe.n_dense_leading_layers, f.IntOr("first_k_dense_replace", 0));
  } else if (f.Has("shared_expert_intermediate_size")) {
    SIZER_ASSIGN_OR_RETURN(moe.shared_expert_d_ff, f.Int("shared_expert_intermediate_size"));
    moe.n_shared_experts = moe.shared_expert_d_ff > 0 ? 1 : 0;
  }
  // Every layer is MoE unless leading dense layers (DeepSeek) or mlp_only_layers (Qwen) say
  // otherwise; then intermediate_size is the dense width.
  const json& dense_layers = f.Raw("mlp_only_layers");
  const bool has_dense = moe.n_dense_leading_layers > 0 ||
                         (dense_layers.is_array() && !dense_layers.empty());
  if (!has_dense) m.d_ff = 0;
  return Status();
}

Status ReadMla(const HfFields& f, ModelSpec& m) {
  if (!f.Has("kv_lora_rank") || f.Raw("kv_lora_rank").is_null()) return Status();
  // DeepseekV3Config: kv_lora_rank, q_lora_rank (null: a full q projection), qk_rope_head_dim,
  // qk_nope_head_dim, v_head_dim. model_db's convention: n_kv_heads = n_heads and head_dim =
  // nope + rope (the cache itself is kv_lora_rank + rope per token).
  m.has_mla = true;
  SIZER_ASSIGN_OR_RETURN(m.mla.kv_lora_rank, f.Int("kv_lora_rank"));
  SIZER_ASSIGN_OR_RETURN(m.mla.q_lora_rank, f.IntOr("q_lora_rank", 0));
  SIZER_ASSIGN_OR_RETURN(m.mla.qk_rope_head_dim, f.Int("qk_rope_head_dim"));
  SIZER_ASSIGN_OR_RETURN(m.mla.qk_nope_head_dim, f.Int("qk_nope_head_dim"));
  SIZER_ASSIGN_OR_RETURN(m.mla.v_head_dim, f.Int("v_head_dim"));
  m.n_kv_heads = m.n_heads;
  m.head_dim = m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim;
  return Status();
}

// The dimensions every family shares (LlamaConfig names; transformers defaults where a key
// may be absent).
Status ReadDimensions(const HfFields& f, const std::string& type, ModelSpec& m) {
  SIZER_ASSIGN_OR_RETURN(m.d_model, f.Int("hidden_size"));
  SIZER_ASSIGN_OR_RETURN(m.n_layers, f.Int("num_hidden_layers"));
  SIZER_ASSIGN_OR_RETURN(m.n_heads, f.Int("num_attention_heads"));
  SIZER_ASSIGN_OR_RETURN(m.vocab_size, f.Int("vocab_size"));
  SIZER_ASSIGN_OR_RETURN(m.n_kv_heads, f.IntOr("num_key_value_heads", m.n_heads));
  SIZER_ASSIGN_OR_RETURN(m.d_ff, f.IntOr("intermediate_size", 0));
  SIZER_ASSIGN_OR_RETURN(m.max_context_tokens, f.IntOr("max_position_embeddings", 4096));
  if (m.d_model < 1 || m.n_layers < 1 || m.n_heads < 1 || m.n_kv_heads < 1 || m.vocab_size < 1 ||
      m.max_context_tokens < 1) {
    return Status::InvalidArgument(f.Where("") + "hidden_size, num_hidden_layers, head counts, "
                                   "vocab_size and max_position_embeddings must be positive");
  }
  if (m.n_heads % m.n_kv_heads != 0) {
    return Status::InvalidArgument(f.Where("num_key_value_heads") + " (" + std::to_string(m.n_kv_heads) +
                                   ") does not divide num_attention_heads (" +
                                   std::to_string(m.n_heads) + ")");
  }
  SIZER_ASSIGN_OR_RETURN(m.head_dim, f.IntOr("head_dim", m.d_model / m.n_heads));
  if (m.head_dim < 1) return Status::InvalidArgument(f.Where("head_dim") + " must be positive");
  // PretrainedConfig defaults tie_word_embeddings to true; LlamaConfig, Qwen2Config, ... pass
  // false, the Gemma configs keep true.
  m.tied_embeddings = f.BoolOr("tie_word_embeddings", type.rfind("gemma", 0) == 0);
  return Status();
}

StatusOr<std::string> TextModelType(const json& root, const json*& text, HfConfig& c,
                                    const std::string& path) {
  if (!root.contains("model_type") || !root["model_type"].is_string()) {
    return Status::InvalidArgument(path + ": missing required key 'model_type' (a string)");
  }
  std::string type = root["model_type"].get<std::string>();
  text = &root;
  for (const WrapperOf& w : kWrappers) {
    if (type != w.model_type) continue;
    if (!root.contains("text_config") || !root["text_config"].is_object()) {
      return Status::InvalidArgument(path + ": model_type '" + type +
                                     "' needs a 'text_config' object");
    }
    c.wrapper_type = type;
    text = &root["text_config"];
    const json& inner = text->contains("model_type") ? (*text)["model_type"] : json();
    type = inner.is_string() ? inner.get<std::string>() : w.text_model_type;
    if (type == "gemma3") type = "gemma3_text";
    break;
  }
  if (FamilyFor(type) == nullptr) {
    std::string known;
    for (const std::string& t : SupportedHfModelTypes()) known += (known.empty() ? "" : ", ") + t;
    return Status::Unsupported(path + ": model_type '" + type + "' is not supported (known: " +
                               known + ")");
  }
  return type;
}

}  // namespace

const std::vector<std::string>& SupportedHfModelTypes() {
  static const std::vector<std::string> kTypes = [] {
    std::vector<std::string> t;
    for (const FamilyOf& f : kFamilies) t.push_back(f.model_type);
    for (const WrapperOf& w : kWrappers) t.push_back(w.model_type);
    return t;
  }();
  return kTypes;
}

StatusOr<HfConfig> ParseHfConfig(std::string_view text, const std::string& path) {
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    return Status::Corruption(path + ": byte " + std::to_string(e.byte > 0 ? e.byte - 1 : 0) +
                              ": not JSON: " + e.what());
  } catch (const json::exception& e) {
    return Status::Corruption(path + ": not JSON: " + e.what());
  }
  if (!root.is_object()) return Status::Corruption(path + ": not a JSON object");
  HfConfig c;
  c.path = path;
  const json* text_node = nullptr;
  SIZER_ASSIGN_OR_RETURN(c.model_type, TextModelType(root, text_node, c, path));
  // Gemma3TextConfig's defaults (transformers configuration_gemma3.py), which the released
  // gemma-3-4b-it text_config relies on: it names only the fields that differ.
  json text_with_defaults;
  if (c.model_type == "gemma3_text") {
    text_with_defaults = {{"hidden_size", 2304}, {"intermediate_size", 9216},
                          {"num_hidden_layers", 26}, {"num_attention_heads", 8},
                          {"num_key_value_heads", 4}, {"head_dim", 256}, {"vocab_size", 262208},
                          {"max_position_embeddings", 131072}, {"sliding_window", 4096}};
    for (auto it = text_node->begin(); it != text_node->end(); ++it) text_with_defaults[it.key()] = it.value();
    text_node = &text_with_defaults;
  }
  const HfFields f(*text_node, path, c.wrapper_type.empty() ? "" : "text_config.");
  const HfFields outer(root, path, "");
  const json& archs = root.contains("architectures") ? root["architectures"] : json();
  if (archs.is_array() && !archs.empty() && archs[0].is_string()) c.architecture = archs[0].get<std::string>();
  for (const HfFields* g : {&f, &outer}) {
    if (c.torch_dtype.empty() && g->Raw("torch_dtype").is_string()) c.torch_dtype = g->Raw("torch_dtype").get<std::string>();
    if (c.quantization_config.is_null() && g->Raw("quantization_config").is_object()) {
      c.quantization_config = g->Raw("quantization_config");
    }
  }
  if (root.contains("vision_config")) c.vision_config = root["vision_config"];

  ModelSpec& m = c.model;
  m.family = FamilyFor(c.model_type);
  const std::string dir_name = std::filesystem::path(path).parent_path().filename().string();
  m.id = dir_name.empty() ? c.model_type : dir_name;
  m.name = m.id;
  m.source = "config.json of " + (dir_name.empty() ? path : dir_name);
  SIZER_RETURN_IF_ERROR(ReadDimensions(f, c.model_type, m));
  SIZER_RETURN_IF_ERROR(ReadLayout(f, c.model_type, m));
  SIZER_RETURN_IF_ERROR(ReadMla(f, m));
  SIZER_RETURN_IF_ERROR(ReadMoe(f, c.model_type, m));
  if (!m.has_moe && m.d_ff < 1) {
    return Status::InvalidArgument(f.Where("intermediate_size") + " is missing or 0 for a dense model");
  }
  SIZER_RETURN_IF_ERROR(CountHfParams(f, c.model_type, m));
  return c;
}

StatusOr<HfConfig> ReadHfConfig(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound(path + ": no such file (a Hugging Face folder needs config.json)");
  }
  SIZER_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, 16u << 20));
  return ParseHfConfig(text, path);
}

}  // namespace sizer
