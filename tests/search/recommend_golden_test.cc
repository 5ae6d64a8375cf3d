// The recommendation table, the inverse table and the nothing-admitted text must match their
// golden files in tests/golden/recommend/ byte for byte (100 columns, a fixed date).
//
// After a deliberate change to the planner, the databases or the layout, regenerate them and
// review the diff:
//   SIZER_UPDATE_GOLDEN=1 build/tests/sizer_tests --gtest_filter='RecommendGolden*'
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "input/question.h"
#include "search/hardware_fit.h"
#include "search/ranking.h"
#include "search/recommend_render.h"
#include "search/search.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using testing::RealCatalog;

constexpr const char* kToday = "2026-01-01";

void ExpectGolden(const std::string& name, const std::string& text) {
  const std::string path = testing::SourceDir() + "/tests/golden/recommend/" + name;
  const char* update = std::getenv("SIZER_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path) << text;
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing golden " << path << " (SIZER_UPDATE_GOLDEN=1 writes it)";
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(text, golden.str()) << name;
}

SearchResult SearchQuestion(Question q, SearchSpace space) {
  q.search_hardware = true;
  StatusOr<DraftedJob> draft = DraftJob(q, RealCatalog());
  EXPECT_TRUE(draft.ok()) << draft.status().message();
  StatusOr<JobSpec> job = ParseDraftedJob(*draft, RealCatalog());
  EXPECT_TRUE(job.ok()) << job.status().message();
  space.threads = 2;
  StatusOr<SearchResult> result = SearchHardware(*job, RealCatalog(), space);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? std::move(result).value() : SearchResult();
}

Ranking Ranked(const SearchResult& r, RankBy by) {
  Ranking ranking = RankSearch(r, by, 5);
  EXPECT_TRUE(FillMaxContext(r, RealCatalog(), ranking).ok());
  return ranking;
}

Question Qwen() {
  Question q;
  q.model = "qwen3-30b-a3b";
  q.context = "32k";
  q.concurrency = "8";
  q.min_decode = "20";
  return q;
}

TEST(RecommendGolden, CheapestMachinesForQwen3MoE) {
  const SearchResult r = SearchQuestion(Qwen(), {});
  ExpectGolden("qwen3-30b-a3b-cost.txt", RenderRecommendation(r, Ranked(r, RankBy::kCost), {100, kToday}));
}

TEST(RecommendGolden, FastestAcrossFormatsAndKvDtypesWithHostedPrice) {
  Question q = Qwen();
  q.sets = {"cost.requests_per_month=300000", "cost.hosted.usd_per_million_input_tokens=0.2",
            "cost.hosted.usd_per_million_output_tokens=0.8"};
  SearchSpace space;
  space.quants = {"Q4_K_M", "Q8_0", "Q6_K"};
  space.kv_dtypes = {"auto"};
  const SearchResult r = SearchQuestion(q, space);
  ExpectGolden("qwen3-30b-a3b-speed-hosted.txt",
               RenderRecommendation(r, Ranked(r, RankBy::kSpeed), {100, kToday}));
}

TEST(RecommendGolden, NothingAdmitted) {
  Question q;
  q.model = "llama-3.1-405b";
  q.context = "128k";
  q.concurrency = "4";
  q.min_decode = "5";
  SearchSpace space;
  space.counts = {1, 2};
  ExpectGolden("llama-3.1-405b-nothing.txt", RenderNoAdmission(SearchQuestion(q, space)));
}

TEST(RecommendGolden, ModelsThatFitOneMachine) {
  Question q;
  q.context = "16k";
  StatusOr<HardwareFitResult> fit = SearchModels(RealCatalog(), q, "rtx-4090", {"auto"}, 2);
  ASSERT_TRUE(fit.ok()) << fit.status().message();
  ExpectGolden("hardware-rtx-4090.txt", RenderHardwareFit(*fit, 100));
}

}  // namespace
}  // namespace sizer
