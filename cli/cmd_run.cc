// sizer run MODEL.gguf --prompt "..." -n 64: the micro-runner, streaming its text.
#include <cstdio>
#include <iostream>

#include "base/format.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "runner/session.h"

namespace sizer::cli {

int RunRun(const std::vector<std::string>& args) {
  po::options_description options(
      "usage: sizer run MODEL.gguf --prompt TEXT [-n N] [--threads N] [--temp T --seed S]\n\n"
      "Runs the model on this CPU with sizer's own micro-runner (llama, qwen2, qwen3; weights\n"
      "executed from their quantized blocks) and streams the continuation of the prompt, then\n"
      "one line of figures: prompt tokens, prefill ms, generated tokens, decode tokens/s.\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("model", po::value<std::string>()->value_name("MODEL.gguf"), "the GGUF file")
      ("prompt,p", po::value<std::string>()->default_value(""),
       "the prompt (BOS added where the model's vocabulary asks)")
      ("tokens,n", po::value<int64_t>()->default_value(64), "tokens to generate at most")
      ("threads,t", po::value<int>()->default_value(0), "threads (default: physical cores)")
      ("temp", po::value<float>()->default_value(0.0f), "temperature; 0 is greedy")
      ("top-p", po::value<float>()->default_value(1.0f), "nucleus sampling threshold")
      ("seed", po::value<uint64_t>()->default_value(42), "sampling seed")
      ("context", po::value<int64_t>()->default_value(0),
       "KV cache positions (default: the model's context, at most 4096)")
      ("kv-f32", "keep the KV cache in f32 instead of f16");
  po::positional_options_description positional;
  positional.add("model", 1);
  auto vm = ParseOptions("run", args, options, positional);
  if (!vm) return kExitBadInput;
  if (auto done = HelpOrMissing(*vm, options, "run", "model", "MODEL.gguf")) return *done;
  const int64_t n = (*vm)["tokens"].as<int64_t>();
  const int threads = (*vm)["threads"].as<int>();
  const float temp = (*vm)["temp"].as<float>();
  const float top_p = (*vm)["top-p"].as<float>();
  if (n < 0 || threads < 0 || !(temp >= 0) || !(top_p > 0 && top_p <= 1) ||
      (*vm)["context"].as<int64_t>() < 0) {
    PrintError("run: -n, --threads and --context must not be negative, --temp must be >= 0 "
               "and --top-p in (0, 1]");
    return kExitBadInput;
  }
  runner::SessionOptions session_options;
  session_options.threads = threads;
  session_options.context_tokens = (*vm)["context"].as<int64_t>();
  session_options.kv_type = vm->count("kv-f32") ? runner::KvCacheType::kF32 : runner::KvCacheType::kF16;
  StatusOr<std::unique_ptr<runner::Session>> session =
      runner::Session::Open((*vm)["model"].as<std::string>(), session_options);
  if (!session.ok()) return ReportError(session.status());
  runner::Sampler sampler(temp, top_p, (*vm)["seed"].as<uint64_t>());
  const std::string prompt = (*vm)["prompt"].as<std::string>();
  std::cout << prompt << std::flush;
  StatusOr<runner::GenerationStats> stats = (*session)->Generate(
      prompt, n, sampler, [](std::string_view piece) { std::cout << piece << std::flush; });
  std::cout << "\n";
  if (!stats.ok()) return ReportError(stats.status());
  std::cout << "prompt tokens " << stats->prompt_tokens << ", prefill "
            << FormatFixed(stats->prefill_ms, 1) << " ms, generated tokens "
            << stats->generated_tokens << ", decode " << FormatFixed(stats->decode_tokens_per_s, 1)
            << " tokens/s (" << (*session)->threads() << " threads)\n";
  return kExitOk;
}

}  // namespace sizer::cli
