// A Hugging Face checkpoint folder (config.json, model.safetensors or
// model.safetensors.index.json + shards) as a ModelSpec and an ArtifactSpec whose tensors are
// the shards' real tensors, read from their headers only: the planner then uses the exact
// weight bytes, as it does for a GGUF file.
#ifndef SIZER_CATALOG_MODEL_FROM_HF_H_
#define SIZER_CATALOG_MODEL_FROM_HF_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "catalog/hf_config.h"
#include "catalog/hf_quantization.h"
#include "catalog/model.h"
#include "catalog/model_from_gguf.h"

namespace sizer {

struct HfCheckpoint {
  std::string folder;
  HfConfig config;
  HfQuantization quantization;
  // Present when the folder holds safetensors: container kSafetensors, file_type the weight
  // format id, tensor names in GGUF style (blk.N.attn_q.qweight) so the planner's tensor
  // classes apply; `files` are the shards.
  std::optional<ArtifactSpec> artifact;
  std::optional<uint64_t> index_total_size;  // the index's metadata.total_size
  bool header_only = false;  // some shard holds only its header (test fixtures)
};

// True when `path` is a folder holding config.json, or a file named config.json.
bool IsHfCheckpointPath(const std::string& path);

// Opens a folder or a config.json path. A folder without safetensors gives no artifact (the
// planner then estimates the weights from the config). Errors name the file and the key or
// byte offset: a missing config.json (kNotFound), a shard named by the index but missing
// (kNotFound), a malformed header (kCorruption), an unknown model_type or quant_method
// (kUnsupported).
StatusOr<HfCheckpoint> OpenHfCheckpoint(const std::string& path);

// "model.layers.3.self_attn.q_proj.qweight" -> "blk.3.attn_q.qweight" (llama.cpp's
// gguf-py tensor_mapping.py names); vision-tower tensors get an "mm." prefix.
std::string GgufStyleTensorName(std::string_view hf_name);

}  // namespace sizer

#endif  // SIZER_CATALOG_MODEL_FROM_HF_H_
