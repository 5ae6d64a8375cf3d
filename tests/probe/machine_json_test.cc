// `sizer probe --json`: the keys scripts read, from fixed figures (no measurement).
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "testing/json_keys.h"

#include "probe/machine_json.h"

namespace sizer {
namespace {

using testing::Keys;

TEST(MachineJson, ProbeResultKeysAndValues) {
  probe::ProbeResult p;
  p.machine.cpu_model = "Test CPU";
  p.machine.physical_cores = 4;
  p.machine.logical_cpus = 8;
  p.machine.simd_features = {"avx2", "fma"};
  p.machine.simd_target = "AVX2";
  p.machine.memory_total_bytes = 16ull << 30;
  p.machine.memory_available_bytes = 8ull << 30;
  p.machine.caches = {{1, "Data", 32768}, {3, "Unified", 8u << 20}};
  p.bandwidth = {1u << 30, 4, 3, 20e9, 19e9, ""};
  p.bandwidth_one_thread = {1u << 30, 1, 3, 10e9, 9e9, ""};
  p.kernels = {{"Q4_0", 5e9, 2.8e9}};
  nlohmann::json j = probe::ProbeResultToJson(p);
  EXPECT_EQ(Keys(j), (std::set<std::string>{"cpu_model", "physical_cores", "logical_cpus",
                                            "simd_features", "simd_target", "memory_total_bytes",
                                            "memory_available_bytes", "caches", "read_bandwidth",
                                            "read_bandwidth_one_thread", "kernels_one_core"}));
  EXPECT_EQ(Keys(j["read_bandwidth"]), (std::set<std::string>{"threads", "buffer_bytes", "runs",
                                                              "best_bytes_per_s",
                                                              "median_bytes_per_s", "note"}));
  EXPECT_EQ(Keys(j["read_bandwidth_one_thread"]),
            (std::set<std::string>{"best_bytes_per_s", "median_bytes_per_s"}));
  ASSERT_EQ(j["caches"].size(), 2u);
  EXPECT_EQ(Keys(j["caches"][0]), (std::set<std::string>{"level", "type", "bytes"}));
  ASSERT_EQ(j["kernels_one_core"].size(), 1u);
  EXPECT_EQ(Keys(j["kernels_one_core"][0]),
            (std::set<std::string>{"type", "weights_per_s", "bytes_per_s"}));
  EXPECT_EQ(j["physical_cores"], 4);
  EXPECT_EQ(j["read_bandwidth"]["threads"], 4);
  EXPECT_DOUBLE_EQ(j["read_bandwidth_one_thread"]["best_bytes_per_s"].get<double>(), 10e9);
  EXPECT_EQ(j["simd_features"], nlohmann::json({"avx2", "fma"}));
}

}  // namespace
}  // namespace sizer
