// The terminal worksheet of every job in worksheets/ at 80 and 120 columns must match its
// golden file in tests/golden/terminal/ byte for byte, and stay within the width.
//
// After a deliberate change to the planner, the databases, the worksheets or the layout,
// regenerate the goldens and review the diff:
//   SIZER_UPDATE_GOLDEN=1 build/tests/sizer_tests --gtest_filter='TerminalGolden*'
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "base/file.h"
#include "plan/planner.h"
#include "report/display_format.h"
#include "report/plan_view.h"
#include "report/table.h"
#include "report/worksheet_render.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using testing::RealCatalog;
using testing::SourceDir;

std::vector<std::string> Worksheets() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(SourceDir() + "/worksheets")) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      names.push_back(entry.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

PlanView ViewOf(const std::string& name) {
  StatusOr<JobSpec> job = LoadJobSpec(SourceDir() + "/worksheets/" + name + ".yaml", RealCatalog());
  EXPECT_TRUE(job.ok()) << name << ": " << job.status().message();
  if (!job.ok()) return {};
  StatusOr<Plan> plan = MakePlan(*job);
  EXPECT_TRUE(plan.ok()) << name << ": " << plan.status().message();
  if (!plan.ok()) return {};
  return MakePlanView(*plan);  // the view copies what it needs: the job may go
}

std::string Render(const std::string& name, size_t columns, bool details = true) {
  RenderOptions options;
  options.columns = columns;
  options.details = details;
  return RenderPlanText(ViewOf(name), options);
}

bool UpdateGoldens() {
  const char* v = std::getenv("SIZER_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

// Lines wider than `columns`, except one unbroken word (a URL, a path) that no wrapping can
// shorten.
std::vector<std::string> TooWide(const std::string& text, size_t columns) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (DisplayWidth(line) <= columns) continue;
    const size_t start = line.find_first_not_of(' ');
    std::string body = line.substr(start);
    if (body.rfind("- ", 0) == 0) body = body.substr(2);
    if (body.find(' ') == std::string::npos) continue;
    out.push_back(line);
  }
  return out;
}

TEST(TerminalGolden, EveryWorksheetAt80And120Columns) {
  std::vector<std::string> names = Worksheets();
  ASSERT_GE(names.size(), 10u);
  for (const std::string& name : names) {
    for (size_t columns : {80u, 120u}) {
      SCOPED_TRACE(name + " at " + std::to_string(columns));
      const std::string text = Render(name, columns);
      for (const std::string& line : TooWide(text, columns)) ADD_FAILURE() << "too wide: " << line;
      const std::string path =
          SourceDir() + "/tests/golden/terminal/" + name + "-" + std::to_string(columns) + ".txt";
      if (UpdateGoldens()) {
        fs::create_directories(fs::path(path).parent_path());
        std::ofstream(path, std::ios::binary) << text;
        continue;
      }
      StatusOr<std::string> golden = ReadFileToString(path);
      ASSERT_TRUE(golden.ok()) << golden.status().message()
                               << " (create it with SIZER_UPDATE_GOLDEN=1, see this file's header)";
      EXPECT_TRUE(text == *golden) << "worksheet " << name << " differs from " << path
                                   << "; if intended, regenerate with SIZER_UPDATE_GOLDEN=1 and review";
    }
  }
}

TEST(TerminalGolden, NoGoldenWithoutItsWorksheet) {
  std::vector<std::string> names = Worksheets();
  for (const auto& entry : fs::directory_iterator(SourceDir() + "/tests/golden/terminal")) {
    std::string stem = entry.path().stem().string();
    stem = stem.substr(0, stem.rfind('-'));
    EXPECT_TRUE(std::find(names.begin(), names.end(), stem) != names.end()) << entry.path();
  }
}

TEST(TerminalWorksheet, VerdictTableComesFirstAndSummaryEndsInANewline) {
  const std::string summary = Render("chat-assistant-8b", 100, /*details=*/false);
  ASSERT_FALSE(summary.empty());
  EXPECT_EQ(summary.back(), '\n');
  EXPECT_LT(summary.find("candidate"), summary.find("Recommendation:"));
}

TEST(TerminalWorksheet, SameLabelsAreToldApartByPlacement) {
  PlanView view = ViewOf("serving-llama-cpp-two-gpus");
  ASSERT_EQ(view.candidates.size(), 3u);
  EXPECT_EQ(view.candidates[1].label, view.candidates[2].label);
  EXPECT_EQ(view.candidates[1].display_label, "2x rtx-3090 (layer split)");
  EXPECT_EQ(view.candidates[2].display_label, "2x rtx-3090 (tensor parallel)");
}

TEST(TerminalWorksheet, GpuMemoryInBinaryUnitsAndRatesWithSeparators) {
  PlanView view = ViewOf("chat-assistant-8b");
  bool seen = false;
  for (const CandidateView& c : view.candidates) {
    if (c.hardware_id != "rtx-4090") continue;
    seen = true;
    EXPECT_EQ(FormatMemory(c.binding_device().capacity_bytes), "24.0 GiB");
    EXPECT_EQ(c.usable, "19.2 GiB");
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(FormatNumber(2314.94, 1), "2,314.9");
  EXPECT_EQ(FormatTokensPerSecond(2314.94), "2,314.9 tokens/s");
  EXPECT_EQ(FormatNumber(-1234567, 0), "-1,234,567");
  EXPECT_EQ(FormatNumber(-0.01, 1), "0.0");
  EXPECT_EQ(FormatMemory(512.0 * 1024 * 1024), "512 MiB");
}

}  // namespace
}  // namespace sizer
