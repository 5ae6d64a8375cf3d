#include "runner/weights.h"

#include "kernels/quant.h"

namespace sizer::runner {
namespace {

std::string Shape(int64_t cols, int64_t rows) {
  return std::to_string(cols) + "x" + std::to_string(rows);
}

std::string SupportedTypes() {
  std::string out;
  for (const std::string& t : kernels::SupportedWeightTypeNames()) out += (out.empty() ? "" : ", ") + t;
  return out;
}

class Binder {
 public:
  explicit Binder(const gguf::Artifact& artifact) : artifact_(artifact) {}

  // A matrix of `rows` rows of `cols` values (GGUF ne = {cols, rows}).
  StatusOr<kernels::MatrixView> Matrix(const std::string& name, int64_t cols, int64_t rows) {
    SIZER_ASSIGN_OR_RETURN(const gguf::TensorInfo* t, Find(name));
    if (t->shape.size() != 2 || static_cast<int64_t>(t->shape[0]) != cols ||
        static_cast<int64_t>(t->shape[1]) != rows) {
      std::string got = t->shape.size() == 2 ? Shape(static_cast<int64_t>(t->shape[0]),
                                                     static_cast<int64_t>(t->shape[1]))
                                             : std::to_string(t->shape.size()) + "-d";
      return Status::Corruption("tensor " + name + ": expected " + Shape(cols, rows) + ", got " + got);
    }
    if (!kernels::IsSupportedWeightType(t->type.id)) {
      return Status::Unsupported("tensor " + name + " is " + std::string(t->type.name) +
                                 ", which the micro-runner does not execute (it runs " +
                                 SupportedTypes() + ")");
    }
    kernels::MatrixView v;
    v.type = t->type.id;
    v.cols = cols;
    v.rows = rows;
    v.row_bytes = t->n_bytes / static_cast<uint64_t>(rows);
    v.data = t->data;
    return v;
  }

  // A vector of `n` values copied to floats (norm weights, biases).
  StatusOr<std::vector<float>> Vector(const std::string& name, int64_t n) {
    SIZER_ASSIGN_OR_RETURN(const gguf::TensorInfo* t, Find(name));
    if (t->shape.size() != 1 || static_cast<int64_t>(t->shape[0]) != n) {
      return Status::Corruption("tensor " + name + ": expected a vector of " + std::to_string(n));
    }
    if (!kernels::IsSupportedWeightType(t->type.id)) {
      return Status::Unsupported("tensor " + name + " is " + std::string(t->type.name) +
                                 ", which the micro-runner does not execute");
    }
    std::vector<float> out(static_cast<size_t>(n));
    kernels::DequantizeRowReference(t->type.id, t->data, out.data(), n);
    return out;
  }

  bool Has(const std::string& name) const { return artifact_.FindTensor(name) != nullptr; }

 private:
  StatusOr<const gguf::TensorInfo*> Find(const std::string& name) const {
    const gguf::TensorInfo* t = artifact_.FindTensor(name);
    if (t == nullptr) return Status::Corruption("tensor " + name + " is missing");
    return t;
  }

  const gguf::Artifact& artifact_;
};

}  // namespace

StatusOr<ModelWeights> BindWeights(const gguf::Artifact& artifact, const RunnerConfig& c) {
  Binder b(artifact);
  ModelWeights w;
  const int64_t q_width = c.n_heads * c.head_dim;
  const int64_t kv_width = c.n_kv_heads * c.head_dim;
  SIZER_ASSIGN_OR_RETURN(w.token_embd, b.Matrix("token_embd.weight", c.d_model, c.vocab_size));
  SIZER_ASSIGN_OR_RETURN(w.output_norm, b.Vector("output_norm.weight", c.d_model));
  if (b.Has("output.weight")) {
    SIZER_ASSIGN_OR_RETURN(w.output, b.Matrix("output.weight", c.d_model, c.vocab_size));
  } else {
    w.output = w.token_embd;  // tied embeddings
  }
  for (int64_t l = 0; l < c.n_layers; ++l) {
    const std::string p = "blk." + std::to_string(l) + ".";
    LayerWeights L;
    SIZER_ASSIGN_OR_RETURN(L.attn_norm, b.Vector(p + "attn_norm.weight", c.d_model));
    SIZER_ASSIGN_OR_RETURN(L.wq, b.Matrix(p + "attn_q.weight", c.d_model, q_width));
    SIZER_ASSIGN_OR_RETURN(L.wk, b.Matrix(p + "attn_k.weight", c.d_model, kv_width));
    SIZER_ASSIGN_OR_RETURN(L.wv, b.Matrix(p + "attn_v.weight", c.d_model, kv_width));
    SIZER_ASSIGN_OR_RETURN(L.wo, b.Matrix(p + "attn_output.weight", q_width, c.d_model));
    if (c.qkv_bias) {
      SIZER_ASSIGN_OR_RETURN(L.bq, b.Vector(p + "attn_q.bias", q_width));
      SIZER_ASSIGN_OR_RETURN(L.bk, b.Vector(p + "attn_k.bias", kv_width));
      SIZER_ASSIGN_OR_RETURN(L.bv, b.Vector(p + "attn_v.bias", kv_width));
    }
    if (c.qk_norm) {
      SIZER_ASSIGN_OR_RETURN(L.q_norm, b.Vector(p + "attn_q_norm.weight", c.head_dim));
      SIZER_ASSIGN_OR_RETURN(L.k_norm, b.Vector(p + "attn_k_norm.weight", c.head_dim));
    }
    SIZER_ASSIGN_OR_RETURN(L.ffn_norm, b.Vector(p + "ffn_norm.weight", c.d_model));
    SIZER_ASSIGN_OR_RETURN(L.w_gate, b.Matrix(p + "ffn_gate.weight", c.d_model, c.d_ff));
    SIZER_ASSIGN_OR_RETURN(L.w_up, b.Matrix(p + "ffn_up.weight", c.d_model, c.d_ff));
    SIZER_ASSIGN_OR_RETURN(L.w_down, b.Matrix(p + "ffn_down.weight", c.d_ff, c.d_model));
    w.layers.push_back(std::move(L));
  }
  return w;
}

}  // namespace sizer::runner
