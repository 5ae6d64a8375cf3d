// GgufWriter: writes a GGUF file (version 3) from metadata and tensor descriptions, streaming
// the tensor data from a callback so a multi-gigabyte file never sits in memory. The layout
// follows gguf/format.h: header, key/values in insertion order, tensor infos with offsets
// aligned to `general.alignment` (32 unless set), padding, then the data section.
//
// The file is written to PATH.partial and renamed over PATH when complete, so an interrupted
// write never leaves a truncated GGUF under the final name.
#ifndef SIZER_GGUF_WRITER_H_
#define SIZER_GGUF_WRITER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "gguf/format.h"

namespace sizer::gguf {

class GgufWriter {
 public:
  GgufWriter& AddString(std::string_view key, std::string_view value);
  GgufWriter& AddU32(std::string_view key, uint32_t value);
  GgufWriter& AddI32(std::string_view key, int32_t value);
  GgufWriter& AddF32(std::string_view key, float value);
  GgufWriter& AddBool(std::string_view key, bool value);
  GgufWriter& AddStringArray(std::string_view key, const std::vector<std::string>& values);
  GgufWriter& AddF32Array(std::string_view key, const std::vector<float>& values);
  GgufWriter& AddI32Array(std::string_view key, const std::vector<int32_t>& values);
  // Writes general.alignment and lays the data out with it. REQUIRES: a power of two.
  GgufWriter& SetAlignment(uint32_t alignment);

  // A tensor of `ggml_type` with dimensions `shape` (ne[0] first). kInvalidArgument for an
  // unknown type, a row (ne[0]) that is not a whole number of blocks, or a duplicate name.
  Status AddTensor(std::string_view name, std::vector<uint64_t> shape, uint32_t ggml_type);

  struct TensorInfo {
    std::string name;
    std::vector<uint64_t> shape;
    uint32_t ggml_type = 0;
    uint64_t rows = 0;        // product of ne[1..]
    uint64_t row_bytes = 0;   // bytes of one row of ne[0] elements
    uint64_t offset = 0;      // from the start of the data section
  };
  const std::vector<TensorInfo>& tensors() const { return tensors_; }

  // Bytes of the whole file as Write will produce it.
  uint64_t FileBytes() const;

  // Fills `out` with rows [row_begin, row_end) of tensor `index` (row_bytes each).
  using FillRows = std::function<Status(size_t index, uint64_t row_begin, uint64_t row_end,
                                        uint8_t* out)>;
  // Called after each chunk with the data bytes written so far and the total.
  using Progress = std::function<void(uint64_t done_bytes, uint64_t total_bytes)>;

  // Writes the file, asking `fill` for the data in chunks of at most `chunk_bytes` (whole
  // rows; a single larger row is one chunk). Errors name the path.
  Status Write(const std::string& path, const FillRows& fill, const Progress& progress = {},
               uint64_t chunk_bytes = uint64_t{8} << 20) const;

 private:
  std::vector<uint8_t> HeaderBytes() const;
  void AddKeyHeader(std::string_view key, ValueType type);

  std::vector<uint8_t> metadata_;  // the encoded key/value pairs
  uint64_t kv_count_ = 0;
  uint64_t alignment_ = kDefaultAlignment;
  uint64_t data_bytes_ = 0;        // end of the last tensor in the data section
  std::vector<TensorInfo> tensors_;
};

}  // namespace sizer::gguf

#endif  // SIZER_GGUF_WRITER_H_
