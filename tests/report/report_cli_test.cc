// `sizer report` and `sizer plan --format html` end to end: outputs, options, errors, and a
// real browser rendering the HTML report (headless Chromium, skipped when not installed).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/sha256.h"
#include "report/markup_check.h"
#include "testing/scratch_dir.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::CliResult;
using testing::RunCli;
using testing::SourceDir;

constexpr const char* kWorksheet = "worksheets/chat-assistant-8b.yaml";

class ReportCli : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return dir_.Path(name); }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(Path(name), std::ios::binary) << text;
  }
  // A folder per test, removed after it.
  testing::ScratchDir dir_{"report_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())};
};

TEST_F(ReportCli, HtmlToAFileIsOneWellFormedPage) {
  CliResult r = RunCli(std::string("report ") + kWorksheet + " --format html -o '" + Path("report.html") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  std::string html = Slurp(Path("report.html"));
  testing::MarkupResult markup = testing::CheckMarkup(html, true);
  EXPECT_TRUE(markup.ok) << markup.error;
  EXPECT_THAT(html, HasSubstr("<h1>Sizing report: chat-assistant-8b</h1>"));
  // The job file is hashed as the user named it.
  StatusOr<std::string> digest = Sha256File(SourceDir() + "/" + kWorksheet);
  ASSERT_TRUE(digest.ok());
  EXPECT_THAT(html, HasSubstr("<td>" + std::string(kWorksheet) + "</td><td class=\"hash\">" + *digest));
  EXPECT_FALSE(fs::exists(Path("report.html.tmp")));
}

TEST_F(ReportCli, FormatFollowsTheOutputsExtension) {
  CliResult r = RunCli(std::string("report ") + kWorksheet + " -o '" + Path("r.html") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(Slurp(Path("r.html")), HasSubstr("<!DOCTYPE html>"));
  CliResult md = RunCli(std::string("report ") + kWorksheet);
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_THAT(md.out, HasSubstr("# Sizing report: chat-assistant-8b\n"));
  EXPECT_THAT(md.out, HasSubstr("Charts are written as SVG files beside the report"));
}

TEST_F(ReportCli, MarkdownIntoADirectoryWritesTheChartsBesideIt) {
  CliResult r = RunCli(std::string("report ") + kWorksheet + " --format md -o '" + Path("out") + "/'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string md = Slurp(Path("out/report.md"));
  for (const char* chart : {"chart-memory.svg", "chart-kv.svg", "chart-speed.svg", "chart-cost.svg"}) {
    SCOPED_TRACE(chart);
    EXPECT_THAT(md, HasSubstr(std::string("](") + chart + ")"));
    std::string svg = Slurp(Path(std::string("out/") + chart));
    EXPECT_TRUE(testing::CheckMarkup(svg, false).ok);
    EXPECT_THAT(svg, HasSubstr("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  }
}

TEST_F(ReportCli, DateComesFromTheFlagOrSourceDateEpoch) {
  CliResult flag = RunCli(std::string("report ") + kWorksheet + " --date 2024-02-29");
  ASSERT_EQ(flag.exit_code, 0) << flag.err;
  EXPECT_THAT(flag.out, HasSubstr("Generated 2024-02-29 by sizer"));
  CliResult env = RunCli(std::string("report ") + kWorksheet, "SOURCE_DATE_EPOCH=1700000000");
  ASSERT_EQ(env.exit_code, 0) << env.err;
  EXPECT_THAT(env.out, HasSubstr("Generated 2023-11-14 by sizer"));
  CliResult bad = RunCli(std::string("report ") + kWorksheet + " --date 29/02/2024");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--date: expected YYYY-MM-DD"));
  CliResult bad_env = RunCli(std::string("report ") + kWorksheet, "SOURCE_DATE_EPOCH=yesterday");
  EXPECT_EQ(bad_env.exit_code, 2);
  EXPECT_THAT(bad_env.err, HasSubstr("SOURCE_DATE_EPOCH"));
}

TEST_F(ReportCli, UnwritableOutputFailsBeforeAnyWork) {
  // A missing directory: rejected before the job is even read (the job does not exist).
  CliResult r = RunCli("report no-such-job.yaml -o '" + Path("missing/report.html") + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("does not exist"));
  EXPECT_THAT(r.err, Not(HasSubstr("no-such-job")));
  CliResult dir = RunCli("report no-such-job.yaml -o '" + Path("a/b/c/") + "'");
  EXPECT_EQ(dir.exit_code, 2);
  EXPECT_THAT(dir.err, HasSubstr("cannot create the directory"));
  if (::geteuid() != 0) {  // root writes anywhere
    fs::create_directories(Path("ro"));
    fs::permissions(Path("ro"), fs::perms::owner_read | fs::perms::owner_exec);
    CliResult ro = RunCli(std::string("report ") + kWorksheet + " -o '" + Path("ro/r.md") + "'");
    EXPECT_EQ(ro.exit_code, 2);
    EXPECT_THAT(ro.err, HasSubstr("not writable"));
    fs::permissions(Path("ro"), fs::perms::owner_all);
  }
}

TEST_F(ReportCli, BadOptionsAreUsageErrors) {
  CliResult fmt = RunCli(std::string("report ") + kWorksheet + " --format pdf");
  EXPECT_EQ(fmt.exit_code, 2);
  EXPECT_THAT(fmt.err, HasSubstr("unknown report format 'pdf' (expected md or html)"));
  CliResult missing = RunCli("report");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("report: missing JOB.yaml"));
  CliResult help = RunCli("report --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--validation"));
  EXPECT_THAT(help.out, HasSubstr("--template"));
}

TEST_F(ReportCli, ValidationFilesAreShownOrRejected) {
  const std::string fixture = SourceDir() + "/tests/report/fixtures/validate-rtx-4090.json";
  CliResult ok = RunCli(std::string("report ") + kWorksheet + " --validation '" + fixture + "'");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("| Decode | 120.5 tokens/s | 104.2 tokens/s | 86% |"));
  Write("bad.json", "{\"sizer_validate\": 1, \"hardware_id\": \"rtx-4090\", \"decode\": {\"measured_tokens_per_s\": \"x\"}}");
  CliResult bad = RunCli(std::string("report ") + kWorksheet + " --validation '" + fixture + "' --validation '" +
                         Path("bad.json") + "'");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("bad.json: decode.measured_tokens_per_s: expected a number"));
  EXPECT_EQ(bad.out, "");
  Write("garbage.json", "not json at all");
  CliResult garbage = RunCli(std::string("report ") + kWorksheet + " --validation '" + Path("garbage.json") + "'");
  EXPECT_EQ(garbage.exit_code, 2);
  EXPECT_THAT(garbage.err, HasSubstr("not valid JSON"));
  Write("other.json", "{\"sizer_validate\": 1, \"hardware_id\": \"b200\", \"decode\": {\"measured_tokens_per_s\": 5}}");
  CliResult other = RunCli(std::string("report ") + kWorksheet + " --validation '" + Path("other.json") + "'");
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_THAT(other.err, HasSubstr("hardware_id 'b200' is not a candidate of this job"));
}

TEST_F(ReportCli, UserTemplatesAndTheirErrors) {
  fs::create_directories(Path("tpl"));
  Write("tpl/report.md.mustache", "{{> header}}{{#verdicts}}{{candidate}}={{verdict}};{{/verdicts}}\n");
  Write("tpl/header.mustache", "Job {{job_name}} on {{provenance.date}}: ");
  CliResult r = RunCli(std::string("report ") + kWorksheet + " --date 2025-01-01 --template '" + Path("tpl") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Job chat-assistant-8b on 2025-01-01: rtx-3060-12gb=admit;rtx-4090=admit;m4-pro-48gb=reject;"
            "ryzen-9-7950x-64gb=reject;rtx-3060-12gb + offload=admit;\n");
  // The raw plan JSON is there too, under "plan".
  Write("tpl/report.md.mustache", "{{plan.job.context_tokens}}{{#plan.candidates}} {{hardware_id}}{{/plan.candidates}}\n");
  CliResult raw = RunCli(std::string("report ") + kWorksheet + " --template '" + Path("tpl") + "'");
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_EQ(raw.out, "8192 rtx-3060-12gb rtx-4090 m4-pro-48gb ryzen-9-7950x-64gb rtx-3060-12gb\n");
  // No HTML template in the directory.
  CliResult no_html = RunCli(std::string("report ") + kWorksheet + " --format html --template '" + Path("tpl") + "'");
  EXPECT_EQ(no_html.exit_code, 2);
  EXPECT_THAT(no_html.err, HasSubstr("no report.html.mustache there"));
  CliResult no_dir = RunCli(std::string("report ") + kWorksheet + " --template '" + Path("nope") + "'");
  EXPECT_EQ(no_dir.exit_code, 2);
  EXPECT_THAT(no_dir.err, HasSubstr("not a directory"));
  // A template that does not parse names its file.
  Write("tpl/report.md.mustache", "{{#verdicts}}unclosed\n");
  CliResult broken = RunCli(std::string("report ") + kWorksheet + " --template '" + Path("tpl") + "'");
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_THAT(broken.err, HasSubstr("tpl/report.md.mustache: "));
  EXPECT_EQ(broken.out, "");
}

TEST_F(ReportCli, TemplatesAreFoundUnderTheDatabaseRootElseTheSourceTree) {
  fs::create_directories(Path("db"));
  fs::copy(SourceDir() + "/model_db", Path("db/model_db"), fs::copy_options::recursive);
  fs::copy(SourceDir() + "/hardware_db", Path("db/hardware_db"), fs::copy_options::recursive);
  // No templates under the --db root: the source tree's.
  CliResult fallback = RunCli(std::string("report ") + kWorksheet + " --db '" + Path("db") + "'");
  ASSERT_EQ(fallback.exit_code, 0) << fallback.err;
  EXPECT_THAT(fallback.out, HasSubstr("# Sizing report: chat-assistant-8b"));
  EXPECT_THAT(fallback.out, HasSubstr("| model_db/llama-3.1-8b.yaml | `"));
  // Templates under the --db root win.
  fs::create_directories(Path("db/reports/templates"));
  Write("db/reports/templates/report.md.mustache", "db template: {{job_name}}\n");
  CliResult own = RunCli(std::string("report ") + kWorksheet + " --db '" + Path("db") + "'");
  ASSERT_EQ(own.exit_code, 0) << own.err;
  EXPECT_EQ(own.out, "db template: chat-assistant-8b\n");
}

TEST_F(ReportCli, PlanFormatHtmlIsTheSameReport) {
  CliResult plan = RunCli(std::string("plan ") + kWorksheet + " --format html", "SOURCE_DATE_EPOCH=1700000000");
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  CliResult report = RunCli(std::string("report ") + kWorksheet + " --format html", "SOURCE_DATE_EPOCH=1700000000");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(plan.out, report.out);
  EXPECT_TRUE(testing::CheckMarkup(plan.out, true).ok);
}

// ---- A real browser --------------------------------------------------------------------

std::string FindChromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
    std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return name;
  }
  return "";
}

uint32_t BigEndian32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

TEST_F(ReportCli, HeadlessChromiumRendersTheHtmlReport) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) {
    GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh installs it): the browser check did not run";
  }
  CliResult r = RunCli(std::string("report ") + kWorksheet + " --format html -o '" + Path("report.html") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string png = Path("report.png");
  // A private profile directory; no sandbox (CI containers run as root); 60 s at most.
  std::string cmd = "timeout 60 " + chromium +
                    " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars"
                    " --no-first-run --user-data-dir='" + Path("profile") + "'" +
                    " --window-size=1280,4000 --screenshot='" + png + "' 'file://" + Path("report.html") +
                    "' >'" + Path("chromium.log") + "' 2>&1";
  int status = std::system(cmd.c_str());
  ASSERT_EQ(status, 0) << Slurp(Path("chromium.log"));
  std::string image = Slurp(png);
  ASSERT_GE(image.size(), 33u);
  EXPECT_EQ(image.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(image.substr(12, 4), "IHDR");
  EXPECT_EQ(BigEndian32(image, 16), 1280u);  // width
  EXPECT_EQ(BigEndian32(image, 20), 4000u);  // height
  // A blank 1280x4000 page compresses to a few kilobytes; tables, text and four charts do not.
  EXPECT_GT(image.size(), 150u * 1024) << "the page rendered (nearly) empty";
  EXPECT_LT(image.size(), 20u * 1024 * 1024);
}

}  // namespace
}  // namespace sizer
