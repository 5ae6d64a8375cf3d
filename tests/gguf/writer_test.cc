// GgufWriter: what it writes parses back with the project's reader, field for field, with
// aligned offsets; bad tensors are refused; a failed write leaves nothing under the name.
#include <filesystem>

#include <gtest/gtest.h>

#include "base/file.h"
#include "gguf/ggml_types.h"
#include "gguf/reader.h"
#include "gguf/writer.h"

namespace sizer::gguf {
namespace {

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          (name + "_" + std::to_string(::getpid()) + ".gguf")).string();
}

TEST(GgufWriter, RoundTripsMetadataAndTensorData) {
  GgufWriter w;
  w.AddString("general.architecture", "llama").AddU32("llama.block_count", 3).AddF32("f", 0.5f);
  w.AddBool("b", true).AddStringArray("tokens", {"a", "bc", ""}).AddF32Array("scores", {1.f, -2.f});
  w.AddI32Array("types", {1, 6, -3});
  w.SetAlignment(64);
  ASSERT_TRUE(w.AddTensor("t0", {32, 3}, 8).ok());   // Q8_0: 3 rows of 34 bytes
  ASSERT_TRUE(w.AddTensor("t1", {5}, 0).ok());       // F32
  const std::string path = TempPath("writer_roundtrip");
  uint64_t last_done = 0;
  Status s = w.Write(path, [](size_t index, uint64_t begin, uint64_t end, uint8_t* out) {
    const uint64_t row_bytes = index == 0 ? 34 : 20;
    for (uint64_t r = begin; r < end; ++r) {
      for (uint64_t b = 0; b < row_bytes; ++b) out[(r - begin) * row_bytes + b] = static_cast<uint8_t>(index * 100 + r * 7 + b);
    }
    return Status();
  }, [&](uint64_t done, uint64_t total) { last_done = done; EXPECT_LE(done, total); }, /*chunk_bytes=*/40);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  StatusOr<MappedFile> map = MappedFile::Open(path);
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->size(), w.FileBytes());
  StatusOr<GgufFile> f = ParseGguf(map->data(), map->size());
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(*f->GetString("general.architecture"), "llama");
  EXPECT_EQ(*f->GetUint("llama.block_count"), 3u);
  EXPECT_DOUBLE_EQ(*f->GetFloat("f"), 0.5);
  EXPECT_EQ(f->Find("tokens")->count, 3u);
  EXPECT_EQ(f->Find("types")->count, 3u);
  ASSERT_EQ(f->tensors.size(), 2u);
  EXPECT_EQ(f->tensors[0].name, "t0");
  EXPECT_EQ(f->tensors[0].type.id, 8u);
  EXPECT_EQ(f->tensors[1].offset % 64, 0u);
  const uint8_t* t0 = f->tensors[0].data;
  EXPECT_EQ(t0[0], 0);
  EXPECT_EQ(t0[34 * 2 + 1], static_cast<uint8_t>(2 * 7 + 1));  // row 2, byte 1
  const uint8_t* t1 = f->tensors[1].data;
  EXPECT_EQ(t1[3], static_cast<uint8_t>(100 + 3));
  EXPECT_EQ(last_done, f->tensors[1].offset + 20);
  std::filesystem::remove(path);
}

TEST(GgufWriter, RefusesBadTensors) {
  GgufWriter w;
  EXPECT_FALSE(w.AddTensor("x", {33, 2}, 8).ok());  // 33 is not a whole Q8_0 block
  EXPECT_FALSE(w.AddTensor("x", {32}, 9999).ok());  // unknown type
  EXPECT_FALSE(w.AddTensor("x", {}, 0).ok());
  EXPECT_FALSE(w.AddTensor("x", {1, 1, 1, 1, 1}, 0).ok());
  ASSERT_TRUE(w.AddTensor("x", {32}, 0).ok());
  Status dup = w.AddTensor("x", {32}, 0);
  EXPECT_NE(dup.message().find("duplicate"), std::string::npos);
}

TEST(GgufWriter, AFailedFillLeavesNoFile) {
  GgufWriter w;
  ASSERT_TRUE(w.AddTensor("x", {32, 4}, 0).ok());
  const std::string path = TempPath("writer_fail");
  Status s = w.Write(path, [](size_t, uint64_t, uint64_t, uint8_t*) {
    return Status::Internal("generator broke");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
}

TEST(GgufWriter, UnwritablePathIsAnIoErrorNamingIt) {
  GgufWriter w;
  Status s = w.Write("/nonexistent-dir/x.gguf", [](size_t, uint64_t, uint64_t, uint8_t*) { return Status(); });
  EXPECT_EQ(s.code(), StatusCode::kIOError);
  EXPECT_NE(s.message().find("/nonexistent-dir/x.gguf.partial"), std::string::npos);
}

}  // namespace
}  // namespace sizer::gguf
