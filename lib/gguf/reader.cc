#include "gguf/reader.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <limits>

#include "gguf/byte_reader.h"

namespace sizer::gguf {
namespace {

constexpr uint64_t kInt64Max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
// Smallest possible encodings, used to reject absurd counts before looping over them.
constexpr uint64_t kMinKvBytes = 8 + 4 + 1;               // empty key, type, one byte
constexpr uint64_t kMinTensorInfoBytes = 8 + 4 + 8 + 4 + 8;  // empty name, 1 dim, type, offset
constexpr uint64_t kMinNestedArrayBytes = 4 + 8;          // element type + count

std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s.substr(0, 96)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  if (s.size() > 96) out += "...";
  return out + "'";
}

bool IsValidValueType(uint32_t t) { return t < kValueTypeCount; }

StatusOr<Value> ParseScalar(ByteReader& r, ValueType type, const std::string& what) {
  Value v;
  v.type = type;
  switch (type) {
    case ValueType::kUint8: { SIZER_ASSIGN_OR_RETURN(uint8_t x, r.Read<uint8_t>(what)); v.u64 = x; v.i64 = x; v.f64 = x; break; }
    case ValueType::kInt8: { SIZER_ASSIGN_OR_RETURN(int8_t x, r.Read<int8_t>(what)); v.i64 = x; v.u64 = static_cast<uint64_t>(x); v.f64 = x; break; }
    case ValueType::kUint16: { SIZER_ASSIGN_OR_RETURN(uint16_t x, r.Read<uint16_t>(what)); v.u64 = x; v.i64 = x; v.f64 = x; break; }
    case ValueType::kInt16: { SIZER_ASSIGN_OR_RETURN(int16_t x, r.Read<int16_t>(what)); v.i64 = x; v.u64 = static_cast<uint64_t>(x); v.f64 = x; break; }
    case ValueType::kUint32: { SIZER_ASSIGN_OR_RETURN(uint32_t x, r.Read<uint32_t>(what)); v.u64 = x; v.i64 = x; v.f64 = x; break; }
    case ValueType::kInt32: { SIZER_ASSIGN_OR_RETURN(int32_t x, r.Read<int32_t>(what)); v.i64 = x; v.u64 = static_cast<uint64_t>(x); v.f64 = x; break; }
    case ValueType::kUint64: { SIZER_ASSIGN_OR_RETURN(uint64_t x, r.Read<uint64_t>(what)); v.u64 = x; v.i64 = static_cast<int64_t>(x); v.f64 = static_cast<double>(x); break; }
    case ValueType::kInt64: { SIZER_ASSIGN_OR_RETURN(int64_t x, r.Read<int64_t>(what)); v.i64 = x; v.u64 = static_cast<uint64_t>(x); v.f64 = static_cast<double>(x); break; }
    case ValueType::kFloat32: { SIZER_ASSIGN_OR_RETURN(float x, r.Read<float>(what)); v.f64 = x; break; }
    case ValueType::kFloat64: { SIZER_ASSIGN_OR_RETURN(double x, r.Read<double>(what)); v.f64 = x; break; }
    case ValueType::kBool: {
      uint64_t at = r.offset();
      SIZER_ASSIGN_OR_RETURN(uint8_t x, r.Read<uint8_t>(what));
      if (x > 1) return r.Error(at, what, "bool must be 0 or 1, got " + std::to_string(x));
      v.boolean = x != 0;
      v.u64 = x;
      v.i64 = x;
      v.f64 = x;
      break;
    }
    case ValueType::kString: { SIZER_ASSIGN_OR_RETURN(v.str, r.ReadString(what)); break; }
    case ValueType::kArray: break;  // handled by ParseValue
  }
  return v;
}

StatusOr<Value> ParseValue(ByteReader& r, ValueType type, int depth, const std::string& what) {
  if (type != ValueType::kArray) return ParseScalar(r, type, what);
  if (depth >= kMaxArrayNesting) {
    return r.Error(r.offset(), what,
                   "arrays nested deeper than " + std::to_string(kMaxArrayNesting) + " levels");
  }
  Value v;
  v.type = ValueType::kArray;
  uint64_t at = r.offset();
  SIZER_ASSIGN_OR_RETURN(uint32_t element_type, r.Read<uint32_t>(what + " element type"));
  if (!IsValidValueType(element_type)) {
    return r.Error(at, what, "unknown array element type " + std::to_string(element_type));
  }
  v.element_type = static_cast<ValueType>(element_type);
  at = r.offset();
  SIZER_ASSIGN_OR_RETURN(v.count, r.Read<uint64_t>(what + " count"));
  const uint64_t scalar = ScalarSize(v.element_type);
  if (scalar > 0) {
    if (v.count > r.remaining() / scalar) {
      return r.Error(at, what,
                     "array of " + std::to_string(v.count) + " " +
                         std::string(ValueTypeName(v.element_type)) +
                         " runs past the end of the file (" + std::to_string(r.remaining()) +
                         " bytes left)");
    }
    v.raw = r.here();
    if (v.element_type == ValueType::kBool) {
      for (uint64_t i = 0; i < v.count; ++i) {
        if (v.raw[i] > 1) {
          return r.Error(r.offset() + i, what + "[" + std::to_string(i) + "]",
                         "bool must be 0 or 1, got " + std::to_string(v.raw[i]));
        }
      }
    }
    SIZER_RETURN_IF_ERROR(r.Skip(v.count * scalar, what));
  } else if (v.element_type == ValueType::kString) {
    if (v.count > r.remaining() / 8) {
      return r.Error(at, what, "array of " + std::to_string(v.count) +
                                   " strings runs past the end of the file");
    }
    v.strings.reserve(v.count);
    for (uint64_t i = 0; i < v.count; ++i) {
      SIZER_ASSIGN_OR_RETURN(std::string_view s, r.ReadString(what + "[" + std::to_string(i) + "]"));
      v.strings.push_back(s);
    }
  } else {
    if (v.count > r.remaining() / kMinNestedArrayBytes) {
      return r.Error(at, what, "array of " + std::to_string(v.count) +
                                   " arrays runs past the end of the file");
    }
    v.arrays.reserve(v.count);
    for (uint64_t i = 0; i < v.count; ++i) {
      SIZER_ASSIGN_OR_RETURN(Value item, ParseValue(r, ValueType::kArray, depth + 1,
                                                    what + "[" + std::to_string(i) + "]"));
      v.arrays.push_back(std::move(item));
    }
  }
  return v;
}

uint64_t AlignUp(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

}  // namespace

uint64_t ScalarSize(ValueType type) {
  switch (type) {
    case ValueType::kUint8: case ValueType::kInt8: case ValueType::kBool: return 1;
    case ValueType::kUint16: case ValueType::kInt16: return 2;
    case ValueType::kUint32: case ValueType::kInt32: case ValueType::kFloat32: return 4;
    case ValueType::kUint64: case ValueType::kInt64: case ValueType::kFloat64: return 8;
    case ValueType::kString: case ValueType::kArray: return 0;
  }
  return 0;
}

std::string_view ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kUint8: return "uint8";
    case ValueType::kInt8: return "int8";
    case ValueType::kUint16: return "uint16";
    case ValueType::kInt16: return "int16";
    case ValueType::kUint32: return "uint32";
    case ValueType::kInt32: return "int32";
    case ValueType::kFloat32: return "float32";
    case ValueType::kBool: return "bool";
    case ValueType::kString: return "string";
    case ValueType::kArray: return "array";
    case ValueType::kUint64: return "uint64";
    case ValueType::kInt64: return "int64";
    case ValueType::kFloat64: return "float64";
  }
  return "?";
}

bool Value::IsInteger() const {
  switch (type) {
    case ValueType::kUint8: case ValueType::kInt8: case ValueType::kUint16:
    case ValueType::kInt16: case ValueType::kUint32: case ValueType::kInt32:
    case ValueType::kUint64: case ValueType::kInt64:
      return true;
    default:
      return false;
  }
}

double Value::NumberAt(uint64_t i) const {
  const uint8_t* p = raw + i * ScalarSize(element_type);
  auto load = [p](auto zero) {
    decltype(zero) x;
    std::memcpy(&x, p, sizeof(x));
    return static_cast<double>(x);
  };
  switch (element_type) {
    case ValueType::kUint8: return load(uint8_t{});
    case ValueType::kInt8: return load(int8_t{});
    case ValueType::kBool: return load(uint8_t{});
    case ValueType::kUint16: return load(uint16_t{});
    case ValueType::kInt16: return load(int16_t{});
    case ValueType::kUint32: return load(uint32_t{});
    case ValueType::kInt32: return load(int32_t{});
    case ValueType::kFloat32: return load(float{});
    case ValueType::kUint64: return load(uint64_t{});
    case ValueType::kInt64: return load(int64_t{});
    case ValueType::kFloat64: return load(double{});
    default: return 0;
  }
}

const Value* GgufFile::Find(std::string_view key) const {
  auto it = key_index_.find(key);
  return it == key_index_.end() ? nullptr : &metadata[it->second].second;
}

const TensorInfo* GgufFile::FindTensor(std::string_view name) const {
  auto it = tensor_index_.find(name);
  return it == tensor_index_.end() ? nullptr : &tensors[it->second];
}

StatusOr<std::string> GgufFile::GetString(std::string_view key) const {
  const Value* v = Find(key);
  if (v == nullptr) return Status::NotFound("metadata key '" + std::string(key) + "' is missing");
  if (v->type != ValueType::kString) {
    return Status::Corruption("metadata key '" + std::string(key) + "' is " +
                              std::string(ValueTypeName(v->type)) + ", expected string");
  }
  return std::string(v->str);
}

StatusOr<uint64_t> GgufFile::GetUint(std::string_view key) const {
  const Value* v = Find(key);
  if (v == nullptr) return Status::NotFound("metadata key '" + std::string(key) + "' is missing");
  const bool is_unsigned = v->type == ValueType::kUint8 || v->type == ValueType::kUint16 ||
                           v->type == ValueType::kUint32 || v->type == ValueType::kUint64;
  if (!v->IsInteger() || (!is_unsigned && v->i64 < 0)) {
    return Status::Corruption("metadata key '" + std::string(key) + "' is " +
                              std::string(ValueTypeName(v->type)) +
                              ", expected a non-negative integer");
  }
  return v->u64;
}

StatusOr<double> GgufFile::GetFloat(std::string_view key) const {
  const Value* v = Find(key);
  if (v == nullptr) return Status::NotFound("metadata key '" + std::string(key) + "' is missing");
  if (!v->IsInteger() && !v->IsFloat()) {
    return Status::Corruption("metadata key '" + std::string(key) + "' is " +
                              std::string(ValueTypeName(v->type)) + ", expected a number");
  }
  return v->f64;
}

// Parses a GGUF image in the order the format lays it out (gguf/format.h): header, metadata,
// alignment, tensor infos, then the data section. Each step checks its own bytes and reports
// the byte offset of the first bad one; the class exists so the steps can share the cursor and
// fill GgufFile's private indexes (it is GgufFile's friend).
class GgufParser {
 public:
  GgufParser(const uint8_t* data, uint64_t size) : r_(data, size), data_(data), size_(size) {
    file_.file_bytes = size;
  }

  StatusOr<GgufFile> Parse() {
    SIZER_RETURN_IF_ERROR(ParseHeader());
    SIZER_RETURN_IF_ERROR(ParseMetadata());
    SIZER_RETURN_IF_ERROR(ApplyAlignment());
    file_.tensors.reserve(n_tensors_);
    for (uint64_t i = 0; i < n_tensors_; ++i) {
      SIZER_ASSIGN_OR_RETURN(TensorInfo t, ParseTensorInfo(i));
      file_.tensor_index_.emplace(t.name, file_.tensors.size());
      file_.tensors.push_back(std::move(t));
    }
    SIZER_RETURN_IF_ERROR(PlaceTensorData());
    SIZER_RETURN_IF_ERROR(CheckNoOverlap());
    return std::move(file_);
  }

 private:
  Status ParseHeader();
  Status ParseMetadata();
  Status ApplyAlignment();
  StatusOr<TensorInfo> ParseTensorInfo(uint64_t i);
  Status ParseShape(const std::string& what, uint32_t n_dims, TensorInfo& t);
  Status PlaceTensorData();
  Status CheckNoOverlap() const;

  ByteReader r_;
  const uint8_t* data_;
  uint64_t size_;
  GgufFile file_;
  uint64_t n_tensors_ = 0;
  uint64_t n_kv_ = 0;
};

Status GgufParser::ParseHeader() {
  if (size_ < 4) {
    return r_.Error(0, "magic", "file is " + std::to_string(size_) +
                                    " bytes, too short for a GGUF header");
  }
  if (std::memcmp(data_, kMagic, 4) != 0) {
    char got[16];
    std::snprintf(got, sizeof(got), "%02x %02x %02x %02x", data_[0], data_[1], data_[2], data_[3]);
    return r_.Error(0, "magic", std::string("expected 'GGUF' (47 47 55 46), got ") + got +
                                    "; not a GGUF file");
  }
  SIZER_RETURN_IF_ERROR(r_.Skip(4, "magic"));
  SIZER_ASSIGN_OR_RETURN(file_.version, r_.Read<uint32_t>("version"));
  if (file_.version < kMinVersion || file_.version > kMaxVersion) {
    return Status::Unsupported("byte 4: version: unsupported GGUF version " +
                               std::to_string(file_.version) + " (sizer reads versions 2 and 3)");
  }
  SIZER_ASSIGN_OR_RETURN(n_tensors_, r_.Read<uint64_t>("tensor count"));
  SIZER_ASSIGN_OR_RETURN(n_kv_, r_.Read<uint64_t>("metadata count"));
  if (n_kv_ > r_.remaining() / kMinKvBytes) {
    return r_.Error(16, "metadata count", std::to_string(n_kv_) +
                                               " key/value pairs cannot fit in the " +
                                               std::to_string(r_.remaining()) + " bytes left");
  }
  if (n_tensors_ > r_.remaining() / kMinTensorInfoBytes) {
    return r_.Error(8, "tensor count", std::to_string(n_tensors_) +
                                           " tensor infos cannot fit in the " +
                                           std::to_string(r_.remaining()) + " bytes left");
  }
  return Status();
}

Status GgufParser::ParseMetadata() {
  file_.metadata.reserve(n_kv_);
  for (uint64_t i = 0; i < n_kv_; ++i) {
    const uint64_t at = r_.offset();
    SIZER_ASSIGN_OR_RETURN(std::string_view key,
                           r_.ReadString("metadata key #" + std::to_string(i)));
    const std::string what = "metadata " + Quote(key);
    if (file_.key_index_.count(key) != 0) return r_.Error(at, what, "duplicate key");
    const uint64_t type_at = r_.offset();
    SIZER_ASSIGN_OR_RETURN(uint32_t type, r_.Read<uint32_t>(what + " type"));
    if (!IsValidValueType(type)) {
      return r_.Error(type_at, what, "unknown value type " + std::to_string(type));
    }
    SIZER_ASSIGN_OR_RETURN(Value value, ParseValue(r_, static_cast<ValueType>(type), 0, what));
    file_.key_index_.emplace(key, file_.metadata.size());
    file_.metadata.emplace_back(key, std::move(value));
  }
  return Status();
}

Status GgufParser::ApplyAlignment() {
  const Value* alignment = file_.Find("general.alignment");
  if (alignment == nullptr) return Status();
  if (alignment->type != ValueType::kUint32) {
    return Status::Corruption("metadata 'general.alignment': is " +
                              std::string(ValueTypeName(alignment->type)) + ", expected uint32");
  }
  const uint64_t a = alignment->u64;
  if (a == 0 || (a & (a - 1)) != 0) {
    return Status::Corruption("metadata 'general.alignment': " + std::to_string(a) +
                              " is not a power of two");
  }
  file_.alignment = a;
  return Status();
}

Status GgufParser::ParseShape(const std::string& what, uint32_t n_dims, TensorInfo& t) {
  t.n_elements = 1;
  for (uint32_t d = 0; d < n_dims; ++d) {
    const uint64_t ne_at = r_.offset();
    SIZER_ASSIGN_OR_RETURN(uint64_t ne,
                           r_.Read<uint64_t>(what + " ne[" + std::to_string(d) + "]"));
    if (ne > kInt64Max) {
      return r_.Error(ne_at, what, "ne[" + std::to_string(d) + "] is negative (" +
                                       std::to_string(static_cast<int64_t>(ne)) + ")");
    }
    if (ne != 0 && t.n_elements > kInt64Max / ne) {
      return r_.Error(ne_at, what, "shape product overflows 64 bits");
    }
    t.n_elements *= ne;
    t.shape.push_back(ne);
  }
  return Status();
}

StatusOr<TensorInfo> GgufParser::ParseTensorInfo(uint64_t i) {
  TensorInfo t;
  t.info_offset = r_.offset();
  SIZER_ASSIGN_OR_RETURN(t.name, r_.ReadString("tensor #" + std::to_string(i) + " name"));
  const std::string what = "tensor " + Quote(t.name);
  if (file_.tensor_index_.count(t.name) != 0) {
    return r_.Error(t.info_offset, what, "duplicate tensor name");
  }
  const uint64_t dims_at = r_.offset();
  SIZER_ASSIGN_OR_RETURN(uint32_t n_dims, r_.Read<uint32_t>(what + " n_dims"));
  if (n_dims < 1 || n_dims > kMaxDims) {
    return r_.Error(dims_at, what, "n_dims " + std::to_string(n_dims) + " outside 1.." +
                                       std::to_string(kMaxDims));
  }
  SIZER_RETURN_IF_ERROR(ParseShape(what, n_dims, t));
  const uint64_t type_at = r_.offset();
  SIZER_ASSIGN_OR_RETURN(uint32_t type_id, r_.Read<uint32_t>(what + " type"));
  std::optional<GgmlTypeInfo> type = FindGgmlType(type_id);
  if (!type) {
    return r_.Error(type_at, what, "unknown ggml tensor type id " + std::to_string(type_id));
  }
  t.type = *type;
  if (t.shape[0] % t.type.block_elements != 0) {
    return r_.Error(dims_at, what, "ne[0] = " + std::to_string(t.shape[0]) +
                                       " is not a multiple of " + std::string(t.type.name) +
                                       "'s block of " + std::to_string(t.type.block_elements));
  }
  const uint64_t blocks = t.n_elements / t.type.block_elements;
  if (blocks > kInt64Max / t.type.block_bytes) {
    return r_.Error(dims_at, what, "tensor size overflows 64 bits");
  }
  t.n_bytes = blocks * t.type.block_bytes;
  const uint64_t offset_at = r_.offset();
  SIZER_ASSIGN_OR_RETURN(t.offset, r_.Read<uint64_t>(what + " offset"));
  if (t.offset % file_.alignment != 0) {
    return r_.Error(offset_at, what, "data offset " + std::to_string(t.offset) +
                                         " is not a multiple of the alignment " +
                                         std::to_string(file_.alignment));
  }
  return t;
}

// The data section starts at the next multiple of the alignment; every tensor's bytes must lie
// inside it.
Status GgufParser::PlaceTensorData() {
  if (r_.offset() > kInt64Max) return r_.Error(r_.offset(), "data section", "offset overflow");
  file_.data_offset = AlignUp(r_.offset(), file_.alignment);
  if (!file_.tensors.empty() && file_.data_offset > size_) {
    return r_.Error(r_.offset(), "data section",
                    "starts at byte " + std::to_string(file_.data_offset) +
                        ", past the end of the file (" + std::to_string(size_) + " bytes)");
  }
  const uint64_t data_bytes = file_.data_offset <= size_ ? size_ - file_.data_offset : 0;
  for (TensorInfo& t : file_.tensors) {
    if (t.offset > data_bytes || t.n_bytes > data_bytes - t.offset) {
      return r_.Error(t.info_offset, "tensor " + Quote(t.name),
                      "data [" + std::to_string(t.offset) + ", +" + std::to_string(t.n_bytes) +
                          ") lies outside the data section of " + std::to_string(data_bytes) +
                          " bytes");
    }
    t.data = data_ + file_.data_offset + t.offset;
    file_.tensor_data_bytes += t.n_bytes;
  }
  return Status();
}

// No two tensors may share bytes: sweep in offset order, comparing each non-empty tensor with
// the furthest end reached so far (empty tensors own no bytes and are skipped).
Status GgufParser::CheckNoOverlap() const {
  std::vector<const TensorInfo*> by_offset;
  by_offset.reserve(file_.tensors.size());
  for (const TensorInfo& t : file_.tensors) {
    if (t.n_bytes > 0) by_offset.push_back(&t);
  }
  std::sort(by_offset.begin(), by_offset.end(),
            [](const TensorInfo* a, const TensorInfo* b) { return a->offset < b->offset; });
  const TensorInfo* furthest = nullptr;
  for (const TensorInfo* t : by_offset) {
    if (furthest != nullptr && t->offset < furthest->offset + furthest->n_bytes) {
      return r_.Error(t->info_offset, "tensor " + Quote(t->name),
                      "data overlaps tensor " + Quote(furthest->name));
    }
    if (furthest == nullptr || t->offset + t->n_bytes > furthest->offset + furthest->n_bytes) {
      furthest = t;
    }
  }
  return Status();
}

StatusOr<GgufFile> ParseGguf(const uint8_t* data, uint64_t size) {
  return GgufParser(data, size).Parse();
}

}  // namespace sizer::gguf
