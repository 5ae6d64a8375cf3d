// Timed prefill and decode on a session, for `sizer validate` and `sizer bench`: the way
// llama-bench measures (pp: a prompt of fixed token ids; tg: greedy decode that ignores
// end-of-text so every run decodes the same number of tokens).
#ifndef SIZER_RUNNER_BENCHMARK_H_
#define SIZER_RUNNER_BENCHMARK_H_

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "runner/session.h"

namespace sizer::runner {

struct BenchmarkStats {
  int64_t prompt_tokens = 0;
  double prefill_ms = 0;
  double prefill_tokens_per_s = 0;
  int64_t decode_tokens = 0;
  double decode_ms = 0;
  double decode_tokens_per_s = 0;       // decode_tokens / decode time
  double median_token_ms = 0;           // median of the per-token times
  std::vector<double> token_ms;         // each decode step
  size_t kv_cache_bytes = 0;
};

// Runs `prompt_tokens` positions of fixed ids, then `decode_tokens` greedy steps.
// kInvalidArgument when they do not fit the session's context.
StatusOr<BenchmarkStats> RunBenchmark(Session& session, int64_t prompt_tokens,
                                      int64_t decode_tokens);

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_BENCHMARK_H_
