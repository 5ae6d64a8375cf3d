#include "search/search.h"

#include <algorithm>

#include "base/edit_distance.h"
#include "base/thread_pool.h"
#include "base/units.h"
#include "knowledge/runtime_profile.h"
#include "knowledge/weight_format.h"
#include "plan/cost.h"
#include "plan/plan_options.h"
#include "plan/planner.h"

namespace sizer {

double SearchPoint::usd_per_million_tokens() const {
  // Local cost over the tokens decoded in a 730-hour month with every sequence busy.
  const double tokens = aggregate_tokens_per_s * kSecondsPerMonth;
  return tokens > 0 ? monthly_usd / tokens * 1e6 : 0;
}

namespace {

StatusOr<std::vector<RuntimeInfo>> SearchRuntimes(const JobSpec& job, const Catalog& catalog,
                                                  const SearchSpace& space) {
  if (space.runtimes.empty()) return std::vector<RuntimeInfo>{job.runtime_info};
  if (space.runtimes.size() == 1 && space.runtimes[0] == "all") return catalog.runtimes();
  std::vector<RuntimeInfo> out;
  std::vector<std::string> ids;
  for (const RuntimeInfo& r : catalog.runtimes()) ids.push_back(r.id);
  for (const std::string& id : space.runtimes) {
    auto it = std::find_if(catalog.runtimes().begin(), catalog.runtimes().end(),
                           [&](const RuntimeInfo& r) { return EqualsIgnoreCase(r.id, id); });
    if (it == catalog.runtimes().end()) {
      return Status::InvalidArgument("--runtimes: unknown runtime '" + id + "'" + DidYouMean(id, ids));
    }
    out.push_back(*it);
  }
  return out;
}

// The formats searched on `runtime`: the job's, a given list, or (auto) every format the
// runtime loads but F32 (never better than F16 for inference, twice the bytes) and, on a
// dense model, MXFP4_MOE.
StatusOr<std::vector<std::string>> SearchQuants(const JobSpec& job, const RuntimeProfile& runtime,
                                                const SearchSpace& space) {
  std::vector<std::string> out;
  if (job.model_file) return std::vector<std::string>{job.model_file->file_type};
  if (space.quants.empty()) return std::vector<std::string>{job.quant};
  const bool all = space.quants.size() == 1 && space.quants[0] == "auto";
  if (all) {
    const bool moe = job.model.moe.n_experts > 0;
    for (const WeightFormat& f : AllWeightFormats()) {
      // MXFP4_MOE quantizes experts only: on a dense model it is Q8_0 under another name.
      if (f.id == "F32" || (f.id == "MXFP4_MOE" && !moe)) continue;
      if (runtime.Supports(f.container)) out.push_back(f.id);
    }
    return out;
  }
  for (const std::string& q : space.quants) {
    const WeightFormat* f = FindWeightFormat(q);
    if (f == nullptr) {
      return Status::InvalidArgument("--quants: unknown weight format '" + q + "'" +
                                     DidYouMean(q, WeightFormatIds()));
    }
    if (runtime.Supports(f->container)) out.push_back(f->id);
  }
  return out;
}

StatusOr<std::vector<std::string>> SearchKvDtypes(const JobSpec& job, const RuntimeProfile& runtime,
                                                  const SearchSpace& space) {
  std::vector<std::string> wanted = space.kv_dtypes;
  if (wanted.empty()) wanted = {job.kv_cache_dtype};
  if (wanted.size() == 1 && wanted[0] == "auto") wanted = {"f16", "fp8", "q8_0", "q4_0"};
  std::vector<std::string> out;
  for (const std::string& id : wanted) {
    const KvDtype* d = FindKvDtype(id);
    if (d == nullptr) {
      return Status::InvalidArgument("--kv-dtypes: unknown KV dtype '" + id + "'" +
                                     DidYouMean(id, KvDtypeIds()));
    }
    if (runtime.SupportsKvDtype(d->id)) out.push_back(d->id);
  }
  return out;
}

// The hardware x counts `runtime` can serve in one machine.
StatusOr<std::vector<Candidate>> SearchCandidates(const Catalog& catalog, const RuntimeProfile& runtime,
                                                  const SearchSpace& space) {
  std::vector<HardwareSpec> hardware;
  if (space.hardware.empty()) {
    hardware = catalog.hardware();
  } else {
    for (const std::string& id : space.hardware) {
      StatusOr<HardwareSpec> hw = catalog.FindHardware(id);
      if (!hw.ok()) return hw.status().WithContext("--hardware");
      hardware.push_back(*hw);
    }
  }
  std::vector<Candidate> out;
  for (HardwareSpec& hw : hardware) {
    ApplyPriceOverride(space.prices, hw);
    if (!runtime.Supports(hw.kind) || !runtime.SupportsVendor(hw.vendor)) continue;
    for (int64_t count : space.counts) {
      if (count > 1 && hw.kind != HardwareKind::kGpu) break;  // one CPU or unified machine
      Candidate c;
      c.hardware = hw;
      c.count = count;
      c.label = count > 1 ? std::to_string(count) + "x " + hw.id : hw.id;
      c.where = "search";
      c.node_json = "\"" + hw.id + "\"";
      out.push_back(std::move(c));
    }
  }
  return out;
}

// One (runtime, format, KV dtype) combination: the job with every searched candidate.
std::shared_ptr<const JobSpec> CombinationJob(const JobSpec& base, const RuntimeInfo& runtime,
                                              const std::string& quant, const std::string& kv,
                                              const std::vector<Candidate>& candidates) {
  auto job = std::make_shared<JobSpec>(base);
  job->runtime = runtime.id;
  job->runtime_info = runtime;
  job->quant = quant;
  job->kv_cache_dtype = kv;
  job->artifacts.clear();
  job->warnings.clear();
  job->quality = quant == base.quant ? base.quality : std::nullopt;
  for (const Artifact& a : base.artifacts) {
    if (a.quant == quant && a.quality) job->quality = a.quality;
  }
  job->candidates = candidates;
  if (!job->cost.present) {
    // No cost section: the local monthly cost is still what the ranking needs.
    job->cost.present = true;
    job->cost.requests_per_month = 0;
    job->cost.hosted_usd_per_1k_requests = 0.0;
  }
  return job;
}

struct CombinationResult {
  Status status;
  std::vector<SearchPoint> admitted;
  std::map<Check, RejectionTally> rejected;
  int64_t plans = 0;
};

SearchPoint ToPoint(const CandidateWorksheet& ws, const Plan& plan) {
  const JobSpec& job = *plan.job;
  const DeviceBudget& d = ws.memory.binding_device();
  SearchPoint p;
  p.label = ws.candidate.label;
  p.hardware_id = ws.candidate.hardware.id;
  p.count = ws.candidate.count;
  p.runtime = job.runtime;
  p.quant = plan.quant;
  p.kv_dtype = job.kv_cache_dtype;
  const KvDtype* kv = FindKvDtype(job.kv_cache_dtype);
  p.kv_bytes_per_element = kv != nullptr ? kv->bytes_per_element : 0;
  p.weights_bytes = plan.weights.total_bytes;
  p.monthly_usd = ws.cost.local_monthly_usd;
  p.price_usd = ws.candidate.hardware.price_usd * static_cast<double>(ws.candidate.devices());
  p.price_date = ws.candidate.hardware.price_date;
  p.decode_tokens_per_s = ws.gate_decode_tokens_per_s;
  p.aggregate_tokens_per_s = ws.speed.aggregate_decode_tokens_per_s;
  p.ttft_ms = ws.gate_ttft_ms;
  p.planned_bytes = d.planned_bytes;
  p.usable_bytes = d.usable_bytes;
  p.capacity_bytes = d.capacity_bytes;
  p.weights_device_bytes = d.weights_bytes;
  p.kv_device_bytes = d.kv_cache_bytes;
  p.other_device_bytes = d.runtime_bytes + d.activation_bytes + d.fragmentation_bytes;
  p.max_context_tokens = ws.max_context_tokens;
  p.break_even_requests_per_month = ws.cost.break_even_requests_per_month;
  p.capacity_requests_per_month = ws.cost.capacity_requests_per_month;
  return p;
}

// How far a failed check missed, in the check's unit (>= 0); -1 for checks without figures.
double Shortfall(const Reason& r) {
  switch (r.check) {
    case Check::kMemory:
    case Check::kTtft:
    case Check::kTokenLatency:
      return r.value - r.limit;
    case Check::kKvPool:
    case Check::kDecodeSpeed:
    case Check::kQuality:
      return r.limit - r.value;
    default:
      return -1;
  }
}

void Tally(const CandidateWorksheet& ws, const Plan& plan, std::map<Check, RejectionTally>& out) {
  std::vector<Check> seen;
  for (const Reason& r : ws.reasons) {
    if (std::find(seen.begin(), seen.end(), r.check) != seen.end()) continue;
    seen.push_back(r.check);
    RejectionTally& t = out[r.check];
    ++t.plans;
    const double miss = Shortfall(r);
    if (miss >= 0 && (t.smallest_shortfall < 0 || miss < t.smallest_shortfall)) {
      t.smallest_shortfall = miss;
      t.unit = r.unit;
      t.nearest = ws.candidate.label + " (" + plan.quant + ", " + plan.job->kv_cache_dtype +
                  " KV, " + plan.job->runtime + ")";
    }
  }
}

CombinationResult PlanCombination(std::shared_ptr<const JobSpec> job) {
  CombinationResult out;
  StatusOr<Plan> plan = MakePlan(std::move(job), PlanOptions{/*capacity_search=*/false});
  if (!plan.ok()) {
    out.status = plan.status();
    return out;
  }
  for (const CandidateWorksheet& ws : plan->candidates) {
    ++out.plans;
    if (ws.admitted()) {
      out.admitted.push_back(ToPoint(ws, *plan));
    } else {
      Tally(ws, *plan, out.rejected);
    }
  }
  return out;
}

void Merge(CombinationResult& part, SearchResult& result) {
  result.plans += part.plans;
  for (SearchPoint& p : part.admitted) result.admitted.push_back(std::move(p));
  for (const auto& [check, t] : part.rejected) {
    RejectionTally& total = result.rejected[check];
    total.plans += t.plans;
    if (t.smallest_shortfall >= 0 &&
        (total.smallest_shortfall < 0 || t.smallest_shortfall < total.smallest_shortfall)) {
      total.smallest_shortfall = t.smallest_shortfall;
      total.unit = t.unit;
      total.nearest = t.nearest;
    }
  }
}

void AddUnique(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

// The combinations of the search, one job each.
StatusOr<std::vector<std::shared_ptr<const JobSpec>>> Combinations(const JobSpec& job,
                                                                   const Catalog& catalog,
                                                                   const SearchSpace& space,
                                                                   SearchResult& result) {
  SIZER_ASSIGN_OR_RETURN(std::vector<RuntimeInfo> runtimes, SearchRuntimes(job, catalog, space));
  std::vector<std::shared_ptr<const JobSpec>> jobs;
  for (const RuntimeInfo& runtime : runtimes) {
    const RuntimeProfile profile = MakeRuntimeProfile(runtime);
    SIZER_ASSIGN_OR_RETURN(std::vector<std::string> quants, SearchQuants(job, profile, space));
    SIZER_ASSIGN_OR_RETURN(std::vector<std::string> kvs, SearchKvDtypes(job, profile, space));
    SIZER_ASSIGN_OR_RETURN(std::vector<Candidate> candidates, SearchCandidates(catalog, profile, space));
    if (quants.empty() || kvs.empty() || candidates.empty()) {
      result.notes.push_back(runtime.id + ": nothing to plan (no searched format, KV dtype or "
                             "hardware it runs)");
      continue;
    }
    AddUnique(result.runtimes, runtime.id);
    for (const Candidate& c : candidates) result.machines.emplace(c.label, c);
    for (const std::string& q : quants) {
      AddUnique(result.quants, q);
      for (const std::string& kv : kvs) {
        AddUnique(result.kv_dtypes, kv);
        jobs.push_back(CombinationJob(job, runtime, q, kv, candidates));
      }
    }
  }
  return jobs;
}

}  // namespace

Status FillMaxContext(const SearchResult& result, const Catalog& catalog, SearchPoint& point) {
  auto machine = result.machines.find(point.label);
  if (machine == result.machines.end()) {
    return Status::Internal("search: no searched machine '" + point.label + "'");
  }
  SIZER_ASSIGN_OR_RETURN(RuntimeInfo runtime, catalog.FindRuntime(point.runtime));
  StatusOr<Plan> plan = MakePlan(
      CombinationJob(*result.job, runtime, point.quant, point.kv_dtype, {machine->second}));
  SIZER_RETURN_IF_ERROR(plan.status());
  point.max_context_tokens = plan->candidates.front().max_context_tokens;
  return Status();
}

StatusOr<SearchResult> SearchHardware(const JobSpec& job, const Catalog& catalog,
                                      const SearchSpace& space) {
  SearchResult result;
  result.job = std::make_shared<const JobSpec>(job);
  result.counts = space.counts;
  result.hosted_known = job.cost.present;
  if (job.cost.present) {
    result.requests_per_month = job.cost.requests_per_month;
  }
  SIZER_ASSIGN_OR_RETURN(auto jobs, Combinations(job, catalog, space, result));
  result.combinations = static_cast<int64_t>(jobs.size());
  std::vector<CombinationResult> parts(jobs.size());
  ThreadPool pool(std::max(1, space.threads));
  pool.ParallelFor(static_cast<int64_t>(jobs.size()), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) parts[static_cast<size_t>(i)] = PlanCombination(jobs[static_cast<size_t>(i)]);
  });
  for (CombinationResult& part : parts) {
    SIZER_RETURN_IF_ERROR(part.status);
    Merge(part, result);
  }
  if (result.hosted_known) {
    // The hosted price does not depend on the machine (plan/cost.h).
    const CostPlan hosted = PlanCost(job, Candidate{}, 0);
    result.hosted_usd_per_request = hosted.hosted_usd_per_request;
    result.hosted_monthly_usd = hosted.hosted_monthly_usd;
  }
  result.notes.push_back("multi-node layouts are not searched; plan them with a job file");
  return result;
}

}  // namespace sizer
