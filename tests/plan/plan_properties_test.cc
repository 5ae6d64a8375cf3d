// Properties of the planner over a few hundred seeded random jobs built from the fixture
// catalog's entries (tests/testing/fixture_catalog.cc: dense, sliding-window, MoE, MLA and
// hybrid models; GPUs and a unified-memory machine; three runtimes): monotonicity in
// capacity, context, sequences and reserve; the capacity search's edge; and the JSON
// contract. Each failure names the case's seed and job so it reproduces.
#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "plan/capacity_search.h"
#include "plan/planner.h"
#include "report/json_report.h"
#include "report/quantity_text.h"
#include "knowledge/weight_format.h"
#include "testing/fixture_catalog.h"

namespace sizer {
namespace {

using testing::FixtureCatalog;

constexpr int kCases = 200;
constexpr uint32_t kBaseSeed = 20261129;

template <typename T>
const T& Pick(std::mt19937& rng, const std::vector<T>& items) {
  return items[std::uniform_int_distribution<size_t>(0, items.size() - 1)(rng)];
}

int64_t Uniform(std::mt19937& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

Candidate MakeCandidate(const HardwareSpec& hw, int64_t count) {
  Candidate c;
  c.hardware = hw;
  c.count = count;
  c.label = count > 1 ? std::to_string(count) + "x " + hw.id : hw.id;
  c.where = "properties";
  return c;
}

// The fixture runtimes and the formats / KV types each one serves.
struct RuntimeChoice {
  std::string runtime;
  std::vector<std::string> quants;
  std::vector<std::string> kv_dtypes;
};

const std::vector<RuntimeChoice>& Runtimes() {
  static const std::vector<RuntimeChoice> runtimes = {
      {"upfront", {"Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0", "F16"}, {"f16", "q8_0"}},
      {"paged", {"FP16", "FP8", "AWQ-4bit-g128", "GPTQ-4bit-g128"}, {"f16", "fp8"}},
      {"cuda-only", {"FP16", "FP8"}, {"f16"}},
  };
  return runtimes;
}

// One random valid job: a fixture model and 1-2 fixture machines (GPU or unified memory),
// 1-4 devices each, a context up to the model's maximum, 1-16 sequences, no gates beyond
// the reserve so admission is about fit and compatibility.
JobSpec RandomJob(uint32_t seed) {
  std::mt19937 rng(seed);
  const Catalog& catalog = FixtureCatalog();
  JobSpec job;
  job.name = "property-" + std::to_string(seed);
  job.file = "properties.yaml";
  const ModelSpec& model = Pick(rng, catalog.models());
  job.model = model;
  job.model_ref = model.id;
  const RuntimeChoice& rt = Pick(rng, Runtimes());
  job.runtime = rt.runtime;
  StatusOr<RuntimeInfo> runtime = catalog.FindRuntime(rt.runtime);
  EXPECT_TRUE(runtime.ok()) << runtime.status().message();
  if (runtime.ok()) job.runtime_info = *runtime;
  job.quant = Pick(rng, rt.quants);
  job.kv_cache_dtype = Pick(rng, rt.kv_dtypes);
  const int64_t max_context = std::max<int64_t>(model.max_context_tokens, 2048);
  job.context_tokens = Uniform(rng, 512, std::min<int64_t>(max_context, 131072));
  job.concurrency = Uniform(rng, 1, 16);
  job.prompt_tokens = Uniform(rng, 1, std::max<int64_t>(1, job.context_tokens / 2));
  job.output_tokens = Uniform(rng, 1, std::max<int64_t>(1, job.context_tokens / 4));
  job.gates.reserve_fraction = Uniform(rng, 0, 30) / 100.0;
  std::vector<HardwareSpec> machines;
  for (const HardwareSpec& hw : catalog.hardware()) {
    if (hw.kind != HardwareKind::kCpu) machines.push_back(hw);
  }
  const int64_t n_candidates = Uniform(rng, 1, 2);
  for (int64_t i = 0; i < n_candidates; ++i) {
    job.candidates.push_back(MakeCandidate(Pick(rng, machines), Uniform(rng, 1, 4)));
  }
  return job;
}

std::string Describe(const JobSpec& job) {
  std::string s = job.model.id + " " + job.quant + " kv=" + job.kv_cache_dtype + " ctx=" +
                  std::to_string(job.context_tokens) + " seqs=" + std::to_string(job.concurrency) +
                  " " + job.runtime + " reserve=" + std::to_string(job.gates.reserve_fraction) +
                  " on";
  for (const Candidate& c : job.candidates) s += " [" + c.label + "]";
  return s;
}

Plan PlanOrDie(const JobSpec& job) {
  StatusOr<Plan> plan = MakePlan(job);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  return plan.ok() ? std::move(plan).value() : Plan();
}

// Every device of the candidate holds what is planned for it.
bool MemoryFits(const CandidateWorksheet& ws) {
  if (ws.memory.devices.empty()) return false;
  for (const DeviceBudget& d : ws.memory.devices) {
    if (d.planned_bytes > d.usable_bytes) return false;
  }
  return true;
}

// The kCases random jobs and their plans, made once for every property below (the plans are
// most of the run time). A plan points at its job, so the jobs never move once planned.
struct Case {
  uint32_t seed = 0;
  JobSpec job;
  StatusOr<Plan> plan = Status::Internal("not planned");
};

const std::vector<Case>& Cases() {
  static const std::vector<Case>* cases = [] {
    auto* out = new std::vector<Case>(kCases);
    for (int i = 0; i < kCases; ++i) {
      Case& c = (*out)[i];
      c.seed = kBaseSeed + static_cast<uint32_t>(i);
      c.job = RandomJob(c.seed);
      c.plan = MakePlan(c.job);
    }
    return out;
  }();
  return *cases;
}

// Runs `check` over every case; a failure names the case's seed and job.
template <typename Check>
void ForEachJob(Check check) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE("seed " + std::to_string(c.seed) + ": " + Describe(c.job));
    ASSERT_TRUE(c.plan.ok()) << c.plan.status().message();
    ASSERT_EQ(c.plan->candidates.size(), c.job.candidates.size());
    check(c.job, *c.plan);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(PlanProperties, RandomJobsAreValidAndSomeAreAdmitted) {
  // Guards the generator: properties over jobs that are all rejected would prove little.
  int admitted = 0, rejected = 0;
  ForEachJob([&](const JobSpec&, const Plan& plan) {
    for (const CandidateWorksheet& ws : plan.candidates) (ws.admitted() ? admitted : rejected)++;
  });
  RecordProperty("admitted", admitted);
  RecordProperty("rejected", rejected);
  EXPECT_GT(admitted, kCases / 10) << rejected << " rejected";
  EXPECT_GT(rejected, kCases / 10) << admitted << " admitted";
}

TEST(PlanProperties, MoreMemoryNeverTurnsAnAdmitIntoAReject) {
  ForEachJob([](const JobSpec& job, const Plan& plan) {
    JobSpec bigger = job;
    for (Candidate& c : bigger.candidates) c.hardware.memory_bytes *= 1.5;
    Plan more = PlanOrDie(bigger);
    for (size_t i = 0; i < plan.candidates.size(); ++i) {
      if (plan.candidates[i].admitted()) {
        EXPECT_TRUE(more.candidates[i].admitted())
            << job.candidates[i].label << " with 1.5x memory: "
            << (more.candidates[i].reasons.empty() ? "" : ReasonText(more.candidates[i].reasons[0]));
      }
    }
  });
}

TEST(PlanProperties, ALongerContextNeverNeedsLessKv) {
  ForEachJob([](const JobSpec& job, const Plan& plan) {
    JobSpec longer = job;
    longer.context_tokens = job.context_tokens + 1 + job.context_tokens / 3;
    Plan more = PlanOrDie(longer);
    for (size_t i = 0; i < plan.candidates.size(); ++i) {
      EXPECT_GE(more.candidates[i].memory.kv.bytes, plan.candidates[i].memory.kv.bytes)
          << job.candidates[i].label << " at context " << longer.context_tokens;
    }
  });
}

TEST(PlanProperties, MoreSequencesNeverNeedLessMemory) {
  ForEachJob([](const JobSpec& job, const Plan& plan) {
    JobSpec busier = job;
    busier.concurrency = job.concurrency + 1 + job.concurrency / 2;
    Plan more = PlanOrDie(busier);
    for (size_t i = 0; i < plan.candidates.size(); ++i) {
      const MemoryPlan& a = plan.candidates[i].memory;
      const MemoryPlan& b = more.candidates[i].memory;
      EXPECT_GE(b.kv.bytes, a.kv.bytes) << job.candidates[i].label;
      ASSERT_EQ(a.devices.size(), b.devices.size()) << job.candidates[i].label;
      for (size_t d = 0; d < a.devices.size(); ++d) {
        EXPECT_GE(b.devices[d].planned_bytes, a.devices[d].planned_bytes)
            << job.candidates[i].label << " device " << a.devices[d].label << " at "
            << busier.concurrency << " sequences";
      }
    }
  });
}

TEST(PlanProperties, ABiggerReserveNeverAdmitsMore) {
  ForEachJob([](const JobSpec& job, const Plan& plan) {
    JobSpec stricter = job;
    stricter.gates.reserve_fraction = std::min(0.95, job.gates.reserve_fraction + 0.15);
    Plan less = PlanOrDie(stricter);
    for (size_t i = 0; i < plan.candidates.size(); ++i) {
      if (less.candidates[i].admitted()) {
        EXPECT_TRUE(plan.candidates[i].admitted())
            << job.candidates[i].label << " admitted at reserve "
            << stricter.gates.reserve_fraction << " but not at " << job.gates.reserve_fraction;
      }
    }
  });
}

// The worksheet of `job`'s first candidate alone, at `context` tokens and `sequences`.
CandidateWorksheet PlanFirstAt(const JobSpec& job, int64_t context, int64_t sequences) {
  JobSpec at = job;
  at.candidates.resize(1);
  at.context_tokens = context;
  at.concurrency = sequences;
  Plan plan = PlanOrDie(at);
  return plan.candidates.empty() ? CandidateWorksheet() : plan.candidates[0];
}

TEST(PlanProperties, TheCapacitySearchFindsTheEdge) {
  ForEachJob([](const JobSpec& job, const Plan& plan) {
    const CandidateWorksheet& ws = plan.candidates[0];
    ASSERT_NE(ws.max_context_tokens, CandidateWorksheet::kNotSearched);
    ASSERT_NE(ws.max_concurrency, CandidateWorksheet::kNotSearched);
    // Context: searched in [1, model max] at the job's concurrency.
    const int64_t n = ws.max_context_tokens;
    if (n > 0) {
      EXPECT_TRUE(MemoryFits(PlanFirstAt(job, n, job.concurrency)))
          << "max_context_tokens " << n << " does not fit";
    }
    if (n < job.model.max_context_tokens) {
      EXPECT_FALSE(MemoryFits(PlanFirstAt(job, n + 1, job.concurrency)))
          << "max_context_tokens " << n << " but " << n + 1 << " fits too";
    }
    // Concurrency: searched in [1, kMaxSearchedConcurrency] at the job's context.
    const int64_t m = ws.max_concurrency;
    if (m > 0) {
      EXPECT_TRUE(MemoryFits(PlanFirstAt(job, job.context_tokens, m)))
          << "max_concurrency " << m << " does not fit";
    }
    if (m < kMaxSearchedConcurrency) {
      EXPECT_FALSE(MemoryFits(PlanFirstAt(job, job.context_tokens, m + 1)))
          << "max_concurrency " << m << " but " << m + 1 << " fits too";
    }
  });
}

// The keys json_report.h documents as the contract ("may be added, never renamed").
TEST(PlanProperties, JsonParsesWithTheDocumentedKeysAndTheSameValues) {
  using nlohmann::json;
  ForEachJob([](const JobSpec& job, const Plan& plan) {
    const json out = PlanToJson(plan);
    const std::string text = out.dump(2);
    const json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(parsed.is_discarded()) << text.substr(0, 200);
    EXPECT_EQ(parsed, out) << "JSON does not round-trip";
    for (const char* key : {"tool", "job", "candidates", "artifacts", "recommendation", "cost",
                            "assumptions", "warnings"}) {
      EXPECT_TRUE(parsed.contains(key)) << key;
    }
    ASSERT_TRUE(parsed["job"].is_object());
    EXPECT_EQ(parsed["job"]["model"], job.model.id);
    EXPECT_EQ(parsed["job"]["context_tokens"], job.context_tokens);
    EXPECT_EQ(parsed["job"]["concurrency"], job.concurrency);
    EXPECT_EQ(parsed["job"]["runtime"], job.runtime);
    EXPECT_EQ(parsed["job"]["gates"]["reserve_fraction"], job.gates.reserve_fraction);
    const json& top_cost = parsed["cost"];
    if (!top_cost.is_null()) {
      for (const char* key : {"local_monthly_usd", "hosted_monthly_usd",
                              "break_even_requests_per_month", "cheaper"}) {
        EXPECT_TRUE(top_cost.contains(key)) << "cost." << key;
      }
    }
    ASSERT_TRUE(parsed["candidates"].is_array());
    ASSERT_EQ(parsed["candidates"].size(), plan.candidates.size());
    for (size_t i = 0; i < plan.candidates.size(); ++i) {
      const CandidateWorksheet& ws = plan.candidates[i];
      const json& c = parsed["candidates"][i];
      SCOPED_TRACE("candidate " + ws.candidate.label);
      for (const char* key : {"hardware", "verdict", "reasons", "memory", "speed",
                              "max_context_tokens", "max_concurrency", "rows"}) {
        EXPECT_TRUE(c.contains(key)) << key;
      }
      EXPECT_EQ(c["hardware"], ws.candidate.label);
      EXPECT_EQ(c["verdict"], ws.admitted() ? "admit" : "reject");
      EXPECT_EQ(c["reasons"].size(), ws.reasons.size());
      EXPECT_EQ(c["max_context_tokens"], ws.max_context_tokens);
      EXPECT_EQ(c["max_concurrency"], ws.max_concurrency);
      const json& memory = c["memory"];
      const DeviceBudget& binding = ws.memory.binding_device();
      EXPECT_EQ(memory["planned_bytes"], binding.planned_bytes);
      EXPECT_EQ(memory["usable_bytes"], binding.usable_bytes);
      EXPECT_EQ(memory["kv_bytes_per_token"], ws.memory.kv.bytes_per_token);
      ASSERT_EQ(memory["devices"].size(), ws.memory.devices.size());
      for (size_t d = 0; d < ws.memory.devices.size(); ++d) {
        EXPECT_EQ(memory["devices"][d]["planned_bytes"], ws.memory.devices[d].planned_bytes);
        EXPECT_EQ(memory["devices"][d]["usable_bytes"], ws.memory.devices[d].usable_bytes);
        EXPECT_EQ(memory["devices"][d]["fits"], ws.memory.devices[d].fits());
      }
      for (const json& row : c["rows"]) {
        for (const char* key : {"key", "label", "value", "unit", "formula", "source", "section"}) {
          EXPECT_TRUE(row.contains(key)) << "rows[]." << key;
        }
      }
    }
  });
}

}  // namespace
}  // namespace sizer
