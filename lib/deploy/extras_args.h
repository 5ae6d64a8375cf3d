// Server flags for the job's extras (input/job_extras.h): the vision projector and image
// limit, the speculative-decoding draft, LoRA adapters and the embed/rerank task. Spellings
// from runtime_db/<id>.yaml `flags`.
#ifndef SIZER_DEPLOY_EXTRAS_ARGS_H_
#define SIZER_DEPLOY_EXTRAS_ARGS_H_

#include "base/status.h"
#include "deploy/deployment.h"

namespace sizer {

// llama-server: --mmproj, --model-draft / --draft-max, --lora, --embedding / --reranking
// (tools/server README).
Status AddLlamaCppExtrasArgs(Deployment& d);

// vLLM: --limit-mm-per-prompt, --speculative-config, --enable-lora --max-loras
// --max-lora-rank --lora-modules, --task embed|score (docs v0.10.2 engine_args).
Status AddVllmExtrasArgs(Deployment& d);

}  // namespace sizer

#endif  // SIZER_DEPLOY_EXTRAS_ARGS_H_
