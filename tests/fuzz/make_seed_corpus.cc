// Writes a seed corpus for gguf_reader_fuzzer: small valid GGUF files that between them use
// every value type, nested and string arrays, several tensor types and custom alignments,
// plus a copy of the real stories260K.gguf when it is present.
//   make_seed_corpus OUT_DIR [TEST_DATA_DIR]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "testing/gguf_builder.h"

#ifndef SIZER_FUZZ_TEST_DATA_DIR
#define SIZER_FUZZ_TEST_DATA_DIR "tests/data"
#endif

namespace {

using sizer::gguf::ValueType;
using sizer::testing::Bytes;
using sizer::testing::GgufBuilder;
using sizer::testing::GgufValue;
using sizer::testing::LlamaLikeOptions;

// ggml type ids
constexpr uint32_t kF32 = 0, kF16 = 1, kQ4_0 = 2, kQ8_0 = 8, kQ4_K = 12, kQ6_K = 14, kBF16 = 30;

LlamaLikeOptions Small(uint32_t type, uint64_t width) {
  LlamaLikeOptions o;
  o.tensor_type = type;
  o.n_embd = width;
  o.n_ff = width;
  o.n_head = 2;
  o.n_head_kv = 1;
  o.n_vocab = 8;
  o.context_length = 64;
  return o;
}

GgufValue Nested(int depth) {
  if (depth == 0) {
    return GgufValue::Array(ValueType::kUint8, {GgufValue::U8(1), GgufValue::U8(2), GgufValue::U8(3)});
  }
  return GgufValue::Array(ValueType::kArray, {Nested(depth - 1), Nested(depth - 1)});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR [TEST_DATA_DIR]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::string test_data = argc > 2 ? argv[2] : SIZER_FUZZ_TEST_DATA_DIR;
  std::filesystem::create_directories(dir);
  int written = 0;
  auto write = [&](const std::string& name, const Bytes& bytes) {
    if (!sizer::testing::WriteBytesToFile(dir + "/" + name, bytes)) {
      std::fprintf(stderr, "cannot write %s/%s\n", dir.c_str(), name.c_str());
      std::exit(1);
    }
    ++written;
  };

  // Llama-like models of several tensor types (small widths for the 1-element types).
  write("llama_f32.gguf", sizer::testing::LlamaLikeGguf(Small(kF32, 32)));
  write("llama_f16.gguf", sizer::testing::LlamaLikeGguf(Small(kF16, 32)));
  write("llama_bf16.gguf", sizer::testing::LlamaLikeGguf(Small(kBF16, 32)));
  write("llama_q8_0.gguf", sizer::testing::LlamaLikeGguf(Small(kQ8_0, 32)));
  write("llama_q4_0.gguf", sizer::testing::LlamaLikeGguf(Small(kQ4_0, 64)));
  write("llama_q4_k.gguf", sizer::testing::LlamaLikeGguf(Small(kQ4_K, 256)));
  write("llama_q6_k.gguf", sizer::testing::LlamaLikeGguf(Small(kQ6_K, 256)));
  {
    LlamaLikeOptions o = Small(kF16, 32);
    o.n_layers = 2;
    o.version = 2;
    write("llama_v2_2layers.gguf", sizer::testing::LlamaLikeGguf(o));
  }
  {
    LlamaLikeOptions o = Small(kQ8_0, 32);
    o.alignment = 64;
    write("llama_align64.gguf", sizer::testing::LlamaLikeGguf(o));
  }

  // Each value type, one per file and all together.
  const std::vector<std::pair<std::string, GgufValue>> values = {
      {"u8", GgufValue::U8(200)},          {"i8", GgufValue::I8(-100)},
      {"u16", GgufValue::U16(60000)},      {"i16", GgufValue::I16(-30000)},
      {"u32", GgufValue::U32(4000000000u)}, {"i32", GgufValue::I32(-2000000000)},
      {"f32", GgufValue::F32(0.5f)},       {"bool", GgufValue::Bool(true)},
      {"str", GgufValue::Str("hello")},    {"u64", GgufValue::U64(1ull << 40)},
      {"i64", GgufValue::I64(-(1ll << 40))}, {"f64", GgufValue::F64(-2.25)},
  };
  GgufBuilder all;
  for (const auto& [name, value] : values) all.Add("test." + name, value);
  all.Add("test.str_array", GgufValue::StrArray({"a", "", "ccc"}));
  all.Add("test.f32_array", GgufValue::F32Array({1.0f, -2.0f}));
  all.Add("test.i32_array", GgufValue::I32Array({-1, 0, 1}));
  all.Add("test.bool_array", GgufValue::Array(ValueType::kBool, {GgufValue::Bool(true), GgufValue::Bool(false)}));
  all.Add("test.u64_array", GgufValue::Array(ValueType::kUint64, {GgufValue::U64(1), GgufValue::U64(2)}));
  all.Add("test.f64_array", GgufValue::Array(ValueType::kFloat64, {GgufValue::F64(3.5)}));
  all.Add("test.empty_array", GgufValue::Array(ValueType::kUint32, {}));
  all.AddTensor("t", {8, 2}, kF32);
  write("all_value_types.gguf", all.Build());
  for (size_t i = 0; i < values.size(); i += 3) {
    GgufBuilder b;
    for (size_t j = i; j < i + 3 && j < values.size(); ++j) b.Add("k." + values[j].first, values[j].second);
    write("values_" + std::to_string(i / 3) + ".gguf", b.Build());
  }

  // Nested arrays, including the deepest nesting the reader accepts (8 levels).
  {
    GgufBuilder b;
    b.Add("nested", Nested(2));
    b.Add("nested_strings", GgufValue::Array(ValueType::kArray, {GgufValue::StrArray({"x", "y"}), GgufValue::StrArray({})}));
    GgufValue deep = GgufValue::Array(ValueType::kUint8, {GgufValue::U8(7)});
    for (int i = 0; i < 7; ++i) deep = GgufValue::Array(ValueType::kArray, {deep});
    b.Add("deep", deep);
    b.AddTensor("t", {4}, kF16);
    write("nested_arrays.gguf", b.Build());
  }

  // Custom alignments and several tensors of mixed types and ranks.
  for (uint32_t a : {1u, 8u, 256u}) {
    GgufBuilder b;
    b.SetAlignment(a);
    b.AddString("general.architecture", "llama");
    b.AddTensor("a", {32, 2}, kQ8_0);
    b.AddTensor("b", {3}, kF32);
    b.AddTensor("c", {2, 2, 2, 2}, kF16);
    write("align_" + std::to_string(a) + ".gguf", b.Build());
  }

  // Minimal files: header only, and one empty tensor.
  write("empty.gguf", GgufBuilder().Build());
  {
    GgufBuilder b;
    b.AddTensor("zero", {0, 4}, kF32);
    write("zero_tensor.gguf", b.Build());
  }

  // The real model.
  const std::string stories = test_data + "/models/stories260K.gguf";
  std::ifstream in(stories, std::ios::binary);
  if (in) {
    Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    write("stories260K.gguf", bytes);
  } else {
    std::fprintf(stderr, "note: %s not found, not copied\n", stories.c_str());
  }
  std::printf("wrote %d seed files to %s\n", written, dir.c_str());
  return 0;
}
