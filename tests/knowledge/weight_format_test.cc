#include "knowledge/weight_format.h"

#include <gtest/gtest.h>

#include "gguf/ggml_types.h"

namespace sizer {
namespace {

TEST(GgmlTypes, BitsPerWeightIncludeBlockScales) {
  EXPECT_DOUBLE_EQ(gguf::FindGgmlTypeByName("Q8_0")->bits_per_weight(), 8.5);
  EXPECT_DOUBLE_EQ(gguf::FindGgmlTypeByName("Q4_0")->bits_per_weight(), 4.5);
  EXPECT_DOUBLE_EQ(gguf::FindGgmlTypeByName("Q4_K")->bits_per_weight(), 4.5);
  EXPECT_DOUBLE_EQ(gguf::FindGgmlTypeByName("Q6_K")->bits_per_weight(), 6.5625);
  EXPECT_DOUBLE_EQ(gguf::FindGgmlTypeByName("IQ4_XS")->bits_per_weight(), 4.25);
  EXPECT_DOUBLE_EQ(gguf::FindGgmlTypeByName("MXFP4")->bits_per_weight(), 4.25);
  EXPECT_EQ(gguf::FindGgmlType(14)->name, "Q6_K");
  EXPECT_FALSE(gguf::FindGgmlType(4).has_value());  // removed from ggml
}

TEST(WeightFormat, LookupIsCaseInsensitiveAndUnknownIsNull) {
  ASSERT_NE(FindWeightFormat("q4_k_m"), nullptr);
  EXPECT_EQ(FindWeightFormat("q4_k_m")->id, "Q4_K_M");
  EXPECT_EQ(FindWeightFormat("Q4_K_X"), nullptr);
}

TEST(WeightFormat, BlockScaleFormatsCarryTheirScales) {
  TensorSite linear{TensorClass::kAttnQ};
  linear.row_elements = 4096;
  EXPECT_DOUBLE_EQ(FindWeightFormat("NVFP4")->StorageOf(linear).bits_per_weight, 4.5);
  EXPECT_DOUBLE_EQ(FindWeightFormat("MXFP4")->StorageOf(linear).bits_per_weight, 4.25);
  EXPECT_DOUBLE_EQ(FindWeightFormat("AWQ-4bit-g128")->StorageOf(linear).bits_per_weight,
                   4 + 20.0 / 128);
  EXPECT_DOUBLE_EQ(FindWeightFormat("FP8")->StorageOf(linear).bits_per_weight, 8.0);
  TensorSite embedding{TensorClass::kTokenEmbedding};
  EXPECT_DOUBLE_EQ(FindWeightFormat("FP8")->StorageOf(embedding).bits_per_weight, 16.0);
}

TEST(WeightFormat, LlamaQuantizeRulesForAttnV) {
  const WeightFormat* q4km = FindWeightFormat("Q4_K_M");
  TensorSite v{TensorClass::kAttnV};
  v.attn_v_count = 32;
  v.row_elements = 4096;
  v.attn_v_index = 0;
  EXPECT_EQ(q4km->StorageOf(v).type, "Q6_K");  // first eighth
  v.attn_v_index = 4;
  EXPECT_EQ(q4km->StorageOf(v).type, "Q4_K");
  v.attn_v_index = 6;  // (6 - 4) % 3 == 2
  EXPECT_EQ(q4km->StorageOf(v).type, "Q6_K");
  v.n_experts = 8;     // Mixtral-style: attn_v is Q8_0
  EXPECT_EQ(q4km->StorageOf(v).type, "Q8_0");
  TensorSite v2{TensorClass::kAttnV};
  v2.n_gqa = 4;
  v2.row_elements = 4096;
  EXPECT_EQ(FindWeightFormat("Q2_K")->StorageOf(v2).type, "Q4_K");
}

TEST(KvDtype, Q8_0IsEightAndAHalfBits) {
  EXPECT_DOUBLE_EQ(FindKvDtype("q8_0")->bytes_per_element * 8, 8.5);
  EXPECT_DOUBLE_EQ(FindKvDtype("Q4_0")->bytes_per_element * 8, 4.5);
  EXPECT_EQ(FindKvDtype("int3"), nullptr);
}

}  // namespace
}  // namespace sizer
