// The header of one safetensors file: 8-byte little-endian length N, then N bytes of JSON
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the data
// (huggingface/safetensors docs, "Format"). Only the header is read, never the data.
#ifndef SIZER_CATALOG_SAFETENSORS_HEADER_H_
#define SIZER_CATALOG_SAFETENSORS_HEADER_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sizer {

// The largest header accepted (the safetensors crate's own limit is 100 MB, MAX_HEADER_SIZE).
inline constexpr uint64_t kMaxSafetensorsHeaderBytes = 100ull << 20;

struct SafetensorsTensor {
  std::string name;
  std::string dtype;             // "BF16", "I32", "F8_E4M3", ...
  std::vector<uint64_t> shape;
  uint64_t begin = 0;            // data_offsets, relative to the end of the header
  uint64_t end = 0;
  uint64_t elements = 0;
  uint64_t bytes() const { return end - begin; }
};

struct SafetensorsHeader {
  std::string path;
  uint64_t file_bytes = 0;
  uint64_t header_bytes = 0;  // N, the JSON's length
  uint64_t data_bytes = 0;    // the data region the offsets describe
  // False for a header-only file (exactly 8 + N bytes, as the test fixtures are): the offsets
  // are checked against each other and the shapes, not against the file's size.
  bool data_present = true;
  std::vector<SafetensorsTensor> tensors;  // in data order
  std::map<std::string, std::string> metadata;
};

// Bits one element of `dtype` takes (F4 packs two to a byte); 0 for an unknown dtype.
int SafetensorsDtypeBits(std::string_view dtype);
// The dtypes sizer knows, for messages.
std::string KnownSafetensorsDtypes();

// Parses a header from the file's first bytes. `prefix` holds at least the 8-byte length and
// the N header bytes (more is ignored); `file_bytes` is the file's full size. Errors name the
// file and the byte offset (kCorruption), or the tensor and the key.
StatusOr<SafetensorsHeader> ParseSafetensorsHeader(std::string_view prefix, uint64_t file_bytes,
                                                   const std::string& path);

// Reads and parses a file's header: reads 8 bytes, then at most kMaxSafetensorsHeaderBytes.
StatusOr<SafetensorsHeader> ReadSafetensorsHeader(const std::string& path);

}  // namespace sizer

#endif  // SIZER_CATALOG_SAFETENSORS_HEADER_H_
