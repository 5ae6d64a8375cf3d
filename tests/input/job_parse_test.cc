// ParseJobSpec: the values a valid job yields, and for every kind of bad input an error that
// names "file:line:col:" of the offending node and says what is wrong.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "input/job.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// The base job, one key a line, so every key's line number is fixed:
//   1 job  2 model  3 quant  4 context_tokens  5 concurrency  6 runtime
//   7 prompt_tokens  8 output_tokens  9 candidates
// Extra lines (gates, cost, ...) start at line 10.
const std::vector<std::pair<std::string, std::string>>& BaseLines() {
  static const std::vector<std::pair<std::string, std::string>> kLines = {
      {"job", "job: test-job"},
      {"model", "model: llama-3.1-8b"},
      {"quant", "quant: Q4_K_M"},
      {"context_tokens", "context_tokens: 8192"},
      {"concurrency", "concurrency: 2"},
      {"runtime", "runtime: llama.cpp"},
      {"prompt_tokens", "prompt_tokens: 1000"},
      {"output_tokens", "output_tokens: 200"},
      {"candidates", "candidates: [rtx-4090]"},
  };
  return kLines;
}

// The base job with the line of `key` replaced by `replacement` (which may span several lines,
// or be empty to drop the key), then `extra` appended.
std::string JobWith(std::string_view key, std::string_view replacement,
                    std::string_view extra = "") {
  std::string out;
  bool found = key.empty();
  for (const auto& [k, line] : BaseLines()) {
    if (k == key) {
      found = true;
      if (!replacement.empty()) out += std::string(replacement) + "\n";
    } else {
      out += line + "\n";
    }
  }
  EXPECT_TRUE(found) << "no base line for key " << key;
  return out + std::string(extra);
}

std::string BaseJob(std::string_view extra = "") { return JobWith("", "", extra); }

StatusOr<JobSpec> Parse(const std::string& text, const JobParseOptions& options = {}) {
  return ParseJobSpec(text, "job.yaml", sizer::testing::RealCatalog(), options);
}

// Why `text` does not fail to parse with `code`, an error that starts with `position`
// ("job.yaml:LINE:COL:") and contains every phrase in `phrases`; empty when it does.
std::string ErrorMismatch(const std::string& text, const std::string& position,
                          const std::vector<std::string>& phrases,
                          std::optional<StatusCode> code, const JobParseOptions& options) {
  StatusOr<JobSpec> job = Parse(text, options);
  if (job.ok()) return "parsed unexpectedly";
  const std::string& message = job.status().message();
  std::string why;
  if (message.rfind(position, 0) != 0) why += "\n  does not start with \"" + position + "\"";
  for (const std::string& phrase : phrases) {
    if (message.find(phrase) == std::string::npos) {
      why += "\n  does not contain \"" + phrase + "\"";
    }
  }
  if (code && job.status().code() != *code) {
    why += "\n  code is " + std::string(StatusCodeName(job.status().code())) + ", expected " +
           std::string(StatusCodeName(*code));
  }
  return why.empty() ? "" : "message: " + message + why;
}

// Asserts that `text` fails to parse with `code`, an error that starts with `position` and
// contains every phrase in `phrases`. The parse runs in a child process (a death-test fork), so
// a parser that aborts on bad input fails this one test instead of the whole test binary; the
// child's stderr, shown on failure, says what did not match.
void ExpectError(const std::string& text, const std::string& position,
                 const std::vector<std::string>& phrases,
                 std::optional<StatusCode> code = StatusCode::kInvalidArgument,
                 const JobParseOptions& options = {}) {
  sizer::testing::RealCatalog();  // load the databases once, in the parent
  EXPECT_EXIT(
      {
        std::string mismatch = ErrorMismatch(text, position, phrases, code, options);
        if (!mismatch.empty()) std::fprintf(stderr, "%s\n", mismatch.c_str());
        std::fflush(stderr);
        std::_Exit(mismatch.empty() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "")
      << "input:\n" << text;
}

// ---------------------------------------------------------------------------------------------
// Valid input.

TEST(JobParseValid, BaseJobParsesWithDefaults) {
  StatusOr<JobSpec> job = Parse(BaseJob());
  ASSERT_TRUE(job.ok()) << job.status().message();
  EXPECT_EQ(job->name, "test-job");
  EXPECT_EQ(job->file, "job.yaml");
  EXPECT_EQ(job->model_ref, "llama-3.1-8b");
  EXPECT_EQ(job->model.id, "llama-3.1-8b");
  EXPECT_EQ(job->model.max_context_tokens, 131072);
  EXPECT_EQ(job->quant, "Q4_K_M");
  EXPECT_EQ(job->kv_cache_dtype, "f16");
  EXPECT_EQ(job->context_tokens, 8192);
  EXPECT_EQ(job->concurrency, 2);
  EXPECT_EQ(job->runtime, "llama.cpp");
  EXPECT_EQ(job->prompt_tokens, 1000);
  EXPECT_EQ(job->output_tokens, 200);
  EXPECT_FALSE(job->flash_attention.has_value());
  EXPECT_FALSE(job->quality.has_value());
  EXPECT_FALSE(job->sparsity.has_value());
  ASSERT_EQ(job->candidates.size(), 1u);
  const Candidate& c = job->candidates[0];
  EXPECT_EQ(c.hardware.id, "rtx-4090");
  EXPECT_EQ(c.count, 1);
  EXPECT_EQ(c.label, "rtx-4090");
  EXPECT_FALSE(c.offload.has_value());
  EXPECT_FALSE(c.parallelism.has_value());
  EXPECT_THAT(c.where, StartsWith("job.yaml:9:"));
  EXPECT_DOUBLE_EQ(job->gates.reserve_fraction, 0.2);
  EXPECT_FALSE(job->gates.min_decode_tokens_per_s.has_value());
  EXPECT_FALSE(job->cost.present);
  EXPECT_TRUE(job->artifacts.empty());
  EXPECT_FALSE(job->memory_overrides.weights_bytes.has_value());
  EXPECT_TRUE(job->warnings.empty());
}

TEST(JobParseValid, QuantRuntimeAndKvDtypeAreNormalised) {
  StatusOr<JobSpec> job = Parse(JobWith("quant", "quant: q4_k_m", "kv_cache_dtype: Q8_0\n"));
  ASSERT_TRUE(job.ok()) << job.status().message();
  EXPECT_EQ(job->quant, "Q4_K_M");
  EXPECT_EQ(job->kv_cache_dtype, "q8_0");

  StatusOr<JobSpec> upper_runtime = Parse(JobWith("runtime", "runtime: LLAMA.CPP"));
  ASSERT_TRUE(upper_runtime.ok()) << upper_runtime.status().message();
  EXPECT_EQ(upper_runtime->runtime, "llama.cpp");
}

TEST(JobParseValid, CandidateMappingsGetLabels) {
  StatusOr<JobSpec> job = Parse(JobWith("candidates",
                                        "candidates:\n"
                                        "  - rtx-4090\n"
                                        "  - {hardware: h100-sxm, count: 2, parallelism: tensor}\n"
                                        "  - hardware: rtx-3060-12gb\n"
                                        "    offload: {gpu_layers: 24, host: ryzen-9-7950x-64gb}\n"
                                        "    measured: {decode_tokens_per_s: 20, ttft_ms: 500}\n"));
  ASSERT_TRUE(job.ok()) << job.status().message();
  ASSERT_EQ(job->candidates.size(), 3u);
  EXPECT_EQ(job->candidates[0].label, "rtx-4090");
  EXPECT_EQ(job->candidates[1].label, "2x h100-sxm");
  EXPECT_EQ(job->candidates[1].count, 2);
  ASSERT_TRUE(job->candidates[1].parallelism.has_value());
  EXPECT_EQ(*job->candidates[1].parallelism, MultiDevice::kTensorParallel);
  EXPECT_THAT(job->candidates[1].where, StartsWith("job.yaml:11:"));
  const Candidate& off = job->candidates[2];
  EXPECT_EQ(off.label, "rtx-3060-12gb + offload");
  ASSERT_TRUE(off.offload.has_value());
  EXPECT_EQ(off.offload->gpu_layers, 24);
  EXPECT_EQ(off.offload->host.id, "ryzen-9-7950x-64gb");
  EXPECT_EQ(off.offload->host.kind, HardwareKind::kCpu);
  ASSERT_TRUE(off.measured.decode_tokens_per_s.has_value());
  EXPECT_DOUBLE_EQ(*off.measured.decode_tokens_per_s, 20);
  ASSERT_TRUE(off.measured.ttft_ms.has_value());
  EXPECT_DOUBLE_EQ(*off.measured.ttft_ms, 500);
}

TEST(JobParseValid, InlineHardwareCandidateSizeStrings) {
  StatusOr<JobSpec> job = Parse(JobWith("candidates",
                                        "candidates:\n"
                                        "  - id: my-gpu\n"
                                        "    kind: gpu\n"
                                        "    memory: 24 GiB\n"
                                        "    memory_bandwidth: 1008 GB/s\n"
                                        "    fp16_tflops: 100\n"
                                        "  - id: my-box\n"
                                        "    kind: cpu\n"
                                        "    memory: 4.4 GB\n"
                                        "    memory_bandwidth: 1.5 TB/s\n"
                                        "    fp16_tflops: 2\n"));
  ASSERT_TRUE(job.ok()) << job.status().message();
  ASSERT_EQ(job->candidates.size(), 2u);
  const HardwareSpec& gpu = job->candidates[0].hardware;
  EXPECT_EQ(gpu.id, "my-gpu");
  EXPECT_EQ(gpu.kind, HardwareKind::kGpu);
  EXPECT_DOUBLE_EQ(gpu.memory_bytes, 24.0 * 1024 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(gpu.memory_bandwidth_bytes_per_s, 1008e9);
  EXPECT_DOUBLE_EQ(gpu.fp16_flop_per_s, 100e12);
  EXPECT_EQ(job->candidates[0].label, "my-gpu");
  const HardwareSpec& cpu = job->candidates[1].hardware;
  EXPECT_EQ(cpu.kind, HardwareKind::kCpu);
  EXPECT_DOUBLE_EQ(cpu.memory_bytes, 4.4e9);
  EXPECT_DOUBLE_EQ(cpu.memory_bandwidth_bytes_per_s, 1.5e12);
}

TEST(JobParseValid, MemoryOverridesSizeStrings) {
  StatusOr<JobSpec> job = Parse(BaseJob(
      "memory_overrides:\n"
      "  weights_bytes: 4.4 GB\n"
      "  kv_cache_bytes: 24 GiB\n"
      "  runtime_bytes: 512 MiB\n"
      "  activation_bytes: 1000\n"));
  ASSERT_TRUE(job.ok()) << job.status().message();
  const MemoryOverrides& m = job->memory_overrides;
  ASSERT_TRUE(m.weights_bytes.has_value());
  EXPECT_DOUBLE_EQ(*m.weights_bytes, 4.4e9);
  ASSERT_TRUE(m.kv_cache_bytes.has_value());
  EXPECT_DOUBLE_EQ(*m.kv_cache_bytes, 24.0 * (1ull << 30));
  ASSERT_TRUE(m.runtime_bytes.has_value());
  EXPECT_DOUBLE_EQ(*m.runtime_bytes, 512.0 * (1ull << 20));
  ASSERT_TRUE(m.activation_bytes.has_value());
  EXPECT_DOUBLE_EQ(*m.activation_bytes, 1000);
  EXPECT_FALSE(m.fragmentation_bytes.has_value());
}

TEST(JobParseValid, ArtifactsTableWithoutQuant) {
  StatusOr<JobSpec> job = Parse(JobWith("quant", "",
                                        "artifacts:\n"
                                        "  - {quant: q4_k_m, quality: 0.95, file_bytes: 4.9 GB}\n"
                                        "  - {quant: Q8_0, quality: 0.99}\n"
                                        "  - {quant: F16}\n"));
  ASSERT_TRUE(job.ok()) << job.status().message();
  EXPECT_TRUE(job->quant.empty());
  ASSERT_EQ(job->artifacts.size(), 3u);
  EXPECT_EQ(job->artifacts[0].quant, "Q4_K_M");
  ASSERT_TRUE(job->artifacts[0].quality.has_value());
  EXPECT_DOUBLE_EQ(*job->artifacts[0].quality, 0.95);
  ASSERT_TRUE(job->artifacts[0].file_bytes.has_value());
  EXPECT_DOUBLE_EQ(*job->artifacts[0].file_bytes, 4.9e9);
  EXPECT_EQ(job->artifacts[1].quant, "Q8_0");
  EXPECT_FALSE(job->artifacts[1].file_bytes.has_value());
  EXPECT_EQ(job->artifacts[2].quant, "F16");
  EXPECT_FALSE(job->artifacts[2].quality.has_value());
  // quant line dropped: the artifacts block starts on line 9.
  EXPECT_THAT(job->artifacts[0].where, StartsWith("job.yaml:10:"));
}

TEST(JobParseValid, CostPerTokenAndLocal) {
  StatusOr<JobSpec> job = Parse(BaseJob(
      "cost:\n"
      "  requests_per_month: 200000\n"
      "  hosted: {usd_per_million_input_tokens: 0.20, usd_per_million_output_tokens: 0.60}\n"
      "  local: {amortization_months: 24, power_utilization: 0.4, electricity_usd_per_kwh: 0.3,\n"
      "          operations_monthly_usd: 50, hardware_price_usd: 2000}\n"));
  ASSERT_TRUE(job.ok()) << job.status().message();
  const CostSpec& c = job->cost;
  EXPECT_TRUE(c.present);
  EXPECT_DOUBLE_EQ(c.requests_per_month, 200000);
  EXPECT_FALSE(c.hosted_usd_per_1k_requests.has_value());
  ASSERT_TRUE(c.hosted_usd_per_million_input_tokens.has_value());
  EXPECT_DOUBLE_EQ(*c.hosted_usd_per_million_input_tokens, 0.20);
  ASSERT_TRUE(c.hosted_usd_per_million_output_tokens.has_value());
  EXPECT_DOUBLE_EQ(*c.hosted_usd_per_million_output_tokens, 0.60);
  EXPECT_DOUBLE_EQ(c.amortization_months, 24);
  EXPECT_DOUBLE_EQ(c.power_utilization, 0.4);
  EXPECT_DOUBLE_EQ(c.electricity_usd_per_kwh, 0.3);
  EXPECT_DOUBLE_EQ(c.operations_monthly_usd, 50);
  ASSERT_TRUE(c.hardware_price_usd.has_value());
  EXPECT_DOUBLE_EQ(*c.hardware_price_usd, 2000);
}

TEST(JobParseValid, CostPerRequestKeepsDefaults) {
  StatusOr<JobSpec> job = Parse(BaseJob(
      "cost:\n"
      "  requests_per_month: 1000\n"
      "  hosted: {usd_per_1k_requests: 2.5}\n"));
  ASSERT_TRUE(job.ok()) << job.status().message();
  ASSERT_TRUE(job->cost.hosted_usd_per_1k_requests.has_value());
  EXPECT_DOUBLE_EQ(*job->cost.hosted_usd_per_1k_requests, 2.5);
  EXPECT_FALSE(job->cost.hosted_usd_per_million_input_tokens.has_value());
  EXPECT_DOUBLE_EQ(job->cost.amortization_months, 36);
  EXPECT_DOUBLE_EQ(job->cost.power_utilization, 0.5);
  EXPECT_DOUBLE_EQ(job->cost.electricity_usd_per_kwh, 0.15);
}

TEST(JobParseValid, AssumptionOverrides) {
  StatusOr<JobSpec> job = Parse(BaseJob(
      "assumptions:\n"
      "  decode_efficiency: 0.6\n"
      "  fragmentation_fraction: 0.05\n"
      "  device_context_bytes: 300 MiB\n"
      "  micro_batch_tokens: 256\n"
      "  kv_page_tokens: 16\n"
      "  allreduce_latency_us: 0\n"
      "  keep_full_sliding_cache: true\n"));
  ASSERT_TRUE(job.ok()) << job.status().message();
  const AssumptionOverrides& a = job->assumptions;
  ASSERT_TRUE(a.decode_efficiency.has_value());
  EXPECT_DOUBLE_EQ(*a.decode_efficiency, 0.6);
  ASSERT_TRUE(a.fragmentation_fraction.has_value());
  EXPECT_DOUBLE_EQ(*a.fragmentation_fraction, 0.05);
  ASSERT_TRUE(a.device_context_bytes.has_value());
  EXPECT_DOUBLE_EQ(*a.device_context_bytes, 300.0 * (1 << 20));
  ASSERT_TRUE(a.micro_batch_tokens.has_value());
  EXPECT_EQ(*a.micro_batch_tokens, 256);
  ASSERT_TRUE(a.kv_page_tokens.has_value());
  EXPECT_EQ(*a.kv_page_tokens, 16);
  ASSERT_TRUE(a.allreduce_latency_us.has_value());
  EXPECT_DOUBLE_EQ(*a.allreduce_latency_us, 0);
  ASSERT_TRUE(a.keep_full_sliding_cache.has_value());
  EXPECT_TRUE(*a.keep_full_sliding_cache);
  EXPECT_FALSE(a.prefill_efficiency.has_value());
  EXPECT_FALSE(a.gpu_memory_utilization.has_value());
}

TEST(JobParseValid, SparsityParse) {
  StatusOr<JobSpec> job = Parse(BaseJob("sparsity: {fraction: 0.5, structure: \"2:4\"}\n"));
  ASSERT_TRUE(job.ok()) << job.status().message();
  ASSERT_TRUE(job->sparsity.has_value());
  EXPECT_DOUBLE_EQ(job->sparsity->fraction, 0.5);
  EXPECT_EQ(job->sparsity->structure, "2:4");
  StatusOr<JobSpec> plain = Parse(BaseJob("sparsity: {fraction: 0.3}\n"));
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(plain->sparsity->structure, "unstructured");
}

TEST(JobParseValid, GatesParse) {
  StatusOr<JobSpec> job = Parse(BaseJob(
      "gates:\n"
      "  reserve_fraction: 0.1\n"
      "  min_decode_tokens_per_s: 15\n"
      "  max_ttft_ms: 3000\n"
      "  max_p95_token_latency_ms: 120\n"
      "  min_quality: 0.9\n"));
  ASSERT_TRUE(job.ok()) << job.status().message();
  EXPECT_DOUBLE_EQ(job->gates.reserve_fraction, 0.1);
  ASSERT_TRUE(job->gates.min_decode_tokens_per_s.has_value());
  EXPECT_DOUBLE_EQ(*job->gates.min_decode_tokens_per_s, 15);
  ASSERT_TRUE(job->gates.max_ttft_ms.has_value());
  EXPECT_DOUBLE_EQ(*job->gates.max_ttft_ms, 3000);
  ASSERT_TRUE(job->gates.max_p95_token_latency_ms.has_value());
  EXPECT_DOUBLE_EQ(*job->gates.max_p95_token_latency_ms, 120);
  ASSERT_TRUE(job->gates.min_quality.has_value());
  EXPECT_DOUBLE_EQ(*job->gates.min_quality, 0.9);
}

TEST(JobParseValid, ReserveFractionZeroAndJustBelowOneAreAllowed) {
  for (const char* value : {"0", "0.0", "0.99"}) {
    StatusOr<JobSpec> job = Parse(BaseJob(std::string("gates:\n  reserve_fraction: ") + value +
                                          "\n"));
    ASSERT_TRUE(job.ok()) << value << ": " << job.status().message();
    EXPECT_DOUBLE_EQ(job->gates.reserve_fraction, std::stod(value)) << value;
  }
}

TEST(JobParseValid, PromptPlusOutputAboveContextWarns) {
  StatusOr<JobSpec> job = Parse(JobWith("context_tokens", "context_tokens: 1100"));
  ASSERT_TRUE(job.ok()) << job.status().message();
  ASSERT_EQ(job->warnings.size(), 1u);
  EXPECT_THAT(job->warnings[0], StartsWith("job.yaml:7:16:"));
  EXPECT_THAT(job->warnings[0], HasSubstr("exceed context_tokens (1100)"));
}

TEST(JobParseValid, LoadJobSpecReadsAWorksheet) {
  StatusOr<JobSpec> job = LoadJobSpec(sizer::testing::SourceDir() +
                                          "/worksheets/chat-assistant-8b.yaml",
                                      sizer::testing::RealCatalog());
  ASSERT_TRUE(job.ok()) << job.status().message();
  EXPECT_EQ(job->name, "chat-assistant-8b");
  EXPECT_EQ(job->candidates.size(), 5u);
  EXPECT_EQ(job->candidates[4].label, "rtx-3060-12gb + offload");
  EXPECT_TRUE(job->cost.present);
}

// ---------------------------------------------------------------------------------------------
// YAML syntax.

TEST(JobParseSyntax, UnclosedFlowSequence) {
  // yaml-cpp reports the end of input (line 10, after the last line) where ']' was expected.
  ExpectError(JobWith("candidates", "candidates: [rtx-4090, rtx-3090"), "job.yaml:10:1:",
              {"YAML syntax error", "end of sequence flow not found"}, StatusCode::kCorruption);
}

TEST(JobParseSyntax, ExtraClosingBracket) {
  // The second ']' of "candidates: [rtx-4090]]" is column 23.
  ExpectError(JobWith("candidates", "candidates: [rtx-4090]]"), "job.yaml:9:23:",
              {"YAML syntax error"}, StatusCode::kCorruption);
}

TEST(JobParseSyntax, BadIndentation) {
  // Line 3 is indented under a scalar value: "illegal map value" at the ':' of line 3.
  ExpectError("job: test-job\n"
              "model: llama-3.1-8b\n"
              "  quant: Q4_K_M\n",
              "job.yaml:3:8:", {"YAML syntax error", "illegal map value"},
              StatusCode::kCorruption);
}

TEST(JobParseSyntax, InconsistentDedent) {
  // gates' keys at indent 4, then a key at indent 2 (line 12, column 3).
  ExpectError(BaseJob("gates:\n    reserve_fraction: 0.1\n  max_ttft_ms: 100\n"), "job.yaml:12:3:",
              {"YAML syntax error"}, StatusCode::kCorruption);
}

TEST(JobParseSyntax, TabIndentation) {
  ExpectError("job: test-job\n\tmodel: llama-3.1-8b\n", "job.yaml:2:1:",
              {"YAML syntax error", "illegal tab"}, StatusCode::kCorruption);
}

TEST(JobParseSyntax, NotAMapping) {
  ExpectError("- just\n- a list\n", "job.yaml:1:1:", {"a job must be a YAML mapping"});
}

// ---------------------------------------------------------------------------------------------
// Wrong types.

TEST(JobParseType, ContextTokensString) {
  ExpectError(JobWith("context_tokens", "context_tokens: \"lots\""), "job.yaml:4:17:",
              {"context_tokens: ", "expected a number", "'lots'"});
}

TEST(JobParseType, ContextTokensFractional) {
  ExpectError(JobWith("context_tokens", "context_tokens: 8192.5"), "job.yaml:4:17:",
              {"context_tokens: ", "expected a whole number"});
}

TEST(JobParseType, ContextTokensList) {
  ExpectError(JobWith("context_tokens", "context_tokens: [8192]"), "job.yaml:4:17:",
              {"context_tokens: ", "expected a number, got a list"});
}

TEST(JobParseType, CandidatesScalar) {
  ExpectError(JobWith("candidates", "candidates: 5"), "job.yaml:9:13:",
              {"candidates: ", "expected a non-empty list"});
}

TEST(JobParseType, CandidatesEmptyList) {
  ExpectError(JobWith("candidates", "candidates: []"), "job.yaml:9:13:",
              {"candidates: ", "expected a non-empty list"});
}

TEST(JobParseType, GatesList) {
  ExpectError(BaseJob("gates: [1, 2]\n"), "job.yaml:10:8:",
              {"gates: ", "expected a mapping, got a list"});
}

TEST(JobParseType, ModelList) {
  ExpectError(JobWith("model", "model: [llama-3.1-8b]"), "job.yaml:2:8:",
              {"model: ", "expected a string, got a list"});
}

TEST(JobParseType, FlashAttentionNotBool) {
  ExpectError(BaseJob("flash_attention: maybe\n"), "job.yaml:10:18:",
              {"flash_attention: ", "expected true or false", "'maybe'"});
}

TEST(JobParseType, MemorySizeGarbage) {
  ExpectError(BaseJob("memory_overrides:\n  weights_bytes: lots\n"), "job.yaml:11:18:",
              {"memory_overrides.weights_bytes: ", "expected a size"});
}

TEST(JobParseType, MemorySizeUnknownUnit) {
  ExpectError(BaseJob("memory_overrides:\n  weights_bytes: 4 GX\n"), "job.yaml:11:18:",
              {"memory_overrides.weights_bytes: ", "unknown unit 'GX'"});
}

// ---------------------------------------------------------------------------------------------
// Zero and negative sizes.

TEST(JobParseRange, ContextTokensZero) {
  ExpectError(JobWith("context_tokens", "context_tokens: 0"), "job.yaml:4:17:",
              {"context_tokens: ", "must be at least 1"});
}

TEST(JobParseRange, ConcurrencyNegative) {
  ExpectError(JobWith("concurrency", "concurrency: -1"), "job.yaml:5:14:",
              {"concurrency: ", "negative", "-1"});
}

TEST(JobParseRange, ConcurrencyZero) {
  ExpectError(JobWith("concurrency", "concurrency: 0"), "job.yaml:5:14:",
              {"concurrency: ", "must be at least 1"});
}

TEST(JobParseRange, PromptTokensZero) {
  ExpectError(JobWith("prompt_tokens", "prompt_tokens: 0"), "job.yaml:7:16:",
              {"prompt_tokens: ", "must be at least 1"});
}

TEST(JobParseRange, OutputTokensNegative) {
  ExpectError(JobWith("output_tokens", "output_tokens: -5"), "job.yaml:8:16:",
              {"output_tokens: ", "negative"});
}

TEST(JobParseRange, CandidateCountZero) {
  ExpectError(JobWith("candidates", "candidates:\n  - {hardware: rtx-4090, count: 0}"),
              "job.yaml:10:33:", {"candidates[0].count: ", "must be at least 1"});
}

std::string InlineGpu(const std::string& memory, const std::string& bandwidth) {
  // Lines 9-14; "memory" value at 12:13, "memory_bandwidth" value at 13:23.
  return "candidates:\n"
         "  - id: my-gpu\n"
         "    kind: gpu\n"
         "    memory: " + memory + "\n"
         "    memory_bandwidth: " + bandwidth + "\n"
         "    fp16_tflops: 100";
}

TEST(JobParseRange, InlineHardwareMemoryZero) {
  ExpectError(JobWith("candidates", InlineGpu("0 GB", "1000 GB/s")), "job.yaml:12:13:",
              {"candidates[0].memory: ", "must be greater than 0"});
}

TEST(JobParseRange, InlineHardwareMemoryNegative) {
  ExpectError(JobWith("candidates", InlineGpu("-24 GB", "1000 GB/s")), "job.yaml:12:13:",
              {"candidates[0].memory: ", "non-negative", "-24 GB"});
}

TEST(JobParseRange, InlineHardwareBandwidthZero) {
  ExpectError(JobWith("candidates", InlineGpu("24 GB", "0 GB/s")), "job.yaml:13:23:",
              {"candidates[0].memory_bandwidth: ", "must be greater than 0"});
}

TEST(JobParseRange, InlineHardwareBandwidthWithoutPerSecond) {
  ExpectError(JobWith("candidates", InlineGpu("24 GB", "1000 GB")), "job.yaml:13:23:",
              {"candidates[0].memory_bandwidth: ", "unknown unit"});
}

TEST(JobParseRange, InlineHardwareMissingMemory) {
  ExpectError(JobWith("candidates",
                      "candidates:\n"
                      "  - id: my-gpu\n"
                      "    kind: gpu\n"
                      "    memory_bandwidth: 1000 GB/s\n"
                      "    fp16_tflops: 100"),
              "job.yaml:10:5:", {"candidates[0]: ", "missing required key 'memory'"});
}

TEST(JobParseRange, MemoryOverrideNegative) {
  ExpectError(BaseJob("memory_overrides:\n  kv_cache_bytes: -1 GiB\n"), "job.yaml:11:19:",
              {"memory_overrides.kv_cache_bytes: ", "non-negative"});
}

TEST(JobParseRange, ArtifactFileBytesZero) {
  ExpectError(JobWith("quant", "", "artifacts:\n  - {quant: Q8_0, file_bytes: 0 GB}\n"),
              "job.yaml:10:31:", {"artifacts[0].file_bytes: ", "must be greater than 0"});
}

// ---------------------------------------------------------------------------------------------
// NaN and infinity.

TEST(JobParseNonFinite, ContextTokensYamlNan) {
  ExpectError(JobWith("context_tokens", "context_tokens: .nan"), "job.yaml:4:17:",
              {"context_tokens: ", "number", ".nan"});
}

TEST(JobParseNonFinite, ContextTokensPlainNan) {
  ExpectError(JobWith("context_tokens", "context_tokens: nan"), "job.yaml:4:17:",
              {"context_tokens: ", "finite"});
}

TEST(JobParseNonFinite, ReserveFractionYamlInf) {
  ExpectError(BaseJob("gates:\n  reserve_fraction: .inf\n"), "job.yaml:11:21:",
              {"gates.reserve_fraction: ", "number", ".inf"});
}

TEST(JobParseNonFinite, ReserveFractionPlainInf) {
  ExpectError(BaseJob("gates:\n  reserve_fraction: inf\n"), "job.yaml:11:21:",
              {"gates.reserve_fraction: ", "finite"});
}

TEST(JobParseNonFinite, ReserveFractionNan) {
  ExpectError(BaseJob("gates:\n  reserve_fraction: nan\n"), "job.yaml:11:21:",
              {"gates.reserve_fraction: ", "finite"});
}

TEST(JobParseNonFinite, InlineMemoryInfinite) {
  ExpectError(JobWith("candidates", InlineGpu("inf GB", "1000 GB/s")), "job.yaml:12:13:",
              {"candidates[0].memory: ", "finite"});
}

TEST(JobParseNonFinite, GateMinDecodeInfinite) {
  ExpectError(BaseJob("gates:\n  min_decode_tokens_per_s: inf\n"), "job.yaml:11:28:",
              {"gates.min_decode_tokens_per_s: ", "finite"});
}

// ---------------------------------------------------------------------------------------------
// reserve_fraction outside [0, 1).

TEST(JobParseReserve, ExactlyOne) {
  ExpectError(BaseJob("gates:\n  reserve_fraction: 1.0\n"), "job.yaml:11:21:",
              {"gates.reserve_fraction: ", "reserve_fraction must be in [0, 1), got 1.0"});
}

TEST(JobParseReserve, AboveOne) {
  ExpectError(BaseJob("gates:\n  reserve_fraction: 1.5\n"), "job.yaml:11:21:",
              {"gates.reserve_fraction: ", "must be in [0, 1)", "1.5"});
}

TEST(JobParseReserve, Negative) {
  ExpectError(BaseJob("gates:\n  reserve_fraction: -0.1\n"), "job.yaml:11:21:",
              {"gates.reserve_fraction: ", "must be in [0, 1)", "-0.1"});
}

TEST(JobParseReserve, NotANumber) {
  ExpectError(BaseJob("gates:\n  reserve_fraction: twenty\n"), "job.yaml:11:21:",
              {"gates.reserve_fraction: ", "expected a number"});
}

// ---------------------------------------------------------------------------------------------
// Unknown ids.

TEST(JobParseUnknownId, ModelWrongCase) {
  ExpectError(JobWith("model", "model: llama-3.1-8B"), "job.yaml:2:8:",
              {"model: ", "unknown model 'llama-3.1-8B'", "did you mean 'llama-3.1-8b'"},
              std::nullopt);
}

TEST(JobParseUnknownId, ModelTypo) {
  ExpectError(JobWith("model", "model: lama-3.1-8b"), "job.yaml:2:8:",
              {"model: ", "unknown model 'lama-3.1-8b'", "did you mean 'llama-3.1-8b'"},
              std::nullopt);
}

TEST(JobParseUnknownId, ModelWithNoCloseMatchPointsAtDbList) {
  ExpectError(JobWith("model", "model: zzzzzzzzzzzzzzzzzzzzzzzzzz"), "job.yaml:2:8:",
              {"unknown model", "sizer db list models"}, std::nullopt);
}

TEST(JobParseUnknownId, Hardware) {
  ExpectError(JobWith("candidates", "candidates: [rtx4090]"), "job.yaml:9:14:",
              {"candidates[0]: ", "unknown hardware 'rtx4090'", "did you mean 'rtx-4090'"},
              std::nullopt);
}

TEST(JobParseUnknownId, HardwareInsideCandidateMapping) {
  ExpectError(JobWith("candidates", "candidates:\n  - hardware: rtx4090\n    count: 2"),
              "job.yaml:10:15:",
              {"candidates[0].hardware: ", "unknown hardware 'rtx4090'",
               "did you mean 'rtx-4090'"}, std::nullopt);
}

TEST(JobParseUnknownId, Quant) {
  ExpectError(JobWith("quant", "quant: Q4_K_X"), "job.yaml:3:8:",
              {"quant: ", "unknown quant 'Q4_K_X'", "did you mean"}, std::nullopt);
  StatusOr<JobSpec> job = Parse(JobWith("quant", "quant: Q4_K_X"));
  ASSERT_FALSE(job.ok());
  EXPECT_THAT(job.status().message(),
              ::testing::AnyOf(HasSubstr("'Q4_K_M'"), HasSubstr("'Q4_K_S'")));
}

TEST(JobParseUnknownId, ArtifactQuant) {
  ExpectError(JobWith("quant", "", "artifacts:\n  - quant: Q9_K\n"), "job.yaml:10:12:",
              {"artifacts[0].quant: ", "unknown quant 'Q9_K'"}, std::nullopt);
}

TEST(JobParseUnknownId, Runtime) {
  ExpectError(JobWith("runtime", "runtime: llamacpp"), "job.yaml:6:10:",
              {"runtime: ", "unknown runtime 'llamacpp'", "did you mean 'llama.cpp'"},
              std::nullopt);
}

TEST(JobParseUnknownId, KvCacheDtype) {
  ExpectError(BaseJob("kv_cache_dtype: f17\n"), "job.yaml:10:17:",
              {"kv_cache_dtype: ", "unknown kv_cache_dtype 'f17'", "did you mean 'f16'"},
              std::nullopt);
}

TEST(JobParseUnknownId, Parallelism) {
  ExpectError(JobWith("candidates",
                      "candidates:\n  - {hardware: rtx-4090, count: 2, parallelism: pipeline}"),
              "job.yaml:10:49:", {"candidates[0].parallelism: ", "unknown parallelism"});
}

TEST(JobParseUnknownId, CodeIsNotFoundAsDocumented) {
  // input/job.h: "kNotFound for a missing file or unknown id".
  for (const std::string& text :
       {JobWith("model", "model: lama-3.1-8b"), JobWith("candidates", "candidates: [rtx4090]")}) {
    StatusOr<JobSpec> job = Parse(text);
    ASSERT_FALSE(job.ok());
    EXPECT_EQ(job.status().code(), StatusCode::kNotFound)
        << StatusCodeName(job.status().code()) << ": " << job.status().message();
  }
}

TEST(JobParseUnknownId, MissingFileIsNotFound) {
  const std::string path = sizer::testing::SourceDir() + "/worksheets/no-such-job.yaml";
  StatusOr<JobSpec> job = LoadJobSpec(path, sizer::testing::RealCatalog());
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.status().code(), StatusCode::kNotFound) << job.status().message();
  EXPECT_THAT(job.status().message(), HasSubstr(path));
  EXPECT_THAT(job.status().message(), HasSubstr("no such file"));
}

// ---------------------------------------------------------------------------------------------
// Unknown and duplicate keys.

TEST(JobParseKeys, UnknownTopLevelKey) {
  ExpectError(JobWith("concurrency", "concurency: 2"), "job.yaml:5:1:",
              {"unknown key 'concurency'", "did you mean 'concurrency'"});
}

TEST(JobParseKeys, UnknownGatesKey) {
  ExpectError(BaseJob("gates:\n  reserve_fracton: 0.1\n"), "job.yaml:11:3:",
              {"gates: ", "unknown key 'reserve_fracton'", "did you mean 'reserve_fraction'"});
}

TEST(JobParseKeys, UnknownCostKey) {
  ExpectError(BaseJob("cost:\n"
                      "  requests_per_month: 1000\n"
                      "  hosted: {usd_per_1k_requests: 1}\n"
                      "  electricty: 0.2\n"),
              "job.yaml:13:3:", {"cost: ", "unknown key 'electricty'"});
}

TEST(JobParseKeys, UnknownCostHostedKey) {
  ExpectError(BaseJob("cost:\n"
                      "  requests_per_month: 1000\n"
                      "  hosted:\n"
                      "    usd_per_1k_request: 1\n"),
              "job.yaml:13:5:",
              {"cost.hosted: ", "unknown key 'usd_per_1k_request'",
               "did you mean 'usd_per_1k_requests'"});
}

TEST(JobParseKeys, UnknownCostLocalKey) {
  ExpectError(BaseJob("cost:\n"
                      "  requests_per_month: 1000\n"
                      "  hosted: {usd_per_1k_requests: 1}\n"
                      "  local:\n"
                      "    amortisation_months: 24\n"),
              "job.yaml:14:5:",
              {"cost.local: ", "unknown key 'amortisation_months'",
               "did you mean 'amortization_months'"});
}

TEST(JobParseKeys, UnknownCandidateKey) {
  ExpectError(JobWith("candidates", "candidates:\n  - hardware: rtx-4090\n    cuont: 2"),
              "job.yaml:11:5:",
              {"candidates[0]: ", "unknown key 'cuont'", "did you mean 'count'"});
}

TEST(JobParseKeys, UnknownCandidateKeyInFlowMapping) {
  // "candidates: [{hardware: rtx-4090, cuont: 2}]": 'cuont' starts at column 35.
  ExpectError(JobWith("candidates", "candidates: [{hardware: rtx-4090, cuont: 2}]"),
              "job.yaml:9:35:", {"candidates[0]: ", "unknown key 'cuont'"});
}

TEST(JobParseKeys, UnknownInlineHardwareKey) {
  ExpectError(JobWith("candidates", InlineGpu("24 GB", "1000 GB/s") + "\n    tdp: 300"),
              "job.yaml:15:5:", {"candidates[0]: ", "unknown key 'tdp'"});
}

TEST(JobParseKeys, UnknownOffloadKey) {
  ExpectError(JobWith("candidates",
                      "candidates:\n"
                      "  - hardware: rtx-3060-12gb\n"
                      "    offload:\n"
                      "      gpu_layer: 10\n"
                      "      host: ryzen-9-7950x-64gb"),
              "job.yaml:12:7:",
              {"candidates[0].offload: ", "unknown key 'gpu_layer'", "did you mean 'gpu_layers'"});
}

TEST(JobParseKeys, UnknownAssumptionKey) {
  ExpectError(BaseJob("assumptions:\n  decode_eficiency: 0.5\n"), "job.yaml:11:3:",
              {"assumptions: ", "unknown key 'decode_eficiency'",
               "did you mean 'decode_efficiency'"});
}

TEST(JobParseKeys, UnknownMemoryOverrideKey) {
  ExpectError(BaseJob("memory_overrides:\n  weight_bytes: 4 GB\n"), "job.yaml:11:3:",
              {"memory_overrides: ", "unknown key 'weight_bytes'", "did you mean 'weights_bytes'"});
}

TEST(JobParseKeys, DuplicateTopLevelKey) {
  ExpectError(BaseJob("quant: Q8_0\n"), "job.yaml:10:1:", {"duplicate key 'quant'"});
}

TEST(JobParseKeys, DuplicateGatesKey) {
  ExpectError(BaseJob("gates:\n  max_ttft_ms: 100\n  max_ttft_ms: 200\n"), "job.yaml:12:3:",
              {"gates: ", "duplicate key 'max_ttft_ms'"});
}

// ---------------------------------------------------------------------------------------------
// Context above the model's maximum (llama-3.1-8b: 131072).

TEST(JobParseContext, AboveMaximumWarnsByDefault) {
  StatusOr<JobSpec> job = Parse(JobWith("context_tokens", "context_tokens: 200000"));
  ASSERT_TRUE(job.ok()) << job.status().message();
  EXPECT_EQ(job->context_tokens, 200000);
  ASSERT_EQ(job->warnings.size(), 1u);
  EXPECT_THAT(job->warnings[0], StartsWith("job.yaml:4:17:"));
  EXPECT_THAT(job->warnings[0], HasSubstr("exceeds the model's maximum"));
  EXPECT_THAT(job->warnings[0], HasSubstr("131072"));
}

TEST(JobParseContext, AboveMaximumIsAnErrorWhenStrict) {
  JobParseOptions strict;
  strict.strict = true;
  ExpectError(JobWith("context_tokens", "context_tokens: 200000"), "job.yaml:4:17:",
              {"context_tokens: ", "context_tokens 200000 exceeds the model's maximum of 131072"},
              StatusCode::kInvalidArgument, strict);
}

TEST(JobParseContext, AtMaximumIsFineEvenWhenStrict) {
  JobParseOptions strict;
  strict.strict = true;
  StatusOr<JobSpec> job = Parse(JobWith("context_tokens", "context_tokens: 131072"), strict);
  ASSERT_TRUE(job.ok()) << job.status().message();
  EXPECT_TRUE(job->warnings.empty());
}

// ---------------------------------------------------------------------------------------------
// Missing required keys: the error points at the document root (1:1).

TEST(JobParseMissing, Model) {
  ExpectError(JobWith("model", ""), "job.yaml:1:1:", {"missing required key 'model'"});
}

TEST(JobParseMissing, Candidates) {
  ExpectError(JobWith("candidates", ""), "job.yaml:1:1:", {"missing required key 'candidates'"});
}

TEST(JobParseMissing, QuantAndArtifacts) {
  ExpectError(JobWith("quant", ""), "job.yaml:1:1:",
              {"missing required key 'quant'", "artifacts"});
}

TEST(JobParseMissing, JobName) {
  ExpectError(JobWith("job", ""), "job.yaml:1:1:", {"missing required key 'job'"});
}

TEST(JobParseMissing, PromptTokens) {
  ExpectError(JobWith("prompt_tokens", ""), "job.yaml:1:1:",
              {"missing required key 'prompt_tokens'"});
}

TEST(JobParseMissing, OutputTokens) {
  ExpectError(JobWith("output_tokens", ""), "job.yaml:1:1:",
              {"missing required key 'output_tokens'"});
}

TEST(JobParseMissing, ArtifactQuant) {
  ExpectError(JobWith("quant", "", "artifacts:\n  - {quality: 0.9}\n"), "job.yaml:10:5:",
              {"artifacts[0]: ", "missing required key 'quant'"});
}

TEST(JobParseMissing, SparsityFraction) {
  ExpectError(BaseJob("sparsity: {structure: \"2:4\"}\n"), "job.yaml:10:11:",
              {"sparsity: ", "missing required key 'fraction'"});
}

TEST(JobParseMissing, InlineHardwareId) {
  ExpectError(JobWith("candidates",
                      "candidates:\n"
                      "  - kind: gpu\n"
                      "    memory: 24 GB\n"
                      "    memory_bandwidth: 1000 GB/s\n"
                      "    fp16_tflops: 100"),
              "job.yaml:10:5:", {"candidates[0]: ", "missing required key 'id'"});
}

TEST(JobParseMissing, ContextTokens) {
  ExpectError(JobWith("context_tokens", ""), "job.yaml:1:1:",
              {"missing required key 'context_tokens'"});
}

TEST(JobParseMissing, NullValueCountsAsMissing) {
  ExpectError(JobWith("runtime", "runtime:"), "job.yaml:1:1:", {"missing required key 'runtime'"});
}

TEST(JobParseMissing, CostRequestsPerMonth) {
  ExpectError(BaseJob("cost:\n  hosted: {usd_per_1k_requests: 1}\n"), "job.yaml:11:3:",
              {"cost: ", "missing required key 'requests_per_month'"});
}

TEST(JobParseMissing, EmptyDocument) {
  StatusOr<JobSpec> job = Parse("");
  ASSERT_FALSE(job.ok());
  EXPECT_THAT(job.status().message(), StartsWith("job.yaml"));
  EXPECT_THAT(job.status().message(), HasSubstr("a job must be a YAML mapping"));
}

// ---------------------------------------------------------------------------------------------
// Cost and offload consistency.

TEST(JobParseCost, HostedWithBothPriceKinds) {
  ExpectError(BaseJob("cost:\n"
                      "  requests_per_month: 1000\n"
                      "  hosted: {usd_per_1k_requests: 1, usd_per_million_input_tokens: 0.2}\n"),
              "job.yaml:12:11:", {"cost.hosted: ", "give either usd_per_1k_requests"});
}

TEST(JobParseCost, HostedWithNeitherPriceKind) {
  ExpectError(BaseJob("cost:\n"
                      "  requests_per_month: 1000\n"
                      "  hosted: {provider: someone}\n"),
              "job.yaml:12:11:", {"cost.hosted: ", "give either usd_per_1k_requests"});
}

TEST(JobParseCost, HostedMissing) {
  ExpectError(BaseJob("cost:\n  requests_per_month: 1000\n"), "job.yaml:11:3:",
              {"cost: ", "missing required key 'hosted'"});
}

TEST(JobParseCost, NegativePrice) {
  ExpectError(BaseJob("cost:\n"
                      "  requests_per_month: 1000\n"
                      "  hosted: {usd_per_1k_requests: -1}\n"),
              "job.yaml:12:33:", {"cost.hosted.usd_per_1k_requests: ", "must not be negative"});
}

TEST(JobParseCost, PowerUtilizationAboveOne) {
  ExpectError(BaseJob("cost:\n"
                      "  requests_per_month: 1000\n"
                      "  hosted: {usd_per_1k_requests: 1}\n"
                      "  local: {power_utilization: 1.5}\n"),
              "job.yaml:13:30:", {"cost.local.power_utilization: ", "fraction in [0, 1]"});
}

TEST(JobParseOffload, HostMustBeCpu) {
  ExpectError(JobWith("candidates",
                      "candidates:\n"
                      "  - hardware: rtx-3060-12gb\n"
                      "    offload:\n"
                      "      gpu_layers: 10\n"
                      "      host: rtx-3090"),
              "job.yaml:13:13:",
              {"candidates[0].offload.host: ", "must be a cpu-kind entry", "'rtx-3090'", "(gpu)"});
}

TEST(JobParseOffload, HostMissing) {
  ExpectError(JobWith("candidates",
                      "candidates:\n"
                      "  - hardware: rtx-3060-12gb\n"
                      "    offload:\n"
                      "      gpu_layers: 10"),
              "job.yaml:12:7:", {"candidates[0].offload: ", "missing required key 'host'"});
}

TEST(JobParseOffload, UnknownHost) {
  ExpectError(JobWith("candidates",
                      "candidates:\n"
                      "  - hardware: rtx-3060-12gb\n"
                      "    offload: {gpu_layers: 10, host: ryzen-9-7950x}"),
              "job.yaml:11:37:",
              {"candidates[0].offload.host: ", "unknown hardware 'ryzen-9-7950x'",
               "did you mean 'ryzen-9-7950x-64gb'"},
              StatusCode::kNotFound);
}

// ---------------------------------------------------------------------------------------------
// Inline models.

std::string InlineModel(const std::string& n_kv_heads) {
  // Lines 2-11; the mapping itself starts at 3:3.
  return "model:\n"
         "  id: tiny\n"
         "  params_total: 1.0e9\n"
         "  n_layers: 16\n"
         "  d_model: 2048\n"
         "  n_heads: 32\n"
         "  n_kv_heads: " + n_kv_heads + "\n"
         "  d_ff: 8192\n"
         "  vocab_size: 32000\n"
         "  max_context_tokens: 8192";
}

TEST(JobParseInlineModel, Parses) {
  StatusOr<JobSpec> job = Parse(JobWith("model", InlineModel("8")));
  ASSERT_TRUE(job.ok()) << job.status().message();
  EXPECT_EQ(job->model_ref, "inline");
  EXPECT_EQ(job->model.id, "tiny");
  EXPECT_EQ(job->model.name, "tiny");
  EXPECT_DOUBLE_EQ(job->model.params_total, 1.0e9);
  EXPECT_DOUBLE_EQ(job->model.params_active, 1.0e9);
  EXPECT_EQ(job->model.n_heads, 32);
  EXPECT_EQ(job->model.n_kv_heads, 8);
  EXPECT_EQ(job->model.head_dim, 64);
  EXPECT_EQ(job->model.max_context_tokens, 8192);
}

TEST(JobParseInlineModel, HeadsNotDivisibleByKvHeads) {
  ExpectError(JobWith("model", InlineModel("5")), "job.yaml:3:3:",
              {"model: ", "n_heads (32) must be a multiple of n_kv_heads (5)"});
}

TEST(JobParseInlineModel, MissingLayerCount) {
  std::string model = InlineModel("8");
  const std::string layers = "  n_layers: 16\n";
  ASSERT_NE(model.find(layers), std::string::npos);
  model.erase(model.find(layers), layers.size());
  ExpectError(JobWith("model", model), "job.yaml:3:3:",
              {"model: ", "missing required key 'n_layers'"});
}

TEST(JobParseInlineModel, ZeroKvHeads) {
  ExpectError(JobWith("model", InlineModel("0")), "job.yaml:8:15:",
              {"model.n_kv_heads: ", "must be at least 1"});
}

TEST(JobParseInlineModel, ContextAboveInlineMaximumWarns) {
  // The inline model's maximum is 8192: 16384 is above it. The model block shifts the base
  // lines down by 9, so context_tokens is on line 13.
  std::string text = JobWith("model", InlineModel("8"));
  const std::string base_context = "\ncontext_tokens: 8192\n";  // not max_context_tokens
  ASSERT_NE(text.find(base_context), std::string::npos);
  text.replace(text.find(base_context), base_context.size(), "\ncontext_tokens: 16384\n");
  StatusOr<JobSpec> job = Parse(text);
  ASSERT_TRUE(job.ok()) << job.status().message();
  ASSERT_EQ(job->warnings.size(), 1u);
  EXPECT_THAT(job->warnings[0], StartsWith("job.yaml:13:17:"));
  EXPECT_THAT(job->warnings[0], HasSubstr("maximum of 8192"));
}

}  // namespace
}  // namespace sizer
