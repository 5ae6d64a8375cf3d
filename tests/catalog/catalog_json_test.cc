// The --json of `sizer db` and `sizer runtimes` is a contract for scripts: these tests pin the
// keys (and their order where the output is ordered) of every record type.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testing/json_keys.h"

#include "catalog/catalog_json.h"
#include "knowledge/knowledge_json.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using testing::Keys;

TEST(CatalogJson, ModelKeys) {
  StatusOr<ModelSpec> model = testing::RealCatalog().FindModel("llama-3.1-8b");
  ASSERT_TRUE(model.ok()) << model.status().message();
  nlohmann::json j = ModelToJson(*model);
  EXPECT_EQ(Keys(j), (std::set<std::string>{
                         "id", "name", "family", "params_total", "params_active", "n_layers",
                         "d_model", "n_heads", "n_kv_heads", "head_dim", "d_ff", "vocab_size",
                         "tied_embeddings", "max_context_tokens", "source", "notes", "attention"}));
  EXPECT_EQ(j["id"], "llama-3.1-8b");
  EXPECT_EQ(j["n_layers"], model->n_layers);
  EXPECT_EQ(Keys(j["attention"]),
            (std::set<std::string>{"pattern", "sliding_window_tokens", "linear_state_elements"}));
  EXPECT_TRUE(j["attention"]["pattern"].is_array());
}

TEST(CatalogJson, MoeAndMlaModelsAddTheirSections) {
  for (const ModelSpec& m : testing::RealCatalog().models()) {
    nlohmann::json j = ModelToJson(m);
    EXPECT_EQ(j.contains("moe"), m.has_moe) << m.id;
    EXPECT_EQ(j.contains("mla"), m.has_mla) << m.id;
    if (m.has_moe) {
      EXPECT_EQ(Keys(j["moe"]), (std::set<std::string>{"n_experts", "n_experts_per_token",
                                                        "n_shared_experts", "expert_d_ff"}));
    }
    if (m.has_mla) {
      EXPECT_EQ(Keys(j["mla"]), (std::set<std::string>{"kv_lora_rank", "qk_rope_head_dim"}));
    }
  }
}

TEST(CatalogJson, HardwareKeys) {
  StatusOr<HardwareSpec> hw = testing::RealCatalog().FindHardware("rtx-4090");
  ASSERT_TRUE(hw.ok()) << hw.status().message();
  nlohmann::json j = HardwareToJson(*hw);
  EXPECT_EQ(Keys(j), (std::set<std::string>{
                         "id", "name", "kind", "vendor", "memory_bytes",
                         "memory_bandwidth_bytes_per_s", "fp16_flop_per_s", "int8_op_per_s",
                         "fp8_flop_per_s", "tdp_watts", "price_usd", "price_date", "interconnect",
                         "interconnect_bandwidth_bytes_per_s", "low_bit_formats",
                         "gpu_wired_limit_fraction", "os_reserved_bytes", "source", "notes"}));
  EXPECT_EQ(j["kind"], "gpu");
  EXPECT_DOUBLE_EQ(j["memory_bytes"].get<double>(), hw->memory_bytes);
}

TEST(CatalogJson, RuntimeKeysInFileOrder) {
  ASSERT_FALSE(testing::RealCatalog().runtimes().empty());
  const RuntimeInfo& r = testing::RealCatalog().runtimes().front();
  nlohmann::ordered_json j = RuntimeInfoToJson(r);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "name", "version", "source", "artifact_formats",
                                            "hardware_kinds", "images", "endpoints",
                                            "capabilities", "supported", "flags", "notes"}));
  EXPECT_EQ(j["capabilities"].size(), RuntimeCapabilityNames().size());
  for (const std::string& name : RuntimeCapabilityNames()) {
    EXPECT_TRUE(j["capabilities"][name].contains("supported")) << name;
    EXPECT_TRUE(j["capabilities"][name].contains("source")) << name;
  }
  std::vector<std::string> endpoint_keys;
  for (auto it = j["endpoints"].begin(); it != j["endpoints"].end(); ++it) endpoint_keys.push_back(it.key());
  EXPECT_EQ(endpoint_keys,
            (std::vector<std::string>{"port", "openai_base", "health", "metrics", "source"}));
}

TEST(KnowledgeJson, RuntimeMemoryModelAndWeightFormatKeys) {
  StatusOr<RuntimeInfo> llama = testing::RealCatalog().FindRuntime("llama.cpp");
  ASSERT_TRUE(llama.ok());
  nlohmann::json r = RuntimeMemoryModelToJson(*llama);
  EXPECT_EQ(Keys(r), (std::set<std::string>{"id", "version", "memory_model_version", "engine",
                                            "source", "kv_allocation", "kv_dtypes"}));
  EXPECT_EQ(r["kv_allocation"], "up front");
  EXPECT_EQ(r["version"], llama->version);  // the pinned release, as `sizer runtimes` shows it
  EXPECT_EQ(r["memory_model_version"], llama->memory_model.version);
  const WeightFormat* q4 = FindWeightFormat("Q4_K_M");
  ASSERT_NE(q4, nullptr);
  nlohmann::json f = WeightFormatToJson(*q4);
  EXPECT_EQ(Keys(f), (std::set<std::string>{"id", "container", "description", "source"}));
  EXPECT_EQ(f["id"], "Q4_K_M");
  EXPECT_EQ(f["container"], "gguf");
}

TEST(KnowledgeJson, KvAllocationNames) {
  EXPECT_EQ(KvAllocationText(KvAllocation::kUpFront), "up front");
  EXPECT_EQ(KvAllocationText(KvAllocation::kPagedPool), "paged pool");
  EXPECT_EQ(KvAllocationText(KvAllocation::kDynamic), "dynamic");
}

}  // namespace
}  // namespace sizer
