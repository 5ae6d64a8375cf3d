#include "gguf/reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "base/file.h"
#include "testing/gguf_builder.h"
#include "testing/test_env.h"

namespace sizer::gguf {
namespace {

using ::sizer::testing::Bytes;
using ::sizer::testing::GgufBuilder;
using ::sizer::testing::GgufLayout;
using ::sizer::testing::GgufTensor;
using ::sizer::testing::GgufValue;

constexpr uint32_t kF32 = 0, kF16 = 1, kQ4_0 = 2, kQ8_0 = 8, kQ4_K = 12, kQ6_K = 14, kBF16 = 30;
constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();

// The result views `b`: a temporary would leave it dangling, hence the deleted overload.
StatusOr<GgufFile> Parse(const Bytes& b) { return ParseGguf(b.data(), b.size()); }
StatusOr<GgufFile> Parse(Bytes&& b) = delete;
bool Parses(const Bytes& b) { return Parse(b).ok(); }

uint32_t Tag(ValueType t) { return static_cast<uint32_t>(t); }

// Parsing `bytes` fails with `code`, a message that starts with "byte <at>: " (when `at` is
// given) and contains every one of `needles`.
::testing::AssertionResult Fails(const Bytes& bytes, StatusCode code, std::optional<uint64_t> at,
                                 std::initializer_list<std::string_view> needles) {
  StatusOr<GgufFile> r = Parse(bytes);
  if (r.ok()) return ::testing::AssertionFailure() << "parsed, expected an error";
  const std::string& m = r.status().message();
  if (r.status().code() != code) {
    return ::testing::AssertionFailure()
           << "code " << StatusCodeName(r.status().code()) << ", expected " << StatusCodeName(code)
           << ": " << m;
  }
  if (at) {
    const std::string prefix = "byte " + std::to_string(*at) + ": ";
    if (m.rfind(prefix, 0) != 0) {
      return ::testing::AssertionFailure() << "message does not start with '" << prefix << "': " << m;
    }
  }
  for (std::string_view n : needles) {
    if (m.find(n) == std::string::npos) {
      return ::testing::AssertionFailure() << "message lacks '" << n << "': " << m;
    }
  }
  return ::testing::AssertionSuccess() << m;
}

::testing::AssertionResult Corrupt(const Bytes& bytes, uint64_t at,
                                   std::initializer_list<std::string_view> needles) {
  return Fails(bytes, StatusCode::kCorruption, at, needles);
}

// A small valid file with metadata of several kinds and three tensors of different types.
GgufBuilder SmallValid() {
  GgufBuilder b;
  b.AddString("general.architecture", "llama");
  b.Add("llama.block_count", GgufValue::U32(2));
  b.Add("u8", GgufValue::U8(7));
  b.Add("i16", GgufValue::I16(-5));
  b.Add("f64", GgufValue::F64(1.5));
  b.Add("flag", GgufValue::Bool(true));
  b.Add("u64", GgufValue::U64(99));
  b.Add("tokens", GgufValue::StrArray({"<s>", "a", "bc"}));
  b.Add("ints", GgufValue::I32Array({-1, 2, 3}));
  b.Add("nested", GgufValue::Array(ValueType::kArray,
                                   {GgufValue::U32Array({1, 2}), GgufValue::U32Array({3})}));
  b.AddTensor("a", {32, 2}, kQ8_0);  // 68 bytes
  b.AddTensor("b", {8}, kF32);       // 32 bytes
  b.AddTensor("c", {4, 4}, kF16);    // 32 bytes
  return b;
}

GgufValue NestedArrays(int levels) {  // `levels` arrays, the innermost holding one uint8
  GgufValue v = GgufValue::Array(ValueType::kUint8, {GgufValue::U8(42)});
  for (int i = 1; i < levels; ++i) v = GgufValue::Array(ValueType::kArray, {v});
  return v;
}

// ---------------------------------------------------------------------------------------
// The real model files.

TEST(GgufRealFile, Stories260KParses) {
  const std::string path = ::sizer::testing::TestDataDir() + "/models/stories260K.gguf";
  StatusOr<MappedFile> map = MappedFile::Open(path);
  ASSERT_TRUE(map.ok()) << map.status().message();
  StatusOr<GgufFile> r = ParseGguf(map->data(), map->size());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const GgufFile& f = *r;
  EXPECT_EQ(f.version, 3u);
  EXPECT_EQ(f.tensors.size(), 48u);
  EXPECT_EQ(f.metadata.size(), 19u);
  EXPECT_EQ(f.alignment, 32u);
  EXPECT_EQ(f.file_bytes, 1185376u);
  EXPECT_EQ(f.data_offset % 32, 0u);
  EXPECT_EQ(f.tensor_data_bytes, f.file_bytes - f.data_offset);
  EXPECT_EQ(f.tensor_data_bytes, 1171200u);

  StatusOr<std::string> arch = f.GetString("general.architecture");
  ASSERT_TRUE(arch.ok()) << arch.status().message();
  EXPECT_EQ(*arch, "llama");
  StatusOr<uint64_t> blocks = f.GetUint("llama.block_count");
  ASSERT_TRUE(blocks.ok()) << blocks.status().message();
  EXPECT_EQ(*blocks, 5u);

  const uint8_t* begin = map->data() + f.data_offset;
  const uint8_t* end = map->data() + map->size();
  uint64_t sum = 0;
  for (const TensorInfo& t : f.tensors) {
    EXPECT_GE(t.data, begin) << t.name;
    EXPECT_LE(t.data + t.n_bytes, end) << t.name;
    EXPECT_EQ(t.data, begin + t.offset) << t.name;
    EXPECT_EQ(t.offset % f.alignment, 0u) << t.name;
    EXPECT_EQ(f.FindTensor(t.name), &t) << t.name;
    sum += t.n_bytes;
  }
  EXPECT_EQ(sum, f.tensor_data_bytes);

  const TensorInfo* embd = f.FindTensor("token_embd.weight");
  ASSERT_NE(embd, nullptr);
  EXPECT_EQ(embd->shape, (std::vector<uint64_t>{64, 512}));
  EXPECT_EQ(embd->type.id, 0u);
  EXPECT_EQ(embd->type.name, "F32");
  EXPECT_EQ(embd->n_elements, 64u * 512u);
  EXPECT_EQ(embd->n_bytes, 64u * 512u * 4u);

  const Value* tokens = f.Find("tokenizer.ggml.tokens");
  ASSERT_NE(tokens, nullptr);
  ASSERT_TRUE(tokens->IsArray());
  EXPECT_EQ(tokens->element_type, ValueType::kString);
  EXPECT_EQ(tokens->count, 512u);
  EXPECT_EQ(tokens->strings.size(), 512u);
}

TEST(GgufRealFile, EveryWideModelParses) {
  const std::string dir = ::sizer::testing::TestDataDir() + "/models/wide";
  StatusOr<std::vector<std::string>> files = ListFiles(dir, ".gguf");
  ASSERT_TRUE(files.ok()) << files.status().message();
  ASSERT_GE(files->size(), 13u);
  for (const std::string& name : *files) {
    const std::string path = name.find('/') == std::string::npos ? dir + "/" + name : name;
    SCOPED_TRACE(path);
    StatusOr<MappedFile> map = MappedFile::Open(path);
    ASSERT_TRUE(map.ok()) << map.status().message();
    StatusOr<GgufFile> r = ParseGguf(map->data(), map->size());
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->tensor_data_bytes, r->file_bytes - r->data_offset);
    EXPECT_EQ(r->tensors.size(), 48u);
    StatusOr<std::string> arch = r->GetString("general.architecture");
    ASSERT_TRUE(arch.ok()) << arch.status().message();
    EXPECT_EQ(*arch, "llama");
    const TensorInfo* q = r->FindTensor("blk.0.attn_q.weight");
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->shape, (std::vector<uint64_t>{256, 256}));
  }
}

// A real file whose tokenizer array claims 2^40 strings fails without trying to reserve them.
TEST(GgufRealFile, Stories260KWithHugeTokenCountFails) {
  const std::string path = ::sizer::testing::TestDataDir() + "/models/stories260K.gguf";
  StatusOr<MappedFile> map = MappedFile::Open(path);
  ASSERT_TRUE(map.ok()) << map.status().message();
  Bytes bytes(map->data(), map->data() + map->size());
  const std::string key = "tokenizer.ggml.tokens";
  auto it = std::search(bytes.begin(), bytes.end(), key.begin(), key.end());
  ASSERT_NE(it, bytes.end());
  const uint64_t count_at = static_cast<uint64_t>(it - bytes.begin()) + key.size() + 4 + 4;
  ::sizer::testing::PatchU64(bytes, count_at, uint64_t{1} << 40);
  EXPECT_TRUE(Corrupt(bytes, count_at, {"metadata 'tokenizer.ggml.tokens'", "1099511627776 strings"}));
}

// ---------------------------------------------------------------------------------------
// Builder round trips.

TEST(GgufRoundTrip, EveryScalarType) {
  GgufBuilder b;
  b.Add("u8", GgufValue::U8(200));
  b.Add("i8", GgufValue::I8(-100));
  b.Add("u16", GgufValue::U16(60000));
  b.Add("i16", GgufValue::I16(-30000));
  b.Add("u32", GgufValue::U32(4000000000u));
  b.Add("i32", GgufValue::I32(-2000000000));
  b.Add("i32pos", GgufValue::I32(12));
  b.Add("f32", GgufValue::F32(0.5f));
  b.Add("bool_true", GgufValue::Bool(true));
  b.Add("bool_false", GgufValue::Bool(false));
  b.Add("str", GgufValue::Str("hello, world"));
  b.Add("empty_str", GgufValue::Str(""));
  b.Add("bin_str", GgufValue::Str(std::string("a\0b\xc3\xa9", 5)));
  b.Add("u64", GgufValue::U64(uint64_t{1} << 40));
  b.Add("u64max", GgufValue::U64(kU64Max));
  b.Add("i64", GgufValue::I64(-(int64_t{1} << 40)));
  b.Add("f64", GgufValue::F64(-2.25));
  const Bytes bytes = b.Build();
  StatusOr<GgufFile> r = Parse(bytes);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const GgufFile& f = *r;
  ASSERT_EQ(f.metadata.size(), 17u);
  EXPECT_EQ(f.metadata[0].first, "u8");
  EXPECT_EQ(f.metadata[16].first, "f64");
  EXPECT_TRUE(f.tensors.empty());
  EXPECT_EQ(f.tensor_data_bytes, 0u);

  auto uint_of = [&](const char* k) -> std::optional<uint64_t> {
    StatusOr<uint64_t> v = f.GetUint(k);
    return v.ok() ? std::optional<uint64_t>(*v) : std::nullopt;
  };
  auto float_of = [&](const char* k) -> std::optional<double> {
    StatusOr<double> v = f.GetFloat(k);
    return v.ok() ? std::optional<double>(*v) : std::nullopt;
  };
  EXPECT_EQ(f.Find("u8")->type, ValueType::kUint8);
  EXPECT_EQ(uint_of("u8"), 200u);
  EXPECT_EQ(float_of("u8"), 200.0);
  EXPECT_EQ(f.Find("i8")->type, ValueType::kInt8);
  EXPECT_EQ(f.Find("i8")->i64, -100);
  EXPECT_EQ(float_of("i8"), -100.0);
  EXPECT_EQ(uint_of("u16"), 60000u);
  EXPECT_EQ(f.Find("i16")->i64, -30000);
  EXPECT_EQ(float_of("i16"), -30000.0);
  EXPECT_EQ(uint_of("u32"), 4000000000u);
  EXPECT_EQ(f.Find("i32")->i64, -2000000000);
  EXPECT_EQ(uint_of("i32pos"), 12u);
  EXPECT_EQ(f.Find("f32")->type, ValueType::kFloat32);
  EXPECT_EQ(float_of("f32"), 0.5);
  EXPECT_TRUE(f.Find("bool_true")->boolean);
  EXPECT_EQ(f.Find("bool_true")->type, ValueType::kBool);
  EXPECT_FALSE(f.Find("bool_false")->boolean);
  EXPECT_EQ(uint_of("u64"), uint64_t{1} << 40);
  EXPECT_EQ(f.Find("u64max")->type, ValueType::kUint64);
  EXPECT_EQ(f.Find("u64max")->u64, kU64Max);  // the raw value survives; see GetUint below
  EXPECT_EQ(f.Find("i64")->i64, -(int64_t{1} << 40));
  EXPECT_EQ(float_of("i64"), -1099511627776.0);
  EXPECT_EQ(float_of("f64"), -2.25);

  StatusOr<std::string> s = f.GetString("str");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, "hello, world");
  ASSERT_TRUE(f.GetString("empty_str").ok());
  EXPECT_EQ(*f.GetString("empty_str"), "");
  ASSERT_TRUE(f.GetString("bin_str").ok());
  EXPECT_EQ(*f.GetString("bin_str"), std::string("a\0b\xc3\xa9", 5));
  // The string is a view into the buffer.
  EXPECT_GE(reinterpret_cast<const uint8_t*>(f.Find("str")->str.data()), bytes.data());
  EXPECT_LT(reinterpret_cast<const uint8_t*>(f.Find("str")->str.data()), bytes.data() + bytes.size());

  // Typed lookups of the wrong type or a missing key.
  EXPECT_EQ(f.GetUint("i8").status().code(), StatusCode::kCorruption);   // negative
  EXPECT_EQ(f.GetUint("i64").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(f.GetUint("f32").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(f.GetUint("str").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(f.GetUint("bool_true").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(f.GetFloat("str").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(f.GetString("u32").status().code(), StatusCode::kCorruption);
  EXPECT_NE(f.GetString("u32").status().message().find("'u32'"), std::string::npos);
  EXPECT_EQ(f.GetString("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(f.GetUint("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(f.GetFloat("nope").status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(f.Has("nope"));
  EXPECT_TRUE(f.Has("u8"));
}

TEST(GgufRoundTrip, ScalarArraysOfEveryType) {
  GgufBuilder b;
  b.Add("u8", GgufValue::Array(ValueType::kUint8, {GgufValue::U8(0), GgufValue::U8(255)}));
  b.Add("i8", GgufValue::Array(ValueType::kInt8, {GgufValue::I8(-128), GgufValue::I8(127)}));
  b.Add("u16", GgufValue::Array(ValueType::kUint16, {GgufValue::U16(65535), GgufValue::U16(1)}));
  b.Add("i16", GgufValue::Array(ValueType::kInt16, {GgufValue::I16(-32768), GgufValue::I16(2)}));
  b.Add("u32", GgufValue::U32Array({4294967295u, 3}));
  b.Add("i32", GgufValue::I32Array({-7, 4}));
  b.Add("f32", GgufValue::F32Array({0.25f, -8.5f}));
  b.Add("bool", GgufValue::Array(ValueType::kBool, {GgufValue::Bool(true), GgufValue::Bool(false)}));
  b.Add("u64", GgufValue::Array(ValueType::kUint64, {GgufValue::U64(uint64_t{1} << 52), GgufValue::U64(5)}));
  b.Add("i64", GgufValue::Array(ValueType::kInt64, {GgufValue::I64(-(int64_t{1} << 50)), GgufValue::I64(6)}));
  b.Add("f64", GgufValue::Array(ValueType::kFloat64, {GgufValue::F64(1e300), GgufValue::F64(-0.125)}));
  b.Add("empty", GgufValue::Array(ValueType::kFloat32, {}));
  const Bytes bytes = b.Build();
  StatusOr<GgufFile> r = Parse(bytes);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const GgufFile& f = *r;
  struct Expect {
    const char* key;
    ValueType type;
    double first, second;
  };
  const Expect expects[] = {
      {"u8", ValueType::kUint8, 0, 255},
      {"i8", ValueType::kInt8, -128, 127},
      {"u16", ValueType::kUint16, 65535, 1},
      {"i16", ValueType::kInt16, -32768, 2},
      {"u32", ValueType::kUint32, 4294967295.0, 3},
      {"i32", ValueType::kInt32, -7, 4},
      {"f32", ValueType::kFloat32, 0.25, -8.5},
      {"bool", ValueType::kBool, 1, 0},
      {"u64", ValueType::kUint64, 4503599627370496.0, 5},
      {"i64", ValueType::kInt64, -1125899906842624.0, 6},
      {"f64", ValueType::kFloat64, 1e300, -0.125},
  };
  for (const Expect& e : expects) {
    SCOPED_TRACE(e.key);
    const Value* v = f.Find(e.key);
    ASSERT_NE(v, nullptr);
    ASSERT_TRUE(v->IsArray());
    EXPECT_EQ(v->type, ValueType::kArray);
    EXPECT_EQ(v->element_type, e.type);
    ASSERT_EQ(v->count, 2u);
    EXPECT_EQ(v->NumberAt(0), e.first);
    EXPECT_EQ(v->NumberAt(1), e.second);
    EXPECT_GE(v->raw, bytes.data());
    EXPECT_LE(v->raw + 2 * ScalarSize(e.type), bytes.data() + bytes.size());
  }
  EXPECT_EQ(f.Find("empty")->count, 0u);
  EXPECT_EQ(f.Find("empty")->element_type, ValueType::kFloat32);
  // An array is not a scalar.
  EXPECT_EQ(f.GetUint("u32").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(f.GetString("u32").status().code(), StatusCode::kCorruption);
}

TEST(GgufRoundTrip, StringAndNestedArrays) {
  GgufBuilder b;
  b.Add("strings", GgufValue::StrArray({"alpha", "", "\xe2\x96\x81the"}));
  b.Add("nested", GgufValue::Array(ValueType::kArray,
                                   {GgufValue::U32Array({1, 2, 3}), GgufValue::F32Array({4.5f}),
                                    GgufValue::Array(ValueType::kUint8, {})}));
  b.Add("nested_strings", GgufValue::Array(ValueType::kArray, {GgufValue::StrArray({"x", "yz"})}));
  b.Add("deep", NestedArrays(8));  // the deepest nesting accepted
  const Bytes r_bytes = b.Build();
  StatusOr<GgufFile> r = Parse(r_bytes);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const GgufFile& f = *r;

  const Value* s = f.Find("strings");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->element_type, ValueType::kString);
  EXPECT_EQ(s->count, 3u);
  EXPECT_EQ(s->strings, (std::vector<std::string_view>{"alpha", "", "\xe2\x96\x81the"}));

  const Value* n = f.Find("nested");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->element_type, ValueType::kArray);
  ASSERT_EQ(n->count, 3u);
  ASSERT_EQ(n->arrays.size(), 3u);
  EXPECT_EQ(n->arrays[0].element_type, ValueType::kUint32);
  ASSERT_EQ(n->arrays[0].count, 3u);
  EXPECT_EQ(n->arrays[0].NumberAt(0), 1.0);
  EXPECT_EQ(n->arrays[0].NumberAt(2), 3.0);
  EXPECT_EQ(n->arrays[1].element_type, ValueType::kFloat32);
  EXPECT_EQ(n->arrays[1].NumberAt(0), 4.5);
  EXPECT_EQ(n->arrays[2].count, 0u);

  const Value* ns = f.Find("nested_strings");
  ASSERT_NE(ns, nullptr);
  ASSERT_EQ(ns->arrays.size(), 1u);
  EXPECT_EQ(ns->arrays[0].strings, (std::vector<std::string_view>{"x", "yz"}));

  const Value* d = f.Find("deep");
  ASSERT_NE(d, nullptr);
  for (int level = 1; level < 8; ++level) {
    ASSERT_EQ(d->element_type, ValueType::kArray) << level;
    ASSERT_EQ(d->arrays.size(), 1u) << level;
    d = &d->arrays[0];
  }
  EXPECT_EQ(d->element_type, ValueType::kUint8);
  ASSERT_EQ(d->count, 1u);
  EXPECT_EQ(d->NumberAt(0), 42.0);
}

TEST(GgufRoundTrip, TensorInfosAndDefaultAlignment) {
  GgufLayout layout;
  const Bytes bytes = SmallValid().Build(&layout);
  StatusOr<GgufFile> r = Parse(bytes);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const GgufFile& f = *r;
  EXPECT_EQ(f.alignment, 32u);
  EXPECT_FALSE(f.Has("general.alignment"));
  EXPECT_EQ(f.data_offset, layout.data_offset);
  EXPECT_EQ(f.data_offset % 32, 0u);
  EXPECT_GE(f.data_offset, layout.infos_end);
  ASSERT_EQ(f.tensors.size(), 3u);
  struct Expect {
    const char* name;
    std::vector<uint64_t> shape;
    const char* type;
    uint64_t n_elements, n_bytes, offset;
  };
  const Expect expects[] = {
      {"a", {32, 2}, "Q8_0", 64, 68, 0},
      {"b", {8}, "F32", 8, 32, 96},
      {"c", {4, 4}, "F16", 16, 32, 128},
  };
  for (size_t i = 0; i < 3; ++i) {
    const TensorInfo& t = f.tensors[i];
    SCOPED_TRACE(expects[i].name);
    EXPECT_EQ(t.name, expects[i].name);
    EXPECT_EQ(t.shape, expects[i].shape);
    EXPECT_EQ(t.type.name, expects[i].type);
    EXPECT_EQ(t.n_elements, expects[i].n_elements);
    EXPECT_EQ(t.n_bytes, expects[i].n_bytes);
    EXPECT_EQ(t.offset, expects[i].offset);
    EXPECT_EQ(t.offset, layout.tensors[i].data_offset);
    EXPECT_EQ(t.info_offset, layout.tensors[i].start);
    EXPECT_EQ(t.data, bytes.data() + f.data_offset + t.offset);
  }
  EXPECT_EQ(f.tensor_data_bytes, 68u + 32u + 32u);
  EXPECT_EQ(f.file_bytes, bytes.size());
  EXPECT_EQ(f.version, 3u);
}

TEST(GgufRoundTrip, CustomPowerOfTwoAlignment) {
  for (uint32_t a : {1u, 8u, 64u, 256u, 4096u}) {
    SCOPED_TRACE(a);
    GgufBuilder b = SmallValid();
    b.SetAlignment(a);
    GgufLayout layout;
    const Bytes bytes = b.Build(&layout);
    StatusOr<GgufFile> r = Parse(bytes);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->alignment, a);
    EXPECT_EQ(r->data_offset, layout.data_offset);
    EXPECT_EQ(r->data_offset % a, 0u);
    for (const TensorInfo& t : r->tensors) {
      EXPECT_EQ(t.offset % a, 0u) << t.name;
      EXPECT_EQ(t.data, bytes.data() + r->data_offset + t.offset) << t.name;
    }
    ASSERT_TRUE(r->GetUint("general.alignment").ok());
    EXPECT_EQ(*r->GetUint("general.alignment"), a);
  }
  // With alignment 1 the data follows the infos directly and the tensors are packed.
  GgufBuilder b = SmallValid();
  b.SetAlignment(1);
  GgufLayout layout;
  const Bytes r_bytes = b.Build(&layout);
  StatusOr<GgufFile> r = Parse(r_bytes);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->data_offset, layout.infos_end);
  EXPECT_EQ(r->tensors[1].offset, 68u);
  EXPECT_EQ(r->tensors[2].offset, 100u);
}

TEST(GgufRoundTrip, VersionTwoAndTrailingBytes) {
  GgufBuilder b = SmallValid();
  b.SetVersion(2);
  b.AppendTrailing(Bytes(100, 0xab));
  const Bytes r_bytes = b.Build();
  StatusOr<GgufFile> r = Parse(r_bytes);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->version, 2u);
  EXPECT_EQ(r->tensor_data_bytes, 132u);
  EXPECT_EQ(r->file_bytes - r->data_offset, r->tensor_data_bytes + 28u + 100u);  // pad + trailing
}

TEST(GgufRoundTrip, HeaderOnlyAndEmptyTensor) {
  const Bytes empty_bytes = GgufBuilder().Build();
  StatusOr<GgufFile> empty = Parse(empty_bytes);
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_TRUE(empty->metadata.empty());
  EXPECT_TRUE(empty->tensors.empty());
  // Exactly the 24-byte header, no padding: no tensors, so no data section is needed.
  Bytes header = GgufBuilder().Build();
  header.resize(24);
  EXPECT_TRUE(Parse(header).ok());

  GgufBuilder b;
  b.AddTensor("zero", {0, 4}, kF32);
  b.AddTensor("one", {1}, kF32);
  const Bytes r_bytes = b.Build();
  StatusOr<GgufFile> r = Parse(r_bytes);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->tensors[0].n_elements, 0u);
  EXPECT_EQ(r->tensors[0].n_bytes, 0u);
  EXPECT_EQ(r->tensors[1].n_bytes, 4u);
}

TEST(GgufLlamaLike, EveryTensorTypeParses) {
  for (uint32_t type : {kF32, kF16, kBF16, kQ8_0, kQ4_0, kQ4_K, kQ6_K}) {
    const std::optional<GgmlTypeInfo> info = FindGgmlType(type);
    ASSERT_TRUE(info.has_value());
    SCOPED_TRACE(std::string(info->name));
    const Bytes bytes = ::sizer::testing::LlamaLikeGguf(type);
    StatusOr<GgufFile> r = Parse(bytes);
    ASSERT_TRUE(r.ok()) << r.status().message();
    const GgufFile& f = *r;
    EXPECT_EQ(f.tensors.size(), 12u);
    ASSERT_TRUE(f.GetString("general.architecture").ok());
    EXPECT_EQ(*f.GetString("general.architecture"), "llama");
    EXPECT_EQ(f.GetUint("llama.block_count").value(), 1u);
    EXPECT_EQ(f.GetUint("llama.embedding_length").value(), 256u);
    EXPECT_EQ(f.GetUint("llama.feed_forward_length").value(), 256u);
    EXPECT_EQ(f.GetUint("llama.attention.head_count").value(), 4u);
    EXPECT_EQ(f.GetUint("llama.attention.head_count_kv").value(), 2u);
    EXPECT_EQ(f.GetUint("llama.context_length").value(), 256u);
    ASSERT_NE(f.Find("tokenizer.ggml.tokens"), nullptr);
    EXPECT_EQ(f.Find("tokenizer.ggml.tokens")->strings.size(), 16u);
    const TensorInfo* q = f.FindTensor("blk.0.attn_q.weight");
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->type.id, type);
    EXPECT_EQ(q->n_bytes, 256u * 256u / info->block_elements * info->block_bytes);
    const TensorInfo* k = f.FindTensor("blk.0.attn_k.weight");
    ASSERT_NE(k, nullptr);
    EXPECT_EQ(k->shape, (std::vector<uint64_t>{256, 128}));
    const TensorInfo* norm = f.FindTensor("blk.0.attn_norm.weight");
    ASSERT_NE(norm, nullptr);
    EXPECT_EQ(norm->type.id, kF32);
    for (const char* name : {"token_embd.weight", "blk.0.attn_v.weight", "blk.0.attn_output.weight",
                             "blk.0.ffn_norm.weight", "blk.0.ffn_gate.weight", "blk.0.ffn_up.weight",
                             "blk.0.ffn_down.weight", "output_norm.weight", "output.weight"}) {
      EXPECT_NE(f.FindTensor(name), nullptr) << name;
    }
    EXPECT_GE(f.file_bytes - f.data_offset, f.tensor_data_bytes);
    EXPECT_LT(f.file_bytes - f.data_offset, f.tensor_data_bytes + 32u * f.tensors.size());
  }
}

TEST(GgufLlamaLike, OptionsAreHonoured) {
  ::sizer::testing::LlamaLikeOptions o;
  o.tensor_type = kQ8_0;
  o.n_layers = 3;
  o.n_embd = 64;
  o.n_ff = 96;
  o.n_head = 8;
  o.n_head_kv = 8;
  o.n_vocab = 40;
  o.context_length = 1024;
  o.alignment = 128;
  const Bytes r_bytes = ::sizer::testing::LlamaLikeGguf(o);
  StatusOr<GgufFile> r = Parse(r_bytes);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->tensors.size(), 30u);
  EXPECT_EQ(r->alignment, 128u);
  EXPECT_EQ(r->GetUint("llama.block_count").value(), 3u);
  EXPECT_EQ(r->GetUint("llama.context_length").value(), 1024u);
  EXPECT_NE(r->FindTensor("blk.2.ffn_down.weight"), nullptr);
  EXPECT_EQ(r->FindTensor("blk.2.ffn_down.weight")->shape, (std::vector<uint64_t>{96, 64}));
  EXPECT_EQ(r->FindTensor("output.weight")->shape, (std::vector<uint64_t>{64, 40}));
  EXPECT_EQ(r->Find("tokenizer.ggml.tokens")->count, 40u);
}

// ---------------------------------------------------------------------------------------
// Hostile input.

TEST(GgufHostile, TruncationAtEveryOffsetBeforeTheData) {
  GgufLayout layout;
  const Bytes full = SmallValid().Build(&layout);
  ASSERT_TRUE(Parse(full).ok());
  ASSERT_GT(layout.data_offset, 100u);
  for (uint64_t len = 0; len < layout.data_offset; ++len) {
    SCOPED_TRACE(len);
    // A fresh, exactly sized copy so that ASan sees any read past the end.
    const Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
    StatusOr<GgufFile> r = Parse(prefix);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << r.status().message();
    const std::string& m = r.status().message();
    ASSERT_EQ(m.rfind("byte ", 0), 0u) << m;
    const uint64_t at = std::stoull(m.substr(5));
    EXPECT_LE(at, len) << m;
    EXPECT_NE(m.find(": ", 5), std::string::npos) << m;
  }
}

TEST(GgufHostile, TruncationInsideTheData) {
  GgufLayout layout;
  const Bytes full = SmallValid().Build(&layout);
  StatusOr<GgufFile> whole = Parse(full);
  ASSERT_TRUE(whole.ok());
  uint64_t data_end = 0;
  for (const TensorInfo& t : whole->tensors) data_end = std::max(data_end, t.offset + t.n_bytes);
  ASSERT_EQ(data_end, 160u);
  for (uint64_t len = layout.data_offset; len < layout.data_offset + data_end; ++len) {
    SCOPED_TRACE(len);
    const Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
    const uint64_t data_bytes = len - layout.data_offset;
    // The first tensor in file order that no longer fits is named.
    size_t bad = 0;
    while (whole->tensors[bad].offset + whole->tensors[bad].n_bytes <= data_bytes) ++bad;
    const std::string name = "tensor '" + std::string(whole->tensors[bad].name) + "'";
    EXPECT_TRUE(Corrupt(prefix, layout.tensors[bad].start, {name, "lies outside the data section"}));
  }
  const Bytes exact(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(layout.data_offset + data_end));
  EXPECT_TRUE(Parse(exact).ok());
}

TEST(GgufHostile, WrongMagic) {
  EXPECT_TRUE(Corrupt(SmallValid().SetMagic("GGUG").Build(), 0, {"magic", "not a GGUF file"}));
  EXPECT_TRUE(Corrupt(SmallValid().SetMagic("lmgg").Build(), 0, {"magic"}));
  EXPECT_TRUE(Corrupt(Bytes{'G', 'G', 'U'}, 0, {"magic", "3 bytes"}));
  EXPECT_TRUE(Corrupt(Bytes{}, 0, {"magic"}));
}

TEST(GgufHostile, UnsupportedVersions) {
  for (uint32_t v : {0u, 1u, 4u, 0xffffffffu}) {
    SCOPED_TRACE(v);
    EXPECT_TRUE(Fails(SmallValid().SetVersion(v).Build(), StatusCode::kUnsupported, 4,
                      {"version", "unsupported GGUF version " + std::to_string(v)}));
  }
}

TEST(GgufHostile, AbsurdCounts) {
  for (uint64_t n : {uint64_t{1} << 63, kU64Max, uint64_t{1} << 40}) {
    SCOPED_TRACE(n);
    EXPECT_TRUE(Corrupt(SmallValid().SetTensorCount(n).Build(), 8, {"tensor count", std::to_string(n)}));
    EXPECT_TRUE(Corrupt(SmallValid().SetKvCount(n).Build(), 16, {"metadata count", std::to_string(n)}));
    EXPECT_TRUE(Corrupt(SmallValid().SetKvCount(n).SetTensorCount(n).Build(), 16, {"metadata count"}));
  }
  // A count that fits the size check but not the actual entries: one more tensor than written.
  GgufLayout layout;
  GgufBuilder b = SmallValid();
  b.SetTensorCount(4);
  const Bytes bytes = b.Build(&layout);
  // The fourth info is read from the zero padding: an empty name, then n_dims 0.
  EXPECT_TRUE(Corrupt(bytes, layout.infos_end + 8, {"tensor ''", "n_dims 0 outside 1..4"}));
}

TEST(GgufHostile, StringLengthPastTheEnd) {
  {  // a key
    Bytes raw;
    ::sizer::testing::AppendU64(raw, 1000);
    raw.insert(raw.end(), {'a', 'b', 'c'});
    GgufBuilder b;
    b.AddRawKv(raw);
    EXPECT_TRUE(Corrupt(b.Build(), 24, {"metadata key #0", "string length 1000 runs past the end"}));
  }
  {  // a string value
    Bytes payload;
    ::sizer::testing::AppendU64(payload, uint64_t{1} << 40);
    payload.insert(payload.end(), {'h', 'i'});
    GgufBuilder b;
    b.Add("general.name", GgufValue::Raw(Tag(ValueType::kString), payload));
    GgufLayout layout;
    const Bytes bytes = b.Build(&layout);
    EXPECT_TRUE(Corrupt(bytes, layout.kvs[0].value, {"metadata 'general.name'", "1099511627776"}));
  }
  {  // the second string of a string array; kU64Max must not wrap around
    Bytes payload;
    ::sizer::testing::AppendString(payload, "a");
    ::sizer::testing::AppendU64(payload, kU64Max);
    GgufBuilder b;
    b.Add("tokens", GgufValue::RawArray(Tag(ValueType::kString), 2, payload));
    b.AppendTrailing(Bytes(64, 0));
    GgufLayout layout;
    const Bytes bytes = b.Build(&layout);
    EXPECT_TRUE(Corrupt(bytes, layout.kvs[0].value + 12 + 9, {"metadata 'tokens'[1]", "string length"}));
  }
  {  // a tensor name
    Bytes raw;
    ::sizer::testing::AppendU64(raw, 5000);
    raw.insert(raw.end(), 40, 'x');
    GgufBuilder b;
    b.AddString("general.architecture", "llama");
    b.AddRawTensorInfo(raw);
    GgufLayout layout;
    const Bytes bytes = b.Build(&layout);
    EXPECT_TRUE(Corrupt(bytes, layout.tensors[0].start, {"tensor #0 name", "string length 5000"}));
  }
}

TEST(GgufHostile, ArrayCountPastTheEnd) {
  auto build = [](const GgufValue& v, GgufLayout* layout) {
    GgufBuilder b;
    b.AddString("general.architecture", "llama");
    b.Add("arr", v);
    b.AddTensor("t", {8}, kF32);
    return b.Build(layout);
  };
  GgufLayout l;
  Bytes four(4, 0);
  Bytes bytes = build(GgufValue::RawArray(Tag(ValueType::kUint32), 1000, four), &l);
  EXPECT_TRUE(Corrupt(bytes, l.kvs[1].value + 4, {"metadata 'arr'", "array of 1000 uint32 runs past the end"}));
  bytes = build(GgufValue::RawArray(Tag(ValueType::kFloat64), kU64Max, four), &l);
  EXPECT_TRUE(Corrupt(bytes, l.kvs[1].value + 4, {"metadata 'arr'", "float64"}));
  bytes = build(GgufValue::RawArray(Tag(ValueType::kUint8), uint64_t{1} << 63, four), &l);
  EXPECT_TRUE(Corrupt(bytes, l.kvs[1].value + 4, {"metadata 'arr'", "uint8"}));
  bytes = build(GgufValue::RawArray(Tag(ValueType::kString), 1000, four), &l);
  EXPECT_TRUE(Corrupt(bytes, l.kvs[1].value + 4, {"metadata 'arr'", "array of 1000 strings"}));
  bytes = build(GgufValue::RawArray(Tag(ValueType::kArray), 1000, four), &l);
  EXPECT_TRUE(Corrupt(bytes, l.kvs[1].value + 4, {"metadata 'arr'", "array of 1000 arrays"}));
  // Inside a nested array.
  bytes = build(GgufValue::Array(ValueType::kArray,
                                 {GgufValue::U32Array({1}),
                                  GgufValue::RawArray(Tag(ValueType::kUint64), uint64_t{1} << 40, {})}),
                &l);
  EXPECT_TRUE(Corrupt(bytes, l.kvs[1].value + 12 + 16 + 4, {"metadata 'arr'[1]", "uint64"}));
  // A string array whose strings are fine but one short.
  bytes = build(GgufValue::RawArray(Tag(ValueType::kString), 3, {}), &l);
  EXPECT_FALSE(Parse(bytes).ok());
}

TEST(GgufHostile, ArrayNestingDeeperThanTheLimit) {
  ASSERT_EQ(kMaxArrayNesting, 8);
  GgufBuilder ok;
  ok.Add("deep", NestedArrays(8));
  EXPECT_TRUE(Parses(ok.Build()));

  GgufBuilder b;
  b.Add("deep", NestedArrays(9));
  GgufLayout layout;
  const Bytes bytes = b.Build(&layout);
  EXPECT_TRUE(Corrupt(bytes, layout.kvs[0].value + 8 * 12,
                      {"metadata 'deep'[0][0][0][0][0][0][0][0]", "nested deeper than 8"}));

  // Much deeper nesting (no recursion blow-up: it stops at the limit).
  GgufBuilder very;
  very.Add("deep", NestedArrays(1000));
  EXPECT_TRUE(Corrupt(very.Build(&layout), layout.kvs[0].value + 8 * 12, {"nested deeper than 8"}));
}

TEST(GgufHostile, BadShapes) {
  auto one = [](GgufTensor t, GgufLayout* layout) {
    GgufBuilder b;
    b.AddString("general.architecture", "llama");
    b.AddTensor("ok", {8}, kF32);
    b.AddTensor(std::move(t));
    return b.Build(layout);
  };
  GgufLayout l;
  GgufTensor t;
  t.name = "neg";
  t.shape = {kU64Max};
  Bytes bytes = one(t, &l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].ne, {"tensor 'neg'", "ne[0] is negative (-1)"}));

  t.shape = {4, uint64_t{1} << 63};
  bytes = one(t, &l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].ne + 8, {"tensor 'neg'", "ne[1] is negative"}));

  t.name = "huge";
  t.shape = {uint64_t{1} << 40, uint64_t{1} << 40};
  bytes = one(t, &l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].ne + 8, {"tensor 'huge'", "shape product overflows"}));

  t.shape = {1 << 16, 1 << 16, 1 << 16, 1 << 16};
  bytes = one(t, &l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].ne + 24, {"tensor 'huge'", "shape product overflows"}));

  // The element count fits int64 but the F32 byte size does not.
  t.shape = {uint64_t{1} << 31, uint64_t{1} << 31};
  bytes = one(t, &l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].n_dims, {"tensor 'huge'", "tensor size overflows"}));

  t.name = "dims";
  t.shape = {};
  t.n_dims = 0;
  bytes = one(t, &l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].n_dims, {"tensor 'dims'", "n_dims 0 outside 1..4"}));

  t.shape = {1, 1, 1, 1, 1};
  t.n_dims = std::nullopt;
  bytes = one(t, &l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].n_dims, {"tensor 'dims'", "n_dims 5 outside 1..4"}));

  t.shape = {8};
  t.n_dims = 0xffffffffu;
  bytes = one(t, &l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].n_dims, {"tensor 'dims'", "n_dims 4294967295"}));
}

TEST(GgufHostile, RowNotAMultipleOfTheBlock) {
  GgufBuilder b;
  b.AddTensor("q", {33, 4}, kQ4_0);
  GgufLayout l;
  Bytes bytes = b.Build(&l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[0].n_dims, {"tensor 'q'", "ne[0] = 33 is not a multiple of Q4_0's block of 32"}));

  GgufBuilder k;
  k.AddTensor("k", {32, 8}, kQ4_K);
  bytes = k.Build(&l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[0].n_dims, {"tensor 'k'", "Q4_K's block of 256"}));
}

TEST(GgufHostile, BadTensorOffsets) {
  auto with_offset = [](uint64_t offset, GgufLayout* layout, uint32_t alignment = 0) {
    GgufBuilder b;
    if (alignment != 0) b.SetAlignment(alignment);
    b.AddTensor("first", {8}, kF32);
    GgufTensor t;
    t.name = "second";
    t.shape = {8};
    t.offset = offset;
    t.data_bytes = 0;  // the data section holds "first" only: 32 bytes
    b.AddTensor(t);
    return b.Build(layout);
  };
  GgufLayout l;
  // Misaligned.
  Bytes bytes = with_offset(48, &l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].offset, {"tensor 'second'", "data offset 48 is not a multiple of the alignment 32"}));
  bytes = with_offset(32, &l, 64);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].offset, {"tensor 'second'", "alignment 64"}));
  bytes = with_offset(kU64Max, &l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].offset, {"tensor 'second'", "not a multiple"}));
  // Outside the data region.
  bytes = with_offset(1 << 20, &l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].start, {"tensor 'second'", "lies outside the data section"}));
  bytes = with_offset(32, &l);  // starts exactly at the end of the 32-byte data section
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].start, {"tensor 'second'", "[32, +32)", "data section of 32 bytes"}));
  // offset + size overflows uint64.
  bytes = with_offset(kU64Max - 31, &l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].start, {"tensor 'second'", "lies outside the data section"}));
  bytes = with_offset(uint64_t{1} << 63, &l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].start, {"tensor 'second'", "lies outside the data section"}));
}

TEST(GgufHostile, DuplicateNames) {
  GgufBuilder t;
  t.AddTensor("w", {8}, kF32);
  t.AddTensor("w", {8}, kF32);
  GgufLayout l;
  Bytes bytes = t.Build(&l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].start, {"tensor 'w'", "duplicate tensor name"}));

  GgufBuilder k;
  k.AddString("general.architecture", "llama");
  k.AddU32("llama.block_count", 2);
  k.AddU32("llama.block_count", 3);
  bytes = k.Build(&l);
  EXPECT_TRUE(Corrupt(bytes, l.kvs[2].start, {"metadata 'llama.block_count'", "duplicate key"}));

  // Control characters in a name are escaped in the message.
  GgufBuilder c;
  c.AddU32(std::string("a\nb", 3), 1);
  c.AddU32(std::string("a\nb", 3), 1);
  bytes = c.Build(&l);
  EXPECT_TRUE(Corrupt(bytes, l.kvs[1].start, {"metadata 'a\\x0ab'", "duplicate key"}));
}

TEST(GgufHostile, OverlappingTensors) {
  GgufBuilder b;
  GgufTensor a;
  a.name = "a";
  a.shape = {16};  // 64 bytes at 0
  a.offset = 0;
  GgufTensor c;
  c.name = "c";
  c.shape = {8};  // 32 bytes at 32
  c.offset = 32;
  b.AddTensor(a).AddTensor(c);
  GgufLayout l;
  Bytes bytes = b.Build(&l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[1].start, {"tensor 'c'", "data overlaps tensor 'a'"}));

  // Same offset.
  c.offset = 0;
  GgufBuilder same;
  same.AddTensor(a).AddTensor(c);
  EXPECT_TRUE(Fails(same.Build(), StatusCode::kCorruption, std::nullopt, {"overlaps"}));

  // Adjacent tensors do not overlap; two empty tensors at one offset do not either.
  c.offset = 64;
  GgufBuilder adjacent;
  adjacent.AddTensor(a).AddTensor(c);
  EXPECT_TRUE(Parses(adjacent.Build()));
  GgufTensor e1;
  e1.name = "empty1";
  e1.shape = {0};
  e1.offset = 0;
  GgufTensor e2 = e1;
  e2.name = "empty2";
  GgufBuilder empties;
  empties.AddTensor(e1).AddTensor(e2).AddTensor(a);
  EXPECT_TRUE(Parses(empties.Build()));
}

TEST(GgufHostile, UnknownValueTypes) {
  for (uint32_t type : {13u, 0xffffffffu}) {
    SCOPED_TRACE(type);
    GgufBuilder b;
    b.AddString("general.architecture", "llama");
    b.Add("weird", GgufValue::Raw(type, Bytes(16, 0)));
    GgufLayout l;
    Bytes bytes = b.Build(&l);
    EXPECT_TRUE(Corrupt(bytes, l.kvs[1].type, {"metadata 'weird'", "unknown value type " + std::to_string(type)}));

    GgufBuilder a;
    a.Add("arr", GgufValue::RawArray(type, 1, Bytes(16, 0)));
    bytes = a.Build(&l);
    EXPECT_TRUE(Corrupt(bytes, l.kvs[0].value, {"metadata 'arr'", "unknown array element type " + std::to_string(type)}));

    GgufBuilder n;
    n.Add("arr", GgufValue::Array(ValueType::kArray, {GgufValue::RawArray(type, 1, Bytes(16, 0))}));
    bytes = n.Build(&l);
    EXPECT_TRUE(Corrupt(bytes, l.kvs[0].value + 12, {"metadata 'arr'[0]", "unknown array element type"}));
  }
}

TEST(GgufHostile, UnknownTensorType) {
  for (uint32_t type : {4u, 5u, 31u, 1000u, 0xffffffffu}) {
    SCOPED_TRACE(type);
    GgufBuilder b;
    b.AddTensor("fine", {8}, kF32);
    b.AddTensor("blk.0.attn_q.weight", {32, 32}, type);
    GgufLayout l;
    Bytes bytes = b.Build(&l);
    EXPECT_TRUE(Corrupt(bytes, l.tensors[1].type,
                        {"tensor 'blk.0.attn_q.weight'", "unknown ggml tensor type id " + std::to_string(type)}));
  }
}

TEST(GgufHostile, BoolOtherThanZeroOrOne) {
  for (uint8_t v : {uint8_t{2}, uint8_t{255}}) {
    GgufBuilder b;
    b.Add("flag", GgufValue::BoolByte(v));
    GgufLayout l;
    Bytes bytes = b.Build(&l);
    EXPECT_TRUE(Corrupt(bytes, l.kvs[0].value, {"metadata 'flag'", "bool must be 0 or 1, got " + std::to_string(v)}));
  }
}

TEST(GgufHostile, BadAlignmentKey) {
  {
    GgufBuilder b = SmallValid();
    b.Add("general.alignment", GgufValue::U64(32));
    EXPECT_TRUE(Fails(b.Build(), StatusCode::kCorruption, std::nullopt, {"general.alignment", "uint64", "expected uint32"}));
  }
  {
    GgufBuilder b = SmallValid();
    b.Add("general.alignment", GgufValue::Str("32"));
    EXPECT_TRUE(Fails(b.Build(), StatusCode::kCorruption, std::nullopt, {"general.alignment", "string"}));
  }
  for (uint32_t a : {0u, 3u, 48u, 100u}) {
    SCOPED_TRACE(a);
    GgufBuilder b = SmallValid();
    b.SetAlignment(a);
    EXPECT_TRUE(Fails(b.Build(), StatusCode::kCorruption, std::nullopt,
                      {"general.alignment", std::to_string(a) + " is not a power of two"}));
  }
}

TEST(GgufHostile, WrongTypeArchitectureIsReportedOnLookup) {
  GgufBuilder b;
  b.AddU32("general.architecture", 7);
  b.AddTensor("t", {8}, kF32);
  const Bytes r_bytes = b.Build();
  StatusOr<GgufFile> r = Parse(r_bytes);
  ASSERT_TRUE(r.ok()) << r.status().message();
  StatusOr<std::string> arch = r->GetString("general.architecture");
  ASSERT_FALSE(arch.ok());
  EXPECT_EQ(arch.status().code(), StatusCode::kCorruption);
  EXPECT_NE(arch.status().message().find("general.architecture"), std::string::npos);
  EXPECT_NE(arch.status().message().find("uint32"), std::string::npos);
}

// Counts that claim huge arrays are rejected by the size checks that run before any
// reserve(); the test would die of bad_alloc or run out of time if they did not.
TEST(GgufHostile, HugeClaimedCountsFailWithoutAllocating) {
  const uint64_t huge = uint64_t{1} << 62;
  for (uint32_t element : {Tag(ValueType::kString), Tag(ValueType::kArray), Tag(ValueType::kUint64),
                           Tag(ValueType::kUint8)}) {
    SCOPED_TRACE(element);
    GgufBuilder b;
    b.Add("arr", GgufValue::RawArray(element, huge, Bytes(64, 0)));
    EXPECT_TRUE(Fails(b.Build(), StatusCode::kCorruption, std::nullopt, {"metadata 'arr'", "runs past the end"}));
  }
  GgufBuilder t;
  t.SetTensorCount(huge);
  EXPECT_TRUE(Fails(t.Build(), StatusCode::kCorruption, 8, {"tensor count"}));
  GgufBuilder k;
  k.SetKvCount(huge);
  EXPECT_TRUE(Fails(k.Build(), StatusCode::kCorruption, 16, {"metadata count"}));

  // In a realistic file: the tokenizer claims 2^62 tokens.
  GgufLayout l;
  ::sizer::testing::LlamaLikeOptions o;
  o.tensor_type = kF16;
  GgufBuilder llama = ::sizer::testing::LlamaLikeBuilder(o);
  Bytes bytes = llama.Build(&l);
  StatusOr<GgufFile> good = Parse(bytes);
  ASSERT_TRUE(good.ok());
  size_t index = 0;
  while (index < good->metadata.size() && good->metadata[index].first != "tokenizer.ggml.tokens") ++index;
  ASSERT_LT(index, l.kvs.size());
  ::sizer::testing::PatchU64(bytes, l.kvs[index].value + 4, huge);
  EXPECT_TRUE(Corrupt(bytes, l.kvs[index].value + 4, {"metadata 'tokenizer.ggml.tokens'", "strings runs past the end"}));
}

// ---------------------------------------------------------------------------------------
// Regressions: reader defects these tests found, now fixed.

// GetUint accepts any non-negative integer type, including a uint64 of 2^63 or more (it used
// to test the value's int64 view and reject it).
TEST(GgufRegression, GetUintAcceptsUint64AboveInt64Max) {
  GgufBuilder b;
  b.Add("big", GgufValue::U64(kU64Max));
  b.Add("half", GgufValue::U64(uint64_t{1} << 63));
  const Bytes r_bytes = b.Build();
  StatusOr<GgufFile> r = Parse(r_bytes);
  ASSERT_TRUE(r.ok()) << r.status().message();
  StatusOr<uint64_t> big = r->GetUint("big");
  ASSERT_TRUE(big.ok()) << big.status().message();
  EXPECT_EQ(*big, kU64Max);
  StatusOr<uint64_t> half = r->GetUint("half");
  ASSERT_TRUE(half.ok()) << half.status().message();
  EXPECT_EQ(*half, uint64_t{1} << 63);
}

// An empty tensor between two overlapping tensors must not hide the overlap: "a" [0, 96)
// and "c" [64, 96) share 32 bytes, "empty" sits at 32 (the check used to compare only
// neighbours in offset order).
TEST(GgufRegression, OverlapHiddenBehindAnEmptyTensorIsFound) {
  GgufTensor a;
  a.name = "a";
  a.shape = {24};  // 96 bytes at 0
  a.offset = 0;
  GgufTensor e;
  e.name = "empty";
  e.shape = {0};
  e.offset = 32;
  GgufTensor c;
  c.name = "c";
  c.shape = {8};  // 32 bytes at 64
  c.offset = 64;
  GgufBuilder b;
  b.AddTensor(a).AddTensor(e).AddTensor(c);
  GgufLayout l;
  const Bytes bytes = b.Build(&l);
  EXPECT_TRUE(Corrupt(bytes, l.tensors[2].start, {"tensor 'c'", "overlaps tensor 'a'"}));
}

// Bool arrays hold 0 or 1 in every element, as single bools do.
TEST(GgufRegression, BoolArrayElementOtherThanZeroOrOneIsCorrupt) {
  GgufBuilder b;
  b.Add("flags", GgufValue::RawArray(static_cast<uint32_t>(ValueType::kBool), 3, Bytes{1, 0, 2}));
  GgufLayout l;
  const Bytes bytes = b.Build(&l);
  // The third element sits after the key's type tag, element type and count.
  EXPECT_TRUE(Corrupt(bytes, l.kvs[0].value + 4 + 8 + 2, {"metadata 'flags'[2]", "bool must be 0 or 1, got 2"}));
}

}  // namespace
}  // namespace sizer::gguf
