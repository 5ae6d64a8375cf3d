// Deploy flags for the job extras (issue 14): llama.cpp --mmproj, --model-draft/--draft-max,
// --lora, --embedding/--reranking; vLLM --limit-mm-per-prompt, --speculative-config,
// --enable-lora/--max-loras/--max-lora-rank, --task, and the context that holds image tokens.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "command_args.h"
#include "deploy/deployment.h"
#include "plan/extras.h"
#include "plan/planner.h"
#include "testing/mmproj_builder.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using testing::ParseJobOrDie;
using testing::RealCatalog;

using testing::ArgOf;

Deployment DeployOf(const std::string& yaml) {
  StatusOr<Plan> plan = MakePlan(ParseJobOrDie(yaml));
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  static std::vector<Plan> keep;  // the Deployment points into its plan
  keep.push_back(std::move(plan).value());
  StatusOr<Deployment> d = PlanDeployment(keep.back(), 0, RealCatalog(), {});
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? std::move(d).value() : Deployment();
}

std::string TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("sizer_deploy_extras_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

TEST(DeployExtras, LlamaCppProjectorDraftAdapter) {
  const std::string dir = TempDir("cpp");
  testing::MmprojOptions o;
  o.projection = 4096;  // llama-3.1-8b's d_model
  const std::string mmproj = dir + "/mmproj-test.gguf";
  ASSERT_TRUE(testing::WriteBytesToFile(mmproj, testing::MmprojBuilder(o).Build()));
  const std::string peft = dir + "/support-lora";
  fs::create_directories(peft);
  std::ofstream(peft + "/adapter_config.json") << R"({"r": 16, "target_modules": ["q_proj", "v_proj"]})";
  std::ofstream(peft + "/adapter_model.safetensors") << std::string(1000, 'x');
  const Deployment d = DeployOf(
      "job: cpp-extras\nmodel: llama-3.1-8b\nquant: Q4_K_M\ncontext_tokens: 4096\nconcurrency: 1\n"
      "runtime: llama.cpp\nprompt_tokens: 500\noutput_tokens: 100\ncandidates: [rtx-4090]\n"
      "vision: " + mmproj + "\nimages_per_request: 1\n"
      "draft: {model: llama-3.2-1b, draft_tokens: 6}\n"
      "adapters: [{name: support, path: " + peft + "}]\n");
  EXPECT_EQ(ArgOf(d.args, "--mmproj"), "/models/mmproj-test.gguf");
  EXPECT_EQ(ArgOf(d.args, "--model-draft"), "/models/llama-3.2-1b.gguf");
  EXPECT_EQ(ArgOf(d.args, "--draft-max"), "6");
  EXPECT_EQ(ArgOf(d.args, "--lora"), "/models/support-lora");
  // 16 image tokens of the tiny projector ((16 / 4)^2) join the 4096-token context.
  EXPECT_EQ(d.context_tokens, 4096 + 16);
  EXPECT_EQ(ArgOf(d.args, "--ctx-size"), std::to_string(4096 + 16));
  // The PEFT adapter's size is its weights file's (1000 bytes), not a computed figure.
  const Plan& plan = *d.plan;
  double lora = 0;
  for (const Quantity& q : plan.candidates[0].memory.rows) {
    if (q.key == "lora_adapter_bytes") lora = q.value;
  }
  EXPECT_EQ(lora, 1000);
  fs::remove_all(dir);
}

TEST(DeployExtras, VllmImagesLoraAndSpeculativeConfig) {
  const Deployment d = DeployOf(
      "job: vllm-extras\nmodel: llama-3.1-8b\nquant: BF16\ncontext_tokens: 4096\nconcurrency: 2\n"
      "runtime: vllm\nprompt_tokens: 500\noutput_tokens: 100\ncandidates: [h100-sxm]\n"
      "vision: {family: llava, hidden_size: 1024, layers: 23, intermediate_size: 4096, heads: 16,"
      " patch_size: 14, image_size: 336}\n"
      "images_per_request: 3\n"
      "draft: {model: llama-3.2-1b, draft_tokens: 3}\n"
      "adapters: [{name: a, rank: 20, target_modules: [q_proj]}, {name: b, rank: 8, target_modules: [v_proj]}]\n"
      "max_loras: 2\n");
  EXPECT_EQ(ArgOf(d.args, "--limit-mm-per-prompt"), "{\"image\": 3}");
  EXPECT_EQ(ArgOf(d.args, "--speculative-config"),
            "{\"model\": \"llama-3.2-1b\", \"num_speculative_tokens\": 3}");
  EXPECT_EQ(ArgOf(d.args, "--enable-lora"), "<switch>");
  EXPECT_EQ(ArgOf(d.args, "--max-loras"), "2");
  EXPECT_EQ(ArgOf(d.args, "--max-lora-rank"), "32");  // 20 rounded up to vLLM's ranks
  EXPECT_EQ(ArgOf(d.args, "--max-model-len"), std::to_string(4096 + 3 * 576));
}

TEST(DeployExtras, EmbedAndRerankFlags) {
  const std::string base =
      "model: llama-3.2-1b\nquant: F16\ncontext_tokens: 2048\nconcurrency: 8\n"
      "prompt_tokens: 512\noutput_tokens: 1\n";
  const Deployment cpp = DeployOf("job: e\n" + base + "runtime: llama.cpp\ncandidates: [rtx-4090]\ntask: embed\n");
  EXPECT_EQ(ArgOf(cpp.args, "--embedding"), "<switch>");
  const Deployment rr = DeployOf("job: r\n" + base + "runtime: llama.cpp\ncandidates: [rtx-4090]\ntask: rerank\n");
  EXPECT_EQ(ArgOf(rr.args, "--reranking"), "<switch>");
  const Deployment vllm = DeployOf("job: v\n" + base + "runtime: vllm\ncandidates: [h100-sxm]\ntask: rerank\n");
  EXPECT_EQ(ArgOf(vllm.args, "--task"), "score");
}

}  // namespace
}  // namespace sizer
