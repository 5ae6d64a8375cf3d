// Random weight rows for kernel tests: random bytes for every quant payload (all bit patterns
// occur) with finite f16 scales in [0.001, 0.1] (signed where the format allows; MXFP4's e8m0
// scale 2^-10..2^-1) and mins in [-0.1, 0.1], so dequantized values stay finite and comparable.
#ifndef SIZER_TESTS_TESTING_QUANT_ROWS_H_
#define SIZER_TESTS_TESTING_QUANT_ROWS_H_

#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "gguf/ggml_types.h"
#include "kernels/blocks.h"
#include "kernels/blocks_iquant.h"
#include "kernels/fp16.h"

namespace sizer::testing {

// Applies `fix` to every `Block` in `bytes` (read, change, write back).
template <typename Block, typename Fix>
void FixBlocks(std::vector<uint8_t>& bytes, Fix fix) {
  for (size_t off = 0; off + sizeof(Block) <= bytes.size(); off += sizeof(Block)) {
    Block b;
    std::memcpy(&b, bytes.data() + off, sizeof(Block));
    fix(b);
    std::memcpy(bytes.data() + off, &b, sizeof(Block));
  }
}

// A row of `n` values of ggml `type`. `payload_byte` supplies the quant payload bytes
// (default: random), e.g. a constant to test extreme quants.
inline std::vector<uint8_t> RandomWeightRow(uint32_t type, int64_t n, std::mt19937& rng,
                                            const std::function<uint8_t()>& payload_byte = {}) {
  using namespace sizer::kernels;  // NOLINT: block structs and conversions
  const auto info = gguf::FindGgmlType(type);
  const size_t bytes = static_cast<size_t>(n / info->block_elements) * info->block_bytes;
  std::vector<uint8_t> row(bytes);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  if (type == 0 || type == 1 || type == 30) {  // F32, F16, BF16
    for (int64_t i = 0; i < n; ++i) {
      const float f = unit(rng);
      if (type == 0) {
        std::memcpy(row.data() + 4 * i, &f, 4);
      } else {
        const uint16_t h = type == 1 ? F32ToF16(f) : F32ToBf16(f);
        std::memcpy(row.data() + 2 * i, &h, 2);
      }
    }
    return row;
  }
  for (uint8_t& b : row) b = payload_byte ? payload_byte() : static_cast<uint8_t>(rng());
  std::uniform_real_distribution<float> scale(0.001f, 0.1f);
  auto d = [&] { return F32ToF16((rng() & 1) ? -scale(rng) : scale(rng)); };
  auto positive = [&] { return F32ToF16(scale(rng)); };
  auto min = [&] { return F32ToF16(0.1f * unit(rng)); };
  switch (type) {
    case 2: FixBlocks<BlockQ4_0>(row, [&](BlockQ4_0& b) { b.d = d(); }); break;
    case 3: FixBlocks<BlockQ4_1>(row, [&](BlockQ4_1& b) { b.d = d(); b.m = min(); }); break;
    case 6: FixBlocks<BlockQ5_0>(row, [&](BlockQ5_0& b) { b.d = d(); }); break;
    case 7: FixBlocks<BlockQ5_1>(row, [&](BlockQ5_1& b) { b.d = d(); b.m = min(); }); break;
    case 8: FixBlocks<BlockQ8_0>(row, [&](BlockQ8_0& b) { b.d = d(); }); break;
    case 10: FixBlocks<BlockQ2_K>(row, [&](BlockQ2_K& b) { b.d = positive(); b.dmin = positive(); }); break;
    case 11: FixBlocks<BlockQ3_K>(row, [&](BlockQ3_K& b) { b.d = d(); }); break;
    case 12: FixBlocks<BlockQ4_K>(row, [&](BlockQ4_K& b) { b.d = positive(); b.dmin = positive(); }); break;
    case 13: FixBlocks<BlockQ5_K>(row, [&](BlockQ5_K& b) { b.d = positive(); b.dmin = positive(); }); break;
    case 14: FixBlocks<BlockQ6_K>(row, [&](BlockQ6_K& b) { b.d = d(); }); break;
    case 20: FixBlocks<BlockIq4Nl>(row, [&](BlockIq4Nl& b) { b.d = d(); }); break;
    case 23: FixBlocks<BlockIq4Xs>(row, [&](BlockIq4Xs& b) { b.d = d(); }); break;
    case 16: FixBlocks<BlockIq2Xxs>(row, [&](BlockIq2Xxs& b) { b.d = d(); }); break;
    case 17: FixBlocks<BlockIq2Xs>(row, [&](BlockIq2Xs& b) { b.d = d(); }); break;
    case 18: FixBlocks<BlockIq3Xxs>(row, [&](BlockIq3Xxs& b) { b.d = d(); }); break;
    case 19: FixBlocks<BlockIq1S>(row, [&](BlockIq1S& b) { b.d = d(); }); break;
    case 21: FixBlocks<BlockIq3S>(row, [&](BlockIq3S& b) { b.d = d(); }); break;
    case 22: FixBlocks<BlockIq2S>(row, [&](BlockIq2S& b) { b.d = d(); }); break;
    case 29:  // IQ1_M: the f16 d is the top nibbles of the four uint16 scale words
      FixBlocks<BlockIq1M>(row, [&](BlockIq1M& b) {
        const uint16_t h = d();
        for (int w = 0; w < 4; ++w) {
          uint16_t word;
          std::memcpy(&word, b.scales + 2 * w, 2);
          word = static_cast<uint16_t>((word & 0x0FFF) | (((h >> (4 * w)) & 0xF) << 12));
          std::memcpy(b.scales + 2 * w, &word, 2);
        }
      });
      break;
    case 34: FixBlocks<BlockTq1_0>(row, [&](BlockTq1_0& b) { b.d = d(); }); break;
    case 35: FixBlocks<BlockTq2_0>(row, [&](BlockTq2_0& b) { b.d = d(); }); break;
    case 39:  // MXFP4: scales 2^-10 .. 2^-1 (e8m0 117..126)
      FixBlocks<BlockMxfp4>(row, [&](BlockMxfp4& b) { b.e = static_cast<uint8_t>(117 + rng() % 10); });
      break;
    default: ADD_FAILURE() << "no random row for ggml type " << type;
  }
  return row;
}

}  // namespace sizer::testing

#endif  // SIZER_TESTS_TESTING_QUANT_ROWS_H_
