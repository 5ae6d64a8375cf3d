// What `sizer synth` writes: the shape of a dense llama-architecture model (from a model_db
// entry or given dimensions) and, for a weight format, the ggml type of every tensor. The
// types come from the same llama-quantize rules the planner uses (knowledge/weight_format.h), so a
// synthetic Q4_K_M file has the real file's mix (Q6_K output and half the attn_v / ffn_down).
#ifndef SIZER_SYNTH_SYNTH_MODEL_H_
#define SIZER_SYNTH_SYNTH_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/model.h"

namespace sizer::synth {

struct SynthShape {
  std::string name = "synthetic";
  int64_t n_layers = 0;
  int64_t d_model = 0;
  int64_t n_heads = 0;
  int64_t n_kv_heads = 0;
  int64_t head_dim = 0;  // 0: d_model / n_heads
  int64_t d_ff = 0;
  int64_t vocab_size = 512;
  int64_t context_tokens = 4096;
  float rope_base = 10000.0f;
  float rms_eps = 1e-5f;
  bool tied_embeddings = false;

  int64_t HeadDim() const { return head_dim > 0 ? head_dim : d_model / n_heads; }
};

// The shape of a model_db model. kUnsupported for what the micro-runner cannot run (MoE, MLA,
// sliding-window or linear-attention layers): a synthetic file of it would measure nothing.
StatusOr<SynthShape> ShapeOfModel(const ModelSpec& model);

// Parses "d_model=2048,n_layers=16,n_heads=32,n_kv_heads=8,d_ff=8192[,head_dim=64]
// [,vocab=512][,context=4096][,tied=1]". Unknown keys are errors with a suggestion.
StatusOr<SynthShape> ParseDims(const std::string& text);

// Checks divisibility and ranges; the message names the offending dimension.
Status ValidateShape(const SynthShape& shape);

struct SynthTensor {
  std::string name;
  std::vector<uint64_t> shape;  // ne[0] first
  uint32_t ggml_type = 0;
  bool is_norm = false;         // 1-D, filled with ones
};

// Every tensor in llama.cpp's order with its type under `quant`: a GGUF weight format id
// ("Q4_K_M", "Q8_0", ...) or a ggml type name ("Q5_1", "IQ4_NL"), which then applies to every
// matrix. kUnsupported when a tensor would get a type the micro-runner cannot execute.
StatusOr<std::vector<SynthTensor>> PlanSynthTensors(const SynthShape& shape,
                                                    const std::string& quant);

// Parameters: every element of every tensor.
int64_t CountParameters(const std::vector<SynthTensor>& tensors);

// Bytes one decode step reads: every tensor whole but the token embedding, of which one row
// (1 / vocab of it) is read.
double DecodeBytesPerToken(const SynthShape& shape, const std::vector<SynthTensor>& tensors);

}  // namespace sizer::synth

#endif  // SIZER_SYNTH_SYNTH_MODEL_H_
