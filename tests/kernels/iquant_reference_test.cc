// The format tables of the lattice I-quants (IQ1_S, IQ1_M, IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS,
// IQ3_S) and MXFP4 (kernels/iquant_grids.h): each pinned by the SHA-256 of ggml's table, their
// structure (coordinates, nesting, sign parity), and MXFP4's e2m1 values and e8m0 scale. The
// kernels that use them are checked on real files in iquant_files_test.cc.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <set>
#include <string>

#include "base/sha256.h"
#include "kernels/blocks_iquant.h"
#include "kernels/fp16.h"
#include "kernels/iquant_grids.h"

namespace sizer::kernels {
namespace {

template <typename T, size_t N>
std::string Sha256Of(const T (&table)[N]) {
  return Sha256Hex(std::string(reinterpret_cast<const char*>(table), sizeof(table)));
}

// =========================================================================================
// The tables. The digests are of ggml's tables (ggml-org/ggml src/ggml-common.h, commit
// d99724f2), computed from that file's values written little-endian in their C types, not
// from this project's copy: a transcription slip changes the digest.

TEST(IquantGrids, EveryTableHasGgmlsBytes) {
  EXPECT_EQ(Sha256Of(kKSignsIq2Xs),
            "a76742a603f8beca5212ecce0f1f02f11a4887fd2f7c8b15aca0ea3eb3380c31");
  EXPECT_EQ(Sha256Of(kIq2XxsGrid),
            "05826b5d3e472a3a78f196be62ac78acf81df0f909626e12ab9fa2a5d490dd54");
  EXPECT_EQ(Sha256Of(kIq2XsGrid),
            "06e47aaca60b4dc1d9b5a3f34540437058a6b142b4d7a59d5ded769b4d1bf1de");
  EXPECT_EQ(Sha256Of(kIq2SGrid),
            "e1aa1473412b0552c2174c30ef22ab4073f6a181b85a17056e8249bd2932fd88");
  EXPECT_EQ(Sha256Of(kIq3XxsGrid),
            "46e35f5a997efdee6c99ce57854c8a0d4f0ff8ca57e5e8a60c0793ea580acf5d");
  EXPECT_EQ(Sha256Of(kIq3SGrid),
            "bd1af4945a1717c65610b0284e4628b9a1ba3b306fae3a06f6e5f597356e349f");
  EXPECT_EQ(Sha256Of(kIq1SGrid),
            "07540ffc1aeaf6ad4d97e96b0fcc765aae39671d4ae4a27bbd0e796fde167c6a");
  EXPECT_EQ(Sha256Of(kValuesMxfp4),
            "adf76b672d47eb7fc0afd4db132d548d59d3190aa0ad118fdbf569d5fd478f97");
}

// The set of coordinates each lattice uses, and that its points are distinct.
template <typename Entry, size_t N>
std::set<int> Coordinates(const Entry (&grid)[N], int per_entry, bool is_signed) {
  std::set<int> values;
  std::set<Entry> points(std::begin(grid), std::end(grid));
  EXPECT_EQ(points.size(), N) << "repeated lattice point";
  for (Entry e : grid) {
    for (int j = 0; j < per_entry; ++j) {
      const uint8_t byte = GridByte(e, j);
      values.insert(is_signed ? static_cast<int8_t>(byte) : byte);
    }
  }
  return values;
}

TEST(IquantGrids, LatticesUseTheFormatsCoordinates) {
  EXPECT_EQ(Coordinates(kIq2XxsGrid, 8, false), (std::set<int>{8, 25, 43}));
  EXPECT_EQ(Coordinates(kIq2XsGrid, 8, false), (std::set<int>{8, 25, 43}));
  EXPECT_EQ(Coordinates(kIq2SGrid, 8, false), (std::set<int>{8, 25, 43}));
  EXPECT_EQ(Coordinates(kIq3XxsGrid, 4, false), (std::set<int>{4, 12, 20, 28, 36, 44, 52, 62}));
  EXPECT_EQ(Coordinates(kIq3SGrid, 4, false), (std::set<int>{1, 3, 5, 7, 9, 11, 13, 15}));
  EXPECT_EQ(Coordinates(kIq1SGrid, 8, true), (std::set<int>{-1, 0, 1}));
}

// ksigns: the 7 stored sign bits plus an 8th that makes the number of minus signs even.
TEST(IquantGrids, SignTableCompletesEvenParity) {
  for (int i = 0; i < 128; ++i) {
    const int parity = __builtin_popcount(static_cast<unsigned>(i)) & 1;
    EXPECT_EQ(kKSignsIq2Xs[i], i | (parity << 7)) << i;
  }
}

TEST(IquantGrids, Mxfp4ValuesAreDoubledE2m1) {
  // e2m1 (OCP MX spec v1.0, section 5.3.3): 0, 0.5, 1, 1.5, 2, 3, 4, 6; bit 3 the sign.
  const float e2m1[8] = {0, 0.5f, 1, 1.5f, 2, 3, 4, 6};
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(kValuesMxfp4[i], (i < 8 ? 2 : -2) * e2m1[i % 8]) << i;
  }
}

TEST(IquantGrids, E8m0HalfScaleIsTwoToTheEMinus128) {
  EXPECT_EQ(E8m0ToFloatHalf(128), 1.0f);
  EXPECT_EQ(E8m0ToFloatHalf(127), 0.5f);
  EXPECT_EQ(E8m0ToFloatHalf(130), 4.0f);
  EXPECT_EQ(E8m0ToFloatHalf(2), 0x1p-126f);  // smallest normal
  EXPECT_EQ(E8m0ToFloatHalf(1), 0x1p-127f);  // subnormals
  EXPECT_EQ(E8m0ToFloatHalf(0), 0x1p-128f);
  EXPECT_EQ(E8m0ToFloatHalf(254), 0x1p126f);
  for (int e = 0; e < 255; ++e) {
    EXPECT_EQ(E8m0ToFloatHalf(static_cast<uint8_t>(e)), std::ldexp(1.0f, e - 128)) << e;
  }
}

}  // namespace
}  // namespace sizer::kernels
