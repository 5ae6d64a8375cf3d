#include "deploy/extras_args.h"

#include <algorithm>
#include <filesystem>

#include "plan/lora.h"

namespace sizer {
namespace {

// Extra files are mounted beside the model: /models/<file name>.
std::string InContainer(const std::string& path) {
  return "/models/" + std::filesystem::path(path).filename().string();
}

Status Add(Deployment& d, const std::string& key, const std::string& value, const std::string& from) {
  SIZER_ASSIGN_OR_RETURN(std::string flag, d.runtime.Flag(key));
  d.settings.push_back({key, flag, value, from});
  d.args.push_back(flag);
  if (!value.empty()) d.args.push_back(value);
  return Status();
}

}  // namespace

Status AddLlamaCppExtrasArgs(Deployment& d) {
  const JobExtras& x = d.job().extras;
  if (x.vision) {
    if (x.vision->path.empty()) {
      d.warnings.push_back("the vision encoder was given as hyper-parameters: put its mmproj GGUF in models/ "
                           "and pass it with --mmproj");
    } else {
      SIZER_RETURN_IF_ERROR(Add(d, "mmproj", InContainer(x.vision->path),
                                "job vision: the projector the worksheet budgets (" + x.vision->path + ")"));
    }
  }
  if (x.draft) {
    const std::string path = x.draft->model_file ? x.draft->model_file->path : "models/" + x.draft->model_ref + ".gguf";
    SIZER_RETURN_IF_ERROR(Add(d, "draft_model", InContainer(path), "job draft.model: the draft model"));
    SIZER_RETURN_IF_ERROR(Add(d, "draft_max", std::to_string(x.draft->draft_tokens),
                              "job draft.draft_tokens: k in the worksheet's speculative rows"));
  }
  for (const AdapterSpec& a : x.adapters) {
    if (a.path.empty()) continue;
    SIZER_RETURN_IF_ERROR(Add(d, "lora", InContainer(a.path), "job adapters: " + a.name));
  }
  if (x.task == ServeTask::kEmbed) {
    SIZER_RETURN_IF_ERROR(Add(d, "embedding", "", "job task embed"));
  } else if (x.task == ServeTask::kRerank) {
    SIZER_RETURN_IF_ERROR(Add(d, "reranking", "", "job task rerank"));
  }
  return Status();
}

Status AddVllmExtrasArgs(Deployment& d) {
  const JobExtras& x = d.job().extras;
  if (x.vision) {
    SIZER_RETURN_IF_ERROR(Add(d, "limit_mm_per_prompt",
                              "{\"image\": " + std::to_string(x.images_per_request) + "}",
                              "job images_per_request: the profile run reserves this many images"));
  }
  if (x.draft) {
    const std::string model = x.draft->model_file ? InContainer(x.draft->model_file->path) : x.draft->model_ref;
    SIZER_RETURN_IF_ERROR(Add(d, "speculative_config",
                              "{\"model\": \"" + model + "\", \"num_speculative_tokens\": " +
                                  std::to_string(x.draft->draft_tokens) + "}",
                              "job draft: the draft model and k"));
  }
  if (!x.adapters.empty()) {
    int64_t rank = 0;
    for (const AdapterSpec& a : x.adapters) rank = std::max(rank, a.rank);
    SIZER_RETURN_IF_ERROR(Add(d, "enable_lora", "", "job adapters"));
    SIZER_RETURN_IF_ERROR(Add(d, "max_loras", std::to_string(x.max_loras),
                              "job max_loras: the LoRA buffers the worksheet budgets"));
    SIZER_RETURN_IF_ERROR(Add(d, "max_lora_rank", std::to_string(VllmMaxLoraRank(rank)),
                              "the largest adapter rank rounded up to vLLM's allowed ranks"));
    for (const AdapterSpec& a : x.adapters) {
      if (a.path.empty()) continue;
      SIZER_RETURN_IF_ERROR(Add(d, "lora_modules", a.name + "=" + InContainer(a.path), "job adapters: " + a.name));
    }
  }
  if (x.task != ServeTask::kGenerate) {
    SIZER_RETURN_IF_ERROR(Add(d, "task", x.task == ServeTask::kEmbed ? "embed" : "score",
                              "job task " + std::string(ServeTaskName(x.task)) +
                                  " (vLLM calls reranking 'score')"));
  }
  return Status();
}

}  // namespace sizer
