// The job keys of issue 14 (task, vision, images_per_request, image_size, draft, adapters,
// max_loras): the values a valid job yields, and for each bad input an error naming
// "file:line:col:" of the offending node.
#include <filesystem>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "input/job.h"
#include "testing/fixture_catalog.h"
#include "testing/gguf_builder.h"
#include "testing/mmproj_builder.h"
#include "testing/status_matchers.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::FixtureCatalog;
using testing::IsOk;

namespace fs = std::filesystem;

// Lines 1-8 fixed; the extras start at line 9. The target is tied-1b (d_model 2048, vocab
// 128256).
std::string Job(const std::string& extra) {
  return "job: extras\n"
         "model: tied-1b\n"
         "quant: F16\n"
         "context_tokens: 4096\n"
         "runtime: upfront\n"
         "prompt_tokens: 500\n"
         "output_tokens: 100\n"
         "candidates: [gpu-24g]\n" +
         extra;
}

StatusOr<JobSpec> Parse(const std::string& extra, const std::string& file = "job.yaml") {
  return ParseJobSpec(Job(extra), file, FixtureCatalog());
}

std::string ErrorOf(const std::string& extra, const std::string& file = "job.yaml") {
  StatusOr<JobSpec> job = Parse(extra, file);
  EXPECT_FALSE(job.ok()) << "accepted:\n" << extra;
  return job.ok() ? "" : job.status().message();
}

std::string TempFile(const std::string& name) {
  return (fs::temp_directory_path() / ("sizer_job_extras_" + std::to_string(::getpid()) + "_" + name)).string();
}

TEST(JobExtras, DefaultsWithoutTheKeys) {
  StatusOr<JobSpec> job = Parse("");
  ASSERT_THAT(job, IsOk());
  EXPECT_FALSE(job->extras.any());
  EXPECT_EQ(job->extras.task, ServeTask::kGenerate);
}

TEST(JobExtras, VisionBlockImagesDraftAdaptersTask) {
  StatusOr<JobSpec> job = Parse(
      "vision: {family: qwen2.5-vl, hidden_size: 1280, layers: 32, intermediate_size: 3420, heads: 16,\n"
      "         patch_size: 14, image_size: 448}\n"
      "images_per_request: 2\n"
      "image_size: 1024x768\n"
      "draft: {model: tied-1b, draft_tokens: 5, acceptance_rate: 0.6}\n"
      "adapters: [{name: support, rank: 8, target_modules: [q_proj, v_proj]}]\n"
      "max_loras: 1\n");
  ASSERT_THAT(job, IsOk());
  const JobExtras& x = job->extras;
  ASSERT_TRUE(x.vision.has_value());
  EXPECT_EQ(x.vision->family, VisionFamily::kQwen25Vl);
  EXPECT_EQ(x.vision->projection_dim, 2048);  // the model's d_model
  EXPECT_EQ(x.images_per_request, 2);
  EXPECT_EQ(x.image_size.width, 1024);
  EXPECT_EQ(x.image_size.height, 768);
  ASSERT_TRUE(x.draft.has_value());
  EXPECT_EQ(x.draft->draft_tokens, 5);
  EXPECT_DOUBLE_EQ(x.draft->acceptance_rate, 0.6);
  EXPECT_EQ(x.draft->quant, "F16");  // the job's
  ASSERT_EQ(x.adapters.size(), 1u);
  EXPECT_EQ(x.adapters[0].rank, 8);
  EXPECT_EQ(x.max_loras, 1);
}

TEST(JobExtras, DraftDefaultsAreStated) {
  StatusOr<JobSpec> job = Parse("draft: tied-1b\n");
  ASSERT_THAT(job, IsOk());
  EXPECT_EQ(job->extras.draft->draft_tokens, 4);
  EXPECT_DOUBLE_EQ(job->extras.draft->acceptance_rate, 0.7);
  EXPECT_FALSE(job->extras.draft->acceptance_given);
}

TEST(JobExtras, ReadsAnMmprojGguf) {
  const std::string path = TempFile("mmproj.gguf");
  ASSERT_TRUE(testing::WriteBytesToFile(path, testing::MmprojBuilder().Build()));
  StatusOr<JobSpec> job = Parse("vision: " + path + "\n");
  ASSERT_THAT(job, IsOk());
  EXPECT_EQ(job->extras.vision->path, path);
  EXPECT_EQ(job->extras.images_per_request, 1);
  EXPECT_EQ(job->extras.image_size.width, 16);  // the encoder's native size
  fs::remove(path);
}

TEST(JobExtrasErrors, UnknownTask) {
  EXPECT_THAT(ErrorOf("task: embedd\n"), StartsWith("job.yaml:9:7: task: unknown task 'embedd'"));
  EXPECT_THAT(ErrorOf("task: embedd\n"), HasSubstr("did you mean 'embed'"));
}

TEST(JobExtrasErrors, DraftVocabularyMismatchIsRefused) {
  // window-7b has 32000 tokens, tied-1b 128256.
  const std::string e = ErrorOf("draft: {model: window-7b}\n");
  EXPECT_THAT(e, StartsWith("job.yaml:9:16: draft.model:"));
  EXPECT_THAT(e, HasSubstr("vocabulary (32000 tokens) differs from the target's (128256)"));
}

TEST(JobExtrasErrors, AcceptanceRateOutsideZeroOne) {
  for (const char* a : {"0", "1", "1.5", "-0.2"}) {
    EXPECT_THAT(ErrorOf(std::string("draft: {model: tied-1b, acceptance_rate: ") + a + "}\n"),
                StartsWith("job.yaml:9:42: draft.acceptance_rate: acceptance_rate must be in (0, 1)"))
        << a;
  }
}

TEST(JobExtrasErrors, DraftTokensBelowOne) {
  EXPECT_THAT(ErrorOf("draft: {model: tied-1b, draft_tokens: 0}\n"), StartsWith("job.yaml:9:39: draft.draft_tokens:"));
}

TEST(JobExtrasErrors, ImageSizeNotWxH) {
  const std::string vision =
      "vision: {family: llava, hidden_size: 64, layers: 2, intermediate_size: 128, heads: 4, patch_size: 4,"
      " image_size: 16}\n";
  for (const char* bad : {"1024", "1024x", "x768", "1024x-5", "big"}) {
    EXPECT_THAT(ErrorOf(vision + "image_size: " + bad + "\n"),
                StartsWith("job.yaml:10:13: image_size: image_size '" + std::string(bad) + "' is not WIDTHxHEIGHT"))
        << bad;
  }
}

TEST(JobExtrasErrors, NegativeImagesPerRequest) {
  const std::string vision =
      "vision: {family: llava, hidden_size: 64, layers: 2, intermediate_size: 128, heads: 4, patch_size: 4,"
      " image_size: 16}\n";
  EXPECT_THAT(ErrorOf(vision + "images_per_request: -1\n"), StartsWith("job.yaml:10:21: images_per_request:"));
  EXPECT_THAT(ErrorOf("images_per_request: 1\n"), HasSubstr("images need a vision encoder"));
}

TEST(JobExtrasErrors, VisionPathThatIsNotAProjector) {
  const std::string path = TempFile("model.gguf");
  ASSERT_TRUE(testing::WriteBytesToFile(path, testing::LlamaLikeGguf()));
  const std::string e = ErrorOf("vision: " + path + "\n");
  EXPECT_THAT(e, StartsWith("job.yaml:9:9: vision: "));
  EXPECT_THAT(e, HasSubstr("not a projector GGUF: general.architecture is 'llama'"));
  fs::remove(path);
}

TEST(JobExtrasErrors, MmprojWidthMustMatchTheModel) {
  const std::string path = TempFile("mmproj-64.gguf");
  testing::MmprojOptions o;
  o.projection = 64;  // tied-1b's d_model is 2048
  ASSERT_TRUE(testing::WriteBytesToFile(path, testing::MmprojBuilder(o).Build()));
  EXPECT_THAT(ErrorOf("vision: " + path + "\n"),
              HasSubstr("projector outputs embeddings of width 64 but the model's d_model is 2048"));
  fs::remove(path);
}

TEST(JobExtrasErrors, AdapterRankAndModules) {
  EXPECT_THAT(ErrorOf("adapters: [{rank: 0, target_modules: [q_proj]}]\n"),
              StartsWith("job.yaml:9:19: adapters[0].rank: rank must be a positive integer"));
  EXPECT_THAT(ErrorOf("adapters: [{rank: -4, target_modules: [q_proj]}]\n"), HasSubstr("rank must be a positive"));
  const std::string e = ErrorOf("adapters: [{rank: 8, target_modules: [q_prj]}]\n");
  EXPECT_THAT(e, StartsWith("job.yaml:9:12: adapters[0]: unknown target module 'q_prj'"));
  EXPECT_THAT(e, HasSubstr("did you mean 'q_proj'"));
}

TEST(JobExtrasErrors, UnknownVisionFamilyAndDraftForEmbed) {
  EXPECT_THAT(ErrorOf("vision: {family: lava, hidden_size: 64, layers: 2, intermediate_size: 128, heads: 4,"
                      " patch_size: 4, image_size: 16}\n"),
              HasSubstr("unknown vision family 'lava'"));
  EXPECT_THAT(ErrorOf("task: embed\ndraft: tied-1b\n"), StartsWith("job.yaml:10:8: draft:"));
}

}  // namespace
}  // namespace sizer
