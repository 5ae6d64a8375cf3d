// Embedding and reranker serving (task: embed | rerank): one forward pass per sequence, no
// decode steps. An encoder-only model (BERT, XLM-RoBERTa, ...) keeps no KV cache at all
// (llama.cpp creates no memory module for them: src/llama-model.cpp create_memory; vLLM's
// pooling runner allocates no KV pool for encoder-only attention); a decoder used as an
// embedder keeps the cache of the sequences in the batch. Throughput is compute-bound:
//   sequences/s = concurrency / max(concurrency x (2 x params x L + attention) / (peak x eff),
//                                   weights / (bandwidth x eff))
// with L = prompt_tokens (the document, or the query + document pair for rerank) and
// bidirectional attention over all L x L pairs for encoders (Kaplan et al. 2020, 2N FLOPs per
// token per parameter).
#ifndef SIZER_PLAN_ENCODER_H_
#define SIZER_PLAN_ENCODER_H_

#include "catalog/model.h"
#include "plan/plan_inputs.h"
#include "plan/runtime_memory.h"
#include "plan/speed.h"
#include "plan/weights.h"

namespace sizer {

// BERT-style families (bidirectional attention, no decoding).
bool IsEncoderOnly(const ModelSpec& m);

// Activations and runtime buffers for task embed/rerank: the output is a pooled vector
// (d_model floats for embed, one score for rerank) per sequence instead of vocab logits, and an
// encoder-only model's micro-batch attends to itself, not to a cache of the context.
RuntimeMemory PlanTaskRuntimeMemory(const PlanInputs& in, HardwareKind kind, int64_t context_tokens,
                                    int64_t sequences, int64_t kv_cells);

// Replaces the decode and TTFT rows of `s` with sequences/s and the latency of one batch.
void ApplyEncoderSpeed(const PlanInputs& in, const Candidate& c, const WeightPlan& w, SpeedPlan& s);

}  // namespace sizer

#endif  // SIZER_PLAN_ENCODER_H_
