// Hugging Face checkpoint folders (catalog/model_from_hf.h): the header-only fixtures of
// tests/data/hf/ against their published total_size and against sizer's config-only estimate,
// planning a job from a folder, `sizer inspect` and `sizer db import`.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "catalog/model_from_hf.h"
#include "catalog/model_import.h"
#include "knowledge/weight_format.h"
#include "plan/planner.h"
#include "plan/weights.h"
#include "testing/status_matchers.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::StatusIs;

std::string Fixture(const std::string& name) { return testing::TestDataDir() + "/hf/" + name; }

struct Layout {
  const char* folder;
  const char* format_id;
  size_t shards;
};

const Layout kLayouts[] = {
    {"llama-3.1-8b-instruct", "FP16", 4},         {"llama-3-8b-instruct-fp8", "FP8", 2},
    {"qwen2.5-7b-instruct-gptq-int4", "GPTQ-4bit-g128", 2},
    {"qwen2.5-7b-instruct-awq", "AWQ-4bit-g128", 2}, {"gemma-3-4b-it", "FP16", 2},
    {"gpt-oss-20b", "MXFP4", 3},
};

// Bytes of the language model's tensors (a wrapper's vision tower and projector, "mm.", are
// not part of sizer's text-model estimate).
double TextBytes(const ArtifactSpec& a) {
  double bytes = 0;
  for (const ArtifactTensor& t : a.tensors) {
    if (t.name.rfind("mm.", 0) != 0) bytes += static_cast<double>(t.bytes);
  }
  return bytes;
}

TEST(HfCheckpoint, HeaderSumsEqualThePublishedTotalSizeAndTheEstimateIsWithinATenthOfAPercent) {
  std::printf("%-32s %16s %16s %16s %9s\n", "checkpoint", "predicted", "from headers",
              "total_size", "error");
  for (const Layout& l : kLayouts) {
    SCOPED_TRACE(l.folder);
    StatusOr<HfCheckpoint> hf = OpenHfCheckpoint(Fixture(l.folder));
    ASSERT_TRUE(hf.ok()) << hf.status().message();
    ASSERT_TRUE(hf->artifact.has_value());
    EXPECT_TRUE(hf->header_only);
    EXPECT_EQ(hf->artifact->files.size(), l.shards);
    EXPECT_EQ(hf->artifact->file_type, l.format_id);
    EXPECT_EQ(hf->artifact->container, WeightContainer::kSafetensors);
    // The index's metadata.total_size is the sum of the tensors' bytes.
    ASSERT_TRUE(hf->index_total_size.has_value());
    EXPECT_EQ(hf->artifact->tensor_data_bytes, *hf->index_total_size);
    // sizer's estimate from config.json alone: params x bits of the format, per tensor class.
    const WeightFormat* format = FindWeightFormat(l.format_id);
    ASSERT_NE(format, nullptr);
    const double predicted = PlanWeights(hf->config.model, *format).total_bytes;
    const double actual = TextBytes(*hf->artifact);
    const double error = predicted / actual - 1;
    EXPECT_LT(std::abs(error), 0.001) << predicted << " vs " << actual;
    std::printf("%-32s %16.0f %16.0f %16llu %+8.4f%%\n", l.folder, predicted, actual,
                static_cast<unsigned long long>(*hf->index_total_size), 100 * error);
  }
}

TEST(HfCheckpoint, TensorNamesMapToTheTensorClassesOfAGguf) {
  EXPECT_EQ(GgufStyleTensorName("model.layers.3.self_attn.q_proj.qweight"), "blk.3.attn_q.qweight");
  EXPECT_EQ(GgufStyleTensorName("model.embed_tokens.weight"), "token_embd.weight");
  EXPECT_EQ(GgufStyleTensorName("lm_head.weight"), "output.weight");
  EXPECT_EQ(GgufStyleTensorName("language_model.model.layers.0.mlp.down_proj.weight"),
            "blk.0.ffn_down.weight");
  EXPECT_EQ(GgufStyleTensorName("model.layers.1.block_sparse_moe.experts.7.w2.weight"),
            "blk.1.ffn_down_exps.7.weight");
  EXPECT_EQ(GgufStyleTensorName("model.layers.2.mlp.experts.gate_up_proj_blocks"),
            "blk.2.ffn_gate_up_exps_blocks");
  EXPECT_EQ(GgufStyleTensorName("model.layers.2.mlp.gate.weight"), "blk.2.ffn_gate_inp.weight");
  EXPECT_EQ(GgufStyleTensorName("vision_tower.vision_model.post_layernorm.weight"),
            "mm.vision_tower.vision_model.post_layernorm.weight");
}

TEST(HfCheckpoint, PackedTensorsCountTheirWeightsNotTheirWords) {
  StatusOr<HfCheckpoint> gptq = OpenHfCheckpoint(Fixture("qwen2.5-7b-instruct-gptq-int4"));
  ASSERT_TRUE(gptq.ok()) << gptq.status().message();
  double params = 0;
  for (const ArtifactTensor& t : gptq->artifact->tensors) params += static_cast<double>(t.elements);
  // qweight int32 words hold 8 weights; scales, zeros and g_idx hold none: the logical count
  // is the model's, up to the biases' storage (counted once either way).
  EXPECT_DOUBLE_EQ(params, gptq->config.model.params_total);
}

// A scratch folder with a copy of a fixture, to break.
std::string ScratchCopy(const std::string& fixture) {
  const fs::path dir = fs::temp_directory_path() / ("sizer_hf_" + std::to_string(::getpid()) + "_" + fixture);
  fs::remove_all(dir);
  fs::copy(Fixture(fixture), dir, fs::copy_options::recursive);
  return dir.string();
}

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

TEST(HfCheckpoint, BrokenFoldersAreInputErrorsNamingTheFile) {
  const std::string dir = ScratchCopy("llama-3.1-8b-instruct");
  fs::remove(fs::path(dir) / "model-00003-of-00004.safetensors");
  EXPECT_THAT(OpenHfCheckpoint(dir), StatusIs(StatusCode::kNotFound,
                                              HasSubstr("names shard 'model-00003-of-00004.safetensors', "
                                                        "which is missing")));
  WriteText(fs::path(dir) / "model.safetensors.index.json",
            R"({"weight_map":{"a":"../../etc/passwd"}})");
  EXPECT_THAT(OpenHfCheckpoint(dir), StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a file beside the index")));
  WriteText(fs::path(dir) / "model.safetensors.index.json", R"({"weight_map":{"a":"model-00001-of-00004.safetensors"}})");
  EXPECT_THAT(OpenHfCheckpoint(dir), StatusIs(StatusCode::kCorruption, HasSubstr("tensor 'a', named by the index")));
  WriteText(fs::path(dir) / "model.safetensors.index.json", "{");
  EXPECT_THAT(OpenHfCheckpoint(dir), StatusIs(StatusCode::kCorruption, HasSubstr("not JSON")));
  WriteText(fs::path(dir) / "model.safetensors.index.json", R"({"weight_map":{"x":"s.safetensors"}})");
  WriteText(fs::path(dir) / "s.safetensors", std::string("\xff\xff\xff\xff\xff\xff\xff\xff", 8));
  EXPECT_THAT(OpenHfCheckpoint(dir), StatusIs(StatusCode::kCorruption, HasSubstr("s.safetensors: byte 0: header length")));
  WriteText(fs::path(dir) / "config.json", R"({"model_type":"llama","quantization_config":{"quant_method":"hqq"},
    "hidden_size":8,"num_hidden_layers":1,"num_attention_heads":1,"vocab_size":4,"intermediate_size":8})");
  EXPECT_THAT(OpenHfCheckpoint(dir), StatusIs(StatusCode::kUnsupported, HasSubstr("'hqq' is not supported")));
  fs::remove(fs::path(dir) / "config.json");
  EXPECT_FALSE(IsHfCheckpointPath(dir));
  EXPECT_THAT(OpenHfCheckpoint(dir), StatusIs(StatusCode::kNotFound, HasSubstr("config.json")));
  fs::remove_all(dir);
}

std::string JobFor(const std::string& model, const std::string& runtime = "vllm") {
  return "job: hf\nmodel: " + model + "\ncontext_tokens: 8192\nconcurrency: 4\nruntime: " + runtime +
         "\nprompt_tokens: 1000\noutput_tokens: 200\ncandidates: [h100-sxm]\n";
}

TEST(HfPlan, AJobNamingAFolderPlansFromItsSafetensorsHeaders) {
  JobSpec job = testing::ParseJobOrDie(JobFor(Fixture("llama-3-8b-instruct-fp8")));
  ASSERT_TRUE(job.model_file.has_value());
  EXPECT_EQ(job.quant, "FP8");
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_DOUBLE_EQ(plan->weights.total_bytes, 9081202432.0);
  EXPECT_EQ(plan->weights.rows[0].formula.text.rfind("from safetensors headers", 0), 0u);
  EXPECT_THAT(plan->weights.rows[0].source, HasSubstr("safetensors headers of "));
  EXPECT_THAT(plan->weights.rows[0].source, HasSubstr(", 2 shards"));
  EXPECT_TRUE(plan->candidates[0].admitted());
  // The config.json path works as the folder does.
  JobSpec by_config = testing::ParseJobOrDie(JobFor(Fixture("llama-3-8b-instruct-fp8") + "/config.json"));
  ASSERT_TRUE(by_config.model_file.has_value());
  EXPECT_EQ(by_config.model_file->tensor_data_bytes, job.model_file->tensor_data_bytes);
}

const Quantity* MemoryRow(const Plan& plan, const std::string& key) {
  for (const Quantity& q : plan.candidates[0].memory.rows) {
    if (q.key == key) return &q;
  }
  return nullptr;
}

// A multimodal folder (gemma-3-4b-it: Gemma3ForConditionalGeneration with a SigLIP tower):
// the language model's weights are the text tensors; the vision tower and projector are the
// vision row, with the exact bytes of the "mm." tensors, whether or not the job sends images.
TEST(HfPlan, AMultimodalFolderBudgetsItsOwnVisionTower) {
  StatusOr<HfCheckpoint> hf = OpenHfCheckpoint(Fixture("gemma-3-4b-it"));
  ASSERT_THAT(hf, testing::IsOk());
  const double text_bytes = TextBytes(*hf->artifact);
  const double vision_bytes = static_cast<double>(hf->artifact->tensor_data_bytes) - text_bytes;
  ASSERT_GT(vision_bytes, 0);

  JobSpec text_only = testing::ParseJobOrDie(JobFor(Fixture("gemma-3-4b-it")));
  StatusOr<Plan> plain = MakePlan(text_only);
  ASSERT_THAT(plain, testing::IsOk());
  EXPECT_DOUBLE_EQ(plain->weights.total_bytes, text_bytes);
  const Quantity* tower = MemoryRow(*plain, "vision_projector_bytes");
  ASSERT_NE(tower, nullptr);
  EXPECT_DOUBLE_EQ(tower->value, vision_bytes);
  const Quantity* no_images = MemoryRow(*plain, "vision_image_tokens");
  EXPECT_TRUE(no_images == nullptr || no_images->value == 0);

  JobSpec with_images =
      testing::ParseJobOrDie(JobFor(Fixture("gemma-3-4b-it")) + "images_per_request: 2\n");
  StatusOr<Plan> plan = MakePlan(with_images);
  ASSERT_THAT(plan, testing::IsOk());
  const Quantity* tokens = MemoryRow(*plan, "vision_image_tokens");
  ASSERT_NE(tokens, nullptr);
  EXPECT_DOUBLE_EQ(tokens->value, 2 * 256.0);  // Gemma 3: 256 tokens per image (4x4 pooling)
  EXPECT_DOUBLE_EQ(MemoryRow(*plan, "vision_projector_bytes")->value, vision_bytes);
}

// A text-only folder sending images is refused at the key, as for a database model.
TEST(HfPlan, ATextOnlyFolderRefusesImages) {
  StatusOr<JobSpec> job = ParseJobSpec(JobFor(Fixture("llama-3.1-8b-instruct")) + "images_per_request: 1\n",
                                       "job.yaml", testing::RealCatalog());
  EXPECT_THAT(job, StatusIs(StatusCode::kInvalidArgument, HasSubstr("images need a vision encoder")));
}

TEST(HfPlan, ARuntimeThatCannotLoadSafetensorsRejectsTheFolder) {
  JobSpec job = testing::ParseJobOrDie(JobFor(Fixture("llama-3.1-8b-instruct"), "llama.cpp"));
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_FALSE(plan->candidates[0].reasons.empty());
  EXPECT_FALSE(plan->candidates[0].admitted());
  EXPECT_THAT(plan->candidates[0].reasons[0].message.text, HasSubstr("safetensors"));
}

TEST(HfPlan, ABrokenFolderIsAnInputErrorAtTheModelKey) {
  StatusOr<JobSpec> job = ParseJobSpec(JobFor("/nonexistent/config.json"), "job.yaml", testing::RealCatalog());
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(job.status().message(), HasSubstr("job.yaml:2:8: model: "));
}

// `sizer db import` of a BF16 folder: the entry plans exactly as the folder does.
// A model_db entry indented under a job's `model:` key (an inline model).
std::string Indented(const std::string& yaml) {
  std::string out;
  for (size_t start = 0; start < yaml.size();) {
    size_t end = yaml.find('\n', start);
    out += "  " + yaml.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

TEST(HfImport, TheImportedEntryPlansTheSameAsTheFolder) {
  const std::string folder = Fixture("llama-3.1-8b-instruct");
  StatusOr<ImportedModel> entry = ImportModelEntry(folder, "team-llama-8b", testing::RealCatalog(), "2026-11-30");
  ASSERT_TRUE(entry.ok()) << entry.status().message();
  EXPECT_THAT(entry->model.source, HasSubstr("config.json sha256 " + entry->sha256));
  EXPECT_THAT(entry->model.source, HasSubstr("on 2026-11-30"));
  const std::string inline_model = Indented(entry->yaml);
  JobSpec from_entry = testing::ParseJobOrDie("quant: FP16\n" + JobFor("\n" + inline_model));
  JobSpec from_folder = testing::ParseJobOrDie(JobFor(folder));
  StatusOr<Plan> a = MakePlan(from_entry);
  StatusOr<Plan> b = MakePlan(from_folder);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_DOUBLE_EQ(a->weights.total_bytes, b->weights.total_bytes);
  EXPECT_DOUBLE_EQ(a->weights.read_per_token_bytes, b->weights.read_per_token_bytes);
  const MemoryPlan& ma = a->candidates[0].memory;
  const MemoryPlan& mb = b->candidates[0].memory;
  ASSERT_EQ(ma.rows.size(), mb.rows.size());
  for (size_t i = 0; i < ma.rows.size(); ++i) {
    EXPECT_EQ(ma.rows[i].key, mb.rows[i].key);
    EXPECT_DOUBLE_EQ(ma.rows[i].value, mb.rows[i].value) << ma.rows[i].key;
  }
  EXPECT_DOUBLE_EQ(a->candidates[0].gate_decode_tokens_per_s, b->candidates[0].gate_decode_tokens_per_s);
  EXPECT_DOUBLE_EQ(a->candidates[0].gate_ttft_ms, b->candidates[0].gate_ttft_ms);
}

// Imports `path` and plans the entry (inline, as model_db would hold it) and the file side by
// side in `quant` on `runtime`. The entry's artifact_weights carry the file's tensor bytes, so
// the weights agree exactly; memory rows and speeds agree within `tolerance` (the entry's
// weights are the estimate's tensor groups rescaled to those bytes, the file's are read).
void ExpectImportPlansLikeTheFile(const std::string& path, const std::string& quant,
                                  const std::string& runtime, double tolerance) {
  SCOPED_TRACE(path);
  StatusOr<ImportedModel> entry = ImportModelEntry(path, "team-model", testing::RealCatalog(), "2026-11-30");
  ASSERT_TRUE(entry.ok()) << entry.status().message();
  ASSERT_TRUE(entry->model.artifact_weights.has_value());
  EXPECT_EQ(entry->model.artifact_weights->format, quant);
  EXPECT_THAT(entry->yaml, HasSubstr("artifact_weights: {format: "));
  const std::string inline_model = Indented(entry->yaml);
  JobSpec from_entry = testing::ParseJobOrDie("quant: " + quant + "\n" + JobFor("\n" + inline_model, runtime));
  JobSpec from_file = testing::ParseJobOrDie(JobFor(path, runtime));
  StatusOr<Plan> a = MakePlan(from_entry);
  StatusOr<Plan> b = MakePlan(from_file);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_DOUBLE_EQ(a->weights.total_bytes, b->weights.total_bytes);
  const MemoryPlan& ma = a->candidates[0].memory;
  const MemoryPlan& mb = b->candidates[0].memory;
  ASSERT_EQ(ma.rows.size(), mb.rows.size());
  for (size_t i = 0; i < ma.rows.size(); ++i) {
    EXPECT_EQ(ma.rows[i].key, mb.rows[i].key);
    EXPECT_NEAR(ma.rows[i].value, mb.rows[i].value, tolerance * std::fabs(mb.rows[i].value)) << ma.rows[i].key;
  }
  EXPECT_NEAR(a->candidates[0].gate_decode_tokens_per_s, b->candidates[0].gate_decode_tokens_per_s,
              tolerance * b->candidates[0].gate_decode_tokens_per_s);
}

TEST(HfImport, AnImportedQuantizedEntryPlansLikeItsFile) {
  // GPTQ: the header bytes include g_idx and the packing, which params x bits does not.
  ExpectImportPlansLikeTheFile(Fixture("qwen2.5-7b-instruct-gptq-int4"), "GPTQ-4bit-g128", "vllm", 1e-3);
  // A GGUF file (random-weight qwen2, Q4_K_M): llama.cpp reads its tensor infos.
  ExpectImportPlansLikeTheFile(testing::TestDataDir() + "/models/arch/qwen2-Q4_K_M.gguf", "Q4_K_M",
                               "llama.cpp", 1e-2);
}

TEST(HfImport, IdsThatClashOrAreNotSlugsAreRefused) {
  const std::string folder = Fixture("gpt-oss-20b");
  EXPECT_THAT(ImportModelEntry(folder, "gpt-oss-20b", testing::RealCatalog(), "d"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("already in the database")));
  EXPECT_THAT(ImportModelEntry(folder, "../x", testing::RealCatalog(), "d"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("lower-case letters")));
  EXPECT_THAT(ImportModelEntry("/nonexistent/m.bin", "", testing::RealCatalog(), "d"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a .gguf file")));
}

TEST(HfCli, InspectFitAndImportReadAFolder) {
  const std::string folder = Fixture("gpt-oss-20b");
  testing::CliResult r = testing::RunCli("inspect '" + folder + "' --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["container"], "safetensors");
  EXPECT_EQ(j["quantization"]["format"], "MXFP4");
  EXPECT_EQ(j["tensor_data_bytes"], 13761264768ull);
  EXPECT_EQ(j["index_total_size"], 13761264768ull);
  EXPECT_EQ(j["shards"], 3);
  double group_bytes = 0;
  for (const auto& g : j["tensor_groups"]) group_bytes += g["bytes"].get<double>();
  EXPECT_DOUBLE_EQ(group_bytes, 13761264768.0);

  r = testing::RunCli("fit '" + Fixture("llama-3.1-8b-instruct") +
                      "' --runtime vllm --on h100-sxm --context 8k");
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;

  const fs::path out = fs::temp_directory_path() / ("sizer_import_" + std::to_string(::getpid()) + ".yaml");
  fs::remove(out);
  const std::string import = "db import '" + folder + "' --id my-oss -o '" + out.string() + "'";
  r = testing::RunCli(import + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["id"], "my-oss");
  r = testing::RunCli(import);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("exists; --force overwrites it"));
  EXPECT_EQ(testing::RunCli(import + " --force").exit_code, 0);
  r = testing::RunCli("db import '" + folder + "' -o -");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("already in the database"));
  fs::remove(out);
}

}  // namespace
}  // namespace sizer
