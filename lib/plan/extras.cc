#include "plan/extras.h"

#include <algorithm>

#include "plan/encoder.h"
#include "plan/lora.h"
#include "plan/speculative.h"
#include "plan/vision.h"

namespace sizer {
namespace {

void AddDraftMemory(const PlanInputs& in, int64_t context_tokens, int64_t sequences, ExtrasMemory& x) {
  std::optional<DraftModel> draft = ResolveDraft(in);
  if (!draft) return;
  const DraftSpec& d = *in.job->extras.draft;
  const KvPlan kv = PlanKvCache(draft->in, context_tokens, sequences);
  x.weights_bytes += draft->weights.total_bytes;
  x.kv_bytes += kv.bytes;
  x.rows.push_back({"draft_weights_bytes", "Draft model weights", draft->weights.total_bytes, Unit::kBytes,
                    {"{params} params of " + d.model_ref + " in " + draft->in.quant,
                     {{"params", draft->weights.total_params, Unit::kParams}}},
                    d.model_file ? "the draft GGUF's tensors" : "model_db " + d.model.id + " (plan/weights.cc)"});
  x.rows.push_back({"draft_kv_cache_bytes", "Draft model KV cache", kv.bytes, Unit::kBytes,
                    {"{per_token} per token x {context} context x {sequences} sequences (the target's)",
                     {{"per_token", kv.bytes_per_token, Unit::kBytes}, Whole("context", context_tokens),
                      Whole("sequences", sequences)}},
                    "the draft keeps its own cache for every sequence (llama.cpp -cd / vLLM draft runner)"});
}

// The TTFT grows by the vision encoder's pass and the image tokens' prefill.
void ApplyVisionSpeed(const PlanInputs& in, const Candidate& c, SpeedPlan& s) {
  const VisionPlan v = PlanVision(in);
  if (!v.present || v.image_tokens == 0) return;
  // The encoder runs in 16-bit floats whatever the text model's format: the fp16 peak.
  const std::string which = "fp16";
  const double peak = c.hardware.fp16_flop_per_s * static_cast<double>(c.count);
  const double eff = in.runtime.prefill_efficiency.Of(c.hardware.kind);
  const double encoder_s = v.encoder_flops / (peak * eff);
  const double image_prefill_s = static_cast<double>(v.image_tokens) / s.prefill_tokens_per_s;
  s.rows.push_back({"vision_encoder_ms", "Vision encoder time", encoder_s * 1000.0, Unit::kMs,
                    {"{tflop} TFLOP of encoder work (2 x params x patches + 4 x n^2 x d per block) / (" + which +
                         " peak {peak} x {eff})",
                     {{"tflop", v.encoder_flops / 1e12, Unit::kNone, 2}, {"peak", peak, Unit::kFlopPerS},
                      {"eff", eff, Unit::kNone, 2}}},
                    in.runtime.id + " prefill_efficiency"});
  s.rows.push_back({"vision_prefill_ms", "Image token prefill", image_prefill_s * 1000.0, Unit::kMs,
                    {"{tokens} image tokens / prefill {rate} tokens/s",
                     {Whole("tokens", v.image_tokens), {"rate", s.prefill_tokens_per_s, Unit::kTokensPerS}}},
                    ""});
  s.ttft_ms += (encoder_s + image_prefill_s) * 1000.0;
  for (Quantity& q : s.rows) {
    if (q.key != "ttft_ms") continue;
    q.value = s.ttft_ms;
    q.formula.Append(" + vision encoder + image token prefill", {});
  }
}

// Speculative decoding replaces the decode rate (Leviathan et al. 2023, plan/speculative.h).
void ApplySpeculativeSpeed(const PlanInputs& in, const Candidate& c, const WeightPlan& w, SpeedPlan& s) {
  std::optional<DraftModel> draft = ResolveDraft(in);
  if (!draft) return;
  const JobSpec& job = *in.job;
  const DraftSpec& d = *job.extras.draft;
  const int64_t mid = std::min(job.context_tokens, job.prompt_tokens + job.output_tokens / 2);
  const SpeculativeStep at_mid = SpeculativeStepAt(in, *draft, c, w, job.concurrency, mid);
  const SpeculativeStep at_full = SpeculativeStepAt(in, *draft, c, w, job.concurrency, job.context_tokens);
  s.expected_decode_tokens_per_s = at_mid.tokens_per_s();
  s.expected_decode_full_context_tokens_per_s = at_full.tokens_per_s();
  s.aggregate_decode_tokens_per_s = at_mid.tokens_per_s() * static_cast<double>(job.concurrency);
  s.p95_token_latency_ms = at_full.step_s() * 1000.0;  // a whole step can pass between tokens
  const std::string a_source = d.acceptance_given ? "job draft.acceptance_rate"
                                                  : "assumption 0.7 (input/job_extras.h)";
  s.rows.push_back({"speculative_tokens_per_step", "Tokens per speculative step", at_mid.tokens_per_step,
                    Unit::kNone,
                    {"(1 - {a}^({k} + 1)) / (1 - {a})",
                     {{"a", d.acceptance_rate, Unit::kNone, 2}, Whole("k", d.draft_tokens)}},
                    "Leviathan et al. 2023 (arXiv:2211.17192) eq. 1; acceptance: " + a_source});
  s.rows.push_back({"speculative_step_ms", "Speculative step", at_mid.step_s() * 1000.0, Unit::kMs,
                    {"{k} x draft step {draft_ms} ms + target verification of {k1} tokens {verify_ms} ms",
                     {Whole("k", d.draft_tokens), {"draft_ms", at_mid.draft_step_s * 1000.0 / d.draft_tokens, Unit::kMs, 3},
                      Whole("k1", d.draft_tokens + 1), {"verify_ms", at_mid.verify_step_s * 1000.0, Unit::kMs, 3}}},
                    "bandwidth model of both models (plan/speed.cc DecodeStepTime)"});
  for (Quantity& q : s.rows) {
    if (q.key == "expected_decode_tokens_per_s") {
      q.value = s.expected_decode_tokens_per_s;
      q.formula = {"tokens per speculative step / speculative step (draft " + d.model_ref + ")"};
    } else if (q.key == "expected_decode_full_context_tokens_per_s") {
      q.value = s.expected_decode_full_context_tokens_per_s;
      q.formula = {"as above at depth {depth}", {Whole("depth", job.context_tokens)}};
    } else if (q.key == "aggregate_decode_tokens_per_s") {
      q.value = s.aggregate_decode_tokens_per_s;
    } else if (q.key == "p95_token_latency_ms") {
      q.value = s.p95_token_latency_ms;
      q.formula = {"one speculative step at full context"};
    }
  }
}

}  // namespace

int64_t ImageContextTokens(const PlanInputs& in) {
  const JobExtras& x = in.job->extras;
  if (!x.vision) return 0;
  return CountImageTokens(*x.vision, x.image_size).tokens * x.images_per_request;
}

ExtrasMemory PlanExtrasMemory(const PlanInputs& in, int64_t context_tokens, int64_t sequences) {
  ExtrasMemory x;
  const VisionPlan v = PlanVision(in);
  x.weights_bytes += v.weights_bytes;
  x.activation_bytes += v.activation_bytes;
  x.runtime_bytes += v.encoder_cache_bytes;
  x.rows.insert(x.rows.end(), v.rows.begin(), v.rows.end());
  AddDraftMemory(in, context_tokens + ImageContextTokens(in), sequences, x);
  const LoraPlan lora = PlanLora(in);
  x.weights_bytes += lora.weights_bytes;
  x.runtime_bytes += lora.buffer_bytes;
  x.rows.insert(x.rows.end(), lora.rows.begin(), lora.rows.end());
  return x;
}

void ApplyTaskToKv(const PlanInputs& in, KvPlan& kv) {
  const ServeTask task = in.job->extras.task;
  if (task == ServeTask::kGenerate || !IsEncoderOnly(in.model)) return;
  kv.bytes = kv.attention_bytes = kv.state_bytes = 0;
  kv.rows = {{"kv_cache_bytes", "KV cache", 0, Unit::kBytes,
              {"none: task " + std::string(ServeTaskName(task)) + " on an encoder-only model (" +
               in.model.family + ") keeps no cache between passes"},
              "llama.cpp src/llama-model.cpp create_memory (no memory for encoder-only architectures)"}};
}

void ApplyExtrasSpeed(const PlanInputs& in, const Candidate& c, const WeightPlan& w, SpeedPlan& s) {
  if (in.job->extras.task != ServeTask::kGenerate) {
    ApplyEncoderSpeed(in, c, w, s);
    return;
  }
  ApplyVisionSpeed(in, c, s);
  ApplySpeculativeSpeed(in, c, w, s);
}

}  // namespace sizer
