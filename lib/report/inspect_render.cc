#include "report/inspect_render.h"

#include <cctype>
#include <filesystem>

#include "base/format.h"
#include "report/table.h"

namespace sizer {
namespace {

std::string Layout(const ModelSpec& m) {
  std::string out;
  for (LayerKind k : m.layer_pattern) out += (out.empty() ? "" : ", ") + std::string(LayerKindName(k));
  return "[" + out + "]";
}

std::string Slug(const std::string& s) {
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '.') {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "model" : out;
}

// YAML double-quoted string with the escapes YAML needs.
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out + "\"";
}

}  // namespace

nlohmann::json ArtifactSummaryToJson(const ArtifactSummary& s) {
  const ModelSpec& m = s.model;
  nlohmann::json histogram = nlohmann::json::array();
  for (const TypeHistogramRow& r : s.histogram) {
    histogram.push_back({{"type", r.type}, {"tensors", r.tensors}, {"params", r.params},
                         {"bytes", r.bytes}, {"bits_per_weight", r.bits_per_weight}});
  }
  nlohmann::json pattern = nlohmann::json::array();
  for (LayerKind k : m.layer_pattern) pattern.push_back(std::string(LayerKindName(k)));
  nlohmann::json out = {
      {"file", s.artifact.path},
      {"files", s.artifact.files},
      {"file_bytes", s.artifact.file_bytes},
      {"tensor_data_bytes", s.artifact.tensor_data_bytes},
      {"architecture", s.artifact.architecture},
      {"name", m.name},
      {"file_type", s.artifact.file_type},
      {"params", s.total_params},
      {"weights_bytes", s.total_bytes},
      {"model", {{"n_layers", m.n_layers}, {"d_model", m.d_model}, {"n_heads", m.n_heads},
                 {"n_kv_heads", m.n_kv_heads}, {"head_dim", m.head_dim}, {"d_ff", m.d_ff},
                 {"vocab_size", m.vocab_size}, {"tied_embeddings", m.tied_embeddings},
                 {"max_context_tokens", m.max_context_tokens},
                 {"layer_pattern", pattern},
                 {"sliding_window_tokens", m.sliding_window_tokens},
                 {"linear_state_elements", m.linear_state_elements}}},
      {"histogram", histogram},
      {"embedding", {{"bytes", s.embedding_bytes}, {"type", s.embedding_type}}},
      {"output", s.output_bytes > 0
                     ? nlohmann::json{{"bytes", s.output_bytes}, {"type", s.output_type}}
                     : nlohmann::json{{"tied", true}}},
      {"kv_bytes_per_token", {{"f16", s.kv_bytes_per_token_f16}, {"q8_0", s.kv_bytes_per_token_q8_0}}},
  };
  if (m.has_moe) {
    out["model"]["moe"] = {{"n_experts", m.moe.n_experts},
                           {"n_experts_per_token", m.moe.n_experts_per_token},
                           {"n_shared_experts", m.moe.n_shared_experts},
                           {"expert_d_ff", m.moe.expert_d_ff}};
  }
  if (m.has_mla) {
    out["model"]["mla"] = {{"kv_lora_rank", m.mla.kv_lora_rank},
                           {"qk_rope_head_dim", m.mla.qk_rope_head_dim}};
  }
  return out;
}

std::string RenderArtifactSummaryText(const ArtifactSummary& s) {
  const ModelSpec& m = s.model;
  std::string out;
  out += "file:          " + s.artifact.path;
  if (s.artifact.files.size() > 1) out += " (+" + std::to_string(s.artifact.files.size() - 1) + " split parts)";
  out += "\n";
  out += "size:          " + FormatBytes(static_cast<double>(s.artifact.file_bytes)) + " (" +
         FormatCount(static_cast<double>(s.artifact.file_bytes)) + " bytes; tensor data " +
         FormatCount(static_cast<double>(s.artifact.tensor_data_bytes)) + " bytes)\n";
  out += "architecture:  " + s.artifact.architecture + " (" + m.name + ")\n";
  out += "file type:     " + s.artifact.file_type + "\n";
  out += "parameters:    " + FormatCount(s.total_params) + " (" +
         (s.total_params >= 1e9 ? FormatFixed(s.total_params / 1e9, 2) + "B"
                                : FormatFixed(s.total_params / 1e6, 2) + "M") + ")\n";
  out += "layers:        " + std::to_string(m.n_layers) + ", d_model " + std::to_string(m.d_model) +
         ", heads " + std::to_string(m.n_heads) + ", KV heads " + std::to_string(m.n_kv_heads) +
         ", head_dim " + std::to_string(m.head_dim) + ", d_ff " + std::to_string(m.d_ff) + "\n";
  out += "vocabulary:    " + FormatCount(static_cast<double>(m.vocab_size)) + ", context " +
         FormatCount(static_cast<double>(m.max_context_tokens)) + " tokens\n";
  out += "attention:     " + Layout(m);
  if (m.sliding_window_tokens > 0) out += ", window " + std::to_string(m.sliding_window_tokens);
  if (m.has_mla) out += ", MLA (kv_lora_rank " + std::to_string(m.mla.kv_lora_rank) + ")";
  out += "\n";
  if (m.has_moe) {
    out += "experts:       " + std::to_string(m.moe.n_experts_per_token) + " of " +
           std::to_string(m.moe.n_experts) + " per token, " +
           std::to_string(m.moe.n_shared_experts) + " shared\n";
  }
  out += "\nweights by tensor type:\n";
  Table t({"type", "tensors", "parameters", "bytes", "bits/weight"});
  for (const TypeHistogramRow& r : s.histogram) {
    t.AddRow({r.type, std::to_string(r.tensors), FormatCount(r.params), FormatCount(r.bytes),
              FormatFixed(r.bits_per_weight, 3)});
  }
  t.AddRow({"total", std::to_string(s.artifact.tensors.size()), FormatCount(s.total_params),
            FormatCount(s.total_bytes),
            FormatFixed(s.total_params > 0 ? 8 * s.total_bytes / s.total_params : 0, 3)});
  out += t.RenderText(2);
  out += "\nembedding:     token_embd " + s.embedding_type + ", " + FormatBytes(s.embedding_bytes) +
         " (a lookup at decode)\n";
  out += s.output_bytes > 0 ? "output:        output " + s.output_type + ", " + FormatBytes(s.output_bytes) + "\n"
                            : "output:        tied to the embedding (read whole each token)\n";
  out += "KV per token:  " + FormatCount(s.kv_bytes_per_token_f16) + " bytes at f16, " +
         FormatCount(s.kv_bytes_per_token_q8_0) + " bytes at q8_0";
  if (s.linear_state_bytes_per_sequence > 0) {
    out += "; plus " + FormatBytes(s.linear_state_bytes_per_sequence) + " of linear-layer state per sequence";
  }
  return out + "\n";
}

std::string EmitModelDbYaml(const ArtifactSummary& s) {
  const ModelSpec& m = s.model;
  const std::string id = Slug(m.name.empty() ? std::filesystem::path(s.artifact.path).stem().string()
                                             : m.name);
  std::string y = "# save as model_db/" + id + ".yaml\n";
  y += "id: " + id + "\n";
  y += "name: " + Quoted(m.name) + "\n";
  y += "family: " + m.family + "\n";
  y += "source: " + Quoted("GGUF metadata and tensor infos of " +
                           std::filesystem::path(s.artifact.path).filename().string() + " (" +
                           std::to_string(s.artifact.file_bytes) + " bytes, " +
                           s.artifact.file_type + ")") + "\n";
  y += "params_total: " + FormatFixed(s.total_params, 0) + "\n";
  if (m.has_moe) y += "params_active: " + FormatFixed(m.params_active, 0) + "\n";
  y += "n_layers: " + std::to_string(m.n_layers) + "\n";
  y += "d_model: " + std::to_string(m.d_model) + "\n";
  y += "n_heads: " + std::to_string(m.n_heads) + "\n";
  y += "n_kv_heads: " + std::to_string(m.n_kv_heads) + "\n";
  y += "head_dim: " + std::to_string(m.head_dim) + "\n";
  y += "d_ff: " + std::to_string(m.d_ff) + "\n";
  y += "vocab_size: " + std::to_string(m.vocab_size) + "\n";
  y += "tied_embeddings: " + std::string(m.tied_embeddings ? "true" : "false") + "\n";
  y += "max_context_tokens: " + std::to_string(m.max_context_tokens) + "\n";
  bool plain = m.layer_pattern.size() == 1 && m.layer_pattern[0] == LayerKind::kFull;
  if (!plain) {
    y += "attention:\n  pattern: " + Layout(m) + "\n";
    if (m.sliding_window_tokens > 0) y += "  sliding_window_tokens: " + std::to_string(m.sliding_window_tokens) + "\n";
    if (m.linear_state_elements > 0) y += "  linear_state_elements: " + std::to_string(m.linear_state_elements) + "\n";
  }
  if (m.has_mla) {
    y += "mla:\n  kv_lora_rank: " + std::to_string(m.mla.kv_lora_rank) +
         "\n  qk_rope_head_dim: " + std::to_string(m.mla.qk_rope_head_dim) +
         "\n  qk_nope_head_dim: " + std::to_string(m.mla.qk_nope_head_dim) +
         "\n  v_head_dim: " + std::to_string(m.mla.v_head_dim) +
         "\n  q_lora_rank: " + std::to_string(m.mla.q_lora_rank) + "\n";
  }
  if (m.has_moe) {
    y += "moe:\n  n_experts: " + std::to_string(m.moe.n_experts) +
         "\n  n_experts_per_token: " + std::to_string(m.moe.n_experts_per_token) +
         "\n  n_shared_experts: " + std::to_string(m.moe.n_shared_experts) +
         "\n  expert_d_ff: " + std::to_string(m.moe.expert_d_ff) +
         "\n  n_dense_leading_layers: " + std::to_string(m.moe.n_dense_leading_layers) + "\n";
  }
  return y;
}

}  // namespace sizer
