// Vision, speculative decoding, LoRA and embed/rerank (issue 14) on the fixture catalog: each
// expectation follows from the fixture's figures and the formulas' sources (plan/vision.h,
// plan/speculative.h, plan/lora.h, plan/encoder.h).
#include <cmath>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "gguf/artifact.h"
#include "plan/encoder.h"
#include "plan/kv_cache.h"
#include "plan/lora.h"
#include "plan/planner.h"
#include "plan/speculative.h"
#include "plan/vision.h"
#include "report/json_report.h"
#include "testing/fixture_catalog.h"
#include "testing/job_builder.h"
#include "testing/mmproj_builder.h"
#include "testing/plan_of.h"
#include "testing/status_matchers.h"

namespace sizer {
namespace {

using testing::FixtureCatalog;
using testing::IsOk;
using testing::JobBuilder;

using testing::PlanOf;

const Quantity* Row(const QuantityList& rows, const std::string& key) {
  for (const Quantity& q : rows) {
    if (q.key == key) return &q;
  }
  return nullptr;
}

VisionSpec Llava15(int64_t text_d_model) {
  VisionSpec v;  // CLIP ViT-L/14-336 as LLaVA-1.5 uses it (23 of 24 blocks)
  v.family = VisionFamily::kLlava;
  v.hidden_size = 1024;
  v.layers = 23;
  v.intermediate_size = 4096;
  v.heads = 16;
  v.patch_size = 14;
  v.image_size = 336;
  v.projection_dim = text_d_model;
  return v;
}

// ---- image tokens per family ----

TEST(VisionTokens, FixedFamilies) {
  EXPECT_EQ(CountImageTokens(Llava15(4096), {336, 336}).tokens, 576);  // (336 / 14)^2
  EXPECT_EQ(CountImageTokens(Llava15(4096), {1024, 768}).tokens, 576);  // resized to 336
  VisionSpec g = Llava15(2560);
  g.family = VisionFamily::kGemma3;
  g.image_size = 896;
  EXPECT_EQ(CountImageTokens(g, {1024, 768}).tokens, 256);
  EXPECT_EQ(CountImageTokens(g, {1024, 768}).patches, 4096);  // 64 x 64 patches pooled 4x4
}

TEST(VisionTokens, QwenDynamicResolution) {
  VisionSpec q = Llava15(3584);
  q.family = VisionFamily::kQwen25Vl;
  // 1024x768: sides rounded to multiples of 28: 1036 x 756 -> 37 x 27 = 999 tokens.
  EXPECT_EQ(CountImageTokens(q, {1024, 768}).tokens, 37 * 27);
  // 28x28 is below min_pixels 3136: scaled by 2 to 56x56 -> 2 x 2 = 4 tokens.
  EXPECT_EQ(CountImageTokens(q, {28, 28}).tokens, 4);
  // 4000x4000 rounds to 4004^2 > max_pixels 12845056: beta = sqrt(16e6 / 12845056) = 1.11604,
  // floor(4000 / 1.11604 / 28) = floor(128.004) = 128 -> 128 x 128 merged tokens (= max_pixels).
  EXPECT_EQ(CountImageTokens(q, {4000, 4000}).tokens, 128 * 128);
  // A lower max_pixels caps the count: 1280 x 28 x 28 pixels is at most 1280 tokens.
  q.max_pixels = 1280 * 28 * 28;
  EXPECT_LE(CountImageTokens(q, {4000, 4000}).tokens, 1280);
}

TEST(VisionTokens, TiledFamilies) {
  VisionSpec n = Llava15(4096);
  n.family = VisionFamily::kLlavaNext;
  // 1024x768 at 336: 4 x 3 tiles capped at 4, plus the base image: 5 x 576.
  EXPECT_EQ(CountImageTokens(n, {1024, 768}).tokens, 5 * 576);
  EXPECT_EQ(CountImageTokens(n, {336, 336}).tokens, 2 * 576);
  VisionSpec i = Llava15(4096);
  i.family = VisionFamily::kInternVl;
  i.image_size = 448;
  // 4:3 -> the 4 x 3 grid (12 tiles, the limit) + a thumbnail, 256 tokens each.
  EXPECT_EQ(CountImageTokens(i, {1024, 768}).tokens, 13 * 256);
  EXPECT_EQ(CountImageTokens(i, {448, 448}).tokens, 256);  // one tile, no thumbnail
}

// ---- projector bytes against published mmproj files ----

struct PublishedMmproj {
  const char* name;
  VisionSpec spec;
  double file_bytes;
  const char* source;
};

VisionSpec Spec(VisionFamily f, int64_t d, int64_t ff, int64_t layers, int64_t image, int64_t text_d) {
  VisionSpec v;
  v.family = f;
  v.hidden_size = d;
  v.intermediate_size = ff;
  v.layers = layers;
  v.heads = 16;
  v.patch_size = 14;
  v.image_size = image;
  v.projection_dim = text_d;
  return v;
}

// Hyper-parameters from each model's config.json (vision_config; text hidden_size); file sizes
// from the Hugging Face listings (MB = 1e6 bytes as HF prints them, rounded to 3 figures, so
// +-0.08 %; the byte counts are the LFS pointers' `size`).
const PublishedMmproj kPublished[] = {
    {"llava-v1.5-7b mmproj-model-f16.gguf", Spec(VisionFamily::kLlava, 1024, 4096, 23, 336, 4096), 624e6,
     "huggingface.co/mys/ggml_llava-v1.5-7b (tree main): 624 MB"},
    {"llava-v1.5-13b mmproj-model-f16.gguf", Spec(VisionFamily::kLlava, 1024, 4096, 23, 336, 5120), 645e6,
     "huggingface.co/404-OS/Llava-v1.5-13B-GGUF (tree 3c18f74): 645 MB"},
    {"llava-v1.6-34b mmproj-model-f16.gguf", Spec(VisionFamily::kLlavaNext, 1024, 4096, 23, 336, 7168), 700e6,
     "huggingface.co/ArtGAN/Controlnet llava-v1.6-34b-mmproj-model-f16.gguf: 700 MB"},
    {"gemma-3-4b-it mmproj-model-f16.gguf", Spec(VisionFamily::kGemma3, 1152, 4304, 27, 896, 2560), 851e6,
     "huggingface.co/ggml-org/gemma-3-4b-it-GGUF (tree main): 851 MB"},
    {"Qwen2-VL-2B-Instruct mmproj f16", Spec(VisionFamily::kQwen2Vl, 1280, 5120, 32, 224, 1536), 1331656192,
     "huggingface.co/bartowski/Qwen2-VL-2B-Instruct-GGUF commit e568caa: LFS size 1331656192"},
    {"Qwen2.5-VL-7B-Instruct mmproj BF16", Spec(VisionFamily::kQwen25Vl, 1280, 3420, 32, 224, 3584), 1354163040,
     "huggingface.co/diamkan/ComfyUI_OldModel commit 2373e94: LFS size 1354163040"},
};

TEST(VisionProjector, PublishedMmprojSizesWithinTwoPercent) {
  for (const PublishedMmproj& p : kPublished) {
    const double predicted = PredictedProjectorBytes(p.spec);
    const double error = predicted / p.file_bytes - 1.0;
    std::printf("%-40s predicted %.1f MB, published %.1f MB, %+.3f %%  (%s)\n", p.name, predicted / 1e6,
                p.file_bytes / 1e6, error * 100.0, p.source);
    EXPECT_LT(std::fabs(error), 0.02) << p.name;
  }
}

TEST(VisionProjector, ReadsAnMmprojGgufAndPredictsItsTensorBytes) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("sizer_extras_mmproj_" + std::to_string(::getpid()) + ".gguf")).string();
  ASSERT_TRUE(testing::WriteBytesToFile(path, testing::MmprojBuilder().Build()));
  StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(path);
  ASSERT_THAT(artifact, IsOk());
  StatusOr<VisionSpec> v = VisionSpecFromGguf(*artifact);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->family, VisionFamily::kLlava);
  EXPECT_EQ(v->hidden_size, 64);
  EXPECT_EQ(v->layers, 2);
  EXPECT_EQ(v->projection_dim, 2048);
  EXPECT_EQ(v->dtype, "f16");
  ASSERT_TRUE(v->file_bytes.has_value());
  // The builder lays the tensors out as CountVisionParams counts them: the prediction from
  // the hyper-parameters is the file's tensor bytes exactly.
  EXPECT_DOUBLE_EQ(PredictedProjectorBytes(*v), *v->file_bytes);
  std::filesystem::remove(path);
}

TEST(VisionProjector, HfVisionConfig) {
  const nlohmann::json clip = {{"hidden_size", 1024}, {"num_hidden_layers", 24}, {"intermediate_size", 4096},
                               {"num_attention_heads", 16}, {"patch_size", 14}, {"image_size", 336}};
  StatusOr<VisionSpec> v = VisionSpecFromHfConfig(clip, VisionFamily::kLlava, 4096);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->layers, 23);  // the penultimate layer feeds the projector
  EXPECT_DOUBLE_EQ(PredictedProjectorBytes(*v), PredictedProjectorBytes(Llava15(4096)));
  const nlohmann::json qwen = {{"hidden_size", 1280}, {"depth", 32}, {"intermediate_size", 3420},
                               {"num_heads", 16}, {"patch_size", 14}, {"out_hidden_size", 3584}};
  StatusOr<VisionSpec> q = VisionSpecFromHfConfig(qwen, VisionFamily::kQwen25Vl, 3584);
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->projection_dim, 3584);
  EXPECT_FALSE(VisionSpecFromHfConfig({{"hidden_size", "wide"}}, VisionFamily::kLlava, 4096).ok());
}

// ---- the vision budget in a plan ----

JobExtras Vision(const VisionSpec& v, int64_t images, ImageSize size) {
  JobExtras x;
  x.vision = v;
  x.images_per_request = images;
  x.image_size = size;
  return x;
}

TEST(VisionPlan, ProjectorImageTokensAndEncoderEnterTheBudgetAndTtft) {
  JobBuilder base(FixtureCatalog());
  base.Model("dense-8b").Quant("F16").Runtime("upfront").FlashAttention(true).Context(8192)
      .Candidate("gpu-80g");
  const Plan without = PlanOf(base.Build());
  JobBuilder with = base;
  const Plan plan = PlanOf(with.Extras(Vision(Llava15(4096), 1, {336, 336})).Build());
  const DeviceBudget& a = without.candidates[0].memory.devices[0];
  const DeviceBudget& b = plan.candidates[0].memory.devices[0];
  EXPECT_DOUBLE_EQ(b.weights_bytes - a.weights_bytes, PredictedProjectorBytes(Llava15(4096)));
  // 8192 + 576 image tokens pad to 8960 cells (llama.cpp pads to 256): 768 more cells of
  // 32 layers x 2 x 8 KV heads x 128 x 2 bytes.
  EXPECT_DOUBLE_EQ(b.kv_cache_bytes - a.kv_cache_bytes, 768.0 * 32 * 2 * 8 * 128 * 2);
  // One 336 px image, f32, flash attention: 577 patches x (3 x 1024 + 4096) x 4 bytes.
  const Quantity* act = Row(plan.candidates[0].memory.rows, "vision_activation_bytes");
  ASSERT_NE(act, nullptr);
  EXPECT_DOUBLE_EQ(act->value, 4.0 * 577 * (3 * 1024 + 4096));
  EXPECT_DOUBLE_EQ(b.activation_bytes - a.activation_bytes, act->value);
  const Quantity* tokens = Row(plan.candidates[0].memory.rows, "vision_image_tokens");
  ASSERT_NE(tokens, nullptr);
  EXPECT_EQ(tokens->value, 576);
  // The TTFT grows by the encoder pass and the image tokens' prefill.
  const SpeedPlan& s = plan.candidates[0].speed;
  const Quantity* enc = Row(s.rows, "vision_encoder_ms");
  const Quantity* pre = Row(s.rows, "vision_prefill_ms");
  ASSERT_NE(enc, nullptr);
  ASSERT_NE(pre, nullptr);
  EXPECT_NEAR(s.ttft_ms - without.candidates[0].speed.ttft_ms, enc->value + pre->value, 1e-9);
  EXPECT_GT(enc->value, 0);
  // Without flash attention the CLIP graph also holds the KQ scores: 16 heads x 577^2 x 4.
  JobBuilder no_fa = with;
  const Plan plain = PlanOf(no_fa.FlashAttention(false).Build());
  const Quantity* act_plain = Row(plain.candidates[0].memory.rows, "vision_activation_bytes");
  ASSERT_NE(act_plain, nullptr);
  EXPECT_DOUBLE_EQ(act_plain->value - act->value, 4.0 * 16 * 577 * 577);
}

TEST(VisionPlan, VllmReservesTheProfileRunAndTheEncoderCache) {
  JobBuilder b(FixtureCatalog());
  b.Model("dense-8b").Quant("F16").Runtime("paged").Context(8192).Candidate("gpu-80g");
  const JobSpec job = b.Extras(Vision(Llava15(4096), 4, {336, 336})).Build();
  const Plan plan = PlanOf(job);
  const QuantityList& rows = plan.candidates[0].memory.rows;
  const Quantity* act = Row(rows, "vision_activation_bytes");
  const Quantity* cache = Row(rows, "vision_encoder_cache_bytes");
  const Quantity* weights = Row(rows, "vision_projector_bytes");
  ASSERT_NE(act, nullptr);
  ASSERT_NE(cache, nullptr);
  ASSERT_NE(weights, nullptr);
  // Four images at once, bf16, flash attention: 4 x 577 x (3 x 1024 + 4096) x 2.
  EXPECT_DOUBLE_EQ(act->value, 4.0 * 577 * (3 * 1024 + 4096) * 2);
  // max(max_num_batched_tokens, 576 tokens of the largest image) embeddings of 4096 x 2 bytes.
  StatusOr<PlanInputs> in = ResolvePlanInputs(job, "F16");
  ASSERT_THAT(in, IsOk());
  const double budget = static_cast<double>(std::max<int64_t>(in->runtime.micro_batch_tokens, 576));
  EXPECT_DOUBLE_EQ(cache->value, budget * 4096 * 2);
  EXPECT_DOUBLE_EQ(weights->value, CountVisionParams(Llava15(4096)).total() * 2.0);
}

// ---- speculative decoding ----

TEST(Speculative, ExpectedTokensPerStep) {
  EXPECT_DOUBLE_EQ(SpeculativeTokensPerStep(0.5, 1), 1.5);                 // 1 + a
  EXPECT_NEAR(SpeculativeTokensPerStep(0.7, 4), (1 - std::pow(0.7, 5)) / 0.3, 1e-12);
  EXPECT_NEAR(SpeculativeTokensPerStep(0.8, 3), 1 + 0.8 + 0.64 + 0.512, 1e-12);
  EXPECT_LT(SpeculativeTokensPerStep(0.999, 4), 5.0);  // never more than k + 1
}

JobExtras Draft(const std::string& id, int64_t k, double a) {
  JobExtras x;
  DraftSpec d;
  d.model = *FixtureCatalog().FindModel(id);
  d.model_ref = id;
  d.draft_tokens = k;
  d.acceptance_rate = a;
  x.draft = d;
  return x;
}

TEST(Speculative, DraftWeightsAndKvAndDecodeRate) {
  JobBuilder base(FixtureCatalog());
  base.Model("dense-8b").Quant("F16").Runtime("paged").Context(4096).Concurrency(2).Candidate("gpu-80g");
  const Plan without = PlanOf(base.Build());
  JobBuilder with = base;
  const Plan plan = PlanOf(with.Extras(Draft("tied-1b", 4, 0.7)).Build());
  const QuantityList& rows = plan.candidates[0].memory.rows;
  const Quantity* w = Row(rows, "draft_weights_bytes");
  const Quantity* kv = Row(rows, "draft_kv_cache_bytes");
  ASSERT_NE(w, nullptr);
  ASSERT_NE(kv, nullptr);
  // tied-1b at F16: its 1.25e9 parameters x 2 bytes, plus 2 more bytes for each of the
  // 16 x 2 x 2048 + 2048 norm weights GGUF keeps in F32.
  EXPECT_DOUBLE_EQ(w->value, 1.25e9 * 2 + (16.0 * 2 * 2048 + 2048) * 2);
  // 16 layers x 2 x 8 KV heads x 64 x 2 bytes x 4096 tokens x 2 sequences (16-token pages).
  EXPECT_DOUBLE_EQ(kv->value, 16.0 * 2 * 8 * 64 * 2 * 4096 * 2);
  // The decode rate: E / (k x draft step + verification step).
  const Quantity* e = Row(plan.candidates[0].speed.rows, "speculative_tokens_per_step");
  const Quantity* step = Row(plan.candidates[0].speed.rows, "speculative_step_ms");
  ASSERT_NE(e, nullptr);
  ASSERT_NE(step, nullptr);
  EXPECT_NEAR(e->value, (1 - std::pow(0.7, 5)) / 0.3, 1e-12);
  EXPECT_NEAR(plan.candidates[0].speed.expected_decode_tokens_per_s, e->value / (step->value / 1000.0), 1e-6);
  // A 1.25B draft at 0.7 acceptance beats plain decoding of the 8B model on bandwidth.
  EXPECT_GT(plan.candidates[0].speed.expected_decode_tokens_per_s,
            without.candidates[0].speed.expected_decode_tokens_per_s);
}

// ---- LoRA ----

TEST(Lora, AdapterBytesFromRankAndTargets) {
  const ModelSpec m = *FixtureCatalog().FindModel("dense-8b");
  AdapterSpec a;
  a.rank = 16;
  a.target_modules = {"q_proj", "k_proj", "v_proj", "o_proj"};
  // q, o: 4096 + 4096; k, v: 4096 + 8 x 128; x rank 16 x 32 layers x 2 bytes.
  EXPECT_DOUBLE_EQ(LoraAdapterBytes(m, a), (8192.0 + 5120 + 5120 + 8192) * 16 * 32 * 2);
  EXPECT_EQ(VllmMaxLoraRank(16), 16);
  EXPECT_EQ(VllmMaxLoraRank(17), 32);
  EXPECT_EQ(VllmMaxLoraRank(300), 320);
}

TEST(Lora, LlamaCppLoadsEachAdapterVllmPreallocatesBuffers) {
  JobExtras x;
  AdapterSpec a;
  a.name = "a";
  a.rank = 16;
  a.target_modules = {"q_proj", "v_proj"};
  x.adapters = {a, a};
  x.max_loras = 2;
  JobBuilder b(FixtureCatalog());
  b.Model("dense-8b").Quant("F16").Context(4096).Candidate("gpu-80g").Extras(x);
  JobBuilder upfront = b;
  const Plan cpp = PlanOf(upfront.Runtime("upfront").Build());
  const double one = (8192.0 + 5120) * 16 * 32 * 2;
  double adapters = 0;
  for (const Quantity& q : cpp.candidates[0].memory.rows) {
    if (q.key == "lora_adapter_bytes") adapters += q.value;
  }
  EXPECT_DOUBLE_EQ(adapters, 2 * one);
  JobBuilder paged = b;
  const Plan vllm = PlanOf(paged.Runtime("paged").Build());
  const Quantity* buffers = Row(vllm.candidates[0].memory.rows, "lora_buffer_bytes");
  ASSERT_NE(buffers, nullptr);
  // 2 loras x rank 16 x (q 8192 + k 5120 + v 5120 + o 8192 + 3 x (4096 + 14336)) x 32 x 2.
  EXPECT_DOUBLE_EQ(buffers->value, 2.0 * 16 * (8192 + 5120 + 5120 + 8192 + 3 * 18432) * 32 * 2);
}

// ---- embed / rerank ----

TEST(Encoder, EmbedOnAnEncoderKeepsNoKvAndReportsSequencesPerSecond) {
  JobExtras x;
  x.task = ServeTask::kEmbed;
  JobBuilder b(FixtureCatalog());
  b.Model("encoder-568m").Quant("F16").Runtime("upfront").Context(8192).Concurrency(4).Prompt(512)
      .Output(1).Candidate("gpu-24g").Extras(x);
  const Plan plan = PlanOf(b.Build());
  const CandidateWorksheet& ws = plan.candidates[0];
  EXPECT_EQ(ws.memory.devices[0].kv_cache_bytes, 0);
  EXPECT_EQ(Row(ws.speed.rows, "expected_decode_tokens_per_s"), nullptr);
  EXPECT_EQ(Row(ws.speed.rows, "ttft_ms"), nullptr);
  const Quantity* rate = Row(ws.speed.rows, "sequences_per_s");
  const Quantity* latency = Row(ws.speed.rows, "batch_latency_ms");
  ASSERT_NE(rate, nullptr);
  ASSERT_NE(latency, nullptr);
  EXPECT_NEAR(rate->value, 4.0 / (latency->value / 1000.0), 1e-9);
  EXPECT_TRUE(ws.speed.compute_bound);
  // Compute-bound: 4 x (2 x params x 512 + attention) / (peak x efficiency) <= the latency.
  EXPECT_GE(latency->value / 1000.0, 4.0 * 2 * plan.weights.active_params * 512 /
                                          (FixtureCatalog().FindHardware("gpu-24g")->fp16_flop_per_s));
  EXPECT_TRUE(IsEncoderOnly(*FixtureCatalog().FindModel("encoder-568m")));
  EXPECT_FALSE(IsEncoderOnly(*FixtureCatalog().FindModel("dense-8b")));
}

TEST(Encoder, DecoderEmbedderKeepsTheBatchCache) {
  JobExtras x;
  x.task = ServeTask::kRerank;
  JobBuilder b(FixtureCatalog());
  b.Model("tied-1b").Quant("F16").Runtime("paged").Context(1024).Prompt(512).Output(1).Candidate("gpu-24g");
  JobBuilder generate = b;
  const Plan gen = PlanOf(generate.Build());
  const Plan rerank = PlanOf(b.Extras(x).Build());
  EXPECT_EQ(rerank.candidates[0].memory.kv.bytes, gen.candidates[0].memory.kv.bytes);
  EXPECT_NE(Row(rerank.candidates[0].speed.rows, "sequences_per_s"), nullptr);
}

// ---- --json ----

TEST(ExtrasJson, EveryNewRowIsInTheCandidateRowsWithItsSection) {
  JobExtras x = Vision(Llava15(4096), 2, {336, 336});
  x.draft = Draft("tied-1b", 4, 0.7).draft;
  AdapterSpec a;
  a.name = "a";
  a.rank = 8;
  a.target_modules = {"q_proj"};
  x.adapters = {a};
  x.max_loras = 1;
  JobBuilder b(FixtureCatalog());
  b.Model("dense-8b").Quant("F16").Runtime("paged").Context(4096).Candidate("gpu-80g").Extras(x);
  const nlohmann::json j = PlanToJson(PlanOf(b.Build()));
  std::map<std::string, std::string> sections;
  for (const nlohmann::json& row : j["candidates"][0]["rows"]) {
    sections[row["key"].get<std::string>()] = row["section"].get<std::string>();
    EXPECT_FALSE(row["formula"].is_null()) << row["key"];
  }
  for (const char* key : {"vision_projector_bytes", "vision_image_tokens", "vision_activation_bytes",
                          "vision_encoder_cache_bytes", "draft_weights_bytes", "draft_kv_cache_bytes",
                          "lora_adapter_bytes", "lora_buffer_bytes"}) {
    EXPECT_EQ(sections[key], "memory") << key;
  }
  for (const char* key : {"vision_encoder_ms", "vision_prefill_ms", "speculative_tokens_per_step",
                          "speculative_step_ms"}) {
    EXPECT_EQ(sections[key], "speed") << key;
  }
}

}  // namespace
}  // namespace sizer
