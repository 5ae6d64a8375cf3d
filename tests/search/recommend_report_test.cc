// `sizer recommend --format md|html`: the recommendation report's view model, its HTML (the
// ranking rows, the Pareto chart's points and front, the hosted line, the top-3 memory
// stacks, self-contained markup), the Markdown against a golden file, the CLI's output
// checks, and a real browser rendering the HTML (headless Chromium, skipped when absent).
//
// Regenerate the golden after a deliberate change and review the diff:
//   SIZER_UPDATE_GOLDEN=1 build/tests/sizer_tests --gtest_filter='RecommendReport*'
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/format.h"
#include "input/question.h"
#include "report/display_format.h"
#include "report/markup_check.h"
#include "report/svg_chart.h"
#include "search/ranking.h"
#include "search/recommend_charts.h"
#include "search/recommend_report.h"
#include "search/search.h"
#include "testing/scratch_dir.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::CliResult;
using testing::RealCatalog;
using testing::RunCli;
using testing::SourceDir;

constexpr const char* kToday = "2026-01-01";
constexpr const char* kQuestion =
    "--model qwen3-30b-a3b --context 32k --concurrency 8 --min-decode 20 "
    "--set cost.requests_per_month=300000 --set cost.hosted.usd_per_million_input_tokens=0.2 "
    "--set cost.hosted.usd_per_million_output_tokens=0.8 --date 2026-01-01";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

struct Searched {
  SearchResult result;
  Ranking ranking;
};

// The README's question with a hosted price, so every section has content.
Searched QwenWithHostedPrice() {
  Question q;
  q.model = "qwen3-30b-a3b";
  q.context = "32k";
  q.concurrency = "8";
  q.min_decode = "20";
  q.sets = {"cost.requests_per_month=300000", "cost.hosted.usd_per_million_input_tokens=0.2",
            "cost.hosted.usd_per_million_output_tokens=0.8"};
  q.search_hardware = true;
  Searched s;
  StatusOr<DraftedJob> draft = DraftJob(q, RealCatalog());
  EXPECT_TRUE(draft.ok()) << draft.status().message();
  StatusOr<JobSpec> job = ParseDraftedJob(*draft, RealCatalog());
  EXPECT_TRUE(job.ok()) << job.status().message();
  SearchSpace space;
  space.threads = 2;
  StatusOr<SearchResult> result = SearchHardware(*job, RealCatalog(), space);
  EXPECT_TRUE(result.ok()) << result.status().message();
  if (!result.ok()) return s;
  s.result = std::move(result).value();
  s.ranking = RankSearch(s.result, RankBy::kCost, 5);
  EXPECT_TRUE(FillMaxContext(s.result, RealCatalog(), s.ranking).ok());
  return s;
}

std::string Templates() { return SourceDir() + "/reports/templates"; }

TEST(RecommendReport, ModelCarriesTheRankingTheFrontAndTheTopThreeStacks) {
  const Searched s = QwenWithHostedPrice();
  ASSERT_GE(s.ranking.top.size(), 3u);
  ASSERT_FALSE(s.ranking.pareto.empty());
  const nlohmann::json m = RecommendationReportModel(s.result, s.ranking, kToday, ReportFormat::kMarkdown);
  ASSERT_EQ(m["rows"].size(), s.ranking.top.size());
  for (size_t i = 0; i < s.ranking.top.size(); ++i) {
    const SearchPoint& p = s.ranking.top[i].point;
    EXPECT_EQ(m["rows"][i]["machine"], p.label);
    EXPECT_EQ(m["rows"][i]["monthly"], FormatUsd(p.monthly_usd));
    EXPECT_EQ(m["rows"][i]["decode"], FormatTokensPerSecond(p.decode_tokens_per_s));
    EXPECT_EQ(m["rows"][i]["pareto"], s.ranking.top[i].pareto);
    EXPECT_EQ(m["rows"][i]["why"], s.ranking.top[i].why);
  }
  ASSERT_EQ(m["pareto_rows"].size(), s.ranking.pareto.size());
  ASSERT_EQ(m["stacks"].size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const SearchPoint& p = s.ranking.top[i].point;
    EXPECT_EQ(m["stacks"][i]["weights"], FormatMemory(p.weights_device_bytes));
    EXPECT_EQ(m["stacks"][i]["kv"], FormatMemory(p.kv_device_bytes));
    EXPECT_EQ(m["stacks"][i]["other"], FormatMemory(p.other_device_bytes));
    EXPECT_EQ(m["stacks"][i]["planned"], FormatMemory(p.planned_bytes));
    // The stack adds up to what the plan puts on the device.
    EXPECT_NEAR(p.weights_device_bytes + p.kv_device_bytes + p.other_device_bytes, p.planned_bytes,
                p.planned_bytes * 1e-9);
  }
  EXPECT_TRUE(m["has_hosted"].get<bool>());
  EXPECT_EQ(m["hosted_rows"].size(), s.ranking.top.size());
  // Markdown has no charts.
  EXPECT_FALSE(m.contains("pareto_svg"));
}

TEST(RecommendReport, HtmlIsSelfContainedWithTheRankingChartAndStacks) {
  const Searched s = QwenWithHostedPrice();
  ASSERT_GE(s.ranking.top.size(), 3u);
  StatusOr<std::string> html =
      RenderRecommendationReport(s.result, s.ranking, kToday, ReportFormat::kHtml, Templates());
  ASSERT_TRUE(html.ok()) << html.status().message();
  const testing::MarkupResult markup = testing::CheckMarkup(*html, true);
  EXPECT_TRUE(markup.ok) << markup.error;
  EXPECT_THAT(*html, Not(HasSubstr("<script")));
  EXPECT_THAT(*html, Not(HasSubstr("src=\"http")));
  EXPECT_THAT(*html, Not(HasSubstr("href=\"http")));
  EXPECT_EQ(Count(*html, "<svg"), 2u);
  // Ranking rows, in order.
  size_t at = 0;
  for (const RankedChoice& c : s.ranking.top) {
    const size_t row = html->find("<td class=\"name\">" + svg::EscapeXml(c.point.label) + "</td>", at);
    ASSERT_NE(row, std::string::npos) << c.point.label;
    at = row;
  }
  // The chart: every front point with its tooltip, the hosted line, admitted points.
  const size_t chart = html->find("id=\"chart-pareto\"");
  ASSERT_NE(chart, std::string::npos);
  const size_t chart_end = html->find("</svg>", chart);
  const std::string pareto = html->substr(chart, chart_end - chart);
  for (const SearchPoint& p : s.ranking.pareto) {
    EXPECT_THAT(pareto, HasSubstr(svg::EscapeXml(p.label + " (" + p.quant + ", " + p.kv_dtype + " KV, " +
                                                 p.runtime + "): " + FormatUsd(p.monthly_usd))));
  }
  EXPECT_EQ(Count(pareto, "<polygon"), s.ranking.pareto.size() + 1);  // + the legend's sample
  const size_t circles = Count(pareto, "<circle");
  EXPECT_GE(circles, s.ranking.pareto.size() + 1);
  EXPECT_LE(circles, s.result.admitted.size() + 1);
  EXPECT_THAT(pareto, HasSubstr("hosted API " + FormatUsd(s.result.hosted_monthly_usd) + "/month"));
  EXPECT_THAT(pareto, HasSubstr("decode gate"));
  // The memory stacks: the top three and no more.
  const size_t stack = html->find("id=\"chart-stack\"");
  ASSERT_NE(stack, std::string::npos);
  const std::string stacks = html->substr(stack, html->find("</svg>", stack) - stack);
  for (size_t i = 0; i < s.ranking.top.size(); ++i) {
    const std::string label = svg::EscapeXml(std::to_string(i + 1) + ". " + s.ranking.top[i].point.label);
    if (i < kMemoryStackMachines) {
      EXPECT_THAT(stacks, HasSubstr(">" + label + "<"));
    } else {
      EXPECT_THAT(stacks, Not(HasSubstr(">" + label + "<")));
    }
  }
}

TEST(RecommendReport, MarkdownMatchesItsGolden) {
  const Searched s = QwenWithHostedPrice();
  StatusOr<std::string> md =
      RenderRecommendationReport(s.result, s.ranking, kToday, ReportFormat::kMarkdown, Templates());
  ASSERT_TRUE(md.ok()) << md.status().message();
  const std::string path = SourceDir() + "/tests/golden/recommend/qwen3-30b-a3b-report.md";
  const char* update = std::getenv("SIZER_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path) << *md;
    return;
  }
  EXPECT_EQ(*md, Slurp(path)) << "SIZER_UPDATE_GOLDEN=1 rewrites " << path;
}

class RecommendReportCli : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return dir_.Path(name); }
  // A folder per test, removed after it.
  testing::ScratchDir dir_{"recrep_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())};
};

TEST_F(RecommendReportCli, WritesHtmlAndMarkdownByExtension) {
  CliResult html = RunCli(std::string("recommend ") + kQuestion + " -o '" + Path("rec.html") + "'");
  ASSERT_EQ(html.exit_code, 0) << html.err;
  EXPECT_EQ(html.out, "");
  const std::string page = Slurp(Path("rec.html"));
  EXPECT_THAT(page, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(page, HasSubstr("id=\"chart-pareto\""));
  CliResult md = RunCli(std::string("recommend ") + kQuestion + " --format md");
  ASSERT_EQ(md.exit_code, 0) << md.err;
  const Searched s = QwenWithHostedPrice();
  StatusOr<std::string> expected =
      RenderRecommendationReport(s.result, s.ranking, kToday, ReportFormat::kMarkdown, Templates());
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(md.out, *expected);
}

TEST_F(RecommendReportCli, BadOutputIsBadInputBeforeAnyWork) {
  // --timing would print the search's figures: none means the search never ran.
  CliResult missing_dir =
      RunCli(std::string("recommend ") + kQuestion + " --timing --format html -o '" + Path("no/such/rec.html") + "'");
  EXPECT_EQ(missing_dir.exit_code, 2);
  EXPECT_THAT(missing_dir.err, HasSubstr("-o"));
  EXPECT_THAT(missing_dir.err, Not(HasSubstr("searched")));
  CliResult is_dir = RunCli(std::string("recommend ") + kQuestion + " --timing --format md -o '" + Path("") + "'");
  EXPECT_EQ(is_dir.exit_code, 2);
  EXPECT_THAT(is_dir.err, Not(HasSubstr("searched")));
  CliResult bad_format = RunCli(std::string("recommend ") + kQuestion + " --timing --format pdf");
  EXPECT_EQ(bad_format.exit_code, 2);
  EXPECT_THAT(bad_format.err, HasSubstr("pdf"));
  CliResult no_format = RunCli(std::string("recommend ") + kQuestion + " --timing -o '" + Path("rec.txt") + "'");
  EXPECT_EQ(no_format.exit_code, 2);
  EXPECT_THAT(no_format.err, HasSubstr("--format"));
  CliResult both = RunCli(std::string("recommend ") + kQuestion + " --timing --json --format md");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_FALSE(fs::exists(Path("rec.txt")));
}

TEST_F(RecommendReportCli, NothingAdmittedReportsTheRejectionsAndExitsOne) {
  CliResult r = RunCli("recommend --model llama-3.1-405b --context 128k --concurrency 4 --min-decode 5 "
                       "--counts 1,2 --format md --date 2026-01-01");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("## 2. Nothing is admitted"));
  EXPECT_THAT(r.out, HasSubstr("the smallest shortfall is"));
  EXPECT_THAT(r.out, Not(HasSubstr("## 3. Pareto")));
}

std::string FindChromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
    std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return name;
  }
  return "";
}

// Chromium prints the DOM after layout (--dump-dom): the ranking, both charts and the stacks
// are in the document it rendered.
TEST_F(RecommendReportCli, HeadlessChromiumRendersTheHtmlReport) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) {
    GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh installs it): the browser check did not run";
  }
  CliResult r = RunCli(std::string("recommend ") + kQuestion + " --format html -o '" + Path("rec.html") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string png = Path("rec.png");
  std::string base = "timeout 60 " + chromium +
                     " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars"
                     " --no-first-run --user-data-dir='" + Path("profile") + "'";
  std::string shot = base + " --window-size=1280,3000 --screenshot='" + png + "' 'file://" + Path("rec.html") +
                     "' >'" + Path("chromium.log") + "' 2>&1";
  ASSERT_EQ(std::system(shot.c_str()), 0) << Slurp(Path("chromium.log"));
  const std::string image = Slurp(png);
  ASSERT_GE(image.size(), 33u);
  EXPECT_EQ(image.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  // A blank page compresses to a few kilobytes; tables and two charts do not.
  EXPECT_GT(image.size(), 60u * 1024) << "the page rendered (nearly) empty";
  std::string dump = base + " --dump-dom 'file://" + Path("rec.html") + "' >'" + Path("dom.html") + "' 2>'" +
                     Path("chromium.log") + "'";
  ASSERT_EQ(std::system(dump.c_str()), 0) << Slurp(Path("chromium.log"));
  const std::string dom = Slurp(Path("dom.html"));
  EXPECT_THAT(dom, HasSubstr("chart-pareto"));
  EXPECT_THAT(dom, HasSubstr("chart-stack"));
  EXPECT_THAT(dom, HasSubstr("<section id=\"ranking\">"));
}

}  // namespace
}  // namespace sizer
