#include "cli/question_options.h"

#include "report/table.h"

namespace sizer::cli {

void AddQuestionOptions(po::options_description& options) {
  auto text = [] { return po::value<std::string>(); };
  options.add_options()
      ("quant", text()->value_name("Q"), "weight format (default: Q4_K_M for GGUF runtimes; "
       "a .gguf model's own type)")
      ("context", text()->value_name("N"), "context per sequence: 8192, 32k (= 32768); default: "
       "the model's maximum capped at 8192")
      ("concurrency", text()->value_name("N"), "sequences decoded at once (default 1)")
      ("runtime", text()->value_name("R"), "serving runtime (default llama.cpp; sizer runtimes)")
      ("kv-cache-dtype", text()->value_name("D"), "KV cache type: f16 (default), q8_0, fp8, ...")
      ("prompt-tokens", text()->value_name("N"), "a typical prompt (default: 1024, at most half the context)")
      ("output-tokens", text()->value_name("N"), "a typical answer (default: 256, at most a quarter)")
      ("min-decode", text()->value_name("TOK/S"), "gate: decode tokens/s per sequence")
      ("on", po::value<std::vector<std::string>>()->multitoken()->value_name("HW[,HW...]"), "machines: hardware ids with optional counts "
       "('rtx-4090,2x rtx-4090,h100-sxm'); this-machine is the saved probe")
      ("gpu", po::value<std::vector<std::string>>()->multitoken()->value_name("\"Nx HW\""), "one machine ('2x rtx-4090'); like --on")
      ("memory", text()->value_name("SIZE"), "a device not in the database: its memory (24GiB) ...")
      ("bandwidth", text()->value_name("RATE"), "... its memory bandwidth (1TB/s) ...")
      ("tflops", text()->value_name("N"), "... and its dense FP16 TFLOPS (default 100; prefill only)")
      ("set", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
       "any job key, as YAML (repeatable): --set gates.max_ttft_ms=2000, "
       "--set cost.requests_per_month=200000");
}

Question QuestionFromOptions(const po::variables_map& vm, const std::string& model) {
  Question q;
  q.model = model;
  auto opt = [&](const char* name) -> std::optional<std::string> {
    if (!vm.count(name)) return std::nullopt;
    return vm[name].as<std::string>();
  };
  q.quant = opt("quant");
  q.context = opt("context");
  q.concurrency = opt("concurrency");
  q.runtime = opt("runtime");
  q.kv_cache_dtype = opt("kv-cache-dtype");
  q.prompt_tokens = opt("prompt-tokens");
  q.output_tokens = opt("output-tokens");
  q.min_decode = opt("min-decode");
  // --on rtx-4090,2x rtx-4090 unquoted arrives as two words: join them back.
  auto words = [&](const char* name) -> std::optional<std::string> {
    if (!vm.count(name)) return std::nullopt;
    std::string joined;
    for (const std::string& w : vm[name].as<std::vector<std::string>>()) {
      joined += (joined.empty() ? "" : " ") + w;
    }
    return joined;
  };
  q.on = words("on");
  q.gpu = words("gpu");
  q.memory = opt("memory");
  q.bandwidth = opt("bandwidth");
  q.tflops = opt("tflops");
  if (vm.count("set")) q.sets = vm["set"].as<std::vector<std::string>>();
  return q;
}

std::string DefaultsText(const std::vector<QuestionDefault>& defaults, size_t columns) {
  std::string out;
  for (const QuestionDefault& d : defaults) {
    if (d.key == "job") continue;
    out += Wrap(d.key + " = " + d.value + " (" + d.why + ")", columns, "  default: ", "    ");
  }
  return out;
}

}  // namespace sizer::cli
