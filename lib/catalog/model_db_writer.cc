#include "catalog/model_db_writer.h"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace sizer {
namespace {

// YAML double-quoted string with the escapes YAML needs; control characters dropped.
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) continue;
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string Whole(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", std::round(v));
  return buf;
}

std::string Line(const std::string& key, int64_t v) { return key + ": " + std::to_string(v) + "\n"; }

std::string Pattern(const ModelSpec& m) {
  std::string out;
  for (LayerKind k : m.layer_pattern) out += (out.empty() ? "" : ", ") + std::string(LayerKindName(k));
  return "[" + out + "]";
}

}  // namespace

std::string ModelIdSlug(const std::string& name) {
  std::string out;
  for (char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '.') {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  return out.empty() ? "model" : out;
}

std::string ModelDbEntryYaml(const ModelSpec& m) {
  std::string y = "id: " + m.id + "\n";
  y += "name: " + Quoted(m.name) + "\n";
  y += "family: " + m.family + "\n";
  y += "source: " + Quoted(m.source) + "\n";
  y += "params_total: " + Whole(m.params_total) + "\n";
  y += "params_active: " + Whole(m.params_active) + "\n";
  y += Line("n_layers", m.n_layers) + Line("d_model", m.d_model) + Line("n_heads", m.n_heads) +
       Line("n_kv_heads", m.n_kv_heads) + Line("head_dim", m.head_dim) + Line("d_ff", m.d_ff) +
       Line("vocab_size", m.vocab_size);
  y += std::string("tied_embeddings: ") + (m.tied_embeddings ? "true" : "false") + "\n";
  y += Line("max_context_tokens", m.max_context_tokens);
  const bool plain = m.layer_pattern.size() == 1 && m.layer_pattern[0] == LayerKind::kFull;
  if (!plain) {
    y += "attention:\n  pattern: " + Pattern(m) + "\n";
    if (m.sliding_window_tokens > 0) y += "  " + Line("sliding_window_tokens", m.sliding_window_tokens);
    if (m.linear_state_elements > 0) y += "  " + Line("linear_state_elements", m.linear_state_elements);
    if (m.full_layer_n_kv_heads > 0) y += "  " + Line("full_layer_n_kv_heads", m.full_layer_n_kv_heads);
    if (m.full_layer_head_dim > 0) y += "  " + Line("full_layer_head_dim", m.full_layer_head_dim);
  }
  if (m.has_mla) {
    y += "mla:\n  " + Line("kv_lora_rank", m.mla.kv_lora_rank) + "  " +
         Line("qk_rope_head_dim", m.mla.qk_rope_head_dim) + "  " +
         Line("qk_nope_head_dim", m.mla.qk_nope_head_dim) + "  " + Line("v_head_dim", m.mla.v_head_dim) +
         "  " + Line("q_lora_rank", m.mla.q_lora_rank);
  }
  if (m.has_moe) {
    y += "moe:\n  " + Line("n_experts", m.moe.n_experts) + "  " +
         Line("n_experts_per_token", m.moe.n_experts_per_token) + "  " +
         Line("n_shared_experts", m.moe.n_shared_experts) + "  " + Line("expert_d_ff", m.moe.expert_d_ff) +
         "  " + Line("shared_expert_d_ff", m.moe.shared_expert_d_ff) + "  " +
         Line("n_dense_leading_layers", m.moe.n_dense_leading_layers);
  }
  if (m.artifact_weights) {
    y += "artifact_weights: {format: " + Quoted(m.artifact_weights->format) +
         ", bytes: " + Whole(m.artifact_weights->bytes) + "}\n";
  }
  if (!m.notes.empty()) y += "notes: " + Quoted(m.notes) + "\n";
  return y;
}

}  // namespace sizer
