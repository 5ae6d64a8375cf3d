#include "input/vision_spec.h"

#include <cctype>
#include <cmath>

namespace sizer {
namespace {

struct FamilyName {
  VisionFamily family;
  std::string_view name;
};
constexpr FamilyName kFamilies[] = {
    {VisionFamily::kLlava, "llava"},          {VisionFamily::kLlavaNext, "llava-next"},
    {VisionFamily::kGemma3, "gemma3"},        {VisionFamily::kQwen2Vl, "qwen2-vl"},
    {VisionFamily::kQwen25Vl, "qwen2.5-vl"},  {VisionFamily::kInternVl, "internvl"},
    {VisionFamily::kGeneric, "generic"},
};

// clip.projector_type (llama.cpp tools/mtmd/clip-impl.h PROJECTOR_TYPE_NAMES) -> family.
std::optional<VisionFamily> FamilyFromProjectorType(std::string_view type, bool has_pinpoints) {
  if (type == "mlp" || type == "mlp_norm") {
    return has_pinpoints ? VisionFamily::kLlavaNext : VisionFamily::kLlava;
  }
  if (type == "gemma3") return VisionFamily::kGemma3;
  if (type == "qwen2vl_merger") return VisionFamily::kQwen2Vl;
  if (type == "qwen2.5vl_merger" || type == "qwen25vl") return VisionFamily::kQwen25Vl;
  if (type == "internvl") return VisionFamily::kInternVl;
  return std::nullopt;
}

// ggml type of the projector's 2-D weights -> the dtype name ProjectorBytesPerWeight knows.
std::string DtypeOfTensors(const gguf::Artifact& artifact) {
  for (const gguf::TensorInfo* t : artifact.tensors()) {
    if (t->shape.size() < 2) continue;
    std::string name(t->type.name);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
  }
  return "f16";
}

StatusOr<int64_t> Uint(const gguf::GgufFile& f, std::string_view key) {
  SIZER_ASSIGN_OR_RETURN(uint64_t v, f.GetUint(key));
  if (v == 0 || v > (uint64_t{1} << 31)) {
    return Status::Corruption(std::string(key) + " = " + std::to_string(v) + " is out of range");
  }
  return static_cast<int64_t>(v);
}

StatusOr<int64_t> JsonInt(const nlohmann::json& j, std::string_view key) {
  auto it = j.find(std::string(key));
  if (it == j.end()) return Status::InvalidArgument("vision_config." + std::string(key) + " is missing");
  if (!it->is_number_integer() || it->get<int64_t>() <= 0) {
    return Status::InvalidArgument("vision_config." + std::string(key) + " must be a positive integer");
  }
  return it->get<int64_t>();
}

}  // namespace

std::string_view VisionFamilyName(VisionFamily family) {
  for (const FamilyName& f : kFamilies) {
    if (f.family == family) return f.name;
  }
  return "generic";
}

const std::vector<std::string>& VisionFamilyNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const FamilyName& f : kFamilies) out.emplace_back(f.name);
    return out;
  }();
  return names;
}

std::optional<VisionFamily> VisionFamilyFromName(std::string_view name) {
  for (const FamilyName& f : kFamilies) {
    if (f.name == name) return f.family;
  }
  return std::nullopt;
}

std::optional<double> ProjectorBytesPerWeight(std::string_view dtype) {
  if (dtype == "f32") return 4.0;
  if (dtype == "f16" || dtype == "bf16") return 2.0;
  if (dtype == "q8_0") return 34.0 / 32.0;  // ggml block: 32 int8 + one f16 scale
  if (dtype == "q4_0") return 18.0 / 32.0;
  return std::nullopt;
}

StatusOr<VisionSpec> VisionSpecFromGguf(const gguf::Artifact& artifact) {
  const gguf::GgufFile& f = artifact.metadata();
  StatusOr<std::string> arch = f.GetString("general.architecture");
  if (!arch.ok() || *arch != "clip") {
    return Status::InvalidArgument(
        "not a projector GGUF: general.architecture is " +
        (arch.ok() ? "'" + *arch + "'" : std::string("missing")) +
        ", an mmproj file has 'clip' (llama.cpp tools/mtmd)");
  }
  if (!f.Has("clip.vision.embedding_length")) {
    return Status::InvalidArgument("not a vision projector: clip.vision.embedding_length is missing "
                                   "(an audio-only mmproj?)");
  }
  std::string type = "mlp";
  if (f.Has("clip.projector_type")) {
    SIZER_ASSIGN_OR_RETURN(type, f.GetString("clip.projector_type"));
  }
  const bool pinpoints = f.Has("clip.vision.image_grid_pinpoints");
  std::optional<VisionFamily> family = FamilyFromProjectorType(type, pinpoints);
  VisionSpec v;
  v.family = family.value_or(VisionFamily::kGeneric);
  SIZER_ASSIGN_OR_RETURN(v.hidden_size, Uint(f, "clip.vision.embedding_length"));
  SIZER_ASSIGN_OR_RETURN(v.layers, Uint(f, "clip.vision.block_count"));
  SIZER_ASSIGN_OR_RETURN(v.intermediate_size, Uint(f, "clip.vision.feed_forward_length"));
  SIZER_ASSIGN_OR_RETURN(v.heads, Uint(f, "clip.vision.attention.head_count"));
  SIZER_ASSIGN_OR_RETURN(v.patch_size, Uint(f, "clip.vision.patch_size"));
  SIZER_ASSIGN_OR_RETURN(v.image_size, Uint(f, "clip.vision.image_size"));
  SIZER_ASSIGN_OR_RETURN(v.projection_dim, Uint(f, "clip.vision.projection_dim"));
  if (f.Has("clip.vision.spatial_merge_size")) {
    SIZER_ASSIGN_OR_RETURN(v.merge_size, Uint(f, "clip.vision.spatial_merge_size"));
  }
  v.dtype = DtypeOfTensors(artifact);
  v.file_bytes = static_cast<double>(artifact.tensor_data_bytes());
  v.path = artifact.paths().front();
  v.source = "mmproj " + v.path + " (clip.projector_type " + type + ")";
  return v;
}

StatusOr<VisionSpec> VisionSpecFromHfConfig(const nlohmann::json& c, VisionFamily family,
                                            int64_t text_hidden_size) {
  if (!c.is_object()) return Status::InvalidArgument("vision_config must be an object");
  VisionSpec v;
  v.family = family;
  v.projection_dim = text_hidden_size;
  v.source = "Hugging Face vision_config";
  if (family == VisionFamily::kQwen2Vl || family == VisionFamily::kQwen25Vl) {
    // Qwen2-VL: embed_dim/depth/mlp_ratio; Qwen2.5-VL: hidden_size is the encoder width,
    // intermediate_size the gated MLP and out_hidden_size the projector's output.
    const bool v25 = family == VisionFamily::kQwen25Vl;
    SIZER_ASSIGN_OR_RETURN(v.hidden_size, JsonInt(c, v25 ? "hidden_size" : "embed_dim"));
    SIZER_ASSIGN_OR_RETURN(v.layers, JsonInt(c, "depth"));
    SIZER_ASSIGN_OR_RETURN(v.heads, JsonInt(c, "num_heads"));
    if (v25) {
      SIZER_ASSIGN_OR_RETURN(v.intermediate_size, JsonInt(c, "intermediate_size"));
      SIZER_ASSIGN_OR_RETURN(v.projection_dim, JsonInt(c, "out_hidden_size"));
    } else {
      SIZER_ASSIGN_OR_RETURN(int64_t ratio, JsonInt(c, "mlp_ratio"));
      v.intermediate_size = v.hidden_size * ratio;
      SIZER_ASSIGN_OR_RETURN(v.projection_dim, JsonInt(c, "hidden_size"));
    }
    SIZER_ASSIGN_OR_RETURN(v.patch_size, JsonInt(c, "patch_size"));
    if (c.contains("spatial_merge_size")) {
      SIZER_ASSIGN_OR_RETURN(v.merge_size, JsonInt(c, "spatial_merge_size"));
    }
    v.image_size = v.patch_size * v.merge_size * 16;  // a nominal side; the tokens follow the image
    return v;
  }
  SIZER_ASSIGN_OR_RETURN(v.hidden_size, JsonInt(c, "hidden_size"));
  SIZER_ASSIGN_OR_RETURN(v.layers, JsonInt(c, "num_hidden_layers"));
  SIZER_ASSIGN_OR_RETURN(v.intermediate_size, JsonInt(c, "intermediate_size"));
  SIZER_ASSIGN_OR_RETURN(v.heads, JsonInt(c, "num_attention_heads"));
  SIZER_ASSIGN_OR_RETURN(v.patch_size, JsonInt(c, "patch_size"));
  SIZER_ASSIGN_OR_RETURN(v.image_size, JsonInt(c, "image_size"));
  // LLaVA feeds the penultimate layer (vision_feature_layer -2): llama.cpp keeps n - 1 blocks.
  if (family == VisionFamily::kLlava || family == VisionFamily::kLlavaNext) v.layers -= 1;
  if (v.layers <= 0) return Status::InvalidArgument("vision_config.num_hidden_layers leaves no layer");
  return v;
}


StatusOr<VisionSpec> VisionSpecFromCheckpoint(const HfCheckpoint& checkpoint) {
  struct WrapperFamily {
    std::string_view wrapper;
    VisionFamily family;
  };
  // The wrappers catalog/hf_config.cc reads through text_config, with their vision families.
  static constexpr WrapperFamily kFamilies[] = {
      {"gemma3", VisionFamily::kGemma3},     {"llava", VisionFamily::kLlava},
      {"llava_next", VisionFamily::kLlavaNext}, {"qwen2_vl", VisionFamily::kQwen2Vl},
      {"qwen2_5_vl", VisionFamily::kQwen25Vl}};
  const HfConfig& config = checkpoint.config;
  const WrapperFamily* found = nullptr;
  for (const WrapperFamily& f : kFamilies) {
    if (f.wrapper == config.wrapper_type) found = &f;
  }
  if (found == nullptr) {
    return Status::Unsupported(config.path + ": no vision family for model_type '" +
                               config.wrapper_type + "' (known: gemma3, llava, llava_next, qwen2_vl, qwen2_5_vl)");
  }
  StatusOr<VisionSpec> spec =
      VisionSpecFromHfConfig(config.vision_config, found->family, config.model.d_model);
  if (!spec.ok()) return spec.status().WithContext(config.path);
  VisionSpec v = *std::move(spec);
  if (config.torch_dtype == "float32") v.dtype = "f32";
  if (config.torch_dtype == "float16") v.dtype = "f16";
  if (config.torch_dtype == "bfloat16") v.dtype = "bf16";
  v.path = checkpoint.folder;
  v.source = "vision_config of " + config.path;
  if (checkpoint.artifact) {
    double bytes = 0;
    for (const ArtifactTensor& t : checkpoint.artifact->tensors) {
      if (t.name.rfind("mm.", 0) == 0) bytes += static_cast<double>(t.bytes);
    }
    if (bytes > 0) {
      v.file_bytes = bytes;
      v.source += "; tensor bytes from its safetensors headers";
    }
  }
  return v;
}

}  // namespace sizer
