// End-to-end tests of the sizer binary: exit codes (0 ok, 1 a check failed, 2 bad input or
// usage), what goes to stdout and stderr, and the --json contract.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/test_env.h"

namespace sizer {
namespace {

using nlohmann::json;
using sizer::testing::CliResult;
using sizer::testing::RunCli;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kWorksheet = "worksheets/chat-assistant-8b.yaml";
const std::vector<std::string> kWorksheetCandidates = {
    "rtx-3060-12gb", "rtx-4090", "m4-pro-48gb", "ryzen-9-7950x-64gb",
    "rtx-3060-12gb + offload"};

// A job that no candidate can hold: 70B at F16 (~140 GB) on a 12 GB card.
constexpr const char* kRejectedJob =
    "job: too-big\n"
    "model: llama-3.1-70b\n"
    "quant: F16\n"
    "context_tokens: 8192\n"
    "concurrency: 1\n"
    "runtime: llama.cpp\n"
    "prompt_tokens: 1000\n"
    "output_tokens: 200\n"
    "candidates: [rtx-3060-12gb]\n";

// A small valid job with `context_line` on line 4.
std::string SmallJob(const std::string& context_line = "context_tokens: 8192",
                     const std::string& candidates_line = "candidates: [rtx-4090]") {
  return "job: small\n"
         "model: llama-3.1-8b\n"
         "quant: Q4_K_M\n" +
         context_line + "\n" +
         "concurrency: 1\n"
         "runtime: llama.cpp\n"
         "prompt_tokens: 1000\n"
         "output_tokens: 200\n" +
         candidates_line + "\n";
}

// Per-test scratch directory under the system temp dir, removed afterwards.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("sizer_cli_test_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Writes `text` to dir/name and returns the absolute path.
  std::string WriteFile(const std::string& name, const std::string& text) {
    std::filesystem::path path = dir_ / name;
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    EXPECT_TRUE(out.good()) << path;
    return path.string();
  }

  std::filesystem::path dir_;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Asserts the shape of a usage or input error: exit 2, nothing on stdout, exactly one line
// on stderr reading "sizer: error: ...".
void ExpectOneErrorLine(const CliResult& r) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("sizer: error: "));
  EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
  EXPECT_FALSE(r.err.empty() || r.err.back() != '\n') << "stderr should end with a newline";
}

// ---------------------------------------------------------------------------------------------
// sizer plan on the example worksheet.

TEST_F(CliTest, PlanWorksheetText) {
  CliResult r = RunCli(std::string("plan ") + kWorksheet);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, StartsWith("sizer plan: chat-assistant-8b"));
  EXPECT_THAT(r.out, HasSubstr("Recommendation:"));
  for (const std::string& c : kWorksheetCandidates) EXPECT_THAT(r.out, HasSubstr(c));
  EXPECT_THAT(r.out, HasSubstr("admit"));
  EXPECT_THAT(r.out, HasSubstr("reject"));
}

TEST_F(CliTest, PlanWorksheetSummaryIsShorter) {
  CliResult full = RunCli(std::string("plan ") + kWorksheet);
  CliResult summary = RunCli(std::string("plan --summary ") + kWorksheet);
  EXPECT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_THAT(summary.out, HasSubstr("Recommendation:"));
  EXPECT_LT(summary.out.size(), full.out.size());
}

TEST_F(CliTest, PlanWorksheetJsonContract) {
  CliResult r = RunCli(std::string("plan --json ") + kWorksheet);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  ASSERT_TRUE(j.is_object());

  ASSERT_TRUE(j.contains("job"));
  EXPECT_TRUE(j["job"].is_object());
  EXPECT_EQ(j["job"].value("name", ""), "chat-assistant-8b");
  EXPECT_EQ(j["job"].value("model", ""), "llama-3.1-8b");

  ASSERT_TRUE(j.contains("candidates"));
  ASSERT_TRUE(j["candidates"].is_array());
  ASSERT_EQ(j["candidates"].size(), kWorksheetCandidates.size());
  std::set<std::string> verdicts;
  for (size_t i = 0; i < j["candidates"].size(); ++i) {
    const json& c = j["candidates"][i];
    SCOPED_TRACE("candidate " + std::to_string(i));
    ASSERT_TRUE(c.is_object());
    ASSERT_TRUE(c.contains("hardware"));
    EXPECT_EQ(c["hardware"], kWorksheetCandidates[i]);
    ASSERT_TRUE(c.contains("verdict"));
    ASSERT_TRUE(c["verdict"].is_string());
    std::string verdict = c["verdict"];
    EXPECT_TRUE(verdict == "admit" || verdict == "reject") << verdict;
    verdicts.insert(verdict);
    ASSERT_TRUE(c.contains("reasons"));
    ASSERT_TRUE(c["reasons"].is_array());
    if (verdict == "reject") {
      EXPECT_FALSE(c["reasons"].empty()) << "a rejection must say why";
    } else {
      EXPECT_TRUE(c["reasons"].empty()) << c["reasons"].dump();
    }
    ASSERT_TRUE(c.contains("memory"));
    for (const char* key : {"weights_bytes", "kv_cache_bytes", "runtime_bytes", "activation_bytes",
                            "fragmentation_bytes", "planned_bytes", "usable_bytes",
                            "capacity_bytes"}) {
      ASSERT_TRUE(c["memory"].contains(key)) << key;
      EXPECT_TRUE(c["memory"][key].is_number()) << key;
    }
    EXPECT_GT(c["memory"]["weights_bytes"].get<double>(), 0);
    EXPECT_GT(c["memory"]["kv_cache_bytes"].get<double>(), 0);
    EXPECT_GE(c["memory"]["capacity_bytes"].get<double>(),
              c["memory"]["usable_bytes"].get<double>());
    ASSERT_TRUE(c.contains("speed"));
    for (const char* key :
         {"decode_ceiling_tokens_per_s", "expected_decode_tokens_per_s", "ttft_ms"}) {
      ASSERT_TRUE(c["speed"].contains(key)) << key;
      EXPECT_TRUE(c["speed"][key].is_number()) << key;
    }
    EXPECT_LE(c["speed"]["expected_decode_tokens_per_s"].get<double>(),
              c["speed"]["decode_ceiling_tokens_per_s"].get<double>());
    ASSERT_TRUE(c.contains("max_context_tokens"));
    EXPECT_TRUE(c["max_context_tokens"].is_number_integer());
    ASSERT_TRUE(c.contains("max_concurrency"));
    EXPECT_TRUE(c["max_concurrency"].is_number_integer());
  }
  // The worksheet's text output shows both kinds of verdict.
  EXPECT_EQ(verdicts, (std::set<std::string>{"admit", "reject"}));

  ASSERT_TRUE(j.contains("cost"));
  ASSERT_TRUE(j["cost"].is_object()) << j["cost"].dump();
  for (const char* key :
       {"local_monthly_usd", "hosted_monthly_usd", "break_even_requests_per_month"}) {
    ASSERT_TRUE(j["cost"].contains(key)) << key;
    EXPECT_TRUE(j["cost"][key].is_number()) << key;
  }
  ASSERT_TRUE(j["cost"].contains("cheaper"));
  ASSERT_TRUE(j["cost"]["cheaper"].is_string());
  EXPECT_THAT(j["cost"]["cheaper"].get<std::string>(), ::testing::AnyOf("local", "hosted"));
}

TEST_F(CliTest, PlanFormatJsonEqualsJsonFlag) {
  CliResult a = RunCli(std::string("plan --json ") + kWorksheet);
  CliResult b = RunCli(std::string("plan --format json ") + kWorksheet);
  EXPECT_EQ(a.exit_code, 0);
  EXPECT_EQ(b.exit_code, 0);
  EXPECT_FALSE(a.out.empty());
  EXPECT_EQ(a.out, b.out);
}

TEST_F(CliTest, PlanMarkdown) {
  CliResult r = RunCli(std::string("plan --format md ") + kWorksheet);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  // One Markdown renderer: `plan --format md` is the report of `sizer report --format md`.
  EXPECT_THAT(r.out, StartsWith("# Sizing report: chat-assistant-8b"));
  EXPECT_THAT(r.out, HasSubstr("## 3. Recommendation"));
  for (const std::string& c : kWorksheetCandidates) EXPECT_THAT(r.out, HasSubstr(c));
  CliResult report = RunCli(std::string("report --format md ") + kWorksheet);
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(r.out, report.out);
  CliResult summary = RunCli(std::string("plan --format md --summary ") + kWorksheet);
  EXPECT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_THAT(summary.out, HasSubstr("## 3. Recommendation"));
  EXPECT_THAT(summary.out, Not(HasSubstr("## 4. Memory budget")));
}

TEST_F(CliTest, PlanTextFitsColumns) {
  for (const char* columns : {"80", "120"}) {
    CliResult r = RunCli(std::string("plan ") + kWorksheet, std::string("COLUMNS=") + columns);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
      // A URL longer than the terminal cannot be wrapped: one word alone on its line.
      const bool one_word = line.find(' ', line.find_first_not_of(' ')) == std::string::npos;
      if (!one_word) {
        EXPECT_LE(line.size(), static_cast<size_t>(std::stoi(columns))) << line;
      }
    }
  }
  CliResult summary = RunCli(std::string("plan --summary ") + kWorksheet);
  ASSERT_FALSE(summary.out.empty());
  EXPECT_EQ(summary.out.back(), '\n');
}

TEST_F(CliTest, PlanOutputFile) {
  std::string path = (dir_ / "report.txt").string();
  CliResult r = RunCli(std::string("plan ") + kWorksheet + " -o '" + path + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  ASSERT_TRUE(std::filesystem::exists(path));
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_THAT(ss.str(), StartsWith("sizer plan: chat-assistant-8b"));
  EXPECT_THAT(ss.str(), HasSubstr("Recommendation:"));
  // Written whole through a sibling file that does not stay behind.
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  // Same content as stdout.
  CliResult to_stdout = RunCli(std::string("plan ") + kWorksheet);
  EXPECT_EQ(ss.str(), to_stdout.out);
}

TEST_F(CliTest, PlanJsonOutputFile) {
  std::string path = (dir_ / "report.json").string();
  CliResult r = RunCli(std::string("plan --json ") + kWorksheet + " --output '" + path + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  std::ifstream in(path);
  json j = json::parse(in, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_TRUE(j["candidates"].is_array());
}

TEST_F(CliTest, PlanOutputFileInMissingDirectoryFails) {
  std::string path = (dir_ / "no" / "such" / "dir" / "report.txt").string();
  CliResult r = RunCli(std::string("plan ") + kWorksheet + " -o '" + path + "'");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("sizer: error:"));
  EXPECT_FALSE(std::filesystem::exists(path));
}

// ---------------------------------------------------------------------------------------------
// Bad job files.

TEST_F(CliTest, MissingJobFile) {
  std::string path = (dir_ / "does-not-exist.yaml").string();
  CliResult r = RunCli("plan '" + path + "'");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr("no such file"));
  EXPECT_THAT(r.err, HasSubstr(path));
}

TEST_F(CliTest, YamlSyntaxError) {
  std::string path = WriteFile("syntax.yaml",
                               "job: broken\n"
                               "model: llama-3.1-8b\n"
                               "candidates: [rtx-4090\n");
  CliResult r = RunCli("plan '" + path + "'");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr("YAML syntax error"));
  // "sizer: error: PATH:LINE:COL: YAML syntax error: ..."
  ASSERT_THAT(r.err, StartsWith("sizer: error: " + path + ":"));
  std::string rest = r.err.substr(std::string("sizer: error: " + path + ":").size());
  EXPECT_TRUE(std::regex_search(rest, std::regex("^[0-9]+:[0-9]+: YAML syntax error: ")))
      << r.err;
}

TEST_F(CliTest, YamlSyntaxErrorWithJsonPrintsNothingOnStdout) {
  std::string path = WriteFile("syntax.yaml", "job: broken\nmodel: [llama\n");
  CliResult r = RunCli("plan --json '" + path + "'");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr(path + ":"));
}

TEST_F(CliTest, InvalidValueNamesLineAndColumn) {
  std::string path = WriteFile("zero.yaml", SmallJob("context_tokens: 0"));
  CliResult r = RunCli("plan '" + path + "'");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr(path + ":4:17: context_tokens: must be at least 1"));
}

TEST_F(CliTest, UnknownHardwareId) {
  std::string path =
      WriteFile("hw.yaml", SmallJob("context_tokens: 8192", "candidates: [rtx4090]"));
  CliResult r = RunCli("plan '" + path + "'");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr(path + ":9:14:"));
  EXPECT_THAT(r.err, HasSubstr("unknown hardware 'rtx4090'"));
  EXPECT_THAT(r.err, HasSubstr("did you mean 'rtx-4090'"));
}

TEST_F(CliTest, ContextAboveMaximumWarns) {
  std::string path = WriteFile("long.yaml", SmallJob("context_tokens: 200000"));
  CliResult r = RunCli("plan --summary '" + path + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, StartsWith("sizer: warning: "));
  EXPECT_THAT(r.err, HasSubstr(path + ":4:17:"));
  EXPECT_THAT(r.err, HasSubstr("exceeds the model's maximum"));
  EXPECT_THAT(r.err, Not(HasSubstr("sizer: error:")));
  EXPECT_THAT(r.out, HasSubstr("Recommendation:"));
}

TEST_F(CliTest, ContextAboveMaximumStrictFails) {
  std::string path = WriteFile("long.yaml", SmallJob("context_tokens: 200000"));
  CliResult r = RunCli("plan --strict '" + path + "'");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr(path + ":4:17:"));
  EXPECT_THAT(r.err, HasSubstr("exceeds the model's maximum"));
}

TEST_F(CliTest, ContextAboveMaximumWarningIsInJson) {
  std::string path = WriteFile("long.yaml", SmallJob("context_tokens: 200000"));
  CliResult r = RunCli("plan --json '" + path + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("sizer: error:")));
  json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  ASSERT_TRUE(j["warnings"].is_array());
  bool found = false;
  for (const json& w : j["warnings"]) {
    found = found || (w.is_string() && w.get<std::string>().find(
                                           "exceeds the model's maximum") != std::string::npos);
  }
  EXPECT_TRUE(found) << j["warnings"].dump();
}

TEST_F(CliTest, MissingRequiredKeyIsAnInputErrorNotACrash) {
  // The same job without its 'job:' name line.
  std::string text = SmallJob();
  text.erase(0, text.find('\n') + 1);
  std::string path = WriteFile("noname.yaml", text);
  CliResult r = RunCli("plan '" + path + "'");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr(path + ":1:1: missing required key 'job'"));
  EXPECT_THAT(r.err, Not(HasSubstr("internal error")));
}

TEST_F(CliTest, MissingRequiredHardwareFieldIsAnInputErrorNotACrash) {
  std::string path = WriteFile("inline.yaml",
                               SmallJob("context_tokens: 8192",
                                        "candidates:\n"
                                        "  - id: my-gpu\n"
                                        "    kind: gpu\n"
                                        "    memory_bandwidth: 1000 GB/s\n"
                                        "    fp16_tflops: 100"));
  CliResult r = RunCli("plan '" + path + "'");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr(path + ":10:5: candidates[0]: missing required key 'memory'"));
  EXPECT_THAT(r.err, Not(HasSubstr("internal error")));
}

TEST_F(CliTest, ValidSmallJobHasNoWarnings) {
  std::string path = WriteFile("ok.yaml", SmallJob());
  CliResult r = RunCli("plan --strict '" + path + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("rtx-4090"));
}

// ---------------------------------------------------------------------------------------------
// --require-admit.

TEST_F(CliTest, AllRejectedExitsZeroWithoutRequireAdmit) {
  std::string path = WriteFile("rejected.yaml", kRejectedJob);
  CliResult r = RunCli("plan --json '" + path + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  ASSERT_EQ(j["candidates"].size(), 1u);
  EXPECT_EQ(j["candidates"][0]["verdict"], "reject");
  ASSERT_TRUE(j["candidates"][0]["reasons"].is_array());
  ASSERT_FALSE(j["candidates"][0]["reasons"].empty());
  EXPECT_THAT(j["candidates"][0]["reasons"][0].get<std::string>(), HasSubstr("memory"));
}

TEST_F(CliTest, AllRejectedWithRequireAdmitExitsOne) {
  std::string path = WriteFile("rejected.yaml", kRejectedJob);
  CliResult r = RunCli("plan --require-admit '" + path + "'");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // The worksheet is still printed: the answer is "no", not "bad input".
  EXPECT_THAT(r.out, HasSubstr("reject"));
  EXPECT_THAT(r.err, Not(HasSubstr("sizer: error:")));
}

TEST_F(CliTest, RequireAdmitPassesWhenSomethingIsAdmitted) {
  CliResult r = RunCli(std::string("plan --require-admit --summary ") + kWorksheet);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("admit"));
}

// ---------------------------------------------------------------------------------------------
// Usage errors and help.

TEST_F(CliTest, UnknownSubcommandSuggests) {
  CliResult r = RunCli("plna");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr("unknown command 'plna'"));
  EXPECT_THAT(r.err, HasSubstr("did you mean 'plan'"));
}

TEST_F(CliTest, NoArgumentsIsUsageError) {
  CliResult r = RunCli("");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("usage: sizer"));
}

TEST_F(CliTest, TopLevelHelp) {
  CliResult r = RunCli("--help");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("usage: sizer"));
  EXPECT_THAT(r.out, HasSubstr("  plan "));
  EXPECT_THAT(r.out, HasSubstr("  db "));
}

TEST_F(CliTest, HelpCommand) {
  CliResult r = RunCli("help");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  plan "));
  CliResult plan = RunCli("help plan");
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("usage: sizer plan"));
}

TEST_F(CliTest, PlanHelp) {
  CliResult r = RunCli("plan --help");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("usage: sizer plan"));
  for (const char* flag : {"--format", "--json", "--output", "--strict", "--require-admit"}) {
    EXPECT_THAT(r.out, HasSubstr(flag)) << flag;
  }
}

TEST_F(CliTest, PlanUnknownFlag) {
  CliResult r = RunCli("plan --bogus x");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr("--bogus"));
}

TEST_F(CliTest, PlanWithoutJob) {
  CliResult r = RunCli("plan");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr("missing JOB.yaml"));
}

TEST_F(CliTest, PlanUnknownFormat) {
  CliResult r = RunCli(std::string("plan --format xml ") + kWorksheet);
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr("unknown --format 'xml'"));
}

TEST_F(CliTest, Version) {
  CliResult r = RunCli("--version");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("sizer "));
  EXPECT_EQ(Lines(r.out).size(), 1u);
  EXPECT_GT(r.out.size(), std::string("sizer \n").size());
  EXPECT_EQ(r.err, "");
}

// ---------------------------------------------------------------------------------------------
// sizer db.

TEST_F(CliTest, DbListModels) {
  CliResult r = RunCli("db list models");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("llama-3.1-8b"));
  EXPECT_THAT(r.out, HasSubstr("llama-3.1-70b"));
}

TEST_F(CliTest, DbListHardwareJson) {
  CliResult r = RunCli("db list hardware --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  ASSERT_TRUE(j.is_array());
  EXPECT_GE(j.size(), 25u);
  bool found = false;
  for (const json& h : j) {
    ASSERT_TRUE(h.contains("id"));
    ASSERT_TRUE(h.contains("memory_bytes"));
    if (h["id"] == "rtx-4090") {
      found = true;
      EXPECT_DOUBLE_EQ(h["memory_bytes"].get<double>(), 24.0 * (1ull << 30));
      EXPECT_EQ(h["kind"], "gpu");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(CliTest, DbListRuntimesAndQuants) {
  CliResult runtimes = RunCli("db list runtimes");
  EXPECT_EQ(runtimes.exit_code, 0) << runtimes.err;
  EXPECT_THAT(runtimes.out, HasSubstr("llama.cpp"));
  EXPECT_THAT(runtimes.out, HasSubstr("vllm"));
  CliResult quants = RunCli("db list quants");
  EXPECT_EQ(quants.exit_code, 0) << quants.err;
  EXPECT_THAT(quants.out, HasSubstr("Q4_K_M"));
}

TEST_F(CliTest, DbShowHardware) {
  CliResult r = RunCli("db show rtx-4090");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("id: rtx-4090"));
  EXPECT_THAT(r.out, HasSubstr("kind: gpu"));
}

TEST_F(CliTest, DbShowModelJson) {
  CliResult r = RunCli("db show llama-3.1-8b --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["id"], "llama-3.1-8b");
  EXPECT_EQ(j["max_context_tokens"], 131072);
}

TEST_F(CliTest, DbShowUnknownId) {
  CliResult r = RunCli("db show nope");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr("unknown id 'nope'"));
}

TEST_F(CliTest, DbShowTypoSuggests) {
  CliResult r = RunCli("db show rtx4090");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr("did you mean 'rtx-4090'"));
}

TEST_F(CliTest, DbListUnknownTable) {
  CliResult r = RunCli("db list widgets");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr("unknown table 'widgets'"));
}

TEST_F(CliTest, DbUnknownAction) {
  CliResult r = RunCli("db frobnicate models");
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr("unknown action 'frobnicate'"));
}

}  // namespace
}  // namespace sizer
