// libFuzzer target for the GGUF reader: parses the input and, when it parses, touches every
// byte the result points at that a caller could read (each tensor's first and last data byte,
// every string view's ends, every scalar array element through NumberAt), so ASan reports any
// view that escapes the input. Build and run: see tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/status.h"
#include "gguf/reader.h"

namespace {

volatile uint64_t g_sink = 0;

// Keeps the reads below from being optimized away.
void Sink(uint64_t x) { g_sink = g_sink + x; }

void TouchString(std::string_view s) {
  if (s.empty()) return;
  Sink(static_cast<unsigned char>(s.front()));
  Sink(static_cast<unsigned char>(s.back()));
}

void TouchValue(const sizer::gguf::Value& v) {
  Sink(v.u64 + static_cast<uint64_t>(v.i64) + static_cast<uint64_t>(v.boolean));
  Sink(static_cast<uint64_t>(v.f64 == v.f64));
  TouchString(v.str);
  if (!v.IsArray()) return;
  for (std::string_view s : v.strings) TouchString(s);
  for (const sizer::gguf::Value& item : v.arrays) TouchValue(item);
  if (v.raw != nullptr && sizer::gguf::ScalarSize(v.element_type) > 0) {
    for (uint64_t i = 0; i < v.count; ++i) {
      double x = v.NumberAt(i);
      Sink(static_cast<uint64_t>(x == x));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sizer::StatusOr<sizer::gguf::GgufFile> parsed = sizer::gguf::ParseGguf(data, size);
  if (!parsed.ok()) {
    // Every failure names a reason.
    if (parsed.status().message().empty()) __builtin_trap();
    return 0;
  }
  const sizer::gguf::GgufFile& file = *parsed;
  if (file.data_offset > size && !file.tensors.empty()) __builtin_trap();
  uint64_t total = 0;
  for (const auto& [key, value] : file.metadata) {
    TouchString(key);
    TouchValue(value);
    if (file.Find(key) == nullptr) __builtin_trap();
  }
  for (const sizer::gguf::TensorInfo& t : file.tensors) {
    TouchString(t.name);
    if (file.FindTensor(t.name) == nullptr) __builtin_trap();
    if (t.n_bytes > 0) {
      Sink(t.data[0]);
      Sink(t.data[t.n_bytes - 1]);
    }
    total += t.n_bytes;
  }
  if (total != file.tensor_data_bytes) __builtin_trap();
  // Typed lookups must not crash whatever the key's type.
  for (const char* key : {"general.architecture", "general.alignment", "llama.block_count",
                          "llama.embedding_length", "llama.attention.layer_norm_rms_epsilon"}) {
    auto s = file.GetString(key);
    auto u = file.GetUint(key);
    auto f = file.GetFloat(key);
    Sink(static_cast<uint64_t>(s.ok()) + u.ok() + f.ok());
  }
  return 0;
}
