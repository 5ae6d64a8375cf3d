// VisionSpec: the vision encoder and projector of a multimodal model, from an mmproj GGUF
// (llama.cpp tools/mtmd), a job's `vision:` block, or a Hugging Face `vision_config`.
#ifndef SIZER_INPUT_VISION_SPEC_H_
#define SIZER_INPUT_VISION_SPEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "catalog/model_from_hf.h"
#include "gguf/artifact.h"

namespace sizer {

// How a family turns an image into tokens, and the shape of its projector.
enum class VisionFamily {
  kLlava,      // CLIP ViT + 2-layer MLP; fixed (image/patch)^2 tokens (576 at 336 px)
  kLlavaNext,  // LLaVA-NeXT anyres: the base image + up to max_tiles tiles of image_size
  kGemma3,     // SigLIP + linear projector; fixed 256 tokens (4x4 average pool)
  kQwen2Vl,    // Qwen2-VL: dynamic resolution, patch 14, 2x2 merge, min/max pixels
  kQwen25Vl,   // Qwen2.5-VL: as Qwen2-VL with a gated MLP and RMSNorm
  kInternVl,   // InternVL: 448 px tiles (up to max_tiles, + a thumbnail), 256 tokens each
  kGeneric,    // a ViT + linear projector; (image/patch)^2 tokens
};
std::string_view VisionFamilyName(VisionFamily family);
const std::vector<std::string>& VisionFamilyNames();
std::optional<VisionFamily> VisionFamilyFromName(std::string_view name);

struct VisionSpec {
  VisionFamily family = VisionFamily::kGeneric;
  int64_t hidden_size = 0;        // the encoder width d
  int64_t layers = 0;             // encoder blocks kept (LLaVA drops the last: 23 of 24)
  int64_t intermediate_size = 0;  // encoder MLP width
  int64_t heads = 0;
  int64_t patch_size = 0;
  int64_t image_size = 0;         // the encoder's native (or tile) side in pixels
  int64_t projection_dim = 0;     // the projector's output width: the text model's d_model
  std::optional<int64_t> tokens_per_image;  // a fixed count that replaces the family rule
  int64_t merge_size = 2;                   // Qwen2-VL spatial merge
  int64_t min_pixels = 3136;                // Qwen2-VL preprocessor defaults (56 x 56)
  int64_t max_pixels = 12845056;            // 16384 x 28 x 28
  int64_t max_tiles = 0;                    // 0: the family default (LLaVA-NeXT 4, InternVL 12)
  std::string dtype = "f16";                // projector weights: f32, f16, bf16, q8_0
  std::optional<double> file_bytes;         // exact tensor bytes of an mmproj GGUF
  std::string path;                         // the mmproj file, when one was given
  std::string source;                       // where the figures come from
};

// Bytes per weight of a projector dtype; nullopt for an unknown one.
std::optional<double> ProjectorBytesPerWeight(std::string_view dtype);

// Reads an mmproj GGUF (general.architecture "clip"): clip.projector_type and the
// clip.vision.* hyper-parameters; file_bytes = the tensors' bytes. kInvalidArgument when the
// file is not a projector GGUF, kCorruption for a missing or mistyped key.
StatusOr<VisionSpec> VisionSpecFromGguf(const gguf::Artifact& artifact);

// A Hugging Face `vision_config` object (config.json) of `family`; `text_hidden_size` is the
// projector's output width (the text model's hidden_size). Accepts CLIP/SigLIP spellings
// (hidden_size, num_hidden_layers, intermediate_size, num_attention_heads, patch_size,
// image_size) and Qwen2-VL's (embed_dim, depth, mlp_ratio, num_heads, hidden_size as the
// output width, spatial_merge_size). kInvalidArgument naming the missing or mistyped key.
StatusOr<VisionSpec> VisionSpecFromHfConfig(const nlohmann::json& vision_config, VisionFamily family,
                                            int64_t text_hidden_size);

// The vision tower of a Hugging Face multimodal checkpoint (config.json `vision_config` of a
// gemma3, llava, llava_next, qwen2_vl or qwen2_5_vl wrapper): the family from the wrapper's
// model_type, the projector's output width from the text model, the dtype from torch_dtype,
// and file_bytes = the exact bytes of the checkpoint's vision tensors ("mm.") when its
// safetensors headers were read. kUnsupported for a wrapper without a vision family here.
StatusOr<VisionSpec> VisionSpecFromCheckpoint(const HfCheckpoint& checkpoint);

}  // namespace sizer

#endif  // SIZER_INPUT_VISION_SPEC_H_
