#include "runner/session.h"

#include <algorithm>
#include <chrono>

namespace sizer::runner {
namespace {

// Without --context, the cache holds this many positions (or the model's context if smaller):
// enough for interactive checks without allocating a 128k-token cache.
constexpr int64_t kDefaultContextTokens = 4096;

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

StatusOr<std::unique_ptr<Session>> Session::Open(const std::string& path,
                                                 const SessionOptions& options) {
  std::unique_ptr<Session> s(new Session());
  SIZER_ASSIGN_OR_RETURN(s->artifact_, gguf::Artifact::Open(path));
  const gguf::GgufFile& meta = s->artifact_.metadata();
  StatusOr<RunnerConfig> config = ReadRunnerConfig(meta);
  if (!config.ok()) return config.status().WithContext(path);
  s->config_ = *config;
  StatusOr<Tokenizer> tokenizer = Tokenizer::FromGguf(meta);
  if (!tokenizer.ok()) return tokenizer.status().WithContext(path);
  s->tokenizer_.emplace(std::move(tokenizer).value());
  Status vocab_fits = CheckVocabularyMatchesEmbedding(meta, *s->tokenizer_);
  if (!vocab_fits.ok()) return vocab_fits.WithContext(path);
  StatusOr<ModelWeights> weights = BindWeights(s->artifact_, s->config_);
  if (!weights.ok()) return weights.status().WithContext(path);
  s->weights_ = std::move(weights).value();

  int64_t context = options.context_tokens > 0
                        ? options.context_tokens
                        : std::min(s->config_.context_tokens, kDefaultContextTokens);
  if (context > s->config_.context_tokens) {
    return Status::InvalidArgument("context " + std::to_string(context) +
                                   " exceeds the model's " +
                                   std::to_string(s->config_.context_tokens) + " tokens");
  }
  s->pool_ = std::make_unique<ThreadPool>(options.threads > 0 ? options.threads
                                                              : PhysicalCoreCount());
  s->transformer_ = std::make_unique<Transformer>(s->config_, s->weights_, context,
                                                  options.kv_type, *s->pool_);
  return s;
}

StatusOr<GenerationStats> Session::Generate(std::string_view prompt, int64_t n_tokens,
                                            Sampler& sampler,
                                            const std::function<void(std::string_view)>& on_piece) {
  // As llama.cpp: BOS (and EOS) as the vocabulary asks; an empty prompt starts from BOS.
  std::vector<int32_t> tokens = tokenizer_->Encode(prompt, /*add_special=*/true);
  if (tokens.empty() && tokenizer_->bos() >= 0) tokens.push_back(tokenizer_->bos());
  if (tokens.empty()) {
    return Status::InvalidArgument("the prompt is empty and the vocabulary has no BOS token");
  }
  const int64_t capacity = transformer_->max_tokens();
  if (static_cast<int64_t>(tokens.size()) + 1 > capacity) {
    return Status::InvalidArgument("the prompt is " + std::to_string(tokens.size()) +
                                   " tokens; with one generated token it does not fit the context of " +
                                   std::to_string(capacity) + " (use --context)");
  }
  GenerationStats stats;
  stats.prompt_tokens = static_cast<int64_t>(tokens.size());
  auto start = std::chrono::steady_clock::now();
  std::vector<float> logits;
  int64_t pos = 0;
  for (int32_t token : tokens) logits = transformer_->Forward(token, pos++);
  stats.prefill_ms = MillisecondsSince(start);

  // Decode speed counts forward passes over generated tokens (llama.cpp's "eval" figure): the
  // first generated token comes from the prefill's logits.
  int64_t passes = 0;
  TokenTextStream text(*tokenizer_);  // holds back a UTF-8 character split across tokens
  start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < n_tokens && pos < capacity; ++i) {
    int32_t next = sampler.Sample(logits);
    if (tokenizer_->IsEndOfGeneration(next)) break;
    ++stats.generated_tokens;
    if (std::string piece = text.Push(next); !piece.empty()) on_piece(piece);
    if (i + 1 == n_tokens || pos + 1 >= capacity) break;  // no forward pass for an unused token
    logits = transformer_->Forward(next, pos++);
    ++passes;
  }
  stats.decode_ms = MillisecondsSince(start);
  if (std::string rest = text.Finish(); !rest.empty()) on_piece(rest);
  stats.decode_tokens_per_s =
      stats.decode_ms > 0 ? static_cast<double>(passes) / (stats.decode_ms / 1000.0) : 0;
  return stats;
}

}  // namespace sizer::runner
