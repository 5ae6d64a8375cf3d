// The issue-14 example worksheets (worksheets/extras-*.yaml) planned against the shipped
// databases: each one's own rows, with the figures derived in the comments.
#include <cmath>

#include <gtest/gtest.h>

#include "base/format.h"
#include "plan/planner.h"
#include "plan/speculative.h"
#include "testing/status_matchers.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using testing::IsOk;
using testing::RealCatalog;
using testing::SourceDir;

Plan PlanFor(const std::string& name) {
  StatusOr<JobSpec> job = LoadJobSpec(SourceDir() + "/worksheets/" + name, RealCatalog());
  EXPECT_THAT(job, IsOk());
  if (!job.ok()) return Plan();
  StatusOr<Plan> plan = MakePlan(*job);
  EXPECT_THAT(plan, IsOk());
  return plan.ok() ? std::move(plan).value() : Plan();
}

double RowValue(const QuantityList& rows, const std::string& key) {
  double total = 0;
  bool found = false;
  for (const Quantity& q : rows) {
    if (q.key != key) continue;
    total += q.value;
    found = true;
  }
  EXPECT_TRUE(found) << key;
  return total;
}

TEST(ExtrasWorksheets, VisionQwen25Vl) {
  const Plan plan = PlanFor("extras-vision-qwen25vl.yaml");
  ASSERT_FALSE(plan.candidates.empty());
  const QuantityList& rows = plan.candidates[0].memory.rows;
  // Two 1024x768 images: smart_resize to 1036 x 756 -> 37 x 27 = 999 tokens each.
  EXPECT_EQ(RowValue(rows, "vision_image_tokens"), 2 * 999);
  // The same encoder and merger as Qwen2.5-VL-7B-Instruct's published BF16 mmproj
  // (1,354,163,040 bytes): within 0.1 %.
  EXPECT_NEAR(RowValue(rows, "vision_projector_bytes") / 1354163040.0, 1.0, 1e-3);
  EXPECT_GT(RowValue(plan.candidates[0].speed.rows, "vision_encoder_ms"), 0);
}

TEST(ExtrasWorksheets, SpeculativeLlama) {
  const Plan plan = PlanFor("extras-speculative-llama.yaml");
  ASSERT_FALSE(plan.candidates.empty());
  const SpeedPlan& s = plan.candidates[0].speed;
  const double e = RowValue(s.rows, "speculative_tokens_per_step");
  EXPECT_EQ(FormatFixed(e, 2), "2.77");  // (1 - 0.7^5) / 0.3
  EXPECT_NEAR(s.expected_decode_tokens_per_s, e / (RowValue(s.rows, "speculative_step_ms") / 1000.0), 1e-6);
  // llama-3.2-1b's KV: 16 layers x 2 x 8 KV heads x 64 x 2 bytes, 8192 tokens padded (x 1).
  EXPECT_DOUBLE_EQ(RowValue(plan.candidates[0].memory.rows, "draft_kv_cache_bytes"), 16.0 * 2 * 8 * 64 * 2 * 8192);
}

TEST(ExtrasWorksheets, LoraVllm) {
  const Plan plan = PlanFor("extras-lora-vllm.yaml");
  ASSERT_FALSE(plan.candidates.empty());
  // max_loras 2 x rank 64 x (q 8192 + k 5120 + v 5120 + o 8192 + 3 x (4096 + 14336)) x 32 x 2.
  EXPECT_DOUBLE_EQ(RowValue(plan.candidates[0].memory.rows, "lora_buffer_bytes"),
                   2.0 * 64 * (8192 + 5120 + 5120 + 8192 + 3 * 18432) * 32 * 2);
}

TEST(ExtrasWorksheets, RerankerNeedsAboutAGigabyteNotFourteen) {
  const Plan plan = PlanFor("extras-rerank-bge-m3.yaml");
  ASSERT_FALSE(plan.candidates.empty());
  const CandidateWorksheet& ws = plan.candidates[0];
  const DeviceBudget& d = ws.memory.binding_device();
  EXPECT_EQ(d.kv_cache_bytes, 0);
  // A peer estimated 13.8 GiB; the process used 926 MiB (gpustack/gpustack issue 2412).
  std::printf("bge-reranker-v2-m3 on %s: planned %.0f MiB (weights %.0f, runtime %.0f, activations %.0f MiB)\n",
              d.label.c_str(), d.planned_bytes / 1048576.0, d.weights_bytes / 1048576.0,
              d.runtime_bytes / 1048576.0, d.activation_bytes / 1048576.0);
  EXPECT_LT(d.planned_bytes, 2.0 * 1073741824.0);
  EXPECT_GT(RowValue(ws.speed.rows, "sequences_per_s"), 0);
}

}  // namespace
}  // namespace sizer
