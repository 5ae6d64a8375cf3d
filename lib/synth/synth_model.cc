#include "synth/synth_model.h"

#include <map>
#include <sstream>

#include "base/edit_distance.h"
#include "base/format.h"
#include "gguf/ggml_types.h"
#include "kernels/quant.h"
#include "kernels/quantize.h"
#include "knowledge/weight_format.h"

namespace sizer::synth {

StatusOr<SynthShape> ShapeOfModel(const ModelSpec& model) {
  std::vector<std::string> refusals;
  if (model.has_moe) refusals.push_back("mixture-of-experts layers");
  if (model.has_mla) refusals.push_back("multi-head latent attention");
  for (LayerKind kind : model.layer_pattern) {
    if (kind != LayerKind::kFull) {
      refusals.push_back("sliding-window or linear-attention layers");
      break;
    }
  }
  if (!refusals.empty()) {
    return Status::Unsupported("synth writes dense full-attention llama-shaped models, which is "
                               "what the micro-runner runs; " + model.id + " has " +
                               Join(refusals) + " (use --dims for a dense model of its size)");
  }
  SynthShape s;
  s.name = model.id + " (synthetic weights)";
  s.n_layers = model.n_layers;
  s.d_model = model.d_model;
  s.n_heads = model.n_heads;
  s.n_kv_heads = model.n_kv_heads;
  s.head_dim = model.head_dim;
  s.d_ff = model.d_ff;
  s.vocab_size = model.vocab_size;
  s.context_tokens = model.max_context_tokens;
  s.tied_embeddings = model.tied_embeddings;
  SIZER_RETURN_IF_ERROR(ValidateShape(s));
  return s;
}

StatusOr<SynthShape> ParseDims(const std::string& text) {
  SynthShape s;
  std::map<std::string, int64_t*> fields = {
      {"d_model", &s.d_model},     {"n_layers", &s.n_layers}, {"n_heads", &s.n_heads},
      {"n_kv_heads", &s.n_kv_heads}, {"head_dim", &s.head_dim}, {"d_ff", &s.d_ff},
      {"vocab", &s.vocab_size},    {"context", &s.context_tokens}};
  std::vector<std::string> names = {"tied"};
  for (const auto& [name, unused] : fields) names.push_back(name);
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos) {
      return Status::InvalidArgument("--dims: expected KEY=VALUE, got '" + item + "'");
    }
    const std::string key = item.substr(0, eq);
    const std::string value = item.substr(eq + 1);
    int64_t number = 0;
    size_t used = 0;
    try {
      number = std::stoll(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != value.size()) {
      return Status::InvalidArgument("--dims: " + key + "=" + value + " is not an integer");
    }
    if (key == "tied") {
      s.tied_embeddings = number != 0;
      continue;
    }
    auto it = fields.find(key);
    if (it == fields.end()) {
      return Status::InvalidArgument("--dims: unknown dimension '" + key + "'" +
                                     DidYouMean(key, names) + " (known: " + Join(names) + ")");
    }
    *it->second = number;
  }
  if (s.n_kv_heads == 0) s.n_kv_heads = s.n_heads;
  SIZER_RETURN_IF_ERROR(ValidateShape(s));
  return s;
}

Status ValidateShape(const SynthShape& s) {
  auto bad = [](const std::string& what) { return Status::InvalidArgument("model shape: " + what); };
  constexpr int64_t kMaxDim = int64_t{1} << 20;
  for (auto [name, value] : {std::pair<const char*, int64_t>{"d_model", s.d_model},
                             {"n_layers", s.n_layers}, {"n_heads", s.n_heads},
                             {"n_kv_heads", s.n_kv_heads}, {"d_ff", s.d_ff},
                             {"vocab", s.vocab_size}, {"context", s.context_tokens}}) {
    if (value <= 0 || value > kMaxDim * 16) {
      return bad(std::string(name) + " = " + std::to_string(value) + " must be positive (and sane)");
    }
  }
  if (s.n_heads % s.n_kv_heads != 0) return bad("n_heads must be a multiple of n_kv_heads");
  if (s.head_dim == 0 && s.d_model % s.n_heads != 0) {
    return bad("d_model must be a multiple of n_heads (or give head_dim)");
  }
  if (s.HeadDim() % 2 != 0) return bad("the head dimension must be even (RoPE rotates pairs)");
  if (s.d_model % 32 != 0 || s.d_ff % 32 != 0 || (s.n_heads * s.HeadDim()) % 32 != 0) {
    return bad("d_model, d_ff and n_heads x head_dim must be multiples of 32 (one quant block)");
  }
  return Status();
}

StatusOr<std::vector<SynthTensor>> PlanSynthTensors(const SynthShape& s, const std::string& quant) {
  const WeightFormat* format = FindWeightFormat(quant);
  std::optional<gguf::GgmlTypeInfo> raw_type;
  if (format == nullptr || format->container != WeightContainer::kGguf) {
    raw_type = gguf::FindGgmlTypeByName(quant);
    if (!raw_type || !kernels::HasReferenceQuantizer(raw_type->id)) {
      std::vector<std::string> choices;
      for (const WeightFormat& f : AllWeightFormats()) {
        if (f.container == WeightContainer::kGguf) choices.push_back(f.id);
      }
      return Status::InvalidArgument(
          "--quant '" + quant + "' is neither a GGUF weight format (" + Join(choices) +
          ") nor a ggml type sizer can quantize (" + Join(kernels::QuantizableWeightTypeNames()) +
          ")" + DidYouMean(quant, choices));
    }
  }
  const int64_t q_dim = s.n_heads * s.HeadDim();
  const int64_t kv_dim = s.n_kv_heads * s.HeadDim();
  std::vector<SynthTensor> tensors;
  Status status;
  auto add = [&](std::string name, std::vector<uint64_t> shape, TensorClass cls, int64_t layer) {
    SynthTensor t{std::move(name), std::move(shape), 0, cls == TensorClass::kNorm};
    if (t.is_norm) {
      t.ggml_type = 0;  // F32
    } else if (raw_type) {
      t.ggml_type = raw_type->id;
    } else {
      TensorSite site;
      site.cls = cls;
      site.layer = layer;
      site.n_layers = s.n_layers;
      site.attn_v_index = layer;
      site.attn_v_count = s.n_layers;
      site.n_gqa = s.n_heads / s.n_kv_heads;
      site.row_elements = static_cast<int64_t>(t.shape[0]);
      const std::string type_name = format->StorageOf(site).type;
      std::optional<gguf::GgmlTypeInfo> type = gguf::FindGgmlTypeByName(type_name);
      if (!type || !kernels::HasReferenceQuantizer(type->id)) {
        if (status.ok()) {
          status = Status::Unsupported(quant + " stores " + t.name + " as " + type_name +
                                       ", which sizer cannot quantize");
        }
        return;
      }
      t.ggml_type = type->id;
    }
    tensors.push_back(std::move(t));
  };
  const auto d = static_cast<uint64_t>(s.d_model);
  const auto ff = static_cast<uint64_t>(s.d_ff);
  const auto vocab = static_cast<uint64_t>(s.vocab_size);
  add("token_embd.weight", {d, vocab}, TensorClass::kTokenEmbedding, -1);
  for (int64_t l = 0; l < s.n_layers; ++l) {
    const std::string p = "blk." + std::to_string(l) + ".";
    add(p + "attn_norm.weight", {d}, TensorClass::kNorm, l);
    add(p + "attn_q.weight", {d, static_cast<uint64_t>(q_dim)}, TensorClass::kAttnQ, l);
    add(p + "attn_k.weight", {d, static_cast<uint64_t>(kv_dim)}, TensorClass::kAttnK, l);
    add(p + "attn_v.weight", {d, static_cast<uint64_t>(kv_dim)}, TensorClass::kAttnV, l);
    add(p + "attn_output.weight", {static_cast<uint64_t>(q_dim), d}, TensorClass::kAttnOutput, l);
    add(p + "ffn_norm.weight", {d}, TensorClass::kNorm, l);
    add(p + "ffn_gate.weight", {d, ff}, TensorClass::kFfnGateUp, l);
    add(p + "ffn_up.weight", {d, ff}, TensorClass::kFfnGateUp, l);
    add(p + "ffn_down.weight", {ff, d}, TensorClass::kFfnDown, l);
  }
  add("output_norm.weight", {d}, TensorClass::kNorm, -1);
  if (!s.tied_embeddings) add("output.weight", {d, vocab}, TensorClass::kOutput, -1);
  SIZER_RETURN_IF_ERROR(status);
  for (const SynthTensor& t : tensors) {
    const gguf::GgmlTypeInfo type = *gguf::FindGgmlType(t.ggml_type);
    if (t.shape[0] % type.block_elements != 0) {
      return Status::InvalidArgument(t.name + ": a row of " + std::to_string(t.shape[0]) +
                                     " values is not a whole number of " + std::string(type.name) +
                                     " blocks of " + std::to_string(type.block_elements) +
                                     " (choose dimensions that are multiples of 256 for k-quants)");
    }
  }
  return tensors;
}

int64_t CountParameters(const std::vector<SynthTensor>& tensors) {
  int64_t n = 0;
  for (const SynthTensor& t : tensors) {
    int64_t e = 1;
    for (uint64_t ne : t.shape) e *= static_cast<int64_t>(ne);
    n += e;
  }
  return n;
}

double DecodeBytesPerToken(const SynthShape& shape, const std::vector<SynthTensor>& tensors) {
  double bytes_per_token = 0;
  for (const SynthTensor& tensor : tensors) {
    double elements = 1;
    for (uint64_t ne : tensor.shape) elements *= static_cast<double>(ne);
    const gguf::GgmlTypeInfo type = *gguf::FindGgmlType(tensor.ggml_type);
    const double bytes = elements / type.block_elements * type.block_bytes;
    bytes_per_token += tensor.name == "token_embd.weight"
                           ? bytes / static_cast<double>(shape.vocab_size)
                           : bytes;
  }
  return bytes_per_token;
}

}  // namespace sizer::synth
