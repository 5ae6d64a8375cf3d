// The lattice tables of the I-quant formats (IQ1_S, IQ1_M, IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS,
// IQ3_S) and the e2m1 values of MXFP4: part of each format's definition, as data. A block
// stores indices into these tables; the kernels (quant_reference_iq*.cc, _mxfp4.cc) turn an
// index into its 4 or 8 values.
//
// Each uint64_t / uint32_t entry packs its values as bytes, value j in byte j (little-endian):
// the same memory image as ggml's tables. The values are those of ggml's ggml-common.h
// (ggml-org/ggml src/ggml-common.h, commit d99724f2b141fed9e1a9f402213506c081433465, MIT
// licence; tables iq2xxs_grid, iq2xs_grid, iq2s_grid, iq3xxs_grid, iq3s_grid, iq1s_grid,
// ksigns_iq2xs, kvalues_fp4), transcribed by a script that parsed that file;
// tests/kernels/iquant_grids_test.cc pins the SHA-256 of each table's bytes.
#ifndef SIZER_KERNELS_IQUANT_GRIDS_H_
#define SIZER_KERNELS_IQUANT_GRIDS_H_

#include <cstdint>

namespace sizer::kernels {

// IQ2_XXS / IQ2_XS / IQ3_XXS: 7 sign bits -> 8 with even parity (ggml: ksigns_iq2xs).
extern const uint8_t kKSignsIq2Xs[128];

// IQ2_XXS: 256 points of 8 magnitudes (bytes) in {8, 25, 43} (ggml: iq2xxs_grid).
extern const uint64_t kIq2XxsGrid[256];

// IQ2_XS: 512 points of 8 magnitudes (bytes) in {8, 25, 43} (ggml: iq2xs_grid).
extern const uint64_t kIq2XsGrid[512];

// IQ2_S: 1024 points of 8 magnitudes (bytes) in {8, 25, 43} (ggml: iq2s_grid).
extern const uint64_t kIq2SGrid[1024];

// IQ3_XXS: 256 points of 4 magnitudes (bytes) in {4, 12, ..., 52, 62} (ggml: iq3xxs_grid).
extern const uint32_t kIq3XxsGrid[256];

// IQ3_S: 512 points of 4 magnitudes (bytes) in {1, 3, ..., 15} (ggml: iq3s_grid).
extern const uint32_t kIq3SGrid[512];

// IQ1_S / IQ1_M: 2048 points of 8 signed values (int8 bytes) in {-1, 0, 1} (ggml: iq1s_grid).
extern const uint64_t kIq1SGrid[2048];

// MXFP4: the 16 e2m1 values doubled (0, 0.5, 1, 1.5, 2, 3, 4, 6, then the same negated),
// so that they are integers (ggml: kvalues_fp4).
extern const int8_t kValuesMxfp4[16];

// Byte j of a grid entry: value j of that lattice point.
inline uint8_t GridByte(uint64_t entry, int j) { return static_cast<uint8_t>(entry >> (8 * j)); }

}  // namespace sizer::kernels

#endif  // SIZER_KERNELS_IQUANT_GRIDS_H_
