// Reverse planning (search/): every admitted configuration is what the job file for that one
// machine gives, the ranking is ordered, the Pareto front is undominated, and a search with
// nothing admitted names the check that rejected most and the nearest miss.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "input/question.h"
#include "plan/plan_options.h"
#include "plan/planner.h"
#include "search/hardware_fit.h"
#include "search/ranking.h"
#include "search/recommend_render.h"
#include "search/search.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using testing::RealCatalog;

JobSpec QuestionJob(Question q) {
  q.search_hardware = true;
  StatusOr<DraftedJob> draft = DraftJob(q, RealCatalog());
  EXPECT_TRUE(draft.ok()) << draft.status().message();
  StatusOr<JobSpec> job = ParseDraftedJob(*draft, RealCatalog());
  EXPECT_TRUE(job.ok()) << job.status().message();
  return job.ok() ? *job : JobSpec();
}

JobSpec Qwen() {
  Question q;
  q.model = "qwen3-30b-a3b";
  q.context = "32k";
  q.concurrency = "8";
  q.min_decode = "20";
  return QuestionJob(q);
}

SearchResult Search(const JobSpec& job, SearchSpace space = {}) {
  space.threads = 2;
  StatusOr<SearchResult> result = SearchHardware(job, RealCatalog(), space);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? std::move(result).value() : SearchResult();
}

TEST(Search, EveryAdmittedPointIsWhatItsOwnJobFileGives) {
  const JobSpec job = Qwen();
  const SearchResult result = Search(job);
  ASSERT_FALSE(result.admitted.empty());
  EXPECT_GT(result.plans, static_cast<int64_t>(result.admitted.size()));
  Ranking ranking = RankSearch(result, RankBy::kCost, 3);
  ASSERT_EQ(ranking.top.size(), 3u);
  ASSERT_TRUE(FillMaxContext(result, RealCatalog(), ranking).ok());
  for (const RankedChoice& c : ranking.top) {
    JobSpec one = job;
    StatusOr<HardwareSpec> hw = RealCatalog().FindHardware(c.point.hardware_id);
    ASSERT_TRUE(hw.ok());
    Candidate candidate;
    candidate.hardware = *hw;
    candidate.count = c.point.count;
    candidate.label = c.point.label;
    one.candidates = {candidate};
    one.cost.present = true;
    one.cost.hosted_usd_per_1k_requests = 0.0;
    StatusOr<Plan> plan = MakePlan(one);
    ASSERT_TRUE(plan.ok());
    const CandidateWorksheet& ws = plan->candidates.front();
    EXPECT_TRUE(ws.admitted()) << c.point.label;
    EXPECT_DOUBLE_EQ(ws.gate_decode_tokens_per_s, c.point.decode_tokens_per_s) << c.point.label;
    EXPECT_DOUBLE_EQ(ws.cost.local_monthly_usd, c.point.monthly_usd) << c.point.label;
    EXPECT_DOUBLE_EQ(ws.memory.binding_device().planned_bytes, c.point.planned_bytes);
    EXPECT_EQ(ws.max_context_tokens, c.point.max_context_tokens) << c.point.label;
    EXPECT_GE(c.point.decode_tokens_per_s, 20.0);  // the gate
  }
}

TEST(Search, RankingIsOrderedAndTheFrontUndominated) {
  const SearchResult result = Search(Qwen());
  for (RankBy by : {RankBy::kCost, RankBy::kSpeed, RankBy::kCostPerMillionTokens, RankBy::kHeadroom}) {
    const Ranking r = RankSearch(result, by, 100);
    ASSERT_EQ(r.top.size(), r.machines);
    for (size_t i = 1; i < r.top.size(); ++i) {
      const SearchPoint& a = r.top[i - 1].point;
      const SearchPoint& b = r.top[i].point;
      switch (by) {
        case RankBy::kCost: EXPECT_LE(a.monthly_usd, b.monthly_usd); break;
        case RankBy::kSpeed: EXPECT_GE(a.decode_tokens_per_s, b.decode_tokens_per_s); break;
        case RankBy::kCostPerMillionTokens:
          EXPECT_LE(a.usd_per_million_tokens(), b.usd_per_million_tokens());
          break;
        case RankBy::kHeadroom: EXPECT_GE(a.headroom_fraction(), b.headroom_fraction()); break;
      }
    }
  }
  const Ranking r = RankSearch(result, RankBy::kCost, 100);
  ASSERT_FALSE(r.pareto.empty());
  for (const SearchPoint& f : r.pareto) {
    for (const SearchPoint& p : result.admitted) {
      const bool dominates = p.monthly_usd <= f.monthly_usd && p.decode_tokens_per_s >= f.decode_tokens_per_s &&
                             (p.monthly_usd < f.monthly_usd || p.decode_tokens_per_s > f.decode_tokens_per_s);
      EXPECT_FALSE(dominates) << p.label << " dominates front point " << f.label;
    }
  }
  // The cheapest machine is always on the front (nothing is cheaper).
  EXPECT_TRUE(r.top.front().pareto);
}

TEST(Search, AutoSpaceCoversFormatsKvDtypesAndRuntimes) {
  SearchSpace space;
  space.quants = {"auto"};
  space.kv_dtypes = {"auto"};
  space.runtimes = {"all"};
  const SearchResult result = Search(Qwen(), space);
  EXPECT_GE(result.quants.size(), 20u);
  EXPECT_GE(result.kv_dtypes.size(), 3u);
  EXPECT_EQ(result.runtimes.size(), RealCatalog().runtimes().size());
  EXPECT_GT(result.plans, 10000);
}

TEST(Search, NothingAdmittedNamesTheGateAndTheNearestMiss) {
  Question q;
  q.model = "llama-3.1-70b";
  q.context = "32k";
  SearchSpace space;
  space.hardware = {"rtx-4090"};
  space.counts = {1, 2};
  const SearchResult result = Search(QuestionJob(q), space);
  ASSERT_TRUE(result.admitted.empty());
  ASSERT_EQ(result.plans, 2);
  ASSERT_TRUE(result.rejected.count(Check::kMemory));
  const RejectionTally& memory = result.rejected.at(Check::kMemory);
  EXPECT_EQ(memory.plans, 2);
  EXPECT_EQ(memory.nearest, "2x rtx-4090 (Q4_K_M, f16 KV, llama.cpp)");
  EXPECT_GT(memory.smallest_shortfall, 0);
  const std::string text = RenderNoAdmission(result);
  EXPECT_THAT(text, HasSubstr("memory: 2 of 2; the smallest shortfall is "));
  EXPECT_THAT(text, HasSubstr("on 2x rtx-4090"));
}

TEST(Search, UnknownIdsInTheSpaceAreErrors) {
  SearchSpace space;
  space.quants = {"Q4_K_N"};
  EXPECT_FALSE(SearchHardware(Qwen(), RealCatalog(), space).ok());
  space = {};
  space.runtimes = {"vlm"};
  StatusOr<SearchResult> r = SearchHardware(Qwen(), RealCatalog(), space);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("vllm"));
}

TEST(HardwareFit, ListsModelsLargestFirst) {
  Question q;
  q.context = "8k";
  StatusOr<HardwareFitResult> fit = SearchModels(RealCatalog(), q, "rtx-4090", {}, 2);
  ASSERT_TRUE(fit.ok()) << fit.status().message();
  ASSERT_FALSE(fit->fits.empty());
  for (size_t i = 1; i < fit->fits.size(); ++i) {
    EXPECT_GE(fit->fits[i - 1].params_total, fit->fits[i].params_total);
  }
  EXPECT_THAT(fit->no_fit, ::testing::Contains("llama-3.1-405b"));
  bool has_8b = false;
  for (const ModelFit& f : fit->fits) has_8b = has_8b || f.model_id == "llama-3.1-8b";
  EXPECT_TRUE(has_8b);
  EXPECT_EQ(fit->fits.size() + fit->no_fit.size(), RealCatalog().models().size());
}

TEST(PriceWarnings, OldAndMissingDatesAreFlagged) {
  Ranking r;
  RankedChoice old;
  old.point.hardware_id = "old-card";
  old.point.price_date = "2022-10";
  old.point.price_usd = 1000;
  RankedChoice fresh = old;
  fresh.point.hardware_id = "new-card";
  fresh.point.price_date = "2025-06";
  RankedChoice none = old;
  none.point.hardware_id = "no-date";
  none.point.price_date = "";
  r.top = {old, fresh, none};
  const std::vector<std::string> w = PriceWarnings(r, "2026-01-15", 24);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_THAT(w[0], HasSubstr("old-card"));
  EXPECT_THAT(w[0], HasSubstr("2022-10"));
  EXPECT_THAT(w[1], HasSubstr("no-date"));
}

}  // namespace
}  // namespace sizer

namespace sizer {
namespace {

TEST(Prices, AFileOverridesTheDatabasePrice) {
  StatusOr<PriceOverrides> prices = ParsePriceOverrides(
      "rtx-4090: {price_usd: 3000, price_date: \"2025-11\", source: quote}\n", "prices.yaml",
      testing::RealCatalog());
  ASSERT_TRUE(prices.ok()) << prices.status().message();
  SearchSpace space;
  space.hardware = {"rtx-4090"};
  space.counts = {4};
  const JobSpec job = Qwen();
  const SearchResult before = Search(job, space);
  space.prices = *prices;
  const SearchResult after = Search(job, space);
  ASSERT_EQ(before.admitted.size(), 1u);
  ASSERT_EQ(after.admitted.size(), 1u);
  EXPECT_EQ(after.admitted[0].price_usd, 4 * 3000);
  EXPECT_EQ(after.admitted[0].price_date, "2025-11");
  // Four cards amortized over the default 36 months: 4 x (3000 - 1599) / 36 more per month.
  EXPECT_NEAR(after.admitted[0].monthly_usd - before.admitted[0].monthly_usd, 4 * (3000.0 - 1599.0) / 36,
              1e-9);
}

TEST(Prices, BadFilesAreErrorsWithThePlace) {
  StatusOr<PriceOverrides> unknown = ParsePriceOverrides("rtx-4909: {price_usd: 1, price_date: \"2025-01\"}\n",
                                                         "p.yaml", testing::RealCatalog());
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), ::testing::HasSubstr("rtx-4090"));
  StatusOr<PriceOverrides> date = ParsePriceOverrides("rtx-4090: {price_usd: 1, price_date: \"Nov 2025\"}\n",
                                                      "p.yaml", testing::RealCatalog());
  ASSERT_FALSE(date.ok());
  EXPECT_THAT(date.status().message(), ::testing::HasSubstr("p.yaml:1:"));
  EXPECT_THAT(date.status().message(), ::testing::HasSubstr("YYYY-MM"));
}

}  // namespace
}  // namespace sizer

namespace sizer {
namespace {

// The search plans without the capacity search (plan/plan_options.h): every verdict and
// figure but the largest context and concurrency must be what a full plan gives.
TEST(PlanOptions, WithoutTheCapacitySearchEveryOtherFigureIsTheSame) {
  for (const char* name : {"chat-assistant-8b", "golden-admit-24gb", "golden-latency-gate",
                           "serving-vllm-70b", "serving-llama-cpp-two-gpus"}) {
    StatusOr<JobSpec> job =
        LoadJobSpec(testing::SourceDir() + "/worksheets/" + name + ".yaml", testing::RealCatalog());
    ASSERT_TRUE(job.ok()) << job.status().message();
    auto shared = std::make_shared<const JobSpec>(*job);
    StatusOr<Plan> full = MakePlan(shared);
    StatusOr<Plan> lean = MakePlan(shared, PlanOptions{/*capacity_search=*/false});
    ASSERT_TRUE(full.ok() && lean.ok()) << name;
    ASSERT_EQ(full->candidates.size(), lean->candidates.size());
    EXPECT_EQ(full->recommended, lean->recommended) << name;
    for (size_t i = 0; i < full->candidates.size(); ++i) {
      const CandidateWorksheet& f = full->candidates[i];
      const CandidateWorksheet& l = lean->candidates[i];
      EXPECT_EQ(f.verdict, l.verdict) << name << " #" << i;
      EXPECT_EQ(ReasonTexts(f.reasons), ReasonTexts(l.reasons)) << name << " #" << i;
      EXPECT_EQ(f.gate_decode_tokens_per_s, l.gate_decode_tokens_per_s);
      EXPECT_EQ(f.gate_ttft_ms, l.gate_ttft_ms);
      EXPECT_EQ(f.cost.local_monthly_usd, l.cost.local_monthly_usd);
      EXPECT_EQ(f.memory.binding_device().planned_bytes, l.memory.binding_device().planned_bytes);
      EXPECT_EQ(l.max_context_tokens, CandidateWorksheet::kNotSearched);
      EXPECT_EQ(l.max_concurrency, CandidateWorksheet::kNotSearched);
    }
  }
}

}  // namespace
}  // namespace sizer
