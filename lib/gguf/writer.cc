#include "gguf/writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <optional>
#include <memory>

#include "gguf/ggml_types.h"

namespace sizer::gguf {
namespace {

void PutU32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void PutU64(std::vector<uint8_t>& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void PutString(std::vector<uint8_t>& out, std::string_view s) {
  PutU64(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}
void PutF32(std::vector<uint8_t>& out, float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  PutU32(out, bits);
}

uint64_t AlignUp(uint64_t n, uint64_t alignment) { return (n + alignment - 1) / alignment * alignment; }

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

Status IoError(const std::string& what, const std::string& path) {
  return Status::IOError(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

void GgufWriter::AddKeyHeader(std::string_view key, ValueType type) {
  PutString(metadata_, key);
  PutU32(metadata_, static_cast<uint32_t>(type));
  ++kv_count_;
}

GgufWriter& GgufWriter::AddString(std::string_view key, std::string_view value) {
  AddKeyHeader(key, ValueType::kString);
  PutString(metadata_, value);
  return *this;
}

GgufWriter& GgufWriter::AddU32(std::string_view key, uint32_t value) {
  AddKeyHeader(key, ValueType::kUint32);
  PutU32(metadata_, value);
  return *this;
}

GgufWriter& GgufWriter::AddI32(std::string_view key, int32_t value) {
  AddKeyHeader(key, ValueType::kInt32);
  PutU32(metadata_, static_cast<uint32_t>(value));
  return *this;
}

GgufWriter& GgufWriter::AddF32(std::string_view key, float value) {
  AddKeyHeader(key, ValueType::kFloat32);
  PutF32(metadata_, value);
  return *this;
}

GgufWriter& GgufWriter::AddBool(std::string_view key, bool value) {
  AddKeyHeader(key, ValueType::kBool);
  metadata_.push_back(value ? 1 : 0);
  return *this;
}

GgufWriter& GgufWriter::AddStringArray(std::string_view key, const std::vector<std::string>& values) {
  AddKeyHeader(key, ValueType::kArray);
  PutU32(metadata_, static_cast<uint32_t>(ValueType::kString));
  PutU64(metadata_, values.size());
  for (const std::string& v : values) PutString(metadata_, v);
  return *this;
}

GgufWriter& GgufWriter::AddF32Array(std::string_view key, const std::vector<float>& values) {
  AddKeyHeader(key, ValueType::kArray);
  PutU32(metadata_, static_cast<uint32_t>(ValueType::kFloat32));
  PutU64(metadata_, values.size());
  for (float v : values) PutF32(metadata_, v);
  return *this;
}

GgufWriter& GgufWriter::AddI32Array(std::string_view key, const std::vector<int32_t>& values) {
  AddKeyHeader(key, ValueType::kArray);
  PutU32(metadata_, static_cast<uint32_t>(ValueType::kInt32));
  PutU64(metadata_, values.size());
  for (int32_t v : values) PutU32(metadata_, static_cast<uint32_t>(v));
  return *this;
}

GgufWriter& GgufWriter::SetAlignment(uint32_t alignment) {
  AddU32("general.alignment", alignment);
  alignment_ = alignment;
  // Re-lay the tensors already added.
  data_bytes_ = 0;
  for (TensorInfo& t : tensors_) {
    t.offset = AlignUp(data_bytes_, alignment_);
    data_bytes_ = t.offset + t.rows * t.row_bytes;
  }
  return *this;
}

Status GgufWriter::AddTensor(std::string_view name, std::vector<uint64_t> shape, uint32_t ggml_type) {
  std::optional<GgmlTypeInfo> type = FindGgmlType(ggml_type);
  if (!type) return Status::InvalidArgument("tensor " + std::string(name) + ": unknown ggml type " +
                                            std::to_string(ggml_type));
  if (shape.empty() || shape.size() > kMaxDims) {
    return Status::InvalidArgument("tensor " + std::string(name) + ": 1 to 4 dimensions");
  }
  if (shape[0] == 0 || shape[0] % type->block_elements != 0) {
    return Status::InvalidArgument("tensor " + std::string(name) + ": a row of " +
                                   std::to_string(shape[0]) + " values is not a whole number of " +
                                   std::string(type->name) + " blocks of " +
                                   std::to_string(type->block_elements));
  }
  for (const TensorInfo& t : tensors_) {
    if (t.name == name) return Status::InvalidArgument("duplicate tensor " + std::string(name));
  }
  TensorInfo info;
  info.name = std::string(name);
  info.ggml_type = ggml_type;
  info.rows = 1;
  for (size_t d = 1; d < shape.size(); ++d) info.rows *= shape[d];
  info.row_bytes = shape[0] / type->block_elements * type->block_bytes;
  info.shape = std::move(shape);
  info.offset = AlignUp(data_bytes_, alignment_);
  data_bytes_ = info.offset + info.rows * info.row_bytes;
  tensors_.push_back(std::move(info));
  return Status();
}

std::vector<uint8_t> GgufWriter::HeaderBytes() const {
  std::vector<uint8_t> out(kMagic, kMagic + 4);
  PutU32(out, 3);
  PutU64(out, tensors_.size());
  PutU64(out, kv_count_);
  out.insert(out.end(), metadata_.begin(), metadata_.end());
  for (const TensorInfo& t : tensors_) {
    PutString(out, t.name);
    PutU32(out, static_cast<uint32_t>(t.shape.size()));
    for (uint64_t ne : t.shape) PutU64(out, ne);
    PutU32(out, t.ggml_type);
    PutU64(out, t.offset);
  }
  out.resize(AlignUp(out.size(), alignment_), 0);
  return out;
}

uint64_t GgufWriter::FileBytes() const { return HeaderBytes().size() + data_bytes_; }

Status GgufWriter::Write(const std::string& path, const FillRows& fill, const Progress& progress,
                         uint64_t chunk_bytes) const {
  const std::string partial = path + ".partial";
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(partial.c_str(), "wb"));
  if (!file) return IoError("cannot create", partial);
  const std::vector<uint8_t> header = HeaderBytes();
  auto write = [&](const uint8_t* data, size_t n) -> Status {
    if (n > 0 && std::fwrite(data, 1, n, file.get()) != n) return IoError("cannot write", partial);
    return Status();
  };
  Status status = write(header.data(), header.size());
  uint64_t position = 0;  // in the data section
  std::vector<uint8_t> buffer;
  const std::vector<uint8_t> zeros(alignment_, 0);
  for (size_t i = 0; i < tensors_.size() && status.ok(); ++i) {
    const TensorInfo& t = tensors_[i];
    status = write(zeros.data(), t.offset - position);
    const uint64_t rows_per_chunk = std::max<uint64_t>(1, chunk_bytes / t.row_bytes);
    for (uint64_t row = 0; row < t.rows && status.ok(); row += rows_per_chunk) {
      const uint64_t end = std::min(t.rows, row + rows_per_chunk);
      buffer.resize((end - row) * t.row_bytes);
      status = fill(i, row, end, buffer.data());
      if (status.ok()) status = write(buffer.data(), buffer.size());
      if (status.ok() && progress) progress(t.offset + end * t.row_bytes, data_bytes_);
    }
    position = t.offset + t.rows * t.row_bytes;
  }
  if (status.ok() && std::fflush(file.get()) != 0) status = IoError("cannot write", partial);
  std::FILE* raw = file.release();
  if (std::fclose(raw) != 0 && status.ok()) status = IoError("cannot close", partial);
  if (status.ok() && std::rename(partial.c_str(), path.c_str()) != 0) {
    status = IoError("cannot rename " + partial + " to", path);
  }
  if (!status.ok()) std::remove(partial.c_str());
  return status;
}

}  // namespace sizer::gguf
