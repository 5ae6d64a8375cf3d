// Reverse planning (`sizer recommend`): the job planned on every hardware_db entry x device
// count x weight format x KV dtype x runtime, keeping the admitted configurations. Each
// (runtime, format, KV dtype) is one MakePlan over all the hardware x counts, so the model,
// the weights and the runtime profile are resolved once per combination, in this process.
#ifndef SIZER_SEARCH_SEARCH_H_
#define SIZER_SEARCH_SEARCH_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"
#include "input/job.h"
#include "input/prices.h"
#include "plan/verdict.h"

namespace sizer {

struct SearchSpace {
  std::vector<int64_t> counts = {1, 2, 4, 8};  // devices in one machine (GPUs only)
  std::vector<std::string> quants;     // empty: the job's; {"auto"}: every format a runtime loads
  std::vector<std::string> kv_dtypes;  // empty: the job's; {"auto"}: f16, q8_0/fp8, q4_0
  std::vector<std::string> runtimes;   // empty: the job's; {"all"}: every runtime_db entry
  std::vector<std::string> hardware;   // empty: every hardware_db entry
  PriceOverrides prices;               // --prices FILE: street prices over the database's
  int threads = 1;
};

// One admitted configuration and the figures the ranking needs.
struct SearchPoint {
  std::string label;  // "2x rtx-4090"
  std::string hardware_id;
  int64_t count = 1;
  std::string runtime;
  std::string quant;
  std::string kv_dtype;
  double kv_bytes_per_element = 0;
  double weights_bytes = 0;  // the whole model in this format
  double monthly_usd = 0;    // amortized hardware + power + operations (cost.h)
  double price_usd = 0;      // all devices
  std::string price_date;
  double decode_tokens_per_s = 0;  // per sequence, as gated
  double aggregate_tokens_per_s = 0;
  double ttft_ms = 0;
  double planned_bytes = 0;  // on the most loaded device
  double usable_bytes = 0;
  double capacity_bytes = 0;
  double weights_device_bytes = 0;  // buckets on that device, for the memory stack
  double kv_device_bytes = 0;
  double other_device_bytes = 0;    // runtime + activations + fragmentation
  int64_t max_context_tokens = 0;
  double break_even_requests_per_month = 0;  // with a hosted price in the job
  double capacity_requests_per_month = 0;

  double headroom_fraction() const { return usable_bytes > 0 ? 1 - planned_bytes / usable_bytes : 0; }
  // Local cost per million generated tokens with every sequence busy all month.
  double usd_per_million_tokens() const;
};

// The checks that rejected configurations: how many, and the nearest miss.
struct RejectionTally {
  int64_t plans = 0;
  double smallest_shortfall = -1;  // in `unit`; < 0 when the check has no figures
  Unit unit = Unit::kNone;
  std::string nearest;  // "2x rtx-4090 (Q4_K_M, f16 KV, llama.cpp)"
};

struct SearchResult {
  std::shared_ptr<const JobSpec> job;  // the job searched (its candidates are not used)
  std::vector<SearchPoint> admitted;
  int64_t plans = 0;  // configurations planned (compatible runtime x format x KV x hardware)
  int64_t combinations = 0;  // MakePlan calls
  std::map<Check, RejectionTally> rejected;
  bool hosted_known = false;  // the job has a cost section: the hosted line is printed
  double hosted_monthly_usd = 0;
  double hosted_usd_per_request = 0;
  double requests_per_month = 0;
  std::vector<std::string> quants;  // searched
  std::vector<std::string> kv_dtypes;
  std::vector<std::string> runtimes;
  std::vector<int64_t> counts;
  std::vector<std::string> notes;  // what the search left out and why
  std::map<std::string, Candidate> machines;  // by label, as searched (price overrides applied)
};

// Searches `space` for `job`. Errors: kInvalidArgument for an unknown quant, KV dtype, runtime
// or hardware id in `space` (with the closest ones).
StatusOr<SearchResult> SearchHardware(const JobSpec& job, const Catalog& catalog,
                                      const SearchSpace& space);

// The search plans without the per-candidate capacity search (plan/plan_options.h), so a
// point's max_context_tokens is CandidateWorksheet::kNotSearched until this fills it: the
// point's own job planned in full (so it is what the job file for that machine gives).
Status FillMaxContext(const SearchResult& result, const Catalog& catalog, SearchPoint& point);

}  // namespace sizer

#endif  // SIZER_SEARCH_SEARCH_H_
