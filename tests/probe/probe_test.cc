// sizer probe: the machine description, the measurements (sane, not asserted fast: benchmarks
// are not tests), and the hardware entry it saves for `candidates: [this-machine]`.
#include <cmath>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "probe/bandwidth.h"
#include "probe/machine.h"
#include "catalog/hardware.h"
#include "yaml/yaml_reader.h"
#include "testing/test_env.h"

namespace sizer::probe {
namespace {

TEST(Probe, DescribesThisMachine) {
  MachineInfo m = DescribeMachine();
  EXPECT_GE(m.physical_cores, 1);
  EXPECT_GE(m.logical_cpus, m.physical_cores);
  EXPECT_GT(m.memory_total_bytes, 0u);
  EXPECT_LE(m.memory_available_bytes, m.memory_total_bytes);
  EXPECT_FALSE(m.simd_target.empty());
}

TEST(Probe, BandwidthBufferIsFarLargerThanTheLastLevelCache) {
  MachineInfo m;
  m.caches = {{1, "Data", 48 << 10}, {3, "Unified", 260ull << 20}};
  m.memory_available_bytes = 64ull << 30;
  EXPECT_EQ(m.last_level_cache_bytes(), 260ull << 20);
  EXPECT_EQ(DefaultBandwidthBufferBytes(m), 8 * (260ull << 20));
  m.memory_available_bytes = 4ull << 30;  // capped at a quarter of what is available
  EXPECT_EQ(DefaultBandwidthBufferBytes(m), 1ull << 30);
  m.caches.clear();
  m.memory_available_bytes = 0;
  EXPECT_EQ(DefaultBandwidthBufferBytes(m), 1ull << 30);
}

TEST(Probe, MeasurementsArePositiveAndFinite) {
  BandwidthResult bw = MeasureReadBandwidth(64ull << 20, 2, 2);
  EXPECT_EQ(bw.buffer_bytes, 64ull << 20);
  EXPECT_EQ(bw.runs, 2);
  EXPECT_TRUE(std::isfinite(bw.best_bytes_per_s));
  EXPECT_GT(bw.median_bytes_per_s, 0);
  EXPECT_GE(bw.best_bytes_per_s, bw.median_bytes_per_s);
  std::vector<KernelThroughput> k = MeasureKernelThroughput(1);
  ASSERT_EQ(k.size(), 5u);
  for (const KernelThroughput& t : k) {
    EXPECT_GT(t.weights_per_s, 0) << t.type;
    EXPECT_TRUE(std::isfinite(t.bytes_per_s)) << t.type;
  }
}

TEST(ProbeCli, EmitsAHardwareEntryThatLoadsAndSavesThisMachine) {
  testing::CliResult r = testing::RunCli("probe --emit-hardware --buffer-mb 64 --runs 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  StatusOr<YamlValue> yaml = YamlValue::Parse(r.out, "probe.yaml");
  ASSERT_TRUE(yaml.ok()) << yaml.status().message();
  StatusOr<HardwareSpec> hw = ParseHardwareSpec(*yaml);
  ASSERT_TRUE(hw.ok()) << hw.status().message() << "\n" << r.out;
  EXPECT_EQ(hw->id, "this-machine");
  EXPECT_EQ(hw->kind, HardwareKind::kCpu);
  EXPECT_GT(hw->memory_bandwidth_bytes_per_s, 0);
  EXPECT_NE(hw->source.find("sizer probe on"), std::string::npos);

  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("sizer_probe_" + std::to_string(::getpid()))).string();
  const std::string env = "SIZER_CACHE_DIR='" + dir + "'";
  const std::string job = dir + "/job.yaml";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(job) << "job: here\nmodel: llama-3.2-1b\nquant: Q4_K_M\ncontext_tokens: 2048\n"
                          "runtime: llama.cpp\nprompt_tokens: 100\noutput_tokens: 50\n"
                          "candidates: [this-machine]\n";
  }
  testing::CliResult before = testing::RunCli("plan '" + job + "'", env);
  EXPECT_EQ(before.exit_code, 2);
  EXPECT_NE(before.err.find("run 'sizer probe --save'"), std::string::npos) << before.err;
  testing::CliResult save = testing::RunCli("probe --save --buffer-mb 64 --runs 1", env);
  ASSERT_EQ(save.exit_code, 0) << save.err;
  EXPECT_TRUE(std::filesystem::exists(dir + "/this-machine.yaml"));
  testing::CliResult after = testing::RunCli("plan '" + job + "' --summary", env);
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_NE(after.out.find("this-machine"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sizer::probe
