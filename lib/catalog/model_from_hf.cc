#include "catalog/model_from_hf.h"

#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "base/file.h"
#include "catalog/safetensors_header.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Sub-module names inside a decoder layer -> llama.cpp's names (gguf-py tensor_mapping.py),
// first match wins. Mixtral's w1/w3/w2 are gate/up/down.
constexpr std::pair<std::string_view, std::string_view> kLayerParts[] = {
    {"self_attn.q_proj", "attn_q"},           {"self_attn.k_proj", "attn_k"},
    {"self_attn.v_proj", "attn_v"},           {"self_attn.o_proj", "attn_output"},
    {"self_attn.qkv_proj", "attn_qkv"},       {"self_attn.q_a_proj", "attn_q_a"},
    {"self_attn.q_b_proj", "attn_q_b"},       {"self_attn.kv_a_proj_with_mqa", "attn_kv_a_mqa"},
    {"self_attn.kv_b_proj", "attn_kv_b"},     {"self_attn.sinks", "attn_sinks"},
    {"self_attn.q_norm", "attn_q_norm"},      {"self_attn.k_norm", "attn_k_norm"},
    {"mlp.experts.gate_up_proj", "ffn_gate_up_exps"}, {"mlp.experts.down_proj", "ffn_down_exps"},
    {"mlp.shared_expert_gate", "ffn_gate_inp_shexp"},
    {"mlp.shared_expert.gate_proj", "ffn_gate_shexp"}, {"mlp.shared_expert.up_proj", "ffn_up_shexp"},
    {"mlp.shared_expert.down_proj", "ffn_down_shexp"},
    {"mlp.shared_experts.gate_proj", "ffn_gate_shexp"}, {"mlp.shared_experts.up_proj", "ffn_up_shexp"},
    {"mlp.shared_experts.down_proj", "ffn_down_shexp"},
    {"mlp.gate.", "ffn_gate_inp."},           {"mlp.router", "ffn_gate_inp"},
    {"block_sparse_moe.gate.", "ffn_gate_inp."},
    {"mlp.gate_up_proj", "ffn_gate_up"},      {"mlp.gate_proj", "ffn_gate"},
    {"mlp.up_proj", "ffn_up"},                {"mlp.down_proj", "ffn_down"},
    {"input_layernorm", "attn_norm"},         {"post_attention_layernorm", "ffn_norm"},
    {"linear_attn.", "ssm_"},
};

// "experts.E.gate_proj.weight" / "experts.E.w1.weight" -> "ffn_gate_exps.E.weight".
std::string ExpertPart(std::string_view rest) {
  const size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return std::string(rest);
  const std::string_view index = rest.substr(0, dot);
  std::string_view tail = rest.substr(dot + 1);
  constexpr std::pair<std::string_view, std::string_view> kParts[] = {
      {"gate_proj", "ffn_gate_exps"}, {"up_proj", "ffn_up_exps"}, {"down_proj", "ffn_down_exps"},
      {"w1", "ffn_gate_exps"},        {"w3", "ffn_up_exps"},      {"w2", "ffn_down_exps"}};
  for (const auto& [hf, gguf] : kParts) {
    if (StartsWith(tail, hf) && (tail.size() == hf.size() || tail[hf.size()] == '.')) {
      return std::string(gguf) + "." + std::string(index) + std::string(tail.substr(hf.size()));
    }
  }
  return "ffn_exps." + std::string(rest);
}

std::string LayerPart(std::string_view rest) {
  for (std::string_view experts : {"mlp.experts.", "block_sparse_moe.experts."}) {
    if (StartsWith(rest, experts) && rest.size() > experts.size() &&
        std::isdigit(static_cast<unsigned char>(rest[experts.size()]))) {
      return ExpertPart(rest.substr(experts.size()));
    }
  }
  for (const auto& [hf, gguf] : kLayerParts) {
    if (StartsWith(rest, hf)) return std::string(gguf) + std::string(rest.substr(hf.size()));
  }
  return std::string(rest);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The weights a stored tensor holds: packed tensors hold several a word (GPTQ/AWQ qweight and
// compressed-tensors weight_packed: 32/bits per int32; MXFP4 *_blocks and bitsandbytes 4-bit:
// two a byte), and scales, zero points, group indices and absmax tables hold none (their bytes
// count, as a GGUF block's scales do).
uint64_t LogicalElements(std::string_view name, const SafetensorsTensor& t, int bits) {
  for (std::string_view aux : {".qzeros", ".scales", ".g_idx", "_scale", "_scale_inv", ".absmax",
                               ".quant_map", ".quant_state", "_zero_point", ".weight_shape", ".SCB",
                               "_scales", ".weight_format"}) {
    if (EndsWith(name, aux) || name.find(std::string(aux) + ".") != std::string_view::npos) return 0;
  }
  if ((EndsWith(name, ".qweight") || EndsWith(name, ".weight_packed")) && bits > 0 && bits < 32) {
    return t.elements * static_cast<uint64_t>(32 / bits);
  }
  if (EndsWith(name, "_blocks") && t.dtype == "U8") return t.elements * 2;
  if (bits == 4 && t.dtype == "U8" && EndsWith(name, ".weight")) return t.elements * 2;
  return t.elements;
}

}  // namespace

std::string GgufStyleTensorName(std::string_view name) {
  for (std::string_view vision : {"vision_tower", "vision_model", "multi_modal_projector", "visual.",
                                  "mm_projector", "vision_encoder"}) {
    if (name.find(vision) != std::string_view::npos) return "mm." + std::string(name);
  }
  std::string n(name);
  // Multimodal wrappers nest the text model: language_model.model.X, model.language_model.X.
  if (StartsWith(n, "model.language_model.")) n = "model." + n.substr(21);
  if (StartsWith(n, "language_model.")) n = n.substr(15);
  if (StartsWith(n, "model.embed_tokens.")) return "token_embd." + n.substr(19);
  if (StartsWith(n, "lm_head.")) return "output." + n.substr(8);
  if (StartsWith(n, "model.norm.")) return "output_norm." + n.substr(11);
  if (StartsWith(n, "model.layers.")) {
    const std::string rest = n.substr(13);
    const size_t dot = rest.find('.');
    if (dot != std::string::npos && dot > 0) {
      return "blk." + rest.substr(0, dot) + "." + LayerPart(std::string_view(rest).substr(dot + 1));
    }
  }
  return n;
}

bool IsHfCheckpointPath(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return fs::is_regular_file(fs::path(path) / "config.json", ec);
  return fs::path(path).filename() == "config.json";
}

namespace {

// The shard files: from the index (each must exist beside it) or the single model.safetensors.
StatusOr<std::vector<std::string>> ShardFiles(const fs::path& folder, HfCheckpoint& c,
                                              std::map<std::string, std::string>& index_map) {
  std::error_code ec;
  const fs::path index = folder / "model.safetensors.index.json";
  if (!fs::exists(index, ec)) {
    const fs::path single = folder / "model.safetensors";
    if (fs::exists(single, ec)) return std::vector<std::string>{single.string()};
    return std::vector<std::string>{};
  }
  SIZER_ASSIGN_OR_RETURN(std::string text, ReadFileToString(index.string(), 64u << 20));
  json root;
  try {
    root = json::parse(text);
  } catch (const json::exception& e) {
    return Status::Corruption(index.string() + ": not JSON: " + e.what());
  }
  if (!root.is_object() || !root.contains("weight_map") || !root["weight_map"].is_object()) {
    return Status::InvalidArgument(index.string() + ": missing required key 'weight_map' (an object)");
  }
  if (root.contains("metadata") && root["metadata"].is_object() &&
      root["metadata"].contains("total_size") && root["metadata"]["total_size"].is_number_unsigned()) {
    c.index_total_size = root["metadata"]["total_size"].get<uint64_t>();
  }
  std::set<std::string> shards;
  for (auto it = root["weight_map"].begin(); it != root["weight_map"].end(); ++it) {
    if (!it.value().is_string()) {
      return Status::InvalidArgument(index.string() + ": weight_map['" + it.key() + "'] is not a file name");
    }
    const std::string shard = it.value().get<std::string>();
    // Shards sit beside the index: a path (or "..") could name any file on the machine.
    if (shard.empty() || shard.find('/') != std::string::npos || shard.find('\\') != std::string::npos ||
        shard == "." || shard == "..") {
      return Status::InvalidArgument(index.string() + ": weight_map['" + it.key() +
                                     "'] names '" + shard + "', not a file beside the index");
    }
    if (!fs::is_regular_file(folder / shard, ec)) {
      return Status::NotFound(index.string() + ": weight_map['" + it.key() + "'] names shard '" +
                              shard + "', which is missing from " + folder.string());
    }
    shards.insert(shard);
    index_map[it.key()] = shard;
  }
  std::vector<std::string> files;
  for (const std::string& s : shards) files.push_back((folder / s).string());
  return files;
}

Status ReadShards(const std::vector<std::string>& files,
                  const std::map<std::string, std::string>& index_map, HfCheckpoint& c) {
  ArtifactSpec a;
  a.container = WeightContainer::kSafetensors;
  a.path = c.folder;
  a.files = files;
  a.architecture = c.config.model_type;
  a.file_type = c.quantization.format_id;
  std::set<std::string> seen;
  for (const std::string& file : files) {
    SIZER_ASSIGN_OR_RETURN(SafetensorsHeader h, ReadSafetensorsHeader(file));
    c.header_only = c.header_only || !h.data_present;
    a.file_bytes += 8 + h.header_bytes + h.data_bytes;  // the full file the header describes
    a.tensor_data_bytes += h.data_bytes;
    const std::string shard = fs::path(file).filename().string();
    for (const SafetensorsTensor& t : h.tensors) {
      auto it = index_map.find(t.name);
      if (!index_map.empty() && it != index_map.end() && it->second != shard) continue;
      if (!seen.insert(t.name).second) {
        return Status::Corruption(file + ": tensor '" + t.name + "' is also in another shard");
      }
      a.tensors.push_back({GgufStyleTensorName(t.name), t.dtype,
                           LogicalElements(t.name, t, c.quantization.bits), t.bytes()});
    }
  }
  for (const auto& [name, shard] : index_map) {
    if (!seen.count(name)) {
      return Status::Corruption(c.folder + "/" + shard + ": tensor '" + name +
                                "', named by the index, is not in the shard's header");
    }
  }
  c.artifact = std::move(a);
  return Status();
}

}  // namespace

StatusOr<HfCheckpoint> OpenHfCheckpoint(const std::string& path) {
  std::error_code ec;
  const bool is_dir = fs::is_directory(path, ec);
  const fs::path folder = is_dir ? fs::path(path) : fs::path(path).parent_path();
  const fs::path config = is_dir ? folder / "config.json" : fs::path(path);
  HfCheckpoint c;
  c.folder = folder.empty() ? "." : folder.string();
  SIZER_ASSIGN_OR_RETURN(c.config, ReadHfConfig(config.string()));
  SIZER_ASSIGN_OR_RETURN(c.quantization,
                         ReadHfQuantization(c.config.quantization_config, c.config.torch_dtype,
                                            config.string() + ": "));
  std::map<std::string, std::string> index_map;
  SIZER_ASSIGN_OR_RETURN(std::vector<std::string> files, ShardFiles(folder, c, index_map));
  if (!files.empty()) SIZER_RETURN_IF_ERROR(ReadShards(files, index_map, c));
  c.config.model.source = "config.json and safetensors headers of " +
                          fs::path(c.folder).filename().string();
  return c;
}

}  // namespace sizer
