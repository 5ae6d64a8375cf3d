#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include "testing/test_env.h"

namespace sizer {
namespace {

using testing::RealCatalog;

TEST(Catalog, HasTheModelsTheIssueNames) {
  const Catalog& c = RealCatalog();
  EXPECT_GE(c.models().size(), 20u);
  for (const char* id : {"llama-3.1-8b", "llama-3.1-70b", "llama-3.2-1b", "llama-3.2-3b",
                         "mistral-7b", "mixtral-8x7b", "qwen2.5-7b", "qwen2.5-72b", "qwen3-8b",
                         "qwen3-30b-a3b", "qwen3-next-80b-a3b", "gemma-2-9b", "gemma-3-12b",
                         "gemma-3-27b", "deepseek-v3", "gpt-oss-20b", "gpt-oss-120b", "phi-4",
                         "gemma-4-12b", "qwen3.6-35b-a3b"}) {
    EXPECT_TRUE(c.FindModel(id).ok()) << id;
  }
}

TEST(Catalog, HasTheHardwareTheIssueNames) {
  const Catalog& c = RealCatalog();
  EXPECT_GE(c.hardware().size(), 25u);
  for (const char* id : {"rtx-3060-12gb", "rtx-3090", "rtx-4070", "rtx-4090", "rtx-5090",
                         "rtx-a6000", "l4", "l40s", "a100-40gb", "a100-80gb", "h100-pcie",
                         "h100-sxm", "h200", "b200", "mi300x"}) {
    EXPECT_TRUE(c.FindHardware(id).ok()) << id;
  }
  int unified = 0, cpu = 0;
  for (const HardwareSpec& h : c.hardware()) {
    unified += h.kind == HardwareKind::kUnified ? 1 : 0;
    cpu += h.kind == HardwareKind::kCpu ? 1 : 0;
    if (h.kind == HardwareKind::kUnified) {
      EXPECT_GT(h.gpu_wired_limit_fraction, 0) << h.id;
    }
  }
  EXPECT_GE(unified, 3);
  EXPECT_GE(cpu, 2);
}

TEST(Catalog, EveryEntryCitesItsSource) {
  for (const ModelSpec& m : RealCatalog().models()) EXPECT_FALSE(m.source.empty()) << m.id;
  for (const HardwareSpec& h : RealCatalog().hardware()) {
    EXPECT_FALSE(h.source.empty()) << h.id;
    EXPECT_FALSE(h.price_date.empty()) << h.id;
  }
}

TEST(Catalog, UnknownIdsSuggestTheClosest) {
  StatusOr<ModelSpec> m = RealCatalog().FindModel("llama-3.1-8B-instruct");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
  StatusOr<HardwareSpec> h = RealCatalog().FindHardware("rtx4090");
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.status().message().find("did you mean 'rtx-4090'"), std::string::npos)
      << h.status().message();
}

TEST(Catalog, AMissingDatabaseDirectoryIsAnError) {
  StatusOr<Catalog> c = Catalog::Load("/nonexistent/sizer-db");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sizer
