// Vision: the projector's weights, the image tokens in the context, the encoder's activation
// peak and its prefill FLOPs, per family and per runtime policy:
//   llama.cpp (tools/mtmd): the mmproj GGUF is loaded on the device beside the model; each
//     image is encoded alone in the CLIP graph's compute buffer (f32); its tokens sit in the
//     context (KV cache) like text tokens.
//   vLLM (docs: design/mm_processing, configuration/conserving_memory; code:
//     vllm/v1/core/encoder_cache_manager.py compute_encoder_budget): the vision tower is part
//     of the checkpoint (bf16); the profile run encodes --limit-mm-per-prompt images of the
//     largest size at once, and an encoder cache holds max(max_num_batched_tokens, tokens of
//     the largest item) embeddings.
#ifndef SIZER_PLAN_VISION_H_
#define SIZER_PLAN_VISION_H_

#include <cstdint>
#include <string>

#include "catalog/hardware.h"
#include "input/job_extras.h"
#include "input/vision_spec.h"
#include "plan/plan_inputs.h"
#include "plan/quantity.h"

namespace sizer {

struct ImageTokens {
  int64_t tokens = 0;   // in the text model's context, per image
  int64_t patches = 0;  // the encoder's sequence, summed over tiles
  int64_t tiles = 1;
  std::string rule;     // how they were counted, for the worksheet
};

// Tokens of one `image` under the family's rule (VisionSpec::tokens_per_image overrides):
//   llava: (image_size / patch)^2 = 576 at 336 px (LLaVA-1.5); gemma3: 256 (4x4 pooled 64x64
//   patches, Gemma 3 report); qwen2-vl: HF Qwen2VLImageProcessor smart_resize to multiples of
//   patch x merge within [min_pixels, max_pixels], then (h/28)(w/28); llava-next: the base image
//   plus ceil(w/s) x ceil(h/s) tiles (at most max_tiles, default 4) of (s/p)^2 each, an upper
//   bound before unpadding; internvl: the aspect-ratio grid of 448 px tiles (<= max_tiles,
//   default 12) + a thumbnail when tiled, 256 tokens each (InternVL dynamic_preprocess).
ImageTokens CountImageTokens(const VisionSpec& v, ImageSize image);

// Parameters of the encoder (patch and position embeddings, blocks, norms) and of the
// projector, from the hyper-parameters (the HF modules of each family).
struct VisionParams {
  double matrix = 0;        // 2-D weights (stored in the projector dtype)
  double vector = 0;        // biases, norms, class token (stored as f32 in a GGUF)
  double embedding_f32 = 0; // patch / position embeddings llama.cpp keeps in f32 (gemma3)
  double projector = 0;     // of which the projector (connector) matrices
  double total() const { return matrix + vector + embedding_f32; }
};
VisionParams CountVisionParams(const VisionSpec& v);

// The mmproj GGUF's tensor bytes as llama.cpp's converter writes them: 2-D weights in
// v.dtype, 1-D tensors in f32 (convert_hf_to_gguf.py MmprojModel).
double PredictedProjectorBytes(const VisionSpec& v);

struct VisionPlan {
  bool present = false;
  double weights_bytes = 0;     // the projector file or the predicted bytes
  int64_t image_tokens = 0;     // per request (all images)
  int64_t tokens_per_image = 0;
  double activation_bytes = 0;  // the encoder's peak
  double encoder_cache_bytes = 0;  // vLLM's encoder cache
  double encoder_flops = 0;        // per request (all images)
  QuantityList rows;
};

// The job's vision budget under its runtime's policy. Without `vision:` nothing (present false).
VisionPlan PlanVision(const PlanInputs& in);

}  // namespace sizer

#endif  // SIZER_PLAN_VISION_H_
