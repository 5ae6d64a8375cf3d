#include "input/job_extras.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "base/edit_distance.h"
#include "base/format.h"
#include "input/job.h"
#include "yaml/yaml_reader.h"

namespace sizer {
namespace {

// llama.cpp accepts a draft whose vocabulary differs from the target's by at most this many
// tokens (common/speculative.cpp, SPEC_VOCAB_MAX_SIZE_DIFFERENCE); vLLM needs the same one.
constexpr int64_t kMaxDraftVocabDifference = 128;

Status ParseTask(const YamlValue& node, JobExtras& x) {
  SIZER_ASSIGN_OR_RETURN(std::string task, node.AsString());
  if (task == "generate") x.task = ServeTask::kGenerate;
  else if (task == "embed") x.task = ServeTask::kEmbed;
  else if (task == "rerank") x.task = ServeTask::kRerank;
  else {
    return node.Error("unknown task '" + task + "'" +
                      DidYouMean(task, {"generate", "embed", "rerank"}) +
                      " (known: generate, embed, rerank)");
  }
  return Status();
}

// "1024x768" (or "1024X768", "1024 x 768").
Status ParseImageSize(const YamlValue& node, ImageSize& out) {
  SIZER_ASSIGN_OR_RETURN(std::string text, node.AsString());
  std::string s;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) s += static_cast<char>(std::tolower(c));
  }
  const size_t x = s.find('x');
  auto positive = [](const std::string& part, int64_t& v) {
    if (part.empty() || part.size() > 6) return false;
    for (char c : part) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    v = std::strtoll(part.c_str(), nullptr, 10);
    return v > 0;
  };
  if (x == std::string::npos || !positive(s.substr(0, x), out.width) ||
      !positive(s.substr(x + 1), out.height)) {
    return node.Error("image_size '" + text + "' is not WIDTHxHEIGHT in pixels (e.g. 1024x768)");
  }
  return Status();
}

Status ParseVisionBlock(const YamlValue& node, VisionSpec& v) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys({"family", "hidden_size", "layers", "intermediate_size", "heads",
                                        "patch_size", "image_size", "projection_dim",
                                        "tokens_per_image", "merge_size", "min_pixels",
                                        "max_pixels", "max_tiles", "dtype"}));
  SIZER_ASSIGN_OR_RETURN(YamlValue family_node, node.Get("family"));
  SIZER_ASSIGN_OR_RETURN(std::string family, family_node.AsString());
  std::optional<VisionFamily> f = VisionFamilyFromName(family);
  if (!f) {
    return family_node.Error("unknown vision family '" + family + "'" +
                             DidYouMean(family, VisionFamilyNames()) + " (known: " +
                             Join(VisionFamilyNames(), ", ") + ")");
  }
  v.family = *f;
  v.source = "job vision block (" + node.Where() + ")";
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "hidden_size", &YamlValue::AsPositiveInt, v.hidden_size));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "layers", &YamlValue::AsPositiveInt, v.layers));
  SIZER_RETURN_IF_ERROR(
      ReadRequired(node, "intermediate_size", &YamlValue::AsPositiveInt, v.intermediate_size));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "heads", &YamlValue::AsPositiveInt, v.heads));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "patch_size", &YamlValue::AsPositiveInt, v.patch_size));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "image_size", &YamlValue::AsPositiveInt, v.image_size));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "projection_dim", &YamlValue::AsPositiveInt, v.projection_dim));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "tokens_per_image", &YamlValue::AsPositiveInt, v.tokens_per_image));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "merge_size", &YamlValue::AsPositiveInt, v.merge_size));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "min_pixels", &YamlValue::AsPositiveInt, v.min_pixels));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "max_pixels", &YamlValue::AsPositiveInt, v.max_pixels));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "max_tiles", &YamlValue::AsPositiveInt, v.max_tiles));
  if (node.Has("dtype")) {
    YamlValue d = node.GetOptional("dtype");
    SIZER_ASSIGN_OR_RETURN(v.dtype, d.AsString());
    if (!ProjectorBytesPerWeight(v.dtype)) {
      return d.Error("unknown projector dtype '" + v.dtype + "' (known: f32, f16, bf16, q8_0, q4_0)");
    }
  }
  return Status();
}

Status ParseVision(const YamlValue& node, const JobSpec& job, const ModelFileResolver& resolver,
                   VisionSpec& v) {
  if (node.IsMap()) {
    SIZER_RETURN_IF_ERROR(ParseVisionBlock(node, v));
  } else {
    SIZER_ASSIGN_OR_RETURN(std::string path, node.AsString());
    SIZER_ASSIGN_OR_RETURN(const std::string resolved, OpenableJobPath(node, path, resolver));
    StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(resolved);
    if (!artifact.ok()) return node.Error(artifact.status().message(), artifact.status().code());
    StatusOr<VisionSpec> spec = VisionSpecFromGguf(*artifact);
    if (!spec.ok()) return node.Error(resolved + ": " + spec.status().message());
    v = *spec;
  }
  if (v.projection_dim == 0) v.projection_dim = job.model.d_model;
  if (v.projection_dim != job.model.d_model) {
    return node.Error("the projector outputs embeddings of width " + std::to_string(v.projection_dim) +
                      " but the model's d_model is " + std::to_string(job.model.d_model) +
                      ": this mmproj belongs to another model");
  }
  if (v.image_size % v.patch_size != 0) {
    return node.Error("image_size " + std::to_string(v.image_size) + " is not a multiple of patch_size " +
                      std::to_string(v.patch_size));
  }
  return Status();
}

Status ParseDraft(const YamlValue& node, const Catalog& catalog, const JobSpec& job,
                  const ModelFileResolver& resolver, DraftSpec& d) {
  d.where = node.Where();
  d.quant = job.quant;
  // A fresh YamlValue, never assigned to: yaml-cpp's Node::operator= writes through to the
  // node it refers to.
  if (node.IsMap()) {
    SIZER_RETURN_IF_ERROR(node.CheckKeys({"model", "quant", "draft_tokens", "acceptance_rate"}));
    if (!node.Has("model")) return node.Error("draft needs a model: an id or a .gguf path");
  }
  const YamlValue model_node = node.IsMap() ? node.GetOptional("model") : node;
  JobSpec scratch;
  SIZER_ASSIGN_OR_RETURN(d.model, ParseJobModel(model_node, catalog, scratch, resolver));
  d.model_ref = scratch.model_ref;
  d.model_file = scratch.model_file;
  if (d.model_file) d.quant = d.model_file->file_type;
  if (node.IsMap()) {
    if (node.Has("quant")) SIZER_RETURN_IF_ERROR(ParseJobQuant(node.GetOptional("quant"), d.quant));
    SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "draft_tokens", &YamlValue::AsPositiveInt, d.draft_tokens));
    if (node.Has("acceptance_rate")) {
      YamlValue a = node.GetOptional("acceptance_rate");
      SIZER_ASSIGN_OR_RETURN(d.acceptance_rate, a.AsNumber());
      if (!(d.acceptance_rate > 0 && d.acceptance_rate < 1)) {
        return a.Error("acceptance_rate must be in (0, 1): the share of draft tokens the target accepts");
      }
      d.acceptance_given = true;
    }
  }
  const int64_t diff = std::llabs(d.model.vocab_size - job.model.vocab_size);
  if (diff > kMaxDraftVocabDifference) {
    return model_node.Error("the draft's vocabulary (" + std::to_string(d.model.vocab_size) +
                            " tokens) differs from the target's (" +
                            std::to_string(job.model.vocab_size) +
                            ") by more than 128 tokens; speculative decoding needs one tokenizer "
                            "(llama.cpp common/speculative.cpp refuses it, vLLM needs the same vocabulary)");
  }
  return Status();
}

}  // namespace

std::string_view ServeTaskName(ServeTask task) {
  switch (task) {
    case ServeTask::kGenerate: return "generate";
    case ServeTask::kEmbed: return "embed";
    case ServeTask::kRerank: return "rerank";
  }
  return "generate";
}

const std::vector<std::string>& LoraTargetModules() {
  static const std::vector<std::string> modules = {"q_proj",    "k_proj",  "v_proj",   "o_proj",
                                                   "gate_proj", "up_proj", "down_proj"};
  return modules;
}

Status ParseJobExtras(const YamlValue& root, const Catalog& catalog, JobSpec& job,
                      const ModelFileResolver& resolver) {
  JobExtras& x = job.extras;
  if (root.Has("task")) SIZER_RETURN_IF_ERROR(ParseTask(root.GetOptional("task"), x));
  if (root.Has("vision")) {
    x.vision.emplace();
    SIZER_RETURN_IF_ERROR(ParseVision(root.GetOptional("vision"), job, resolver, *x.vision));
  }
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(root, "images_per_request", &YamlValue::AsNonNegativeInt, x.images_per_request));
  if (root.Has("image_size")) SIZER_RETURN_IF_ERROR(ParseImageSize(root.GetOptional("image_size"), x.image_size));
  // A checkpoint folder with its own vision tower: its weights are budgeted even when the job
  // sends no image (vLLM loads the whole checkpoint); images are counted only when asked for.
  const bool implicit_vision = !x.vision && x.model_vision.has_value();
  if (implicit_vision) x.vision = x.model_vision;
  if (!x.vision && (root.Has("images_per_request") || root.Has("image_size"))) {
    const std::string why = x.model_vision_error.empty()
                                ? ""
                                : " (the checkpoint's vision_config was not usable: " +
                                      x.model_vision_error + ")";
    return root.GetOptional(root.Has("images_per_request") ? "images_per_request" : "image_size")
        .Error("images need a vision encoder: add `vision:` (an mmproj GGUF or a vision block)" + why);
  }
  if (x.vision && !implicit_vision && !root.Has("images_per_request")) x.images_per_request = 1;
  if (x.vision && x.image_size.width == 0) x.image_size = {x.vision->image_size, x.vision->image_size};
  if (root.Has("draft")) {
    x.draft.emplace();
    SIZER_RETURN_IF_ERROR(ParseDraft(root.GetOptional("draft"), catalog, job, resolver, *x.draft));
  }
  if (root.Has("adapters")) SIZER_RETURN_IF_ERROR(ParseAdapters(root.GetOptional("adapters"), x.adapters, resolver));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(root, "max_loras", &YamlValue::AsPositiveInt, x.max_loras));
  if (root.Has("max_loras") && x.adapters.empty()) {
    return root.GetOptional("max_loras").Error("max_loras without adapters: add `adapters:`");
  }
  if (x.max_loras == 0) x.max_loras = static_cast<int64_t>(x.adapters.size());
  if (x.task != ServeTask::kGenerate && x.draft) {
    return root.GetOptional("draft").Error("a draft model speeds up generation; task " +
                                           std::string(ServeTaskName(x.task)) + " generates nothing");
  }
  return Status();
}

}  // namespace sizer
