// The scalar reference kernels of kernels/quant.h: f16/bf16 conversion, the block layouts
// (against files written by llama.cpp's own quantizer), activation quantization, and the
// integer dot products against plain float math on the dequantized values.
#include <gtest/gtest.h>

#include "testing/quant_rows.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "gguf/artifact.h"
#include "kernels/blocks.h"
#include "kernels/fp16.h"
#include "kernels/quant.h"
#include "testing/test_env.h"

namespace sizer::kernels {
namespace {

// ggml type ids.
constexpr uint32_t kF32 = 0, kF16 = 1, kQ4_0 = 2, kQ4_1 = 3, kQ5_0 = 6, kQ5_1 = 7, kQ8_0 = 8,
                   kQ2_K = 10, kQ3_K = 11, kQ4_K = 12, kQ5_K = 13, kQ6_K = 14, kIq4Nl = 20,
                   kIq4Xs = 23, kBf16 = 30, kIq2Xxs = 16, kIq2Xs = 17, kIq3Xxs = 18, kIq1S = 19,
                   kIq3S = 21, kIq2S = 22, kIq1M = 29, kTq1_0 = 34, kTq2_0 = 35, kMxfp4 = 39;

const uint32_t kAllSupported[] = {kF32,   kF16,   kBf16,   kQ8_0,  kQ4_0,  kQ4_1,  kQ5_0,
                                  kQ5_1,  kQ2_K,  kQ3_K,   kQ4_K,  kQ5_K,  kQ6_K,  kIq4Nl,
                                  kIq4Xs, kIq2Xxs, kIq2Xs, kIq2S,  kIq3Xxs, kIq3S, kIq1S,
                                  kIq1M,  kTq1_0, kTq2_0,  kMxfp4};

std::string TypeName(uint32_t type) {
  const auto info = gguf::FindGgmlType(type);
  return info ? std::string(info->name) : "type " + std::to_string(type);
}

// For RecordProperty: 3 significant digits.
std::string Sci(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", v);
  return buf;
}

template <typename Block>
Block BlockAt(const void* base, int64_t i) {
  Block b;
  std::memcpy(&b, static_cast<const uint8_t*>(base) + i * static_cast<int64_t>(sizeof(Block)),
              sizeof(Block));
  return b;
}

// =========================================================================================
// f16 / bf16

TEST(QuantFp16, ExactValues) {
  EXPECT_EQ(F32ToF16(0.0f), 0x0000);
  EXPECT_EQ(F32ToF16(-0.0f), 0x8000);
  EXPECT_EQ(F32ToF16(1.0f), 0x3c00);
  EXPECT_EQ(F32ToF16(-2.0f), 0xc000);
  EXPECT_EQ(F32ToF16(0.5f), 0x3800);
  EXPECT_EQ(F32ToF16(65504.0f), 0x7bff);  // largest finite half
  EXPECT_EQ(F32ToF16(0x1p-14f), 0x0400);  // smallest normal
  EXPECT_EQ(F16ToF32(0x3c00), 1.0f);
  EXPECT_EQ(F16ToF32(0xc000), -2.0f);
  EXPECT_EQ(F16ToF32(0x3555), 0.333251953125f);
  EXPECT_EQ(F16ToF32(0x7bff), 65504.0f);
  EXPECT_EQ(F16ToF32(0x0400), 0x1p-14f);
  EXPECT_TRUE(std::signbit(F16ToF32(0x8000)));
  EXPECT_EQ(F16ToF32(0x8000), 0.0f);
}

TEST(QuantFp16, Subnormals) {
  EXPECT_EQ(F16ToF32(0x0001), 0x1p-24f);            // smallest subnormal
  EXPECT_EQ(F16ToF32(0x03ff), 1023.0f * 0x1p-24f);  // largest subnormal
  EXPECT_EQ(F16ToF32(0x8200), -512.0f * 0x1p-24f);
  EXPECT_EQ(F32ToF16(0x1p-24f), 0x0001);
  EXPECT_EQ(F32ToF16(-3.0f * 0x1p-24f), 0x8003);
  EXPECT_EQ(F32ToF16(0x1p-25f), 0x0000);             // half of the smallest: ties to even 0
  EXPECT_EQ(F32ToF16(0x1.0002p-25f), 0x0001);        // just above half: up
  EXPECT_EQ(F32ToF16(3.0f * 0x1p-25f), 0x0002);      // 1.5 ulp: ties to even 2
  EXPECT_EQ(F32ToF16(5.0f * 0x1p-25f), 0x0002);      // 2.5 ulp: ties to even 2
  EXPECT_EQ(F32ToF16(0x1p-14f - 0x1p-25f), 0x0400);  // rounds up into the normals
  EXPECT_EQ(F32ToF16(1e-10f), 0x0000);
  EXPECT_EQ(F32ToF16(-1e-10f), 0x8000);
}

TEST(QuantFp16, RoundsNormalsToNearestEven) {
  EXPECT_EQ(F32ToF16(1.0f + 0x1p-11f), 0x3c00);               // tie, 0x3c00 even
  EXPECT_EQ(F32ToF16(1.0f + 3 * 0x1p-11f), 0x3c02);           // tie, 0x3c01 odd -> up
  EXPECT_EQ(F32ToF16(1.0f + 0x1p-11f + 0x1p-20f), 0x3c01);    // above the tie
  EXPECT_EQ(F32ToF16(2047.0f / 1024.0f + 0x1p-11f), 0x4000);  // carry into the exponent
  EXPECT_EQ(F32ToF16(65519.0f), 0x7bff);
  EXPECT_EQ(F32ToF16(65520.0f), 0x7c00);  // the tie above 65504 goes to infinity
}

TEST(QuantFp16, InfinityAndNan) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(F32ToF16(inf), 0x7c00);
  EXPECT_EQ(F32ToF16(-inf), 0xfc00);
  EXPECT_EQ(F32ToF16(1e10f), 0x7c00);
  EXPECT_EQ(F16ToF32(0x7c00), inf);
  EXPECT_EQ(F16ToF32(0xfc00), -inf);
  const uint16_t nan16 = F32ToF16(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(nan16 & 0x7c00, 0x7c00);
  EXPECT_NE(nan16 & 0x03ff, 0);
  EXPECT_TRUE(std::isnan(F16ToF32(0x7e00)));
  EXPECT_TRUE(std::isnan(F16ToF32(0xfc01)));  // signalling payload stays NaN
  EXPECT_TRUE(std::isnan(F16ToF32(F32ToF16(std::bit_cast<float>(0x7f800001u)))));
}

TEST(QuantFp16, EveryHalfRoundTrips) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = F16ToF32(static_cast<uint16_t>(h));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(F16ToF32(F32ToF16(f)))) << std::hex << h;
    } else {
      EXPECT_EQ(F32ToF16(f), h) << std::hex << h;
    }
  }
}

// Any float in the half range converts to a nearest half, ties to the even one.
TEST(QuantFp16, RandomFloatsRoundToANearestHalf) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<uint32_t> bits(0, 0x477fffffu);  // |f| < 65536
  for (int i = 0; i < 200000; ++i) {
    uint32_t u = bits(rng);
    if (i % 2) u |= 0x80000000u;
    const float f = std::bit_cast<float>(u);
    const uint16_t h = F32ToF16(f);
    const double got = F16ToF32(h);
    const double err = std::fabs(got - f);
    // Neighbours one ulp away (in magnitude) must not be strictly closer.
    for (int delta : {-1, 1}) {
      const uint32_t mag = h & 0x7fffu;
      if ((delta < 0 && mag == 0) || mag + delta > 0x7c00) continue;
      const uint16_t other = static_cast<uint16_t>((h & 0x8000u) | (mag + delta));
      const double other_err = std::fabs(static_cast<double>(F16ToF32(other)) - f);
      ASSERT_LE(err, other_err) << f;
      if (err == other_err) {
        ASSERT_EQ(h & 1, 0) << "tie not to even: " << f;
      }
    }
  }
}

TEST(QuantBf16, ExactValuesAndRounding) {
  EXPECT_EQ(F32ToBf16(1.0f), 0x3f80);
  EXPECT_EQ(F32ToBf16(-2.0f), 0xc000);
  EXPECT_EQ(Bf16ToF32(0x3f80), 1.0f);
  EXPECT_EQ(Bf16ToF32(0x4049), 3.140625f);
  EXPECT_EQ(F32ToBf16(3.14159265f), 0x4049);
  EXPECT_EQ(F32ToBf16(1.0f + 0x1p-8f), 0x3f80);                     // tie, even stays
  EXPECT_EQ(F32ToBf16(1.0f + 3 * 0x1p-8f), 0x3f82);                 // tie, odd goes up
  EXPECT_EQ(F32ToBf16(1.0f + 0x1p-8f + 0x1p-20f), 0x3f81);          // above the tie
  EXPECT_EQ(F32ToBf16(std::numeric_limits<float>::max()), 0x7f80);  // rounds to infinity
}

TEST(QuantBf16, SubnormalsInfinityNan) {
  EXPECT_EQ(Bf16ToF32(0x0001), std::bit_cast<float>(0x00010000u));  // a float subnormal
  EXPECT_EQ(F32ToBf16(std::bit_cast<float>(0x00010000u)), 0x0001);
  EXPECT_EQ(F32ToBf16(std::bit_cast<float>(0x00008000u)), 0x0000);  // tie, even
  EXPECT_EQ(F32ToBf16(std::bit_cast<float>(0x00018000u)), 0x0002);  // tie, odd goes up
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(F32ToBf16(inf), 0x7f80);
  EXPECT_EQ(F32ToBf16(-inf), 0xff80);
  EXPECT_EQ(Bf16ToF32(0xff80), -inf);
  // A NaN whose payload sits only in the low bits must not round to infinity.
  const uint16_t nan = F32ToBf16(std::bit_cast<float>(0x7f800001u));
  EXPECT_TRUE(std::isnan(Bf16ToF32(nan)));
  EXPECT_TRUE(std::isnan(Bf16ToF32(F32ToBf16(std::numeric_limits<float>::quiet_NaN()))));
}

TEST(QuantBf16, EveryBf16RoundTrips) {
  for (uint32_t b = 0; b < 0x10000; ++b) {
    const float f = Bf16ToF32(static_cast<uint16_t>(b));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(Bf16ToF32(F32ToBf16(f)))) << std::hex << b;
    } else {
      EXPECT_EQ(F32ToBf16(f), b) << std::hex << b;
    }
  }
}

// =========================================================================================
// Type table

TEST(QuantTypes, SupportedTypesAndActivationFormats) {
  for (uint32_t type : kAllSupported) EXPECT_TRUE(IsSupportedWeightType(type)) << type;
  for (uint32_t type : {9u, 15u, 24u, 28u, 40u, 999u}) {
    EXPECT_FALSE(IsSupportedWeightType(type)) << type;  // Q8_1, Q8_K, I8, F64, NVFP4
  }
  EXPECT_EQ(SupportedWeightTypeNames(),
            (std::vector<std::string>{"F32",    "F16",    "Q4_0",   "Q4_1",    "Q5_0",  "Q5_1",
                                      "Q8_0",   "Q2_K",   "Q3_K",   "Q4_K",    "Q5_K",  "Q6_K",
                                      "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S",  "IQ4_NL", "IQ3_S",
                                      "IQ2_S",  "IQ4_XS", "IQ1_M",  "BF16",    "TQ1_0", "TQ2_0",
                                      "MXFP4"}));
  EXPECT_EQ(ActivationFormatFor(kBf16), ActivationFormat::kF32);
  EXPECT_EQ(ActivationFormatFor(kQ4_0), ActivationFormat::kQ8_0);
  EXPECT_EQ(ActivationFormatFor(kIq4Nl), ActivationFormat::kQ8_0);
  EXPECT_EQ(ActivationFormatFor(kQ5_1), ActivationFormat::kQ8_1);
  EXPECT_EQ(ActivationFormatFor(kQ3_K), ActivationFormat::kQ8_K);
  EXPECT_EQ(ActivationFormatFor(kIq4Xs), ActivationFormat::kQ8_K);
  // ggml's vec_dot_type: Q8_K for the lattice I-quants and ternary types, Q8_0 for MXFP4.
  for (uint32_t type : {kIq2Xxs, kIq2Xs, kIq2S, kIq3Xxs, kIq3S, kIq1S, kIq1M, kTq1_0, kTq2_0}) {
    EXPECT_EQ(ActivationFormatFor(type), ActivationFormat::kQ8_K) << TypeName(type);
  }
  EXPECT_EQ(ActivationFormatFor(kMxfp4), ActivationFormat::kQ8_0);
  EXPECT_EQ(ActivationBlockElements(ActivationFormat::kF32), 1);
  EXPECT_EQ(ActivationBlockElements(ActivationFormat::kQ8_1), 32);
  EXPECT_EQ(ActivationBlockElements(ActivationFormat::kQ8_K), 256);
  EXPECT_EQ(ActivationBytes(ActivationFormat::kF32, 256), 1024u);
  EXPECT_EQ(ActivationBytes(ActivationFormat::kQ8_0, 256), 8u * 34);
  EXPECT_EQ(ActivationBytes(ActivationFormat::kQ8_1, 256), 8u * 36);
  EXPECT_EQ(ActivationBytes(ActivationFormat::kQ8_K, 512), 2u * 292);
}

// The block structs agree with the type table that the GGUF reader sizes tensors with.
TEST(QuantTypes, BlockSizesMatchTheGgmlTypeTable) {
  const std::map<uint32_t, size_t> sizes = {
      {kQ4_0, sizeof(BlockQ4_0)},   {kQ4_1, sizeof(BlockQ4_1)},  {kQ5_0, sizeof(BlockQ5_0)},
      {kQ5_1, sizeof(BlockQ5_1)},   {kQ8_0, sizeof(BlockQ8_0)},  {9, sizeof(BlockQ8_1)},
      {kQ2_K, sizeof(BlockQ2_K)},   {kQ3_K, sizeof(BlockQ3_K)},  {kQ4_K, sizeof(BlockQ4_K)},
      {kQ5_K, sizeof(BlockQ5_K)},   {kQ6_K, sizeof(BlockQ6_K)},  {15, sizeof(BlockQ8_K)},
      {kIq4Nl, sizeof(BlockIq4Nl)}, {kIq4Xs, sizeof(BlockIq4Xs)}};
  for (const auto& [type, size] : sizes) {
    const auto info = gguf::FindGgmlType(type);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->block_bytes, size) << info->name;
  }
}

// =========================================================================================
// Hand-built blocks with known values

TEST(QuantLayout, Q4_0NibbleOrder) {
  BlockQ4_0 b;
  b.d = F32ToF16(0.5f);
  for (int j = 0; j < 16; ++j) b.qs[j] = static_cast<uint8_t>(j | ((15 - j) << 4));
  float out[32];
  DequantizeRowReference(kQ4_0, &b, out, 32);
  for (int j = 0; j < 16; ++j) {
    EXPECT_EQ(out[j], 0.5f * (j - 8)) << j;            // low nibbles: values 0..15
    EXPECT_EQ(out[j + 16], 0.5f * (7 - j)) << j + 16;  // high nibbles: values 16..31
  }
}

TEST(QuantLayout, Q5_0HighBitsComeFromQhInOrder) {
  BlockQ5_0 b;
  b.d = F32ToF16(1.0f);
  std::memset(b.qs, 0, sizeof(b.qs));
  const uint32_t qh = 0x80000001u;  // value 0 and value 31 get bit 4
  std::memcpy(b.qh, &qh, 4);
  float out[32];
  DequantizeRowReference(kQ5_0, &b, out, 32);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[31], 0.0f);
  EXPECT_EQ(out[1], -16.0f);
  EXPECT_EQ(out[16], -16.0f);
}

TEST(QuantLayout, Q4_KScalesAndMinsUnpackTheSixBitFields) {
  // Group j gets scale j + 1 (groups 4-7: 6-bit values above 15) and min 2j + 40.
  BlockQ4_K b;
  std::memset(&b, 0, sizeof(b));
  b.d = F32ToF16(1.0f);
  b.dmin = F32ToF16(1.0f);
  uint8_t sc[8], mn[8];
  for (int j = 0; j < 8; ++j) {
    sc[j] = static_cast<uint8_t>(j < 4 ? j + 1 : 16 + j);
    mn[j] = static_cast<uint8_t>(2 * j + 40);
  }
  for (int j = 0; j < 8; ++j) {  // ggml's packing (quantize_row_q4_K_ref)
    if (j < 4) {
      b.scales[j] = sc[j];
      b.scales[j + 4] = mn[j];
    } else {
      b.scales[j + 4] = static_cast<uint8_t>((sc[j] & 0xF) | ((mn[j] & 0xF) << 4));
      b.scales[j - 4] |= static_cast<uint8_t>((sc[j] >> 4) << 6);
      b.scales[j] |= static_cast<uint8_t>((mn[j] >> 4) << 6);
    }
  }
  for (int l = 0; l < 128; ++l) b.qs[l] = 0x31;  // low nibble 1, high nibble 3
  float out[256];
  DequantizeRowReference(kQ4_K, &b, out, 256);
  for (int v = 0; v < 256; ++v) {
    const int group = v / 32;
    const int q = (v % 64) < 32 ? 1 : 3;
    EXPECT_EQ(out[v], static_cast<float>(sc[group] * q - mn[group])) << v;
  }
}

TEST(QuantLayout, Q6_KValueOrder) {
  // Quant q(v) = v % 64 for every value; check it comes back in order.
  BlockQ6_K b;
  std::memset(&b, 0, sizeof(b));
  b.d = F32ToF16(1.0f);
  for (int g = 0; g < 16; ++g) b.scales[g] = 1;
  for (int v = 0; v < 256; ++v) {
    const int q = v % 64;
    const int h = v / 128, k = (v % 128) / 32, l = v % 32;
    uint8_t& low = b.ql[64 * h + l + 32 * (k % 2)];
    low |= static_cast<uint8_t>(k < 2 ? (q & 0xF) : ((q & 0xF) << 4));
    b.qh[32 * h + l] |= static_cast<uint8_t>((q >> 4) << (2 * k));
  }
  float out[256];
  DequantizeRowReference(kQ6_K, &b, out, 256);
  for (int v = 0; v < 256; ++v) EXPECT_EQ(out[v], static_cast<float>(v % 64 - 32)) << v;
}

TEST(QuantLayout, Q2_KQuantsScalesAndMins) {
  BlockQ2_K b;
  std::memset(&b, 0, sizeof(b));
  b.d = F32ToF16(1.0f);
  b.dmin = F32ToF16(1.0f);
  for (int g = 0; g < 16; ++g) b.scales[g] = static_cast<uint8_t>(g | ((15 - g) << 4));
  auto q = [](int v) { return (v / 7) % 4; };
  for (int v = 0; v < 256; ++v) {  // value 128h + 32j + l: bits 2j of qs[32h + l]
    const int h = v / 128, j = (v % 128) / 32, l = v % 32;
    b.qs[32 * h + l] |= static_cast<uint8_t>(q(v) << (2 * j));
  }
  float out[256];
  DequantizeRowReference(kQ2_K, &b, out, 256);
  for (int v = 0; v < 256; ++v) {
    const int g = v / 16;
    EXPECT_EQ(out[v], static_cast<float>(g * q(v) - (15 - g))) << v;
  }
}

TEST(QuantLayout, Q3_KHighBitsAndSignedScales) {
  BlockQ3_K b;
  std::memset(&b, 0, sizeof(b));
  b.d = F32ToF16(1.0f);
  for (int j = 0; j < 16; ++j) {  // signed scale j - 9, packed as ggml's quantize_row_q3_K_ref
    const int l = (j - 9) + 32;
    if (j < 8) {
      b.scales[j] = static_cast<uint8_t>(l & 0xF);
    } else {
      b.scales[j - 8] |= static_cast<uint8_t>((l & 0xF) << 4);
    }
    b.scales[8 + j % 4] |= static_cast<uint8_t>((l >> 4) << (2 * (j / 4)));
  }
  auto q = [](int v) { return (v * 5) % 8 - 4; };  // -4..3
  for (int v = 0; v < 256; ++v) {
    const int stored = q(v) + 4;  // 0..7: 2 low bits in qs, bit 2 in hmask
    const int h = v / 128, j = (v % 128) / 32, l = v % 32;
    b.qs[32 * h + l] |= static_cast<uint8_t>((stored & 3) << (2 * j));
    b.hmask[l] |= static_cast<uint8_t>((stored >> 2) << (v / 32));
  }
  float out[256];
  DequantizeRowReference(kQ3_K, &b, out, 256);
  for (int v = 0; v < 256; ++v) EXPECT_EQ(out[v], static_cast<float>((v / 16 - 9) * q(v))) << v;
}

TEST(QuantLayout, Q5_KFifthBit) {
  BlockQ5_K b;
  std::memset(&b, 0, sizeof(b));
  b.d = F32ToF16(1.0f);
  b.dmin = F32ToF16(1.0f);
  for (int j = 0; j < 4; ++j) b.scales[j] = 1;      // groups 0-3: scale 1, min 0
  for (int j = 8; j < 12; ++j) b.scales[j] = 0x21;  // groups 4-7: scale 1, min 2
  auto q = [](int v) { return (v * 7) % 32; };
  for (int v = 0; v < 256; ++v) {
    const int c = v / 64, l = v % 32;
    b.qs[32 * c + l] |= static_cast<uint8_t>((v % 64) < 32 ? (q(v) & 0xF) : (q(v) & 0xF) << 4);
    b.qh[l] |= static_cast<uint8_t>((q(v) >> 4) << (v / 32));
  }
  float out[256];
  DequantizeRowReference(kQ5_K, &b, out, 256);
  for (int v = 0; v < 256; ++v) {
    EXPECT_EQ(out[v], static_cast<float>(q(v) - (v < 128 ? 0 : 2))) << v;
  }
}

TEST(QuantLayout, Iq4XsScales) {
  BlockIq4Xs b;
  std::memset(&b, 0, sizeof(b));
  b.d = F32ToF16(1.0f);
  for (int g = 0; g < 8; ++g) {
    const int ls = 5 * g + 10;  // 6-bit, 10..45
    b.scales_l[g / 2] |= static_cast<uint8_t>((ls & 0xF) << (4 * (g % 2)));
    b.scales_h = static_cast<uint16_t>(b.scales_h | ((ls >> 4) << (2 * g)));
    for (int l = 0; l < 16; ++l) b.qs[16 * g + l] = static_cast<uint8_t>(l | ((15 - l) << 4));
  }
  float out[256];
  DequantizeRowReference(kIq4Xs, &b, out, 256);
  for (int g = 0; g < 8; ++g) {
    const int scale = 5 * g + 10 - 32;
    for (int l = 0; l < 16; ++l) {
      EXPECT_EQ(out[32 * g + l], static_cast<float>(scale * kValuesIq4Nl[l]));
      EXPECT_EQ(out[32 * g + 16 + l], static_cast<float>(scale * kValuesIq4Nl[15 - l]));
    }
  }
}

TEST(QuantLayout, Iq4NlUsesTheNonLinearTable) {
  BlockIq4Nl b;
  b.d = F32ToF16(1.0f);
  for (int j = 0; j < 16; ++j) b.qs[j] = static_cast<uint8_t>(j | (j << 4));
  float out[32];
  DequantizeRowReference(kIq4Nl, &b, out, 32);
  EXPECT_EQ(out[0], -127.0f);
  EXPECT_EQ(out[8], 1.0f);
  EXPECT_EQ(out[15], 113.0f);
  EXPECT_EQ(out[16 + 7], -10.0f);
}

// =========================================================================================
// Random rows: VecDot against float math on the dequantized row and activation

// Random rows: tests/testing/quant_rows.h.
using sizer::testing::FixBlocks;

std::vector<uint8_t> RandomRow(uint32_t type, int64_t n, std::mt19937& rng) {
  return sizer::testing::RandomWeightRow(type, n, rng);
}

// The activation as the kernel sees it, as floats: d * q per block (kF32: the floats).
std::vector<float> DequantizeActivation(ActivationFormat format, const void* a, int64_t n) {
  std::vector<float> out(static_cast<size_t>(n));
  switch (format) {
    case ActivationFormat::kF32:
      std::memcpy(out.data(), a, static_cast<size_t>(n) * 4);
      break;
    case ActivationFormat::kQ8_0:
      for (int64_t i = 0; i < n / 32; ++i) {
        const auto b = BlockAt<BlockQ8_0>(a, i);
        for (int j = 0; j < 32; ++j) out[32 * i + j] = F16ToF32(b.d) * b.qs[j];
      }
      break;
    case ActivationFormat::kQ8_1:
      for (int64_t i = 0; i < n / 32; ++i) {
        const auto b = BlockAt<BlockQ8_1>(a, i);
        for (int j = 0; j < 32; ++j) out[32 * i + j] = F16ToF32(b.d) * b.qs[j];
      }
      break;
    case ActivationFormat::kQ8_K:
      for (int64_t i = 0; i < n / 256; ++i) {
        const auto b = BlockAt<BlockQ8_K>(a, i);
        for (int j = 0; j < 256; ++j) out[256 * i + j] = b.d * b.qs[j];
      }
      break;
  }
  return out;
}

// Q4_1 / Q5_1 dot products take the min term from the activation's stored s = f16(d * sum q)
// (that is the format), where the dequantized activation gives m * d_f16 * sum q. This is the
// exact difference between the two, per block, so the comparison can stay tight.
double MinTermCorrection(uint32_t type, const void* row, const void* a, int64_t n) {
  if (type != kQ4_1 && type != kQ5_1) return 0;
  double correction = 0;
  for (int64_t i = 0; i < n / 32; ++i) {
    const uint16_t m16 =
        type == kQ4_1 ? BlockAt<BlockQ4_1>(row, i).m : BlockAt<BlockQ5_1>(row, i).m;
    const auto y = BlockAt<BlockQ8_1>(a, i);
    int sum = 0;
    for (int j = 0; j < 32; ++j) sum += y.qs[j];
    correction += static_cast<double>(F16ToF32(m16)) *
                  (static_cast<double>(F16ToF32(y.s)) - static_cast<double>(F16ToF32(y.d)) * sum);
  }
  return correction;
}

struct DotCheck {
  double error = 0;  // |VecDot - reference| / sum |w_i a_i|
  bool ok = true;
};

// VecDot(row, quantize(x)) against sum(dequantize(row)_i * dequantize(quantize(x))_i) in
// double, plus the Q8_1 min-term correction above.
DotCheck CheckDot(uint32_t type, const std::vector<uint8_t>& row, const std::vector<float>& x) {
  const int64_t n = static_cast<int64_t>(x.size());
  const ActivationFormat format = ActivationFormatFor(type);
  std::vector<uint8_t> a(ActivationBytes(format, n));
  QuantizeActivationReference(format, x.data(), a.data(), n);
  std::vector<float> w(static_cast<size_t>(n));
  DequantizeRowReference(type, row.data(), w.data(), n);
  const std::vector<float> xa = DequantizeActivation(format, a.data(), n);
  double ref = MinTermCorrection(type, row.data(), a.data(), n);
  double magnitude = 0;
  for (int64_t i = 0; i < n; ++i) {
    ref += static_cast<double>(w[i]) * xa[i];
    magnitude += std::fabs(static_cast<double>(w[i]) * xa[i]);
  }
  const double got = VecDotReference(type, row.data(), a.data(), n);
  DotCheck check;
  check.ok = std::isfinite(got) && magnitude > 0;
  check.error = std::fabs(got - ref) / magnitude;
  return check;
}

// The error measure is |VecDot - reference| / sum |w_i a_i| (relative to the result itself
// it is unbounded under cancellation). Both sides are exact integer math on the same quants
// and differ only by float rounding: each dequantized value carries up to 3 roundings
// (d * scale, * q, - min: ~3 x 6e-8 relative) and the kernel adds one float term per block
// (up to 4 roundings each), so for rows of <= 32 blocks the bound is a few 1e-7 (measured:
// at most 3.1e-8, Q5_1, on the random rows). One tolerance serves every type: 1e-5 leaves
// room for the reordered sums of SIMD versions, while a wrong quant, scale or activation
// pairing moves the result by a large fraction of sum |w_i a_i|.
constexpr double kDotRelativeTolerance = 1e-5;

TEST(QuantVecDot, RandomRowsMatchTheDequantizedDot) {
  std::mt19937 rng(1234);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  for (uint32_t type : kAllSupported) {
    double worst = 0;
    for (int64_t n : {256, 1024}) {
      for (int trial = 0; trial < 20; ++trial) {
        const std::vector<uint8_t> row = RandomRow(type, n, rng);
        std::vector<float> x(static_cast<size_t>(n));
        for (float& v : x) v = gauss(rng) * (trial % 2 ? 0.01f : 3.0f);
        const DotCheck c = CheckDot(type, row, x);
        ASSERT_TRUE(c.ok) << TypeName(type);
        EXPECT_LE(c.error, kDotRelativeTolerance) << TypeName(type) << " n=" << n;
        worst = std::max(worst, c.error);
      }
    }
    RecordProperty("dot_error_" + TypeName(type), Sci(worst));
  }
}

// The comparison above can fail: pairing the row with a different activation does.
TEST(QuantVecDot, CheckDetectsAWrongPairing) {
  std::mt19937 rng(99);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  for (uint32_t type : {kQ4_0, kQ4_K, kQ6_K, kIq4Xs, kIq2Xxs, kIq2S, kIq3S, kIq1M, kTq1_0, kMxfp4}) {
    const int64_t n = 256;
    std::vector<uint8_t> row = RandomRow(type, n, rng);
    std::vector<float> x(n);
    for (float& v : x) v = gauss(rng);
    const ActivationFormat format = ActivationFormatFor(type);
    std::vector<uint8_t> a(ActivationBytes(format, n));
    QuantizeActivationReference(format, x.data(), a.data(), n);
    std::vector<float> w(n);
    DequantizeRowReference(type, row.data(), w.data(), n);
    const std::vector<float> xa = DequantizeActivation(format, a.data(), n);
    double shifted = 0;  // activations rotated by one: a layout slip of one value
    for (int64_t i = 0; i < n; ++i) shifted += static_cast<double>(w[i]) * xa[(i + 1) % n];
    EXPECT_GT(std::fabs(VecDotReference(type, row.data(), a.data(), n) - shifted), 1e-3)
        << TypeName(type);
  }
}

// =========================================================================================
// Activation quantization

std::vector<float> RandomActivations(int64_t n, std::mt19937& rng) {
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  std::vector<float> x(static_cast<size_t>(n));
  for (size_t i = 0; i < x.size(); ++i) x[i] = gauss(rng) * (i % 64 < 32 ? 1.0f : 0.02f);
  x[5] = 0;
  return x;
}

TEST(QuantActivation, Q8_0ErrorWithinHalfAStep) {
  std::mt19937 rng(5);
  const int64_t n = 1024;
  const std::vector<float> x = RandomActivations(n, rng);
  std::vector<uint8_t> a(ActivationBytes(ActivationFormat::kQ8_0, n));
  QuantizeActivationReference(ActivationFormat::kQ8_0, x.data(), a.data(), n);
  for (int64_t i = 0; i < n / 32; ++i) {
    const auto b = BlockAt<BlockQ8_0>(a.data(), i);
    float amax = 0;
    for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[32 * i + j]));
    const float d = amax / 127;  // the step the quants were rounded with
    const float d16 = F16ToF32(b.d);
    EXPECT_EQ(b.d, F32ToF16(d));
    // Half a step, plus the f16 rounding of the stored d times |q| <= 127.
    const double bound = 0.5 * d + 127.0 * std::fabs(d16 - d) + 1e-6 * amax;
    for (int j = 0; j < 32; ++j) {
      EXPECT_LE(std::abs(b.qs[j]), 127);
      EXPECT_LE(std::fabs(static_cast<double>(d16) * b.qs[j] - x[32 * i + j]), bound)
          << "block " << i << " value " << j;
    }
  }
}

TEST(QuantActivation, Q8_0KnownBlock) {
  float x[32] = {};
  x[0] = 127.0f;  // d = 1
  x[1] = -2.5f;   // rounds half away from zero
  x[2] = 2.5f;
  x[3] = 0.49f;
  BlockQ8_0 b;
  QuantizeActivationReference(ActivationFormat::kQ8_0, x, &b, 32);
  EXPECT_EQ(F16ToF32(b.d), 1.0f);
  EXPECT_EQ(b.qs[0], 127);
  EXPECT_EQ(b.qs[1], -3);
  EXPECT_EQ(b.qs[2], 3);
  EXPECT_EQ(b.qs[3], 0);
}

TEST(QuantActivation, Q8_1SumIsDTimesTheQuantSum) {
  std::mt19937 rng(6);
  const int64_t n = 256;
  const std::vector<float> x = RandomActivations(n, rng);
  std::vector<uint8_t> a1(ActivationBytes(ActivationFormat::kQ8_1, n));
  std::vector<uint8_t> a0(ActivationBytes(ActivationFormat::kQ8_0, n));
  QuantizeActivationReference(ActivationFormat::kQ8_1, x.data(), a1.data(), n);
  QuantizeActivationReference(ActivationFormat::kQ8_0, x.data(), a0.data(), n);
  for (int64_t i = 0; i < n / 32; ++i) {
    const auto b1 = BlockAt<BlockQ8_1>(a1.data(), i);
    const auto b0 = BlockAt<BlockQ8_0>(a0.data(), i);
    EXPECT_EQ(b1.d, b0.d);  // same quants as Q8_0
    EXPECT_EQ(0, std::memcmp(b1.qs, b0.qs, 32));
    float amax = 0;
    for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[32 * i + j]));
    int sum = 0;
    for (int j = 0; j < 32; ++j) sum += b1.qs[j];
    EXPECT_EQ(b1.s, F32ToF16(static_cast<float>(sum) * (amax / 127)));
  }
}

TEST(QuantActivation, Q8_KErrorWithinHalfAStepAndBsums) {
  std::mt19937 rng(8);
  const int64_t n = 1024;
  std::vector<float> x = RandomActivations(n, rng);
  x[300] = -50.0f;  // block 1's largest magnitude is negative: d > 0 there
  std::vector<uint8_t> a(ActivationBytes(ActivationFormat::kQ8_K, n));
  QuantizeActivationReference(ActivationFormat::kQ8_K, x.data(), a.data(), n);
  for (int64_t i = 0; i < n / 256; ++i) {
    const auto b = BlockAt<BlockQ8_K>(a.data(), i);
    float max = 0;
    for (int j = 0; j < 256; ++j) {
      if (std::fabs(x[256 * i + j]) > std::fabs(max)) max = x[256 * i + j];
    }
    // d = max / -127 (negative when the largest magnitude is positive); that value is -127.
    EXPECT_FLOAT_EQ(b.d, max / -127.0f) << i;
    for (int j = 0; j < 256; ++j) {
      if (x[256 * i + j] == max) {
        EXPECT_EQ(b.qs[j], -127);
      }
      EXPECT_LE(std::fabs(static_cast<double>(b.d) * b.qs[j] - x[256 * i + j]),
                std::fabs(b.d) * (0.5 + 1e-4))
          << "block " << i << " value " << j;
    }
    for (int g = 0; g < 16; ++g) {
      int sum = 0;
      for (int l = 0; l < 16; ++l) sum += b.qs[16 * g + l];
      EXPECT_EQ(b.bsums[g], sum) << "block " << i << " group " << g;
    }
  }
  EXPECT_GT(BlockAt<BlockQ8_K>(a.data(), 1).d, 0.0f);
}

TEST(QuantActivation, ZeroBlocksQuantizeToZero) {
  std::vector<float> x(256, 0.0f);
  BlockQ8_K k;
  std::memset(&k, 0x5a, sizeof(k));
  QuantizeActivationReference(ActivationFormat::kQ8_K, x.data(), &k, 256);
  EXPECT_EQ(k.d, 0.0f);
  for (int g = 0; g < 16; ++g) EXPECT_EQ(k.bsums[g], 0);
  for (int j = 0; j < 256; ++j) EXPECT_EQ(k.qs[j], 0);
  BlockQ8_0 b;
  QuantizeActivationReference(ActivationFormat::kQ8_0, x.data(), &b, 32);
  EXPECT_EQ(b.d, 0);
  for (int j = 0; j < 32; ++j) EXPECT_EQ(b.qs[j], 0);
}

// A NaN activation (or an infinite one, whose block scale makes it inf x 0) used to reach a
// float-to-int8 cast, which is undefined (UBSan under scripts/test-sanitizers.sh). It
// quantizes to 0, the finite values of its block as before.
TEST(QuantActivation, NonFiniteValuesQuantizeToZeroNotUndefinedBehaviour) {
  for (ActivationFormat format :
       {ActivationFormat::kQ8_0, ActivationFormat::kQ8_1, ActivationFormat::kQ8_K}) {
    std::vector<float> x(256, 1.0f);
    x[3] = std::numeric_limits<float>::quiet_NaN();
    std::vector<uint8_t> a(ActivationBytes(format, 256));
    QuantizeActivationReference(format, x.data(), a.data(), 256);
    if (format == ActivationFormat::kQ8_K) {
      const BlockQ8_K b = BlockAt<BlockQ8_K>(a.data(), 0);
      EXPECT_EQ(b.qs[3], 0);
      EXPECT_EQ(b.qs[4], -127);
    } else if (format == ActivationFormat::kQ8_1) {
      const BlockQ8_1 b = BlockAt<BlockQ8_1>(a.data(), 0);
      EXPECT_EQ(b.qs[3], 0);
      EXPECT_EQ(b.qs[4], 127);
    } else {
      const BlockQ8_0 b = BlockAt<BlockQ8_0>(a.data(), 0);
      EXPECT_EQ(b.qs[3], 0);
      EXPECT_EQ(b.qs[4], 127);
    }
    x[3] = std::numeric_limits<float>::infinity();
    QuantizeActivationReference(format, x.data(), a.data(), 256);  // no UB; bytes unspecified
  }
}

TEST(QuantActivation, F32Copies) {
  const float x[3] = {1.5f, -2.0f, 3.25f};
  float y[3] = {};
  QuantizeActivationReference(ActivationFormat::kF32, x, y, 3);
  EXPECT_EQ(0, std::memcmp(x, y, sizeof(x)));
}

// =========================================================================================
// The real format: llama.cpp-written files of the same weights

std::string WidePath(const std::string& suffix) {
  return testing::TestDataDir() + "/models/wide/stories260K-wide-" + suffix + ".gguf";
}

// Every file llama-quantize wrote from stories260K-wide-F32.gguf (tests/data/README.md).
const char* const kWideFiles[] = {"F16",    "BF16",   "Q8_0", "Q4_0",   "Q4_1", "Q5_0",  "Q5_1",
                                  "Q4_K_M", "Q5_K_M", "Q6_K", "Q3_K_M", "Q2_K", "IQ4_XS"};

// RMS(dequantized - F32) / RMS(F32) over a whole tensor, by the tensor's type: about 1.5x
// the worst tensor measured on these files (llama.cpp b4748's quantizer), which is noted
// beside each limit with the file and tensor it came from. The errors halve with each bit,
// as they should; a wrong layout scrambles values and gives ~1.4 (uncorrelated) or worse.
struct RmsLimit {
  uint32_t type;
  double limit;
};
constexpr RmsLimit kRelativeRmsLimits[] = {
    {kF16, 3e-4},     // 2.09e-4  F16    blk.1.attn_output.weight
    {kBf16, 3e-3},    // 1.97e-3  BF16   blk.3.attn_k.weight
    {kQ8_0, 9e-3},    // 6.17e-3  Q8_0   blk.0.attn_v.weight
    {kQ6_K, 0.03},    // 0.0197   Q6_K   blk.0.attn_v.weight
    {kQ5_0, 0.075},   // 0.0498   Q5_0   blk.0.attn_v.weight
    {kQ5_1, 0.065},   // 0.0418   Q5_1   blk.0.attn_v.weight
    {kQ5_K, 0.06},    // 0.0393   Q5_K_M blk.0.attn_v.weight
    {kQ4_0, 0.145},   // 0.0960   Q4_0   blk.0.attn_v.weight
    {kQ4_1, 0.13},    // 0.0881   Q4_1   token_embd.weight
    {kQ4_K, 0.12},    // 0.0780   Q4_K_M blk.0.attn_v.weight
    {kIq4Xs, 0.125},  // 0.0838   IQ4_XS blk.0.attn_v.weight
    {kQ3_K, 0.25},    // 0.165    Q2_K   blk.0.attn_v.weight
    {kQ2_K, 0.5},     // 0.339    Q2_K   token_embd.weight
};

double RelativeRmsLimit(uint32_t type) {
  for (const RmsLimit& l : kRelativeRmsLimits) {
    if (l.type == type) return l.limit;
  }
  ADD_FAILURE() << "no measured limit for " << TypeName(type);
  return 0;
}

struct TensorError {
  double sum_sq_error = 0;
  double sum_sq_ref = 0;
  bool zero_rows_exact = true;  // rows that are all zero in F32 dequantize to all zero
  double relative_rms() const { return sum_sq_ref > 0 ? std::sqrt(sum_sq_error / sum_sq_ref) : 0; }
};

TensorError CompareToF32(const gguf::TensorInfo& t, const gguf::TensorInfo& ref) {
  TensorError e;
  const int64_t cols = static_cast<int64_t>(t.shape[0]);
  const int64_t rows = static_cast<int64_t>(t.n_elements) / cols;
  const size_t row_bytes = t.n_bytes / static_cast<size_t>(rows);
  std::vector<float> out(static_cast<size_t>(cols)), want(static_cast<size_t>(cols));
  for (int64_t r = 0; r < rows; ++r) {
    DequantizeRowReference(t.type.id, t.data + r * row_bytes, out.data(), cols);
    std::memcpy(want.data(), ref.data + r * cols * 4, static_cast<size_t>(cols) * 4);
    bool zero = true;
    for (int64_t c = 0; c < cols; ++c) {
      const double diff = static_cast<double>(out[c]) - want[c];
      e.sum_sq_error += diff * diff;
      e.sum_sq_ref += static_cast<double>(want[c]) * want[c];
      zero = zero && want[c] == 0;
    }
    if (zero) {
      for (float v : out) e.zero_rows_exact = e.zero_rows_exact && v == 0;
    }
  }
  return e;
}

class QuantRealFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    StatusOr<gguf::Artifact> f32 = gguf::Artifact::Open(WidePath("F32"));
    ASSERT_TRUE(f32.ok()) << f32.status().message();
    f32_ = new gguf::Artifact(std::move(f32).value());
  }
  static void TearDownTestSuite() {
    delete f32_;
    f32_ = nullptr;
  }
  static gguf::Artifact* f32_;
};
gguf::Artifact* QuantRealFiles::f32_ = nullptr;

TEST_F(QuantRealFiles, DequantizedTensorsMatchTheF32File) {
  ASSERT_NE(f32_, nullptr);
  std::map<uint32_t, double> worst;  // by tensor type, over every file
  int tensors_checked = 0;
  for (const char* suffix : kWideFiles) {
    SCOPED_TRACE(suffix);
    StatusOr<gguf::Artifact> file = gguf::Artifact::Open(WidePath(suffix));
    ASSERT_TRUE(file.ok()) << file.status().message();
    for (const gguf::TensorInfo* t : file->tensors()) {
      ASSERT_TRUE(IsSupportedWeightType(t->type.id)) << t->name << ": " << t->type.name;
    }
    for (const gguf::TensorInfo* t : file->tensors()) {
      if (t->shape.size() != 2) continue;
      const gguf::TensorInfo* ref = f32_->FindTensor(t->name);
      ASSERT_NE(ref, nullptr) << t->name;
      ASSERT_EQ(ref->type.id, kF32);
      ASSERT_EQ(ref->shape, t->shape) << t->name;
      const TensorError e = CompareToF32(*t, *ref);
      const double rel = e.relative_rms();
      EXPECT_GT(e.sum_sq_ref, 0) << t->name;
      EXPECT_LE(rel, RelativeRmsLimit(t->type.id)) << t->name << " (" << t->type.name << ")";
      EXPECT_TRUE(e.zero_rows_exact) << t->name << " (" << t->type.name << ")";
      worst[t->type.id] = std::max(worst[t->type.id], rel);
      ++tensors_checked;
    }
  }
  EXPECT_GE(tensors_checked, 13 * 7);
  for (const auto& [type, rel] : worst) RecordProperty("rel_rms_" + TypeName(type), Sci(rel));
}

// llama-quantize writes Q8_0 with quantize_row_q8_0_ref, the same rounding the Q8_0
// activation quantizer uses: quantizing the F32 file's rows must give the Q8_0 file's bytes.
TEST_F(QuantRealFiles, Q8_0QuantizerReproducesLlamaCppBytes) {
  ASSERT_NE(f32_, nullptr);
  StatusOr<gguf::Artifact> q8 = gguf::Artifact::Open(WidePath("Q8_0"));
  ASSERT_TRUE(q8.ok()) << q8.status().message();
  int tensors_checked = 0;
  for (const gguf::TensorInfo* t : q8->tensors()) {
    if (t->type.id != kQ8_0) continue;
    const gguf::TensorInfo* ref = f32_->FindTensor(t->name);
    ASSERT_NE(ref, nullptr) << t->name;
    std::vector<uint8_t> bytes(
        ActivationBytes(ActivationFormat::kQ8_0, static_cast<int64_t>(ref->n_elements)));
    ASSERT_EQ(bytes.size(), t->n_bytes) << t->name;
    QuantizeActivationReference(ActivationFormat::kQ8_0, reinterpret_cast<const float*>(ref->data),
                                bytes.data(), static_cast<int64_t>(ref->n_elements));
    EXPECT_EQ(0, std::memcmp(bytes.data(), t->data, bytes.size())) << t->name;
    ++tensors_checked;
  }
  EXPECT_GE(tensors_checked, 30);
}

// ggml's quantize_row_q4_0_ref (what llama-quantize uses for Q4_0 without an imatrix):
// d = max / -8 with max the value of largest magnitude, q = min(15, trunc(x / d + 8.5)).
BlockQ4_0 QuantizeQ4_0Like(const float* x) {
  float amax = 0, max = 0;
  for (int j = 0; j < 32; ++j) {
    if (amax < std::fabs(x[j])) {
      amax = std::fabs(x[j]);
      max = x[j];
    }
  }
  const float d = max / -8;
  const float id = d != 0 ? 1.0f / d : 0.0f;
  BlockQ4_0 b;
  b.d = F32ToF16(d);
  for (int j = 0; j < 16; ++j) {
    const int lo = std::min(15, static_cast<int>(static_cast<int8_t>(x[j] * id + 8.5f)));
    const int hi = std::min(15, static_cast<int>(static_cast<int8_t>(x[j + 16] * id + 8.5f)));
    b.qs[j] = static_cast<uint8_t>(lo | (hi << 4));
  }
  return b;
}

// The Q4_0 file's bytes are exactly ggml's Q4_0 quantization of the F32 file: the block
// struct and nibble order are the ones llama.cpp wrote.
TEST_F(QuantRealFiles, Q4_0BlocksAreLlamaCppsBytes) {
  ASSERT_NE(f32_, nullptr);
  StatusOr<gguf::Artifact> q4 = gguf::Artifact::Open(WidePath("Q4_0"));
  ASSERT_TRUE(q4.ok()) << q4.status().message();
  int tensors_checked = 0;
  for (const gguf::TensorInfo* t : q4->tensors()) {
    if (t->type.id != kQ4_0) continue;
    const gguf::TensorInfo* ref = f32_->FindTensor(t->name);
    ASSERT_NE(ref, nullptr) << t->name;
    const int64_t blocks = static_cast<int64_t>(ref->n_elements) / 32;
    ASSERT_EQ(static_cast<uint64_t>(blocks) * sizeof(BlockQ4_0), t->n_bytes) << t->name;
    int64_t mismatched = 0;
    for (int64_t i = 0; i < blocks; ++i) {
      float x[32];
      std::memcpy(x, ref->data + i * 128, sizeof(x));
      const BlockQ4_0 want = QuantizeQ4_0Like(x);
      if (std::memcmp(&want, t->data + i * sizeof(BlockQ4_0), sizeof(BlockQ4_0)) != 0) {
        ++mismatched;
      }
    }
    EXPECT_EQ(mismatched, 0) << t->name << " of " << blocks << " blocks";
    ++tensors_checked;
  }
  EXPECT_GE(tensors_checked, 30);
}

// On real rows (scales from llama.cpp's quantizer, not random) VecDot agrees with the
// dequantized dot product too.
TEST_F(QuantRealFiles, VecDotOfRealRowsMatchesTheDequantizedDot) {
  std::mt19937 rng(11);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  int rows_checked = 0;
  for (const char* suffix : kWideFiles) {
    SCOPED_TRACE(suffix);
    StatusOr<gguf::Artifact> file = gguf::Artifact::Open(WidePath(suffix));
    ASSERT_TRUE(file.ok()) << file.status().message();
    for (const gguf::TensorInfo* t : file->tensors()) {
      if (t->shape.size() != 2) continue;
      const int64_t cols = static_cast<int64_t>(t->shape[0]);
      const int64_t rows = static_cast<int64_t>(t->n_elements) / cols;
      const size_t row_bytes = t->n_bytes / static_cast<size_t>(rows);
      for (int64_t r : {int64_t{0}, rows / 3, rows / 2}) {
        const std::vector<uint8_t> row(t->data + r * row_bytes, t->data + (r + 1) * row_bytes);
        std::vector<float> x(static_cast<size_t>(cols));
        for (float& v : x) v = gauss(rng);
        std::vector<float> w(static_cast<size_t>(cols));
        DequantizeRowReference(t->type.id, row.data(), w.data(), cols);
        bool all_zero = true;
        for (float v : w) all_zero = all_zero && v == 0;
        if (all_zero) continue;  // padding rows
        const DotCheck c = CheckDot(t->type.id, row, x);
        ASSERT_TRUE(c.ok) << t->name;
        EXPECT_LE(c.error, kDotRelativeTolerance) << t->name << " row " << r;
        ++rows_checked;
      }
    }
  }
  EXPECT_GE(rows_checked, 100);
}

}  // namespace
}  // namespace sizer::kernels
