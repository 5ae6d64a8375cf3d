// GGUF reader: parses a whole GGUF file held in memory (normally a MappedFile) into its
// metadata and tensor infos, with zero-copy views of strings and tensor data. Built for
// hostile input: every count, length, offset and shape product is checked against the bytes
// that remain and against overflow before it is used, so allocation stays proportional to the
// file size, and any defect is kCorruption (or kUnsupported for a valid file sizer cannot
// read) naming the byte offset and the key or tensor.
#ifndef SIZER_GGUF_READER_H_
#define SIZER_GGUF_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "gguf/format.h"
#include "gguf/ggml_types.h"

namespace sizer::gguf {

// One metadata value. Views point into the parsed buffer, which must outlive it.
struct Value {
  ValueType type = ValueType::kUint8;
  // Scalars: integers are widened to 64 bits, floats to double.
  uint64_t u64 = 0;
  int64_t i64 = 0;
  double f64 = 0;
  bool boolean = false;
  std::string_view str;
  // Arrays: the element type and count; scalar elements stay in the file (`raw`, decoded on
  // access), strings are views, nested arrays are Values.
  ValueType element_type = ValueType::kUint8;
  uint64_t count = 0;
  const uint8_t* raw = nullptr;
  std::vector<std::string_view> strings;
  std::vector<Value> arrays;

  bool IsInteger() const;
  bool IsFloat() const { return type == ValueType::kFloat32 || type == ValueType::kFloat64; }
  bool IsArray() const { return type == ValueType::kArray; }
  // Array element `i` of an integer/float/bool array, as a number. REQUIRES: i < count.
  double NumberAt(uint64_t i) const;
};

struct TensorInfo {
  std::string_view name;
  std::vector<uint64_t> shape;  // ne[0] first (innermost)
  GgmlTypeInfo type;
  uint64_t offset = 0;       // from the start of the data section
  uint64_t n_elements = 0;
  uint64_t n_bytes = 0;
  uint64_t info_offset = 0;  // byte offset of this tensor's info in the file, for messages
  const uint8_t* data = nullptr;  // n_bytes of tensor data inside the buffer
};

struct GgufFile {
  uint32_t version = 0;
  uint64_t alignment = kDefaultAlignment;
  uint64_t data_offset = 0;   // start of the data section
  uint64_t file_bytes = 0;
  uint64_t tensor_data_bytes = 0;  // sum of the tensors' n_bytes
  std::vector<std::pair<std::string_view, Value>> metadata;  // in file order
  std::vector<TensorInfo> tensors;                           // in file order

  const Value* Find(std::string_view key) const;
  const TensorInfo* FindTensor(std::string_view name) const;

  // Typed lookups. kNotFound names a missing key; kCorruption a key of the wrong type.
  StatusOr<std::string> GetString(std::string_view key) const;
  StatusOr<uint64_t> GetUint(std::string_view key) const;   // any non-negative integer type
  StatusOr<double> GetFloat(std::string_view key) const;    // float or integer
  bool Has(std::string_view key) const { return Find(key) != nullptr; }

 private:
  friend class GgufParser;  // reader.cc fills the indexes while parsing
  std::unordered_map<std::string_view, size_t> key_index_;
  std::unordered_map<std::string_view, size_t> tensor_index_;
};

// Parses `size` bytes at `data`. The result holds views into `data`.
StatusOr<GgufFile> ParseGguf(const uint8_t* data, uint64_t size);

}  // namespace sizer::gguf

#endif  // SIZER_GGUF_READER_H_
