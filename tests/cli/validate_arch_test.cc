// sizer validate on the architecture files (tests/data/models/arch/): a mixture of experts and
// a dense model each run end to end against a cached probe of "this machine".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "testing/test_env.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;

TEST(ValidateArchCli, RunsOnAMixtureOfExpertsAndADenseArchitecture) {
  const fs::path cache =
      fs::temp_directory_path() / ("sizer_validate_arch_" + std::to_string(::getpid()));
  fs::create_directories(cache);
  std::ofstream(cache / "this-machine.yaml")
      << "id: this-machine\nname: test machine\nkind: cpu\nmemory: 8 GiB\n"
         "memory_bandwidth: 10 GB/s\nfp16_tflops: 0.1\nint8_tops: 0.2\nos_reserved: 0 GiB\n"
         "cores: 2\ninterconnect: none\nsource: \"written by the test\"\n";
  const std::string env = "SIZER_CACHE_DIR='" + cache.string() + "'";
  for (const char* file :
       {"llama-moe-Q4_K_M.gguf", "qwen2moe-Q4_K_M.gguf", "gemma2-Q8_0.gguf", "phi3-Q4_K_M.gguf"}) {
    SCOPED_TRACE(file);
    const std::string model = testing::TestDataDir() + "/models/arch/" + file;
    testing::CliResult r = testing::RunCli(
        "validate '" + model + "' --context 64 --prompt-tokens 8 --tokens 8 -t 1 --json", env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_GT(j["decode"]["measured_tokens_per_s"].get<double>(), 0);
    EXPECT_GT(j["bytes_read_per_token"].get<double>(), 0);
    EXPECT_GT(j["memory"]["measured_kv_bytes"].get<double>(), 0);
    // A model of at most 1.6 MB: the run's peak is the process's few tens of MiB, not more.
    EXPECT_LT(j["memory"]["peak_rss_bytes"].get<double>(), 256.0 * (1 << 20));
  }
  fs::remove_all(cache);
}

}  // namespace
}  // namespace sizer
