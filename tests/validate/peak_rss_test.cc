// validate's peak RSS is the model run's, not the process's lifetime peak: a large buffer
// touched and freed before the run (what the in-process machine probe does) must not show up
// in it, and the text under the table says what the figures show, whichever way they fall.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstring>
#include <string>

#include "testing/test_env.h"
#include "validate/comparison.h"
#include "validate/measurement.h"
#include "validate/validation_text.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr size_t kProbeLikeBufferBytes = size_t{512} << 20;

TEST(ValidatePeakRss, ExcludesABufferFreedBeforeTheRun) {
  // Touch 512 MiB the way the bandwidth probe does, then give it back to the kernel.
  void* buffer = ::mmap(nullptr, kProbeLikeBufferBytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(buffer, MAP_FAILED);
  std::memset(buffer, 1, kProbeLikeBufferBytes);
  ::munmap(buffer, kProbeLikeBufferBytes);

  validate::ValidationSettings s;
  s.model_path = testing::TestDataDir() + "/models/stories260K.gguf";
  s.context_tokens = 64;
  s.prompt_tokens = 8;
  s.decode_tokens = 8;
  s.threads = 1;
  StatusOr<validate::Measurement> m = validate::MeasureValidation(s);
  ASSERT_TRUE(m.ok()) << m.status().message();
  // A 1.2 MB model and a 64-position cache in a process of a few tens of MiB.
  EXPECT_GT(m->peak_rss_bytes, 1e6);
  EXPECT_LT(m->peak_rss_bytes, static_cast<double>(kProbeLikeBufferBytes) / 2);
}

ValidationResult WithMemory(double planned_total_bytes, double peak_rss_bytes) {
  validate::ValidationSettings s;
  s.model_path = "/models/m.gguf";
  s.context_tokens = 64;
  s.prompt_tokens = 8;
  s.decode_tokens = 8;
  s.threads = 1;
  validate::Prediction p;
  p.fits = true;
  p.bandwidth_bytes_per_s = 10e9;
  p.bytes_read_per_token = 1e8;
  p.decode_tokens_per_s = 80;
  p.decode_efficiency = 0.8;
  p.prefill_tokens_per_s = 200;
  p.memory.planned_bytes = planned_total_bytes;
  validate::Measurement m;
  m.stats.decode_tokens_per_s = 50;
  m.stats.prefill_tokens_per_s = 150;
  m.peak_rss_bytes = peak_rss_bytes;
  return validate::ComparePrediction(s, "this-machine", p, m);
}

TEST(ValidateText, TheMemorySentenceFollowsTheFigures) {
  const std::string below = validate::RenderValidationText(WithMemory(3e8, 2e8));
  EXPECT_THAT(below, HasSubstr("below the planned total"));
  EXPECT_THAT(below, Not(HasSubstr("above the planned total")));
  const std::string above = validate::RenderValidationText(WithMemory(2e8, 3e8));
  EXPECT_THAT(above, HasSubstr("above the planned total"));
  EXPECT_THAT(above, Not(HasSubstr("below the planned total")));
}

}  // namespace
}  // namespace sizer
