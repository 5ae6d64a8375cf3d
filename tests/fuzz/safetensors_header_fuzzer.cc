// libFuzzer target for the safetensors header reader (catalog/safetensors_header.h): the input
// is a whole file image (8-byte length, JSON header, data). Every error must name the file;
// every parsed tensor must have offsets that agree with its shape and lie in order.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "catalog/safetensors_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view file(reinterpret_cast<const char*>(data), size);
  sizer::StatusOr<sizer::SafetensorsHeader> h =
      sizer::ParseSafetensorsHeader(file, size, "fuzz.safetensors");
  if (!h.ok()) {
    if (h.status().message().rfind("fuzz.safetensors", 0) != 0) {
      std::fprintf(stderr, "error without the file name: %s\n", h.status().message().c_str());
      std::abort();
    }
    return 0;
  }
  uint64_t expected = 0;
  for (const sizer::SafetensorsTensor& t : h->tensors) {
    if (t.begin != expected || t.end < t.begin) std::abort();
    expected = t.end;
  }
  if (expected != h->data_bytes) std::abort();
  return 0;
}
