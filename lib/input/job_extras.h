// The parts of a deployment beyond one text model (issue 14): a vision projector with its
// images, a speculative-decoding draft model, LoRA adapters, and the serving task
// (generate, embed, rerank). Parsed from the job keys `vision:`, `images_per_request:`,
// `image_size:`, `draft:`, `adapters:`, `max_loras:` and `task:`.
#ifndef SIZER_INPUT_JOB_EXTRAS_H_
#define SIZER_INPUT_JOB_EXTRAS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"
#include "catalog/model.h"
#include "catalog/model_from_gguf.h"
#include "input/job_file_path.h"
#include "input/vision_spec.h"

namespace sizer {

enum class ServeTask { kGenerate, kEmbed, kRerank };
std::string_view ServeTaskName(ServeTask task);

struct ImageSize {
  int64_t width = 0;
  int64_t height = 0;
};

// `draft: {model:, quant:, draft_tokens:, acceptance_rate:}`.
struct DraftSpec {
  ModelSpec model;
  std::string model_ref;                   // the database id or the .gguf path
  std::optional<ArtifactSpec> model_file;  // when `model:` names a GGUF file
  std::string quant;                       // the draft's weight format (default: the job's)
  // Assumption: k = 4 draft tokens per step, a common setting (llama.cpp's --draft-max is 16
  // with an adaptive stop; vLLM's examples use num_speculative_tokens 3-5).
  int64_t draft_tokens = 4;
  // Assumption: 0.7 acceptance per token, the middle of the 0.6-0.8 range Leviathan et al.
  // 2023 (arXiv:2211.17192, table 3, T5 pairs) and Chen et al. 2023 (arXiv:2302.01318)
  // measured for a small draft of the same family. Override with `acceptance_rate:`.
  double acceptance_rate = 0.7;
  bool acceptance_given = false;
  std::string where;
};

// One entry of `adapters:`: a GGUF LoRA file, a PEFT folder (adapter_config.json) or
// rank + target_modules.
struct AdapterSpec {
  std::string name;
  std::string path;                       // "" for an adapter given by rank alone
  int64_t rank = 0;
  std::vector<std::string> target_modules;  // q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj
  std::optional<double> file_bytes;       // exact tensor bytes (GGUF) or the weights file size (PEFT)
  double bytes_per_element = 2;           // f16/bf16 adapters
  std::string where;
};

struct JobExtras {
  ServeTask task = ServeTask::kGenerate;
  std::optional<VisionSpec> vision;
  // The vision tower of the model itself: a Hugging Face folder's `vision_config` (set while
  // `model:` is parsed, before these keys). Used when a job sends images without `vision:`.
  std::optional<VisionSpec> model_vision;
  std::string model_vision_error;  // why a folder's vision_config could not be used
  int64_t images_per_request = 0;
  ImageSize image_size;       // of the largest image; default: the encoder's native size
  std::optional<DraftSpec> draft;
  std::vector<AdapterSpec> adapters;
  int64_t max_loras = 0;      // resident at once; default: every adapter
  bool any() const {
    return task != ServeTask::kGenerate || vision || draft || !adapters.empty();
  }
};

// The projection names an adapter may target (the HF/PEFT spellings).
const std::vector<std::string>& LoraTargetModules();

// The job keys this file parses (ParseJobRoot accepts them).
inline constexpr std::string_view kJobExtrasKeys[] = {
    "task", "vision", "images_per_request", "image_size", "draft", "adapters", "max_loras"};

struct JobSpec;
class YamlValue;

// Parses the keys above from the job's root mapping into job.extras. Every error is
// kInvalidArgument (kNotFound for a missing file or unknown id) "file:line:col: key: message".
// Needs job.model and job.quant already parsed (the draft and the projector are checked
// against the target model).
// Files (an mmproj, a draft GGUF, a LoRA) are opened through `resolver` (input/job_file_path.h).
Status ParseJobExtras(const YamlValue& root, const Catalog& catalog, JobSpec& job,
                      const ModelFileResolver& resolver = {});

// `adapters:` (input/adapter_spec.cc): each entry a GGUF LoRA file, a PEFT folder or
// {rank, target_modules}; paths opened through `resolver` (relative to the job file when unset).
// A PEFT folder may be named by its adapter_config.json.
Status ParseAdapters(const YamlValue& node, std::vector<AdapterSpec>& out,
                     const ModelFileResolver& resolver = {});

}  // namespace sizer

#endif  // SIZER_INPUT_JOB_EXTRAS_H_
