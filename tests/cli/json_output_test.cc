// The --json of db, runtimes and probe is printed by the library's builders: what the CLI
// prints is exactly ModelToJson / HardwareToJson / RuntimeInfoToJson / RuntimeMemoryModelToJson /
// WeightFormatToJson of the catalog's records (their keys are pinned in the library tests),
// and probe --json carries every key of ProbeResultToJson.
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "catalog/catalog_json.h"
#include "knowledge/knowledge_json.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using nlohmann::json;
using testing::CliResult;
using testing::RunCli;

json Parse(const CliResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out, nullptr, /*allow_exceptions=*/false);
}

TEST(JsonOutput, DbListAndShowPrintTheCatalogsJson) {
  const Catalog& catalog = testing::RealCatalog();
  json models = Parse(RunCli("db list models --json"));
  ASSERT_EQ(models.size(), catalog.models().size());
  for (size_t i = 0; i < models.size(); ++i) EXPECT_EQ(models[i], ModelToJson(catalog.models()[i]));
  json hardware = Parse(RunCli("db list hardware --json"));
  ASSERT_EQ(hardware.size(), catalog.hardware().size());
  for (size_t i = 0; i < hardware.size(); ++i) {
    EXPECT_EQ(hardware[i], HardwareToJson(catalog.hardware()[i]));
  }
  EXPECT_EQ(Parse(RunCli("db show rtx-4090 --json")), HardwareToJson(*catalog.FindHardware("rtx-4090")));
  EXPECT_EQ(Parse(RunCli("db show llama-3.1-8b --json")), ModelToJson(*catalog.FindModel("llama-3.1-8b")));
  json runtimes = Parse(RunCli("db list runtimes --json"));
  ASSERT_EQ(runtimes.size(), catalog.runtimes().size());
  for (size_t i = 0; i < runtimes.size(); ++i) {
    EXPECT_EQ(runtimes[i], RuntimeMemoryModelToJson(catalog.runtimes()[i]));
  }
  json quants = Parse(RunCli("db list quants --json"));
  ASSERT_EQ(quants.size(), AllWeightFormats().size());
  for (size_t i = 0; i < quants.size(); ++i) EXPECT_EQ(quants[i], WeightFormatToJson(AllWeightFormats()[i]));
}

TEST(JsonOutput, RuntimesPrintsTheOrderedRuntimeJson) {
  const CliResult r = RunCli("runtimes --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::ordered_json expected = nlohmann::ordered_json::array();
  for (const RuntimeInfo& info : testing::RealCatalog().runtimes()) {
    expected.push_back(RuntimeInfoToJson(info));
  }
  EXPECT_EQ(r.out, expected.dump(2) + "\n");  // byte for byte, key order included
}

TEST(JsonOutput, ProbeCarriesEveryKey) {
  json j = Parse(RunCli("probe --json --runs 1 --threads 1 --buffer-mb 8"));
  std::set<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.insert(it.key());
  EXPECT_EQ(keys, (std::set<std::string>{"cpu_model", "physical_cores", "logical_cpus",
                                         "simd_features", "simd_target", "memory_total_bytes",
                                         "memory_available_bytes", "caches", "read_bandwidth",
                                         "read_bandwidth_one_thread", "kernels_one_core"}));
  EXPECT_EQ(j["read_bandwidth"]["threads"], 1);
  EXPECT_EQ(j["read_bandwidth"]["runs"], 1);
  EXPECT_GE(j["read_bandwidth"]["buffer_bytes"].get<uint64_t>(), 8u << 20);  // the probe may round up
  EXPECT_GT(j["read_bandwidth"]["best_bytes_per_s"].get<double>(), 0);
  EXPECT_FALSE(j["kernels_one_core"].empty());
}

}  // namespace
}  // namespace sizer
