// A micro-runner session: opens a GGUF (memory-mapped), refuses what it cannot run before any
// work (architecture, tensor types and shapes, tokenizer), then prefills a prompt and decodes.
#ifndef SIZER_RUNNER_SESSION_H_
#define SIZER_RUNNER_SESSION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/thread_pool.h"
#include "gguf/artifact.h"
#include "runner/config.h"
#include "runner/sampler.h"
#include "runner/tokenizer.h"
#include "runner/transformer.h"
#include "runner/weights.h"

namespace sizer::runner {

struct SessionOptions {
  int threads = 0;              // 0: the machine's physical cores
  int64_t context_tokens = 0;   // KV positions; 0: min(model context, 4096)
  KvCacheType kv_type = KvCacheType::kF16;
};

struct GenerationStats {
  int64_t prompt_tokens = 0;
  double prefill_ms = 0;
  int64_t generated_tokens = 0;
  double decode_ms = 0;
  double decode_tokens_per_s = 0;
};

class Session {
 public:
  static StatusOr<std::unique_ptr<Session>> Open(const std::string& path,
                                                 const SessionOptions& options);

  // Encodes `prompt` (BOS first), runs it through the model, then generates up to `n_tokens`
  // (stopping at EOS), calling `on_piece` with each generated token's text as it comes.
  // kInvalidArgument when the prompt plus one token does not fit the context.
  StatusOr<GenerationStats> Generate(std::string_view prompt, int64_t n_tokens, Sampler& sampler,
                                     const std::function<void(std::string_view)>& on_piece);

  const RunnerConfig& config() const { return config_; }
  const Tokenizer& tokenizer() const { return *tokenizer_; }
  Transformer& transformer() { return *transformer_; }
  int threads() const { return pool_->threads(); }

 private:
  Session() = default;

  gguf::Artifact artifact_;
  RunnerConfig config_;
  ModelWeights weights_;
  std::optional<Tokenizer> tokenizer_;  // set by Open
  std::unique_ptr<ThreadPool> pool_;
  std::unique_ptr<Transformer> transformer_;
};

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_SESSION_H_
