#include "runner/benchmark.h"

#include "runner/sampler.h"

#include <algorithm>
#include <chrono>

namespace sizer::runner {
namespace {

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

StatusOr<BenchmarkStats> RunBenchmark(Session& session, int64_t prompt_tokens, int64_t decode_tokens) {
  Transformer& t = session.transformer();
  if (prompt_tokens < 1 || decode_tokens < 0 || prompt_tokens + decode_tokens > t.max_tokens()) {
    return Status::InvalidArgument(std::to_string(prompt_tokens) + " prompt and " +
                                   std::to_string(decode_tokens) +
                                   " generated tokens do not fit the context of " +
                                   std::to_string(t.max_tokens()) + " (use --context)");
  }
  const int64_t vocab = session.config().vocab_size;
  BenchmarkStats s;
  s.prompt_tokens = prompt_tokens;
  const std::vector<float>* logits = nullptr;
  auto start = std::chrono::steady_clock::now();
  int64_t pos = 0;
  for (; pos < prompt_tokens; ++pos) {
    // Fixed, spread-out ids (a prime stride), never the control tokens 0..2.
    const int32_t token = static_cast<int32_t>(vocab > 3 ? 3 + (pos * 7919) % (vocab - 3) : 0);
    logits = &t.Forward(token, pos);
  }
  s.prefill_ms = MillisecondsSince(start);
  s.prefill_tokens_per_s = static_cast<double>(prompt_tokens) / (s.prefill_ms / 1000.0);
  start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < decode_tokens; ++i, ++pos) {
    const auto step = std::chrono::steady_clock::now();
    logits = &t.Forward(ArgMax(*logits), pos);
    s.token_ms.push_back(MillisecondsSince(step));
  }
  s.decode_ms = MillisecondsSince(start);
  s.decode_tokens = decode_tokens;
  if (decode_tokens > 0) {
    s.decode_tokens_per_s = static_cast<double>(decode_tokens) / (s.decode_ms / 1000.0);
    std::vector<double> sorted = s.token_ms;
    std::sort(sorted.begin(), sorted.end());
    s.median_token_ms = sorted[sorted.size() / 2];
  }
  s.kv_cache_bytes = t.kv_cache_bytes();
  return s;
}

}  // namespace sizer::runner
