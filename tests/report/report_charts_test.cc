// The SVG builder (ticks, labels, escaping, ids) and the charts' content: every number a
// chart prints is the plan's own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/format.h"
#include "plan/planner.h"
#include "report/display_format.h"
#include "report/json_report.h"
#include "report/markup_check.h"
#include "report/report_charts.h"
#include "report/report_model.h"
#include "report/svg_chart.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RealCatalog;
using testing::SourceDir;

TEST(SvgChart, NiceTicksCoverTheRangeInRoundSteps) {
  EXPECT_THAT(svg::NiceTicks(64.4e9, 6), ElementsAre(0, 20e9, 40e9, 60e9, 80e9));
  EXPECT_THAT(svg::NiceTicks(218.3, 6), ElementsAre(0, 50, 100, 150, 200, 250));
  EXPECT_THAT(svg::NiceTicks(0), ElementsAre(0, 1));
  EXPECT_THAT(svg::PowerOfTwoTicks(94000, 1024, 6), ElementsAre(0, 16384, 32768, 49152, 65536, 81920, 98304));
}

TEST(SvgChart, TickLabelsCarryTheirUnits) {
  EXPECT_EQ(svg::TickGigabytes(0), "0");
  EXPECT_EQ(svg::TickGigabytes(20e9), "20 GB");
  EXPECT_EQ(svg::TickGigabytes(1.5e9), "1.5 GB");
  EXPECT_EQ(svg::TickGigabytes(500e6), "500 MB");
  EXPECT_EQ(svg::TickCount(200000), "200k");
  EXPECT_EQ(svg::TickCount(1500000), "1.5M");
  EXPECT_EQ(svg::TickUsd(2500), "$2,500");
  EXPECT_EQ(svg::TickUsd(50000), "$50k");
  EXPECT_EQ(svg::TickContextTokens(131072), "128k");
  EXPECT_EQ(svg::TickContextTokens(1048576), "1M");
}

TEST(SvgChart, CanvasIsWellFormedWithPrefixedIdsAndEscapedText) {
  svg::Canvas canvas(200, 100, "c1", "A <title>", "a \"desc\"");
  std::string fill = canvas.DefinePattern("hatch", svg::Pattern::kDiagonal, "#000000", "#ffffff");
  EXPECT_EQ(fill, "url(#c1-hatch)");
  canvas.Rect(0, 0, 10.126, 5, {fill, "none", 1, ""});
  canvas.Text(1, 2, "x < y & \"z\"");
  canvas.BeginGroup("tip <b>");
  canvas.Circle(5, 5, 2, {"#000000", "#ffffff", 1, "2 2"});
  canvas.EndGroup();
  std::string out = canvas.Finish();
  testing::MarkupResult markup = testing::CheckMarkup(out, /*html=*/false);
  EXPECT_TRUE(markup.ok) << markup.error;
  EXPECT_THAT(out, HasSubstr("<title id=\"c1-title\">A &lt;title&gt;</title>"));
  EXPECT_THAT(out, HasSubstr(">x &lt; y &amp; &quot;z&quot;</text>"));
  EXPECT_THAT(out, HasSubstr("<pattern id=\"c1-hatch\""));
  EXPECT_THAT(out, HasSubstr("width=\"10.13\""));
  EXPECT_THAT(out, Not(HasSubstr("<script")));
}

class ChartContent : public ::testing::Test {
 protected:
  void Load(const std::string& worksheet) {
    StatusOr<JobSpec> job = LoadJobSpec(SourceDir() + "/worksheets/" + worksheet, RealCatalog());
    ASSERT_TRUE(job.ok()) << job.status().message();
    StatusOr<Plan> plan = MakePlan(*job);
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    plan_ = std::move(plan).value();
    ReportOptions options;
    options.date = "2025-01-01";
    StatusOr<nlohmann::json> model = BuildReportModel(plan_, options);
    ASSERT_TRUE(model.ok()) << model.status().message();
    model_ = std::move(model).value();
  }
  std::string Svg(const char* id) {
    const nlohmann::json& c = model_["charts"][id];
    return c.contains("svg") ? c["svg"].get<std::string>() : "";
  }
  const JobSpec& job() const { return *plan_.job; }
  Plan plan_;
  nlohmann::json model_;
};

TEST_F(ChartContent, MemoryBarsShowEachCandidatesPlannedAndUsable) {
  Load("chat-assistant-8b.yaml");
  std::string svg = Svg("memory");
  ASSERT_FALSE(svg.empty());
  for (const CandidateWorksheet& ws : plan_.candidates) {
    const DeviceBudget& d = ws.memory.binding_device();
    EXPECT_THAT(svg, HasSubstr(FormatMemory(d.planned_bytes) + " of " + FormatMemory(d.usable_bytes)))
        << ws.candidate.label;
    EXPECT_THAT(svg, HasSubstr("Weights " + FormatMemory(d.weights_bytes) + ", KV cache " +
                               FormatMemory(d.kv_cache_bytes)))
        << ws.candidate.label;
  }
}

TEST_F(ChartContent, KvCurveAtTheJobsContextIsThePlansKvCache) {
  // Full attention (Llama) and a hybrid with linear layers: the curve comes from the
  // planner's KV model, so at the job's context it is exactly the worksheet's KV bucket.
  for (const char* worksheet : {"chat-assistant-8b.yaml", "golden-kv-hybrid.yaml", "golden-kv-full-attention.yaml"}) {
    SCOPED_TRACE(worksheet);
    Load(worksheet);
    std::string svg = Svg("kv");
    ASSERT_FALSE(svg.empty());
    const std::string sequences = job().concurrency == 1 ? "1 sequence" : std::to_string(job().concurrency) + " sequences";
    EXPECT_THAT(svg, HasSubstr("this job: " + FormatCount(static_cast<double>(job().context_tokens)) +
                               " tokens x " + sequences + " = " + FormatMemory(plan_.candidates[0].memory.kv.bytes)));
    for (const CandidateWorksheet& ws : plan_.candidates) {
      if (ws.max_context_tokens > 0) {
        EXPECT_THAT(svg, HasSubstr(ws.candidate.label + ": up to " +
                                   FormatCount(static_cast<double>(ws.max_context_tokens)) + " tokens"));
      }
    }
  }
}

TEST_F(ChartContent, SpeedBarsShowExpectedCeilingAndTheGate) {
  Load("chat-assistant-8b.yaml");
  std::string svg = Svg("speed");
  ASSERT_FALSE(svg.empty());
  for (const CandidateWorksheet& ws : plan_.candidates) {
    EXPECT_THAT(svg, HasSubstr(FormatNumber(ws.speed.expected_decode_tokens_per_s, 1) + " (ceiling " +
                               FormatNumber(ws.speed.decode_ceiling_tokens_per_s, 1) + ")"));
  }
  EXPECT_THAT(svg, HasSubstr("gate 15.0 tokens/s"));
}

TEST_F(ChartContent, CostLinesAndBreakEvenAreThePlansFigures) {
  Load("chat-assistant-8b.yaml");
  std::string svg = Svg("cost");
  ASSERT_FALSE(svg.empty());
  EXPECT_THAT(svg, HasSubstr("this job: 200,000/month"));
  for (const CandidateWorksheet& ws : plan_.candidates) {
    if (!ws.admitted()) {
      EXPECT_THAT(svg, Not(HasSubstr(">" + ws.candidate.label + " $"))) << "only admitted candidates get a line";
      continue;
    }
    EXPECT_THAT(svg, HasSubstr(ws.candidate.label + " " + FormatUsd(ws.cost.local_monthly_usd)));
    EXPECT_THAT(svg, HasSubstr(FormatCount(ws.cost.break_even_requests_per_month) + "/mo"));
  }
}

TEST_F(ChartContent, ChartsWithoutDataSayWhy) {
  Load("golden-admit-24gb.yaml");  // pins the memory buckets and has no cost section
  ASSERT_TRUE(job().memory_overrides.kv_cache_bytes.has_value());
  EXPECT_FALSE(model_["charts"]["kv"]["present"].get<bool>());
  EXPECT_THAT(model_["charts"]["kv"]["caption"].get<std::string>(), HasSubstr("pins the KV cache"));
  if (!job().cost.present) {
    EXPECT_FALSE(model_["charts"]["cost"]["present"].get<bool>());
    EXPECT_THAT(model_["charts"]["cost"]["caption"].get<std::string>(), HasSubstr("no cost: section"));
  }
  EXPECT_TRUE(model_["charts"]["memory"]["present"].get<bool>());
}

TEST_F(ChartContent, ModelCarriesThePlanJsonWhole) {
  Load("chat-assistant-8b.yaml");
  EXPECT_EQ(model_["plan"], PlanToJson(plan_));
}

}  // namespace
}  // namespace sizer
