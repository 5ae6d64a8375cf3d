// PlanView: the plan as already-decided display data, built once from the typed Plan and read
// by every output: the terminal worksheet, the Markdown and HTML reports (through
// report_model), the charts and `--json`. plan_view.cc is the ONLY file in lib/report that
// reads Plan fields, so a change of the Plan's types is absorbed there and nowhere else.
//
// Each fact is kept twice where outputs need both: the raw number (for `--json` and the
// charts, in the unit its name says) and its display text (for people, in one number style:
// memory in binary units, thousands separators everywhere; see display_format.h).
#ifndef SIZER_REPORT_PLAN_VIEW_H_
#define SIZER_REPORT_PLAN_VIEW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "plan/planner.h"

namespace sizer {

// A "label: value" line (job facts, gates).
struct LabelValue {
  std::string label;
  std::string value;
};

// One worksheet row (memory, speed or cost), with its derivation.
struct ViewRow {
  std::string key;      // stable name for scripts: "kv_cache_bytes"
  std::string label;    // "KV cache"
  std::string section;  // memory, speed or cost
  double value = 0;     // raw, in `unit`
  std::string unit;
  std::string display;        // "1.0 GiB", "2,314.9 tokens/s"; "n/a (unbounded)" when infinite
  std::string formula;        // the plan's derivation, numbers filled in (may be long), in the
                              // display number style (DisplayFormula)
  std::string formula_json;   // the same in the plan's own style (RenderFormula), for `--json`
  std::string short_formula;  // the formula's first clause, for narrow tables
  std::string source;         // where the constants come from
  // Same key, value and formula on every candidate (weights, KV per token...): the terminal
  // prints it once among the job facts instead of under each candidate.
  bool job_level = false;
};

struct DeviceView {
  std::string label;  // "rtx-4090", "h100-sxm #2", "host ryzen-9-7950x-64gb"
  std::string kind;   // gpu, unified, cpu
  double weights_bytes = 0;
  double kv_cache_bytes = 0;
  double runtime_bytes = 0;
  double activation_bytes = 0;
  double fragmentation_bytes = 0;
  double planned_bytes = 0;
  double usable_bytes = 0;
  double capacity_bytes = 0;
  bool fits = false;
};

struct SpeedView {
  double decode_ceiling_tokens_per_s = 0;
  double decode_ceiling_at_prompt_tokens_per_s = 0;
  double decode_ceiling_full_context_tokens_per_s = 0;
  double decode_efficiency = 0;
  double expected_decode_tokens_per_s = 0;
  double expected_decode_full_context_tokens_per_s = 0;
  double aggregate_decode_tokens_per_s = 0;
  bool compute_bound = false;
  double prefill_tokens_per_s = 0;
  double ttft_ms = 0;
  double p95_token_latency_ms = 0;
  double sparsity_speedup = 1;
  double measured_decode_tokens_per_s = 0;  // 0: none
  double measured_fraction_of_ceiling = 0;
  // The figures the gates were judged on, and whether each was measured or estimated.
  double gate_decode_tokens_per_s = 0;
  double gate_ttft_ms = 0;
  double gate_p95_token_latency_ms = 0;
  std::string decode_basis;  // "measured" or "estimate"
  std::string ttft_basis;
  std::string latency_basis;
};

struct CostView {
  bool present = false;
  double local_monthly_usd = 0;
  double hosted_monthly_usd = 0;
  double break_even_requests_per_month = 0;
  double hosted_usd_per_request = 0;
  double capacity_requests_per_month = 0;
  std::string cheaper;  // "local" or "hosted"
};

struct CandidateView {
  size_t index = 0;
  std::string anchor;  // "candidate-1"
  std::string label;   // the job's label, the `--json` key: "2x rtx-3090"
  // Distinct among the candidates: the placement is added when the label alone repeats
  // ("2x rtx-3090 (layer split)"), then "#N" when even that repeats.
  std::string display_label;
  std::string placement;  // "layer split", "tensor parallel", "offload, 24 layers on the GPU", or ""
  std::string hardware_id;
  std::string hardware_name;
  std::string hardware_source;
  std::string kind;  // gpu, unified, cpu
  int64_t count = 1;
  int64_t nodes = 1;
  bool admitted = false;
  bool recommended = false;
  std::vector<std::string> reasons;  // every failing check, in check order (display style)
  std::vector<std::string> warnings;
  std::vector<std::string> reasons_json;  // the same in the plan's own style, for `--json`
  std::vector<std::string> warnings_json;

  std::vector<DeviceView> devices;
  size_t binding = 0;  // the most loaded device
  const DeviceView& binding_device() const { return devices[binding]; }
  double kv_bytes_per_token = 0;
  double kv_bytes = 0;  // the whole job's KV cache, all devices
  std::optional<double> recommended_pool_fraction;
  SpeedView speed;
  CostView cost;
  std::optional<double> quality;
  // Largest context / concurrency still admitted; nullopt when not searched (a pinned KV).
  std::optional<int64_t> max_context_tokens;
  std::optional<int64_t> max_concurrency;
  std::vector<ViewRow> rows;  // memory, then speed, then cost

  // Display text for the verdict table.
  std::string verdict;  // "admit" or "reject"
  std::string planned;  // of the binding device
  std::string usable;
  std::string decode;   // "45.2 tokens/s", "(measured)" appended when measured
  std::string ttft;     // "1,234 ms"
  std::string monthly;  // "$123.00" or "-"
  std::string max_context;      // "131,072 tokens" or "n/a"
  std::string max_concurrency_text;  // "52 sequences" or "n/a"
};

struct ArtifactView {
  std::string quant;
  std::optional<double> quality;
  double weights_bytes = 0;
  bool quality_ok = true;
  std::vector<std::string> fits_on;  // candidate labels
  std::string verdict;
  std::string weights;       // display
  std::string quality_text;  // "0.981" or "-"
  std::string fits_on_text;  // display labels joined, or "-"
};

struct AssumptionView {
  std::string name;
  std::string value;       // display style
  std::string value_json;  // the plan's own style, for `--json`
  std::string why;
  bool overridden = false;
};

struct SourceView {
  std::string what;  // model, hardware
  std::string id;
  std::string source;  // "given inline in the job" when the job holds the entry
};

struct JobView {
  std::string name;
  std::string description;
  std::string file;
  std::string model_id;
  std::string model_name;
  std::string model_source;
  std::string quant;
  std::string kv_cache_dtype;
  std::string runtime;
  int64_t context_tokens = 0;
  int64_t concurrency = 1;
  int64_t prompt_tokens = 0;
  int64_t output_tokens = 0;
  double params_total = 0;
  double weights_bytes = 0;
  double weights_read_per_token_bytes = 0;
  double requests_per_month = 0;  // 0 without a cost section
  bool kv_pinned = false;         // memory_overrides.kv_cache_bytes: KV is given, not modelled
  double reserve_fraction = 0;
  std::optional<double> min_decode_tokens_per_s;
  std::optional<double> max_ttft_ms;
  std::optional<double> max_p95_token_latency_ms;
  std::optional<double> min_quality;
  std::vector<LabelValue> facts;  // "Model", "Weight format", "Context"...
  std::vector<LabelValue> gates;  // "Memory reserve", "Decode speed"...
};

struct PlanView {
  JobView job;
  std::vector<CandidateView> candidates;
  std::vector<ArtifactView> artifacts;
  std::optional<size_t> recommended;  // index into candidates
  bool artifact_recommended = false;
  double recommended_artifact_bytes = 0;
  std::string recommendation_json;  // the plan's own sentence, kept for `--json`
  std::string recommendation;       // the same decision in the display number style
  std::string recommendation_why;   // `recommendation` without the candidate's name
  CostView cost;                    // the recommended candidate's (else the first's)
  std::string cost_candidate;       // its display label
  std::string cost_line;            // "local $x/month vs hosted $y/month at ..."
  std::vector<AssumptionView> assumptions;
  std::vector<std::string> plan_warnings;       // the planner's (display style)
  std::vector<std::string> plan_warnings_json;  // the same in the plan's own style, for `--json`
  std::vector<std::string> warnings;       // the job's, then the planner's, each once
  std::vector<SourceView> sources;         // model, then each hardware once
};

PlanView MakePlanView(const Plan& plan);

// The job's KV cache (all sequences, all devices) against the context, from the planner's own
// KV model, so runtime padding, sliding windows and recurrent state are the worksheets'.
struct KvPoint {
  double context_tokens = 0;
  double bytes = 0;
};
// Ascending context up to `max_context`, then the exact points the chart marks (the job's
// context, each candidate's largest context).
StatusOr<std::vector<KvPoint>> PlanKvCurve(const Plan& plan, int64_t max_context);

// A file whose sha256 the report prints: `display` is what the reader sees (the path as the
// user typed it, or relative to the database root), `path` where to read it.
struct ReportInput {
  std::string display;
  std::string path;
};

// The input files of a plan: the job file (as `job_display`), then the database entries it
// used under `db_root` (model_db/<id>.yaml, hardware_db/<id>.yaml, shown relative to the
// root), or the saved probe for this-machine. Entries given inline in the job have no file.
std::vector<ReportInput> PlanInputFiles(const Plan& plan, const std::string& job_display,
                                        const std::string& db_root);

}  // namespace sizer

#endif  // SIZER_REPORT_PLAN_VIEW_H_
