#include "plan/encoder.h"

#include <algorithm>

namespace sizer {

bool IsEncoderOnly(const ModelSpec& m) {
  for (const char* f : {"bert", "xlm-roberta", "roberta", "nomic-bert", "jina-bert-v2", "modernbert"}) {
    if (m.family == f) return true;
  }
  return false;
}

RuntimeMemory PlanTaskRuntimeMemory(const PlanInputs& in, HardwareKind kind, int64_t context_tokens,
                                    int64_t sequences, int64_t kv_cells) {
  PlanInputs pooled = in;
  const bool rerank = in.job->extras.task == ServeTask::kRerank;
  pooled.model.vocab_size = rerank ? 1 : in.model.d_model;
  const bool encoder = IsEncoderOnly(in.model);
  const int64_t micro = std::min<int64_t>(in.runtime.micro_batch_tokens, context_tokens * sequences);
  RuntimeMemory mem = PlanRuntimeMemory(pooled, kind, context_tokens, sequences, encoder ? micro : kv_cells);
  for (Quantity& q : mem.rows) {
    q.formula.Append(std::string("; task ") + (rerank ? "rerank: one score" : "embed: d_model floats") +
                         " per sequence instead of vocab logits" +
                         (encoder ? "; the encoder's micro-batch attends to itself" : ""),
                     {});
  }
  return mem;
}

void ApplyEncoderSpeed(const PlanInputs& in, const Candidate& c, const WeightPlan& w, SpeedPlan& s) {
  const JobSpec& job = *in.job;
  const HardwareSpec& hw = c.hardware;
  const int64_t length = job.prompt_tokens;
  const double seqs = static_cast<double>(job.concurrency);
  std::string which;
  const double peak = PrefillPeakFlopPerS(in, hw, &which) * static_cast<double>(c.count);
  const double eff = in.runtime.prefill_efficiency.Of(hw.kind);
  // Causal prefill counts each pair once; an encoder attends to all L x L pairs.
  const double attention = PromptAttentionFlops(in.model, length) * (IsEncoderOnly(in.model) ? 2.0 : 1.0);
  const double flops_per_seq = 2.0 * w.active_params * static_cast<double>(length) + attention;
  const double compute_s = seqs * flops_per_seq / (peak * eff);
  const double memory_s = w.total_bytes / (hw.memory_bandwidth_bytes_per_s * static_cast<double>(c.count) *
                                           s.decode_efficiency);
  const double batch_s = std::max(compute_s, memory_s);
  const double per_s = seqs / batch_s;

  QuantityList kept;
  for (const Quantity& q : s.rows) {
    if (q.key.find("decode") != std::string::npos || q.key == "ttft_ms" ||
        q.key.find("p95") != std::string::npos) {
      continue;
    }
    kept.push_back(q);
  }
  s.rows = kept;
  const std::string task(ServeTaskName(job.extras.task));
  s.rows.push_back({"sequences_per_s", "Sequences per second (" + task + ")", per_s, Unit::kNone,
                    {"{seqs} sequences / max(compute {compute_ms} ms, weight read {memory_ms} ms) per batch; "
                     "2 x {params} params x {length} tokens + attention over " + which +
                         " peak {peak} x {eff}",
                     {Whole("seqs", job.concurrency), {"compute_ms", compute_s * 1000.0, Unit::kMs, 2},
                      {"memory_ms", memory_s * 1000.0, Unit::kMs, 2},
                      {"params", w.active_params, Unit::kParams}, Whole("length", length),
                      {"peak", peak, Unit::kFlopPerS}, {"eff", eff, Unit::kNone, 2}}},
                    in.runtime.id + " prefill_efficiency (see assumptions); plan/encoder.h"});
  s.rows.push_back({"batch_latency_ms", "Latency per batch", batch_s * 1000.0, Unit::kMs,
                    {"one forward pass of {seqs} sequences of {length} tokens (no decode steps)",
                     {Whole("seqs", job.concurrency), Whole("length", length)}},
                    ""});
  s.expected_decode_tokens_per_s = 0;
  s.expected_decode_full_context_tokens_per_s = 0;
  s.aggregate_decode_tokens_per_s = 0;
  s.compute_bound = compute_s > memory_s;
  s.ttft_ms = batch_s * 1000.0;
  s.p95_token_latency_ms = batch_s * 1000.0;
}

}  // namespace sizer
