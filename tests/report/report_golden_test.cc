// Reports for every worksheet in worksheets/: the Markdown must match its golden file in
// tests/golden/reports/ byte for byte; the HTML must be well-formed and hold every section
// in order, one SVG per chart and every candidate.
//
// After a deliberate change to the planner, the databases, the worksheets or the templates,
// regenerate the goldens and review the diff:
//   SIZER_UPDATE_GOLDEN=1 build-me/tests/sizer_tests --gtest_filter='ReportGolden*'
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "base/file.h"
#include "base/sha256.h"
#include "plan/planner.h"
#include "report/report_document.h"
#include "report/plan_view.h"
#include "report/report_model.h"
#include "report/template_render.h"
#include "testing/test_env.h"
#include "report/markup_check.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using testing::RealCatalog;
using testing::SourceDir;

constexpr const char* kDate = "2025-01-01";

std::vector<std::string> Worksheets() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(SourceDir() + "/worksheets")) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct Rendered {
  JobSpec job;
  Plan plan;
  ReportDocument doc;
};

// The report of worksheets/<name> as the CLI would write it with --date 2025-01-01.
std::unique_ptr<Rendered> Render(const std::string& name, ReportFormat format) {
  auto r = std::make_unique<Rendered>();
  StatusOr<JobSpec> job = LoadJobSpec(SourceDir() + "/worksheets/" + name, RealCatalog());
  EXPECT_TRUE(job.ok()) << name << ": " << job.status().message();
  if (!job.ok()) return nullptr;
  r->job = std::move(job).value();
  StatusOr<Plan> plan = MakePlan(r->job);
  EXPECT_TRUE(plan.ok()) << name << ": " << plan.status().message();
  if (!plan.ok()) return nullptr;
  r->plan = std::move(plan).value();
  ReportOptions options;
  options.date = kDate;
  options.inputs = PlanInputFiles(r->plan, "worksheets/" + name, SourceDir());
  options.charts = ChartOutput::kFiles;
  StatusOr<ReportDocument> doc = RenderReport(r->plan, format, SourceDir() + "/reports/templates", options);
  EXPECT_TRUE(doc.ok()) << name << ": " << doc.status().message();
  if (!doc.ok()) return nullptr;
  r->doc = std::move(doc).value();
  // Rows that cite the job file (a LoRA adapter's or a vision block's line) name it as loaded
  // here, under the source folder: shown relative to it, the goldens hold in any checkout.
  const std::string root = SourceDir() + "/";
  for (size_t at = r->doc.text.find(root); at != std::string::npos; at = r->doc.text.find(root, at)) {
    r->doc.text.erase(at, root.size());
  }
  return r;
}

std::string GoldenPath(const std::string& worksheet) {
  return SourceDir() + "/tests/golden/reports/" + fs::path(worksheet).stem().string() + ".md";
}

bool UpdateGoldens() {
  const char* v = std::getenv("SIZER_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

TEST(ReportGolden, EveryWorksheetHasAGoldenMarkdownReport) {
  std::vector<std::string> names = Worksheets();
  ASSERT_GE(names.size(), 10u);
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    auto r = Render(name, ReportFormat::kMarkdown);
    ASSERT_NE(r, nullptr);
    const std::string path = GoldenPath(name);
    if (UpdateGoldens()) {
      fs::create_directories(fs::path(path).parent_path());
      std::ofstream(path, std::ios::binary) << r->doc.text;
      continue;
    }
    StatusOr<std::string> golden = ReadFileToString(path);
    ASSERT_TRUE(golden.ok()) << golden.status().message()
                             << " (create it with SIZER_UPDATE_GOLDEN=1, see this file's header)";
    EXPECT_TRUE(r->doc.text == *golden)
        << "report for worksheets/" << name << " differs from " << path
        << "; if the change is intended, regenerate with SIZER_UPDATE_GOLDEN=1 and review the diff";
    // Markdown into a directory links one SVG file per chart it drew.
    for (const ChartFile& chart : r->doc.charts) {
      EXPECT_NE(r->doc.text.find("](" + chart.name + ")"), std::string::npos) << chart.name;
      testing::MarkupResult markup = testing::CheckMarkup(chart.svg, /*html=*/false);
      EXPECT_TRUE(markup.ok) << chart.name << ": " << markup.error;
      EXPECT_EQ(chart.svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u) << chart.name;
    }
  }
}

TEST(ReportGolden, NoGoldenWithoutItsWorksheet) {
  std::vector<std::string> names = Worksheets();
  for (const auto& entry : fs::directory_iterator(SourceDir() + "/tests/golden/reports")) {
    std::string stem = entry.path().stem().string();
    EXPECT_TRUE(std::find(names.begin(), names.end(), stem + ".yaml") != names.end())
        << entry.path() << " has no worksheets/" << stem << ".yaml";
  }
}

// Positions of the section ids, in document order.
std::vector<std::string> SectionIds(const std::string& html) {
  std::vector<std::string> ids;
  size_t at = 0;
  while ((at = html.find("<section id=\"", at)) != std::string::npos) {
    at += 13;
    ids.push_back(html.substr(at, html.find('"', at) - at));
  }
  return ids;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(ReportGolden, HtmlIsWellFormedAndComplete) {
  for (const std::string& name : Worksheets()) {
    SCOPED_TRACE(name);
    auto r = Render(name, ReportFormat::kHtml);
    ASSERT_NE(r, nullptr);
    const std::string& html = r->doc.text;
    testing::MarkupResult markup = testing::CheckMarkup(html, /*html=*/true);
    ASSERT_TRUE(markup.ok) << markup.error;
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_TRUE(r->doc.charts.empty()) << "HTML inlines its charts";
    // The issue's order: job, verdict, recommendation, memory, speed, cost, warnings and
    // assumptions, sources, provenance.
    EXPECT_EQ(SectionIds(html), (std::vector<std::string>{"job", "verdict", "recommendation", "memory",
                                                          "speed", "cost", "notes", "sources",
                                                          "provenance"}));
    // One SVG per chart: memory, KV and speed always; cost when the job has a cost section;
    // the KV chart is left out only when the job pins the KV bucket.
    size_t expected = 2 + (r->job.cost.present ? 1 : 0) + (r->job.memory_overrides.kv_cache_bytes ? 0 : 1);
    EXPECT_EQ(Count(html, "<svg "), expected);
    EXPECT_EQ(Count(html, "</svg>"), expected);
    for (const char* id : {"chart-memory", "chart-speed"}) {
      EXPECT_NE(html.find("id=\"" + std::string(id) + "\""), std::string::npos) << id;
    }
    // No script, no external resource: it opens offline.
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("src=\"http"), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
    EXPECT_NE(html.find("@media print"), std::string::npos);
    // Every candidate: in the verdict table, in the memory and speed details, and as a bar
    // in the memory and speed charts.
    for (size_t i = 0; i < r->plan.candidates.size(); ++i) {
      const std::string anchor = "candidate-" + std::to_string(i + 1);
      EXPECT_NE(html.find("href=\"#" + anchor + "-memory\""), std::string::npos) << anchor;
      EXPECT_NE(html.find("id=\"" + anchor + "-memory\""), std::string::npos) << anchor;
      EXPECT_NE(html.find("id=\"" + anchor + "-speed\""), std::string::npos) << anchor;
    }
    size_t memory_chart = html.find("id=\"chart-memory\"");
    size_t memory_end = html.find("</svg>", memory_chart);
    std::string memory_svg = html.substr(memory_chart, memory_end - memory_chart);
    for (const CandidateView& c : MakePlanView(r->plan).candidates) {
      EXPECT_NE(memory_svg.find(">" + EscapeHtml(c.display_label) + "</text>"), std::string::npos)
          << c.display_label;
    }
    // Provenance: version, date, and the job file's sha256.
    StatusOr<std::string> digest = Sha256File(SourceDir() + "/worksheets/" + name);
    ASSERT_TRUE(digest.ok());
    EXPECT_NE(html.find(*digest), std::string::npos);
    EXPECT_NE(html.find(kDate), std::string::npos);
    EXPECT_NE(html.find(SIZER_VERSION), std::string::npos);
  }
}

}  // namespace
}  // namespace sizer
