#include "cli/question_options.h"

#include "report/table.h"
#include "service/question_keys.h"

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
  // The flags by the one table the service reads its parameters with (service/question_keys.h).
  for (const service::QuestionKey& key : service::QuestionKeys()) {
    const std::string flag = service::FlagName(key.key);
    if (!vm.count(flag)) continue;
    if (!key.words) {
      q.*key.field = vm[flag].as<std::string>();
      continue;
    }
    // --on rtx-4090,2x rtx-4090 unquoted arrives as two words: join them back.
    std::string joined;
    for (const std::string& w : vm[flag].as<std::vector<std::string>>()) {
      joined += (joined.empty() ? "" : " ") + w;
    }
    q.*key.field = joined;
  }
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
