// The safetensors header reader (catalog/safetensors_header.h): good headers, header-only
// files, and every malformed input as a kCorruption naming the file and the byte offset.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file.h"
#include "catalog/safetensors_header.h"
#include "testing/status_matchers.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using testing::StatusIs;

std::string LengthPrefix(uint64_t n) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  return out;
}

// A file image: length + JSON header, then `data_bytes` zero bytes.
std::string File(const std::string& json, uint64_t data_bytes = 0) {
  return LengthPrefix(json.size()) + json + std::string(data_bytes, '\0');
}

StatusOr<SafetensorsHeader> Parse(const std::string& file) {
  return ParseSafetensorsHeader(file, file.size(), "m.safetensors");
}

const char kTwoTensors[] =
    R"({"__metadata__":{"format":"pt"},)"
    R"("b":{"dtype":"F32","shape":[2],"data_offsets":[6,14]},)"
    R"("a":{"dtype":"BF16","shape":[3],"data_offsets":[0,6]}})";

TEST(SafetensorsHeader, ReadsTensorsInDataOrderWithTheirBytes) {
  StatusOr<SafetensorsHeader> h = Parse(File(kTwoTensors, 14));
  ASSERT_TRUE(h.ok()) << h.status().message();
  ASSERT_EQ(h->tensors.size(), 2u);
  EXPECT_EQ(h->tensors[0].name, "a");
  EXPECT_EQ(h->tensors[0].dtype, "BF16");
  EXPECT_EQ(h->tensors[0].elements, 3u);
  EXPECT_EQ(h->tensors[0].bytes(), 6u);
  EXPECT_EQ(h->tensors[1].bytes(), 8u);
  EXPECT_EQ(h->data_bytes, 14u);
  EXPECT_TRUE(h->data_present);
  EXPECT_EQ(h->metadata.at("format"), "pt");
}

TEST(SafetensorsHeader, AHeaderOnlyFileIsReadWithoutItsData) {
  StatusOr<SafetensorsHeader> h = Parse(File(kTwoTensors));
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_FALSE(h->data_present);
  EXPECT_EQ(h->data_bytes, 14u);
}

TEST(SafetensorsHeader, ScalarsAndPackedFourBitTypesHaveTheirSizes) {
  StatusOr<SafetensorsHeader> h = Parse(File(
      R"({"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]},)"
      R"("f4":{"dtype":"F4","shape":[2,3],"data_offsets":[4,7]}})"));
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_EQ(h->tensors[0].elements, 1u);
  EXPECT_EQ(h->tensors[1].bytes(), 3u);
  EXPECT_EQ(SafetensorsDtypeBits("F8_E4M3"), 8);
  EXPECT_EQ(SafetensorsDtypeBits("Q4"), 0);
}

TEST(SafetensorsHeader, ALengthPastTheFileOrTheBoundIsRefusedWithoutAllocating) {
  const std::string json = kTwoTensors;
  std::string file = LengthPrefix(json.size() + 100) + json;
  EXPECT_THAT(Parse(file), StatusIs(StatusCode::kCorruption,
                                    HasSubstr("m.safetensors: byte 0: header length")));
  EXPECT_THAT(Parse(file), StatusIs(StatusCode::kCorruption, HasSubstr("runs past the end")));
  EXPECT_THAT(Parse(LengthPrefix(UINT64_MAX) + json),
              StatusIs(StatusCode::kCorruption, HasSubstr("exceeds the 104857600-byte limit")));
  EXPECT_THAT(Parse(LengthPrefix(kMaxSafetensorsHeaderBytes + 1)),
              StatusIs(StatusCode::kCorruption, HasSubstr("limit")));
  EXPECT_THAT(Parse("abc"), StatusIs(StatusCode::kCorruption, HasSubstr("8-byte header length")));
}

TEST(SafetensorsHeader, AHeaderThatIsNotJsonNamesTheByte) {
  EXPECT_THAT(Parse(File(R"({"a":{"dtype":)")),
              StatusIs(StatusCode::kCorruption, HasSubstr("m.safetensors: byte ")));
  EXPECT_THAT(Parse(File(R"({"a":{"dtype":)")), StatusIs(StatusCode::kCorruption, HasSubstr("not JSON")));
  EXPECT_THAT(Parse(File("[1,2]")), StatusIs(StatusCode::kCorruption, HasSubstr("not a JSON object")));
}

TEST(SafetensorsHeader, AnUnknownDtypeIsNamedWithTheKnownOnes) {
  EXPECT_THAT(Parse(File(R"({"w":{"dtype":"Q4_K","shape":[4],"data_offsets":[0,4]}})")),
              StatusIs(StatusCode::kCorruption,
                       HasSubstr("tensor 'w': unknown dtype 'Q4_K' (known: BOOL U8")));
}

TEST(SafetensorsHeader, OffsetsThatDoNotMatchTheShapeAreRefused) {
  EXPECT_THAT(Parse(File(R"({"w":{"dtype":"F16","shape":[4,4],"data_offsets":[0,16]}})")),
              StatusIs(StatusCode::kCorruption, HasSubstr("span 16 bytes, but shape x F16 is 32")));
  EXPECT_THAT(Parse(File(R"({"w":{"dtype":"F16","shape":[4],"data_offsets":[8,0]}})")),
              StatusIs(StatusCode::kCorruption, HasSubstr("end is before begin")));
  EXPECT_THAT(Parse(File(R"({"w":{"dtype":"F16","shape":[-4],"data_offsets":[0,8]}})")),
              StatusIs(StatusCode::kCorruption, HasSubstr("non-negative integer")));
  EXPECT_THAT(Parse(File(R"({"w":{"dtype":"F16","shape":[4294967296,4294967296],"data_offsets":[0,8]}})")),
              StatusIs(StatusCode::kCorruption, HasSubstr("overflows 64 bits")));
  EXPECT_THAT(Parse(File(R"({"w":{"dtype":"F16","shape":[4]}})")),
              StatusIs(StatusCode::kCorruption, HasSubstr("missing key 'data_offsets'")));
}

TEST(SafetensorsHeader, OverlapsGapsAndTruncatedDataAreRefusedAtTheirByte) {
  const std::string overlap =
      R"({"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},)"
      R"("b":{"dtype":"U8","shape":[8],"data_offsets":[4,12]}})";
  EXPECT_THAT(Parse(File(overlap)),
              StatusIs(StatusCode::kCorruption, HasSubstr("tensor 'b' overlaps tensor 'a'")));
  const std::string gap =
      R"({"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},)"
      R"("b":{"dtype":"U8","shape":[8],"data_offsets":[16,24]}})";
  EXPECT_THAT(Parse(File(gap)), StatusIs(StatusCode::kCorruption, HasSubstr("a gap of 8 bytes")));
  EXPECT_THAT(Parse(File(kTwoTensors, 10)),
              StatusIs(StatusCode::kCorruption, HasSubstr("holds 10 bytes, the tensors' data_offsets 14 "
                                                          "(truncated file)")));
  EXPECT_THAT(Parse(File(overlap)), StatusIs(StatusCode::kCorruption,
                                             HasSubstr("byte " + std::to_string(8 + overlap.size() + 4))));
}

TEST(SafetensorsHeader, ReadsOnlyTheHeaderOfAFileOnDisk) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("sizer_st_" + std::to_string(::getpid()))).string();
  {
    std::ofstream out(path, std::ios::binary);
    out << File(kTwoTensors, 14);
  }
  StatusOr<SafetensorsHeader> h = ReadSafetensorsHeader(path);
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_EQ(h->file_bytes, 8 + std::string(kTwoTensors).size() + 14);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << LengthPrefix(UINT64_MAX - 3);  // a 2^64 claim: refused before any allocation
  }
  EXPECT_THAT(ReadSafetensorsHeader(path), StatusIs(StatusCode::kCorruption, HasSubstr("limit")));
  std::filesystem::remove(path);
  EXPECT_THAT(ReadSafetensorsHeader(path), StatusIs(StatusCode::kNotFound, HasSubstr(path)));
}

// The fuzz target's checked-in seeds (tests/fuzz/corpus/safetensors_header/) parse, and every
// fixture shard reads: the reader's contract on real layouts, without a fuzzer run.
TEST(SafetensorsHeader, TheFuzzSeedsAndFixtureShardsParse) {
  int files = 0;
  for (const char* dir : {"/tests/fuzz/corpus/safetensors_header", "/tests/data/hf"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(testing::SourceDir() + dir)) {
      const std::string path = e.path().string();
      if (!e.is_regular_file() || path.find(".json") != std::string::npos ||
          path.find(".py") != std::string::npos) {
        continue;
      }
      SCOPED_TRACE(path);
      StatusOr<std::string> bytes = ReadFileToString(path);
      ASSERT_TRUE(bytes.ok());
      StatusOr<SafetensorsHeader> h = ParseSafetensorsHeader(*bytes, bytes->size(), path);
      EXPECT_TRUE(h.ok()) << h.status().message();
      ++files;
    }
  }
  EXPECT_GE(files, 20);
}

}  // namespace
}  // namespace sizer
