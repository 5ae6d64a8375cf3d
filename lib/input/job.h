// JobSpec: one `sizer plan` input. What must be served (model, quant, context, concurrency,
// runtime), on which candidate machines, under which gates, against which hosted price.
#ifndef SIZER_INPUT_JOB_H_
#define SIZER_INPUT_JOB_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"
#include "catalog/hardware.h"
#include "catalog/model.h"
#include "catalog/model_from_gguf.h"
#include "catalog/runtime_info.h"

namespace sizer {

// Figures measured on real hardware; used instead of the estimates when present.
struct Measured {
  std::optional<double> decode_tokens_per_s;
  std::optional<double> p95_token_latency_ms;
  std::optional<double> ttft_ms;
  std::optional<double> quality;
};

// A measured decode model for one machine (input/calibration.h): it replaces the runtime's
// decode efficiency and adds a fixed cost per decode step.
struct DecodeCalibration {
  double decode_efficiency = 1;
  double decode_overhead_s = 0;
  std::string source;
};

struct OffloadSpec {
  int64_t gpu_layers = 0;  // layers kept on the GPU; the rest run on the host CPU
  HardwareSpec host;       // the host's RAM and bandwidth (a cpu-kind entry)
};

// The network between the machines of a multi-node candidate.
struct NodeLink {
  std::string name = "100 GbE (assumed)";
  // Assumption when the job gives none: 100 Gbit/s Ethernet, one direction.
  double bandwidth_bytes_per_s = 12.5e9;
  bool given = false;
};

struct Candidate {
  HardwareSpec hardware;
  int64_t count = 1;  // devices in the group (per machine when nodes > 1)
  int64_t nodes = 1;  // machines; each holds `count` devices (a multi-node deployment)
  NodeLink node_link;
  std::optional<MultiDevice> parallelism;  // default: the runtime's
  std::optional<OffloadSpec> offload;
  Measured measured;
  std::optional<DecodeCalibration> calibration;  // from `sizer plan --calibration`
  std::string where;  // file:line:col of the entry, for messages
  std::string label;  // "2x h100-sxm"
  std::string node_json;  // the job's entry as JSON text (scalars as strings), for re-emission

  int64_t devices() const { return count * nodes; }
};

struct Artifact {
  std::string quant;
  std::optional<double> quality;
  std::optional<double> file_bytes;
  std::string where;
};

struct Gates {
  double reserve_fraction = 0.20;
  std::optional<double> min_decode_tokens_per_s;
  std::optional<double> max_ttft_ms;
  std::optional<double> max_p95_token_latency_ms;
  std::optional<double> min_quality;
};

struct CostSpec {
  bool present = false;
  double requests_per_month = 0;
  std::optional<double> hosted_usd_per_1k_requests;
  std::optional<double> hosted_usd_per_million_input_tokens;
  std::optional<double> hosted_usd_per_million_output_tokens;
  std::optional<double> local_fixed_monthly_usd;
  std::optional<double> hardware_price_usd;  // overrides the database price
  double amortization_months = 36;           // assumption: a three-year depreciation
  double power_utilization = 0.5;            // assumption: average draw as a share of TDP
  double electricity_usd_per_kwh = 0.15;     // assumption: a typical commercial tariff
  double operations_monthly_usd = 0;
};

// Pins a memory bucket at a known value (a measurement, a vendor sheet, a worked example).
struct MemoryOverrides {
  std::optional<double> weights_bytes;
  std::optional<double> kv_cache_bytes;
  std::optional<double> runtime_bytes;
  std::optional<double> activation_bytes;
  std::optional<double> fragmentation_bytes;
};

// Overrides of the runtime profile's named assumptions.
struct AssumptionOverrides {
  std::optional<double> decode_efficiency;
  std::optional<double> prefill_efficiency;
  std::optional<double> fragmentation_fraction;
  std::optional<double> device_context_bytes;
  std::optional<double> fixed_runtime_bytes;
  std::optional<int64_t> micro_batch_tokens;
  std::optional<double> gpu_memory_utilization;
  std::optional<int64_t> kv_page_tokens;
  std::optional<double> recurrent_state_bytes_per_element;
  std::optional<double> allreduce_latency_us;
  std::optional<double> gpu_wired_limit_fraction;
  std::optional<bool> keep_full_sliding_cache;  // llama.cpp --swa-full
};

struct Sparsity {
  double fraction = 0;     // share of weights that are zero
  std::string structure;   // "2:4" or "unstructured"
};

// One smoke-eval question for the deployed endpoint (`sizer deploy` writes the script).
struct SmokeCase {
  std::string name;
  std::string question;
  std::string expect;  // the answer must contain this (case-insensitive)
  std::optional<double> max_latency_ms;  // default: derived from the plan (see deploy/)
  int64_t max_tokens = 32;
  std::string where;
};

struct JobSpec {
  std::string name;
  std::string description;  // free text: what the job is for (reports print it)
  std::string file;
  ModelSpec model;
  std::string model_ref;  // the database id, "inline", or the .gguf path
  std::optional<ArtifactSpec> model_file;  // when `model:` names a GGUF file
  std::string quant;      // empty only when artifacts decide it
  std::string kv_cache_dtype = "f16";
  int64_t context_tokens = 0;
  int64_t concurrency = 1;
  std::string runtime;
  RuntimeInfo runtime_info;  // the runtime's runtime_db entry: facts and memory model
  std::vector<std::string> runtime_requires;  // capability names (catalog/runtime_info.h)
  std::vector<SmokeCase> smoke_eval;
  std::string model_json;  // an inline `model:` mapping as JSON text, for re-emission
  int64_t prompt_tokens = 0;
  int64_t output_tokens = 0;
  std::optional<bool> flash_attention;
  std::optional<double> quality;  // of the job's quant, when known
  std::optional<Sparsity> sparsity;
  std::vector<Candidate> candidates;
  Gates gates;
  std::vector<Artifact> artifacts;
  CostSpec cost;
  MemoryOverrides memory_overrides;
  AssumptionOverrides assumptions;
  std::vector<std::string> warnings;  // input problems that are not errors
};

class YamlValue;

// Where a `model:` that names a GGUF file is opened: the path to open for the name as written,
// or why the name is refused (the job's error at that key). Unset: beside the job file, else
// from the working directory. A service sets it to keep requests under its models folder.
using ModelFileResolver = std::function<StatusOr<std::string>(const std::string& requested)>;

// Building blocks shared with other formats that embed a job's fields (the release manifest).
// `model:` as an id, an inline mapping or a .gguf path (fills job.model_ref / model_file).
StatusOr<ModelSpec> ParseJobModel(const YamlValue& node, const Catalog& catalog, JobSpec& job,
                                  const ModelFileResolver& resolver = {});
// One candidate: a hardware id, an inline hardware mapping, or {hardware, count, ...}.
StatusOr<Candidate> ParseJobCandidate(const YamlValue& node, const Catalog& catalog);
// A quant id, normalised; unknown ids get a suggestion.
Status ParseJobQuant(const YamlValue& node, std::string& quant);
// The runtime: a runtime_db id, case-insensitive; fills job.runtime (normalised),
// and runtime_info. Unknown ids get the closest ones.
Status ParseJobRuntime(const YamlValue& node, const Catalog& catalog, JobSpec& job);

struct JobParseOptions {
  bool strict = false;  // a context above the model's maximum is an error, not a warning
  ModelFileResolver model_file_resolver;  // unset: the file's own lookup (see above)
};

// Parses a job. Every error is kInvalidArgument (or kCorruption for YAML syntax, kNotFound
// for a missing file or unknown id) reading "file:line:col: key.path: message".
StatusOr<JobSpec> ParseJobSpec(const std::string& text, const std::string& file_name,
                               const Catalog& catalog, const JobParseOptions& options = {});
StatusOr<JobSpec> LoadJobSpec(const std::string& path, const Catalog& catalog,
                              const JobParseOptions& options = {});

}  // namespace sizer

#endif  // SIZER_INPUT_JOB_H_
