// `sizer serve`'s JSON API answers exactly what the CLI prints with --json for the same input
// (the server in-process, the CLI as the built binary).
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve/serve_fixture.h"
#include "service/service_test_support.h"
#include "testing/test_env.h"

namespace sizer::testing {
namespace {

constexpr const char* kWorksheet = "worksheets/chat-assistant-8b.yaml";

std::string ReadSource(const std::string& rel) {
  std::ifstream in(SourceDir() + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json CliJson(const std::string& args) {
  CliResult r = RunCli(args);
  EXPECT_LE(r.exit_code, 1) << args << "\n" << r.err;  // 1: a valid answer, "nothing fits"
  return nlohmann::json::parse(r.out, nullptr, false);
}

class ServeApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = StartServe().release(); }
  static void TearDownTestSuite() { delete server_; }

  nlohmann::json Get(const std::string& path) {
    httplib::Client client = server_->Client();
    auto res = client.Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    return nlohmann::json::parse(res->body, nullptr, false);
  }
  nlohmann::json Post(const std::string& path, const std::string& body) {
    httplib::Client client = server_->Client();
    auto res = client.Post(path.c_str(), body, "application/json");
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
    return nlohmann::json::parse(res->body, nullptr, false);
  }

  static ServeHandle* server_;
};
ServeHandle* ServeApi::server_ = nullptr;

// `sizer plan` of the body saved as a file named as the service names a request's job, so the
// job's file name in the JSON is the same.
nlohmann::json CliPlanJson(const std::string& body) {
  ScratchDir dir("serve_plan");
  dir.Write(service::kRequestFileName, body);
  CliResult r = RunCliIn(dir.path(), "plan '" + std::string(service::kRequestFileName) + "' --json");
  EXPECT_LE(r.exit_code, 1) << r.err;
  return ParsedOut(r);
}

TEST_F(ServeApi, PlanEqualsThePlanCommandsJson) {
  const std::string job = ReadSource(kWorksheet);
  const nlohmann::json api = Post("/v1/plan", job);
  const nlohmann::json cli = CliPlanJson(job);
  ASSERT_TRUE(cli.contains("candidates"));
  EXPECT_EQ(api, cli);
}

TEST_F(ServeApi, PlanOfAJsonJobEqualsThePlanCommandsJson) {
  const std::string job = R"({"job": "json-job", "model": "llama-3.1-8b", "quant": "Q4_K_M",
      "context_tokens": 8192, "concurrency": 4, "runtime": "llama.cpp", "prompt_tokens": 512,
      "output_tokens": 256,
      "candidates": ["rtx-3060-12gb", "rtx-4090", {"hardware": "rtx-4090", "count": 2}],
      "gates": {"min_decode_tokens_per_s": 15},
      "cost": {"requests_per_month": 200000, "hosted": {"usd_per_million_input_tokens": 0.2,
               "usd_per_million_output_tokens": 0.6}}})";
  const nlohmann::json api = Post("/v1/plan", job);
  const nlohmann::json cli = CliPlanJson(job);
  ASSERT_TRUE(cli.contains("candidates"));
  EXPECT_EQ(api, cli);
}

TEST_F(ServeApi, FitEqualsTheFitCommandsJson) {
  const nlohmann::json api =
      Post("/v1/fit", R"({"model": "llama-3.1-8b", "context": "32k", "concurrency": 4,
                          "on": "rtx-4090,2x rtx-3090,h100-sxm"})");
  const nlohmann::json cli =
      CliJson("fit llama-3.1-8b --context 32k --concurrency 4 --on 'rtx-4090,2x rtx-3090,h100-sxm' --json");
  ASSERT_TRUE(cli.contains("candidates"));
  EXPECT_EQ(api, cli);
}

TEST_F(ServeApi, FitMaxContextEqualsTheFitCommandsJson) {
  const nlohmann::json api =
      Post("/v1/fit", R"({"model": "qwen2.5-32b", "quant": "Q4_K_M", "on": "rtx-4090,a100-80gb",
                          "max_context": true})");
  const nlohmann::json cli = CliJson("fit qwen2.5-32b --quant Q4_K_M --on rtx-4090,a100-80gb --max-context --json");
  ASSERT_TRUE(cli.contains("machines"));
  EXPECT_EQ(api, cli);
}

TEST_F(ServeApi, FitOfAModelFileUnderModelsDirEqualsTheCli) {
  const nlohmann::json api = Post(
      "/v1/fit", R"({"model": "sub/copy.gguf", "memory": "1GiB", "bandwidth": "10GB/s"})");
  const nlohmann::json cli = CliJson("fit '" + (server_->models_dir / "sub" / "copy.gguf").string() +
                                     "' --memory 1GiB --bandwidth 10GB/s --json");
  ASSERT_TRUE(cli.contains("candidates"));
  EXPECT_EQ(api, cli);
}

TEST_F(ServeApi, RecommendEqualsTheRecommendCommandsJson) {
  const nlohmann::json api =
      Post("/v1/recommend", R"({"model": "llama-3.1-70b", "context": "16k", "top": 3})");
  const nlohmann::json cli = CliJson("recommend --model llama-3.1-70b --context 16k --top 3 --json");
  ASSERT_FALSE(cli.is_discarded());
  EXPECT_EQ(api, cli);
}

TEST_F(ServeApi, ListsEqualTheDbAndRuntimesCommands) {
  EXPECT_EQ(Get("/v1/models"), CliJson("db list models --json"));
  EXPECT_EQ(Get("/v1/hardware"), CliJson("db list hardware --json"));
  EXPECT_EQ(Get("/v1/runtimes"), CliJson("runtimes --json"));
  EXPECT_EQ(Get("/v1/models/llama-3.1-8b"), CliJson("db show llama-3.1-8b --json"));
}

TEST_F(ServeApi, ReportIsTheHtmlReport) {
  httplib::Client client = server_->Client();
  auto res = client.Post("/v1/report", ReadSource(kWorksheet), "application/yaml");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(res->body.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(res->body.find("<table class=\"verdicts\">"), std::string::npos);
  EXPECT_NE(res->body.find("<svg"), std::string::npos);
}

}  // namespace
}  // namespace sizer::testing
