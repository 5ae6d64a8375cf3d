// sizer runtimes and sizer deploy from the command line: filters, exit codes, refusals.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "testing/gguf_builder.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using testing::RunCli;

std::string TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("sizer_deploy_cli_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(dir);
  return dir.string();
}

size_t CountFiles(const std::string& dir) {
  if (!fs::exists(dir)) return 0;
  size_t n = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) n += entry.is_regular_file() ? 1 : 0;
  return n;
}

TEST(RuntimesCli, RequireKeepsOnlyTheServerRuntimes) {
  testing::CliResult r = RunCli("runtimes --require openai_api,batching,metrics,gpu_serving --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  std::vector<std::string> ids;
  for (const auto& runtime : j) {
    ids.push_back(runtime["id"].get<std::string>());
    EXPECT_TRUE(runtime["capabilities"]["metrics"]["supported"].get<bool>());
    EXPECT_FALSE(runtime["capabilities"]["metrics"]["source"].get<std::string>().empty());
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"llama.cpp", "sglang", "tensorrt-llm", "vllm"}));
}

TEST(RuntimesCli, ListsEveryRuntimeAsATable) {
  testing::CliResult r = RunCli("runtimes");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* id : {"llama.cpp", "ollama", "lmstudio", "vllm", "sglang", "tensorrt-llm", "mlx"}) {
    EXPECT_NE(r.out.find(id), std::string::npos) << id;
  }
  testing::CliResult multi = RunCli("runtimes --require multi_node");
  EXPECT_EQ(multi.out.find("llama.cpp"), std::string::npos);
  EXPECT_NE(multi.out.find("vllm"), std::string::npos);
}

TEST(RuntimesCli, UnknownCapabilityIsExitTwoWithASuggestion) {
  testing::CliResult r = RunCli("runtimes --require openai_api,metrix");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown capability 'metrix'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean 'metrics'"), std::string::npos) << r.err;
  EXPECT_EQ(RunCli("runtimes --require ,").exit_code, 2);
}

// The CI gate end to end: a bundle written with a real (tiny) GGUF and a previous release,
// smoke results like smoke_eval.sh writes them, and `sizer check release.yaml` passes.
TEST(DeployCli, TheReleaseManifestPassesSizerCheck) {
  const std::string dir = TempDir("gate");
  fs::create_directories(dir + "/models");
  testing::LlamaLikeOptions o;
  o.n_layers = 2;
  o.n_vocab = 32;
  o.context_length = 131072;
  o.tensor_type = 12;  // Q4_K
  ASSERT_TRUE(testing::WriteBytesToFile(dir + "/models/r2.gguf", testing::LlamaLikeGguf(o)));
  o.tensor_type = 2;  // Q4_0
  ASSERT_TRUE(testing::WriteBytesToFile(dir + "/models/r1.gguf", testing::LlamaLikeGguf(o)));
  // Release 1: its own bundle; release 2 names it as the rollback target.
  testing::CliResult r1 = RunCli("deploy worksheets/chat-assistant-8b.yaml --hardware rtx-4090 --release r1 -o '" +
                                 dir + "/r1' --model-path '" + dir + "/models/r1.gguf'");
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  testing::CliResult r2 = RunCli("deploy worksheets/chat-assistant-8b.yaml --hardware rtx-4090 --release r2 -o '" +
                                 dir + "/r2' --model-path '" + dir + "/models/r2.gguf' --previous-release '" +
                                 dir + "/r1/release.yaml'");
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  std::ofstream(dir + "/r2/smoke-results.json")
      << "{\"cases\": [{\"name\": \"capital\", \"correct\": true, \"latency_ms\": 120},\n"
         "           {\"name\": \"arithmetic\", \"correct\": true, \"latency_ms\": 150}]}\n";
  testing::CliResult check = RunCli("check '" + dir + "/r2/release.yaml' --json");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  nlohmann::json report = nlohmann::json::parse(check.out);
  EXPECT_TRUE(report["passed"].get<bool>()) << check.out;
  EXPECT_EQ(report["model_version"].get<std::string>(), "r2");
  // A wrong smoke answer fails the gate by name.
  std::ofstream(dir + "/r2/smoke-results.json")
      << "{\"cases\": [{\"name\": \"capital\", \"correct\": false, \"latency_ms\": 120}]}\n";
  check = RunCli("check '" + dir + "/r2/release.yaml' --json");
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.out.find("\"name\": \"eval\""), std::string::npos);
  fs::remove_all(dir);
}

TEST(DeployCli, WritesABundleForTheChosenCandidate) {
  const std::string dir = TempDir("ok");
  testing::CliResult r =
      RunCli("deploy worksheets/serving-vllm-70b.yaml --hardware '2x h100-sxm' -o '" + dir + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"compose.yaml", "healthcheck.sh", "smoke_eval.sh", "smoke/capital.json",
                        "smoke/arithmetic.json", "release.yaml", "settings.json", "README.md"}) {
    EXPECT_TRUE(fs::exists(dir + "/" + f)) << f;
  }
  YAML::Node compose = YAML::LoadFile(dir + "/compose.yaml");
  auto args = compose["services"]["llm"]["command"].as<std::vector<std::string>>();
  auto tp = std::find(args.begin(), args.end(), "--tensor-parallel-size");
  ASSERT_NE(tp, args.end());
  EXPECT_EQ(*(tp + 1), "2");
  EXPECT_NE(r.out.find("wrote"), std::string::npos);
  fs::remove_all(dir);
}

TEST(DeployCli, WithoutHardwareTheRecommendationIsDeployed) {
  const std::string dir = TempDir("recommended");
  testing::CliResult r = RunCli("deploy worksheets/serving-vllm-405b-multinode.yaml -o '" + dir + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir + "/k8s/lws.yaml"));
  EXPECT_TRUE(fs::exists(dir + "/k8s/service.yaml"));
  EXPECT_FALSE(fs::exists(dir + "/compose.yaml"));
  fs::remove_all(dir);
}

TEST(DeployCli, ARejectedCandidateIsRefusedWithItsReasonsAndWritesNothing) {
  const std::string dir = TempDir("rejected");
  testing::CliResult r =
      RunCli("deploy worksheets/chat-assistant-8b.yaml --hardware ryzen-9-7950x-64gb -o '" + dir + "'");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("ryzen-9-7950x-64gb is rejected by the plan"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("speed: decode 7.0 tokens/s (estimate) is below the gate of 15.0"), std::string::npos)
      << r.err;
  r = RunCli("deploy worksheets/serving-vllm-70b.yaml --hardware h100-sxm -o '" + dir + "'");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("h100-sxm is rejected by the plan"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("memory: needs"), std::string::npos) << r.err;
  EXPECT_EQ(CountFiles(dir), 0u);
  fs::remove_all(dir);
}

TEST(DeployCli, UnknownHardwareIsExitTwoWithASuggestion) {
  const std::string dir = TempDir("unknown");
  testing::CliResult r = RunCli("deploy worksheets/chat-assistant-8b.yaml --hardware rtx-4900 -o '" + dir + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("did you mean 'rtx-4090'"), std::string::npos) << r.err;
  EXPECT_EQ(CountFiles(dir), 0u);
  fs::remove_all(dir);
}

TEST(DeployCli, AnUnwritableFolderIsExitTwoBeforeAnyWork) {
  const std::string file = TempDir("file");
  std::ofstream(file) << "a file, not a folder";
  // The job does not even exist: the folder is checked first.
  testing::CliResult r = RunCli("deploy no-such-job.yaml -o '" + file + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is a file, expected a directory"), std::string::npos) << r.err;
  r = RunCli("deploy no-such-job.yaml -o '" + file + "/sub'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot create the directory"), std::string::npos) << r.err;
  fs::remove(file);
}

TEST(DeployCli, MissingOutputAndBadPreviousReleaseAreUsageErrors) {
  EXPECT_EQ(RunCli("deploy worksheets/chat-assistant-8b.yaml").exit_code, 2);
  const std::string dir = TempDir("prev");
  testing::CliResult r = RunCli("deploy worksheets/chat-assistant-8b.yaml -o '" + dir +
                                "' --previous-release no-such-release.yaml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--previous-release"), std::string::npos) << r.err;
  EXPECT_EQ(CountFiles(dir), 0u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sizer
