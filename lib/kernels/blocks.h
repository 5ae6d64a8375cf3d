// The block layouts of the quantized ggml formats, byte for byte as ggml stores them in GGUF
// tensor data (ggml-org/ggml src/ggml-common.h). f16 fields are raw binary16 bits
// (kernels/fp16.h converts them). Multi-byte fields are little-endian, as on every host
// sizer builds for. Also here: the small format facts the kernels share (the IQ4 value table,
// the k-quant scale unpacking).
#ifndef SIZER_KERNELS_BLOCKS_H_
#define SIZER_KERNELS_BLOCKS_H_

#include <bit>
#include <cstdint>

namespace sizer::kernels {

static_assert(std::endian::native == std::endian::little,
              "the block structs alias little-endian file bytes");

inline constexpr int kQK = 32;     // values per block of the 32-element formats
inline constexpr int kQK_K = 256;  // values per super-block of the k-quants and IQ4_XS
inline constexpr int kKScaleSize = 12;

// x = d * (q - 8), q in 0..15. Value j in the low nibble of qs[j], value j + 16 in the high.
struct BlockQ4_0 {
  uint16_t d;
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ4_0) == 18);

// x = d * q + m, q in 0..15, same nibble order as Q4_0.
struct BlockQ4_1 {
  uint16_t d;
  uint16_t m;
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ4_1) == 20);

// x = d * (q - 16), q in 0..31: the low 4 bits as Q4_0, bit 4 of value j is bit j of qh
// (a little-endian uint32).
struct BlockQ5_0 {
  uint16_t d;
  uint8_t qh[4];
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ5_0) == 22);

// x = d * q + m, q in 0..31, bits as Q5_0.
struct BlockQ5_1 {
  uint16_t d;
  uint16_t m;
  uint8_t qh[4];
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ5_1) == 24);

// x = d * q.
struct BlockQ8_0 {
  uint16_t d;
  int8_t qs[kQK];
};
static_assert(sizeof(BlockQ8_0) == 34);

// Q8_0 plus s = d * sum(qs): the activation side of Q4_1 / Q5_1 dot products.
struct BlockQ8_1 {
  uint16_t d;
  uint16_t s;
  int8_t qs[kQK];
};
static_assert(sizeof(BlockQ8_1) == 36);

// 16 groups of 16: x = d * (scales[g] & 15) * q - dmin * (scales[g] >> 4), q in 0..3.
// qs: in each 128-value half, byte l holds values l, l+32, l+64, l+96 at bits 0, 2, 4, 6.
struct BlockQ2_K {
  uint8_t scales[kQK_K / 16];
  uint8_t qs[kQK_K / 4];
  uint16_t d;
  uint16_t dmin;
};
static_assert(sizeof(BlockQ2_K) == 84);

// 16 groups of 16: x = d * (scale[g] - 32) * (q - (high bit ? 0 : 4)), 2 low bits as Q2_K,
// the high bit of value j is bit j / 32 of hmask[j % 32], 6-bit scales (UnpackQ3KScale).
struct BlockQ3_K {
  uint8_t hmask[kQK_K / 8];
  uint8_t qs[kQK_K / 4];
  uint8_t scales[12];
  uint16_t d;
};
static_assert(sizeof(BlockQ3_K) == 110);

// 8 groups of 32: x = d * sc[g] * q - dmin * m[g], q in 0..15, 6-bit sc/m (ScaleMinK4).
// qs: in each 64-value chunk, byte l holds value l (low nibble) and l + 32 (high nibble).
struct BlockQ4_K {
  uint16_t d;
  uint16_t dmin;
  uint8_t scales[kKScaleSize];
  uint8_t qs[kQK_K / 2];
};
static_assert(sizeof(BlockQ4_K) == 144);

// Q4_K plus a fifth bit: bit 4 of value 64c + l is bit 2c of qh[l], of 64c + 32 + l bit 2c+1.
struct BlockQ5_K {
  uint16_t d;
  uint16_t dmin;
  uint8_t scales[kKScaleSize];
  uint8_t qh[kQK_K / 8];
  uint8_t qs[kQK_K / 2];
};
static_assert(sizeof(BlockQ5_K) == 176);

// 16 groups of 16: x = d * scales[g] * (q - 32), q in 0..63. In each 128-value half (ql 64
// bytes, qh 32 bytes), for l in 0..31: values l and l + 64 are the low / high nibble of
// ql[l], values l + 32 and l + 96 those of ql[l + 32]; the top 2 bits of value l + 32k are
// bits 2k and 2k+1 of qh[l].
struct BlockQ6_K {
  uint8_t ql[kQK_K / 2];
  uint8_t qh[kQK_K / 4];
  int8_t scales[kQK_K / 16];
  uint16_t d;
};
static_assert(sizeof(BlockQ6_K) == 210);

// The activation side of k-quant dot products: x = d * q, bsums[g] = sum of qs[16g..16g+15].
struct BlockQ8_K {
  float d;
  int8_t qs[kQK_K];
  int16_t bsums[kQK_K / 16];
};
static_assert(sizeof(BlockQ8_K) == 292);

// x = d * kValuesIq4Nl[q], nibble order as Q4_0.
struct BlockIq4Nl {
  uint16_t d;
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockIq4Nl) == 18);

// 8 groups of 32: x = d * (ls[g] - 32) * kValuesIq4Nl[q]; ls is 6 bits, the low 4 in
// scales_l[g / 2] (nibble g % 2), the high 2 at bit 2g of scales_h. Each group's 16 bytes of
// qs use Q4_0's nibble order.
struct BlockIq4Xs {
  uint16_t d;
  uint16_t scales_h;
  uint8_t scales_l[kQK_K / 64];
  uint8_t qs[kQK_K / 2];
};
static_assert(sizeof(BlockIq4Xs) == 136);

// The 16 non-linear levels of IQ4_NL and IQ4_XS (ggml's kvalues_iq4nl).
inline constexpr int8_t kValuesIq4Nl[16] = {-127, -104, -83, -65, -49, -35, -22, -10,
                                            1,    13,   25,  38,  53,  69,  89,  113};

// Q4_K / Q5_K: the 6-bit scale and min of group j (0..7) from the 12 packed bytes
// (ggml's get_scale_min_k4). Groups 0-3 sit in the low 6 bits of bytes j and j+4; groups 4-7
// keep their low 4 bits in the nibbles of byte j+4 and their top 2 bits in the top bits of
// bytes j-4 (scale) and j (min).
inline void ScaleMinK4(int j, const uint8_t* q, uint8_t* scale, uint8_t* min) {
  if (j < 4) {
    *scale = q[j] & 63;
    *min = q[j + 4] & 63;
  } else {
    *scale = static_cast<uint8_t>((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
    *min = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
  }
}

// Q3_K: the signed scale (6-bit value - 32) of group j (0..15). The low 4 bits are nibbles of
// bytes 0-7 (groups 0-7 low nibbles, 8-15 high nibbles); the top 2 bits are bits 2(j/4) of
// byte 8 + j%4.
inline int UnpackQ3KScale(int j, const uint8_t* scales) {
  const int low = j < 8 ? (scales[j] & 0xF) : (scales[j - 8] >> 4);
  const int high = (scales[8 + j % 4] >> (2 * (j / 4))) & 3;
  return (low | (high << 4)) - 32;
}

// IQ4_XS: the signed scale (6-bit value - 32) of group ib (0..7).
inline int UnpackIq4XsScale(int ib, const BlockIq4Xs& b) {
  const int low = (b.scales_l[ib / 2] >> (4 * (ib % 2))) & 0xF;
  const int high = (b.scales_h >> (2 * ib)) & 3;
  return (low | (high << 4)) - 32;
}

}  // namespace sizer::kernels

#endif  // SIZER_KERNELS_BLOCKS_H_
