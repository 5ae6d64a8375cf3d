// PlanVision: the vision rows of a worksheet under llama.cpp's or vLLM's policy (plan/vision.h).
#include <algorithm>

#include "plan/vision.h"

namespace sizer {
namespace {

bool PagedRuntime(const PlanInputs& in) { return in.runtime.kv_allocation == KvAllocation::kPagedPool; }

// Encoder FLOPs of one image: 2 x encoder params x patches (the matmuls) plus attention
// (QK^T and AV: 4 x n^2 x d per block) within each tile.
double EncoderFlopsPerImage(const VisionSpec& v, const ImageTokens& t) {
  const VisionParams p = CountVisionParams(v);
  const double n_tile = static_cast<double>(t.patches) / static_cast<double>(t.tiles);
  const double attention = static_cast<double>(t.tiles) * 4.0 * n_tile * n_tile *
                           static_cast<double>(v.hidden_size) * static_cast<double>(v.layers);
  return 2.0 * p.total() * static_cast<double>(t.patches) + attention;
}

void AddWeightsRow(const PlanInputs& in, const VisionSpec& v, VisionPlan& plan) {
  const VisionParams p = CountVisionParams(v);
  if (PagedRuntime(in)) {
    // vLLM loads the vision tower and projector from the checkpoint in the model dtype.
    plan.weights_bytes = p.total() * 2.0;
    plan.rows.push_back({"vision_projector_bytes", "Vision encoder + projector", plan.weights_bytes,
                         Unit::kBytes,
                         {"{params} encoder and projector params x 2 bytes (bf16, in the checkpoint)",
                          {{"params", p.total(), Unit::kParams}}},
                         v.source + "; parameter count: plan/vision.cc CountVisionParams"});
    return;
  }
  if (v.file_bytes) {
    plan.weights_bytes = *v.file_bytes;
    plan.rows.push_back({"vision_projector_bytes", "Vision projector (mmproj)", plan.weights_bytes,
                         Unit::kBytes, {"the mmproj file's tensor bytes, loaded on the device"},
                         v.source + "; llama.cpp tools/mtmd loads it with --mmproj"});
    return;
  }
  plan.weights_bytes = PredictedProjectorBytes(v);
  plan.rows.push_back(
      {"vision_projector_bytes", "Vision projector (mmproj)", plan.weights_bytes, Unit::kBytes,
       {"{matrix} 2-D params x {bpw} bytes (" + v.dtype + ") + {vector} 1-D params x 4 bytes (f32)",
        {{"matrix", p.matrix, Unit::kParams},
         {"bpw", ProjectorBytesPerWeight(v.dtype).value_or(2.0), Unit::kNone, 3},
         {"vector", p.vector + p.embedding_f32, Unit::kParams}}},
       v.source + "; layout of llama.cpp convert_hf_to_gguf.py (--mmproj)"});
}

void AddActivationRows(const PlanInputs& in, const VisionSpec& v, const ImageTokens& t,
                       int64_t images, VisionPlan& plan) {
  const double n_tile = static_cast<double>(t.patches) / static_cast<double>(t.tiles);
  const double d = static_cast<double>(v.hidden_size);
  const double width = 3.0 * d + static_cast<double>(v.intermediate_size);
  if (PagedRuntime(in)) {
    // The profile run encodes every allowed image at once in bf16 (flash attention: no n^2).
    plan.activation_bytes = static_cast<double>(images) * static_cast<double>(t.patches) * width * 2.0;
    plan.rows.push_back({"vision_activation_bytes", "Vision encoder activations",
                         plan.activation_bytes, Unit::kBytes,
                         {"{images} images x {patches} patches x (3 x {d} + {ff}) x 2 bytes (profile run)",
                          {Whole("images", images), Whole("patches", t.patches),
                           Whole("d", v.hidden_size), Whole("ff", v.intermediate_size)}},
                         "vLLM profile run with --limit-mm-per-prompt (docs: configuration/conserving_memory)"});
    const double budget_tokens = static_cast<double>(
        std::max<int64_t>(in.runtime.micro_batch_tokens, t.tokens));
    plan.encoder_cache_bytes = budget_tokens * static_cast<double>(v.projection_dim) * 2.0;
    plan.rows.push_back({"vision_encoder_cache_bytes", "Encoder cache", plan.encoder_cache_bytes,
                         Unit::kBytes,
                         {"max({batched} batched tokens, {tokens} tokens per image) x {D} x 2 bytes",
                          {Whole("batched", in.runtime.micro_batch_tokens), Whole("tokens", t.tokens),
                           Whole("D", v.projection_dim)}},
                         "vllm/v1/core/encoder_cache_manager.py compute_encoder_budget"});
    return;
  }
  // llama.cpp encodes one image (tile batch) at a time in an f32 graph: the widest tensors of
  // a block, plus the KQ scores when the CLIP graph runs without flash attention.
  const double scores = in.flash_attention ? 0.0
                                           : static_cast<double>(v.heads) * n_tile * n_tile *
                                                 static_cast<double>(t.tiles);
  plan.activation_bytes = 4.0 * (static_cast<double>(t.patches) * width + scores);
  plan.rows.push_back(
      {"vision_activation_bytes", "Vision encoder compute buffer", plan.activation_bytes, Unit::kBytes,
       {in.flash_attention
            ? Formula{"{patches} patches x (3 x {d} + {ff}) x 4 bytes (f32, one image, flash attention)",
                      {Whole("patches", t.patches), Whole("d", v.hidden_size), Whole("ff", v.intermediate_size)}}
            : Formula{"4 bytes x ({patches} patches x (3 x {d} + {ff}) + {heads} heads x {n}^2 KQ scores)",
                      {Whole("patches", t.patches), Whole("d", v.hidden_size),
                       Whole("ff", v.intermediate_size), Whole("heads", v.heads),
                       Whole("n", static_cast<int64_t>(n_tile))}}},
       "estimate of llama.cpp tools/mtmd clip graph (one image at a time)"});
}

}  // namespace

VisionPlan PlanVision(const PlanInputs& in) {
  VisionPlan plan;
  const JobExtras& x = in.job->extras;
  if (!x.vision) return plan;
  const VisionSpec& v = *x.vision;
  plan.present = true;
  const ImageTokens t = CountImageTokens(v, x.image_size);
  const int64_t images = x.images_per_request;
  plan.tokens_per_image = t.tokens;
  plan.image_tokens = t.tokens * images;
  plan.encoder_flops = EncoderFlopsPerImage(v, t) * static_cast<double>(images);
  AddWeightsRow(in, v, plan);
  plan.rows.push_back({"vision_image_tokens", "Image tokens per request",
                       static_cast<double>(plan.image_tokens), Unit::kTokens,
                       {"{images} images of {w}x{h} x {tokens} tokens (" + std::string(VisionFamilyName(v.family)) +
                            ": " + t.rule + "), in the KV cache beside context_tokens",
                        {Whole("images", images), Whole("w", x.image_size.width),
                         Whole("h", x.image_size.height), Whole("tokens", t.tokens)}},
                       "job images_per_request, image_size; family rule in plan/vision.h"});
  if (images > 0) AddActivationRows(in, v, t, images, plan);
  return plan;
}

}  // namespace sizer
