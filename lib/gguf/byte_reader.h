// A bounds-checked little-endian cursor over a byte span. Every read checks the remaining
// length first; an overrun is kCorruption naming the byte offset and what was being read.
#ifndef SIZER_GGUF_BYTE_READER_H_
#define SIZER_GGUF_BYTE_READER_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/status.h"

namespace sizer::gguf {

class ByteReader {
 public:
  ByteReader(const uint8_t* data, uint64_t size) : data_(data), size_(size) {}

  uint64_t offset() const { return offset_; }
  uint64_t remaining() const { return size_ - offset_; }

  // kCorruption "byte N: <what>: <message>".
  Status Error(uint64_t at, std::string_view what, std::string_view message) const {
    return Status::Corruption("byte " + std::to_string(at) + ": " + std::string(what) + ": " +
                              std::string(message));
  }

  template <typename T>
  StatusOr<T> Read(std::string_view what) {
    if (remaining() < sizeof(T)) {
      return Error(offset_, what,
                   "needs " + std::to_string(sizeof(T)) + " bytes, the file ends after " +
                       std::to_string(remaining()));
    }
    T value;
    std::memcpy(&value, data_ + offset_, sizeof(T));  // the format and the host are little-endian
    offset_ += sizeof(T);
    return value;
  }

  // A GGUF string: uint64 length then bytes. Returns a view into the buffer.
  StatusOr<std::string_view> ReadString(std::string_view what) {
    const uint64_t at = offset_;
    SIZER_ASSIGN_OR_RETURN(uint64_t length, Read<uint64_t>(what));
    if (length > remaining()) {
      return Error(at, what,
                   "string length " + std::to_string(length) + " runs past the end of the file (" +
                       std::to_string(remaining()) + " bytes left)");
    }
    std::string_view s(reinterpret_cast<const char*>(data_ + offset_), length);
    offset_ += length;
    return s;
  }

  // Advances by `n` bytes (checked).
  Status Skip(uint64_t n, std::string_view what) {
    if (n > remaining()) {
      return Error(offset_, what, std::to_string(n) + " bytes run past the end of the file");
    }
    offset_ += n;
    return Status();
  }

  const uint8_t* here() const { return data_ + offset_; }

 private:
  const uint8_t* data_;
  uint64_t size_;
  uint64_t offset_ = 0;
};

}  // namespace sizer::gguf

#endif  // SIZER_GGUF_BYTE_READER_H_
