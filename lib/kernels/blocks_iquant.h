// The block layouts of the lattice I-quants (IQ1_S, IQ1_M, IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS,
// IQ3_S), the ternary formats (TQ1_0, TQ2_0) and MXFP4, byte for byte as ggml stores them in
// GGUF tensor data (ggml-org/ggml src/ggml-common.h). Conventions as kernels/blocks.h: f16
// fields are raw binary16 bits, multi-byte fields little-endian.
//
// The lattice formats store, per group of 8 (IQ2, IQ1) or 4 (IQ3) values, an index into a
// table of lattice points (kernels/iquant_grids.h) plus signs; the value is
// d * block_scale * grid_value * sign. Block scales are odd multipliers 2s + 1 of 4-bit (IQ2,
// IQ3) or 3-bit (IQ1) fields s.
#ifndef SIZER_KERNELS_BLOCKS_IQUANT_H_
#define SIZER_KERNELS_BLOCKS_IQUANT_H_

#include <bit>
#include <cstdint>

#include "kernels/blocks.h"

namespace sizer::kernels {

// 2.0625 bpw. Per 32 values, 4 uint16 = 8 bytes: bytes 0-3 are 4 indices into kIq2XxsGrid
// (8 values each); the uint32 of bytes 4-7 holds four 7-bit sign fields (bits 7l..7l+6,
// expanded by kKSignsIq2Xs) and the 4-bit scale s in bits 28-31:
// x = d * (0.5 + s) / 4 * grid * sign.
struct BlockIq2Xxs {
  uint16_t d;
  uint16_t qs[kQK_K / 8];
};
static_assert(sizeof(BlockIq2Xxs) == 66);

// 2.3125 bpw. qs[k]: bits 0-8 index kIq2XsGrid, bits 9-15 the 7-bit sign field, for values
// 8k..8k+7. scales[g]: the 4-bit s of values 32g..32g+15 (low nibble) and 32g+16..32g+31
// (high nibble): x = d * (0.5 + s) / 4 * grid * sign.
struct BlockIq2Xs {
  uint16_t d;
  uint16_t qs[kQK_K / 8];
  uint8_t scales[kQK_K / 32];
};
static_assert(sizeof(BlockIq2Xs) == 74);

// 2.5625 bpw. qs[0..31]: the low 8 bits of the kIq2SGrid index of values 8k..8k+7, bits
// 2l..2l+1 of qh[g] its high 2 bits (k = 4g + l); qs[32..63]: one full sign byte per 8 values
// (bit j negates value j); scales as IQ2_XS.
struct BlockIq2S {
  uint16_t d;
  uint8_t qs[kQK_K / 4];
  uint8_t qh[kQK_K / 32];
  uint8_t scales[kQK_K / 32];
};
static_assert(sizeof(BlockIq2S) == 82);

// 3.0625 bpw. qs[0..63]: one kIq3XxsGrid index (4 values) per byte. qs[64..95]: per 32
// values a uint32 of four 7-bit sign fields (as IQ2_XXS) and the 4-bit s in bits 28-31:
// x = d * (0.5 + s) / 2 * grid * sign.
struct BlockIq3Xxs {
  uint16_t d;
  uint8_t qs[3 * kQK_K / 8];
};
static_assert(sizeof(BlockIq3Xxs) == 98);

// 3.4375 bpw. qs: the low 8 bits of the kIq3SGrid index of values 4k..4k+3, bit k % 8 of
// qh[k / 8] its 9th bit; signs: one sign byte per 8 values; scales[h]: the 4-bit s of values
// 64h..64h+31 (low nibble) and 64h+32..64h+63 (high): x = d * (1 + 2s) * grid * sign.
struct BlockIq3S {
  uint16_t d;
  uint8_t qs[kQK_K / 4];
  uint8_t qh[kQK_K / 32];
  uint8_t signs[kQK_K / 8];
  uint8_t scales[kQK_K / 64];
};
static_assert(sizeof(BlockIq3S) == 110);

// 1.5625 bpw. qs[k]: the low 8 bits of the kIq1SGrid index of values 8k..8k+7. qh[g], per 32
// values: bits 3l..3l+2 the index's high 3 bits (k = 4g + l), bits 12-14 the 3-bit s, bit 15
// the sign of the shift: x = d * (2s + 1) * (grid + (bit15 ? -1/8 : 1/8)).
struct BlockIq1S {
  uint16_t d;
  uint8_t qs[kQK_K / 8];
  uint16_t qh[kQK_K / 32];
};
static_assert(sizeof(BlockIq1S) == 50);

// 1.75 bpw, no separate d: the f16 super-block scale is the top nibbles of the four uint16 of
// `scales` (bits 12-15 of each, uint16 0 giving its low nibble). qs as IQ1_S; qh[k / 2] gives
// group k (8 values) its index's high 3 bits (bits 0-2 for even k, 4-6 for odd) and its shift
// sign (bit 3 / bit 7). Each 16 values g (0..15) have a 3-bit s at bits 3(g % 4)..3(g % 4) + 2
// of uint16 g / 4 of `scales`: x = d * (2s + 1) * (grid + (sign ? -1/8 : 1/8)).
struct BlockIq1M {
  uint8_t qs[kQK_K / 8];
  uint8_t qh[kQK_K / 16];
  uint8_t scales[kQK_K / 32];
};
static_assert(sizeof(BlockIq1M) == 56);

// 1.6875 bpw ternary: x = d * (t - 1), t in 0..2. Each byte of qs holds 5 trits and each of
// qh 4, as a fixed-point fraction: trit n of byte b is ((uint8)(b * 3^n) * 3) >> 8. Value order:
// qs[0..31] trit n gives values 32n + m (m the byte), qs[32..47] values 160 + 16n + m,
// qh[0..3] values 240 + 4n + m.
struct BlockTq1_0 {
  uint8_t qs[(kQK_K - 4 * kQK_K / 64) / 5];
  uint8_t qh[kQK_K / 64];
  uint16_t d;
};
static_assert(sizeof(BlockTq1_0) == 54);

// 2.0625 bpw ternary: x = d * (q - 1), q the 2-bit field; value 128h + 32l + m is bits
// 2l..2l+1 of qs[32h + m].
struct BlockTq2_0 {
  uint8_t qs[kQK_K / 4];
  uint16_t d;
};
static_assert(sizeof(BlockTq2_0) == 66);

// OCP Microscaling MXFP4 (MX spec v1.0): 32 e2m1 values sharing one e8m0 scale 2^(e - 127).
// Value j is the low nibble of qs[j], value j + 16 the high nibble (Q4_0's order); with ggml's
// doubled table kValuesMxfp4, x = 2^(e - 128) * kValuesMxfp4[nibble].
struct BlockMxfp4 {
  uint8_t e;
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockMxfp4) == 17);

// 2^(e - 128) as a float: half the e8m0 scale, the factor that goes with the doubled e2m1
// table (ggml's GGML_E8M0_TO_FP32_HALF). e = 0 and 1 give the subnormals 2^-128 and 2^-127;
// e = 255 (the spec's NaN) gives 2^127, as ggml does.
inline float E8m0ToFloatHalf(uint8_t e) {
  const uint32_t bits = e < 2 ? (0x00200000u << e) : (static_cast<uint32_t>(e - 1) << 23);
  return std::bit_cast<float>(bits);
}

}  // namespace sizer::kernels

#endif  // SIZER_KERNELS_BLOCKS_IQUANT_H_
