// Question: a sizing question asked with flags instead of a job file (`sizer fit`,
// `sizer recommend`). The flags are checked here, one line per mistake and before any
// planning; the question is then written out as the job file it means (DraftJob) and parsed
// by the one job parser, so a question and its saved job file are the same JobSpec.
#ifndef SIZER_INPUT_QUESTION_H_
#define SIZER_INPUT_QUESTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"
#include "input/job.h"

namespace sizer {

// "2x rtx-4090", "2 x rtx-4090", "rtx-4090" (count 1), "this-machine".
struct DeviceCount {
  std::string hardware_id;
  int64_t count = 1;
};
StatusOr<DeviceCount> ParseDeviceCount(std::string_view text);
// A comma-separated list of DeviceCount ("rtx-4090,2x rtx-4090,h100-sxm").
StatusOr<std::vector<DeviceCount>> ParseDeviceList(std::string_view text);

// A token count: "8192", "32k" (= 32768: contexts are powers of two), "1M" (= 1048576).
// Zero, negative and non-numeric values are kInvalidArgument.
StatusOr<int64_t> ParseTokenCount(std::string_view text);

// The flags of a question, as given (unparsed text; absent = not given).
struct Question {
  std::string model;  // a model_db id or a .gguf path (required)
  std::optional<std::string> quant;
  std::optional<std::string> context;  // "32k"
  std::optional<std::string> concurrency;
  std::optional<std::string> runtime;
  std::optional<std::string> kv_cache_dtype;
  std::optional<std::string> prompt_tokens;
  std::optional<std::string> output_tokens;
  std::optional<std::string> min_decode;  // gates.min_decode_tokens_per_s
  std::optional<std::string> on;          // --on "rtx-4090,2x rtx-4090"
  std::optional<std::string> gpu;         // --gpu "2x rtx-4090" (one group)
  std::optional<std::string> memory;      // --memory 24GiB: a custom device ...
  std::optional<std::string> bandwidth;   // ... with --bandwidth 1TB/s
  std::optional<std::string> tflops;      // ... and optionally its FP16 TFLOPS
  std::vector<std::string> sets;          // --set key.path=value (YAML value)
  // `sizer recommend`: the search picks the hardware; naming machines is a mistake.
  bool search_hardware = false;
};

// A key the flags left to sizer: what it was set to and why (printed with the answer).
struct QuestionDefault {
  std::string key;
  std::string value;
  std::string why;
};

struct DraftedJob {
  std::string yaml;  // the job file the question means (`--save` writes it)
  std::vector<QuestionDefault> defaults;
};

// The assumed FP16 throughput of a --memory/--bandwidth device when --tflops is not given:
// only prefill and time to first token use it (decode is bandwidth-bound).
inline constexpr double kCustomDeviceDefaultTflops = 100;
// The default context when --context is not given: the model's maximum, capped here.
inline constexpr int64_t kDefaultContextCapTokens = 8192;
// The file name a question's job carries (messages point into the drafted YAML).
inline constexpr const char* kQuestionFileName = "(command line)";

// Checks every flag (unknown ids with the closest ones, contradictions such as --on with
// --gpu, impossible values such as a context of 0 or a negative memory) and writes the job.
// Errors are kInvalidArgument or kNotFound naming the flag: "--context: ...".
StatusOr<DraftedJob> DraftJob(const Question& question, const Catalog& catalog);
// Parses a drafted job with the job parser (file name kQuestionFileName).
StatusOr<JobSpec> ParseDraftedJob(const DraftedJob& draft, const Catalog& catalog,
                                  const JobParseOptions& options = {});

// A job file with flags (`sizer recommend JOB.yaml --context 32k`): a flag that repeats a job
// key must agree with it (kInvalidArgument naming both otherwise), --min-decode fills the gate
// when the job has none, and flags that name machines or --set are refused.
Status ApplyQuestionToJob(const Question& question, JobSpec& job);

}  // namespace sizer

#endif  // SIZER_INPUT_QUESTION_H_
