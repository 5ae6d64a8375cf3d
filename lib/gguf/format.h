// The GGUF file format (versions 2 and 3), as written by ggml. All integers little-endian.
//
//  1. magic          4 bytes  "GGUF"
//  2. version        uint32   2 or 3 (1 used 32-bit counts and is not supported)
//  3. n_tensors      uint64
//  4. n_kv           uint64
//  5. n_kv key/value pairs:
//       key          string   (uint64 length + bytes, no terminator)
//       value_type   uint32   (ValueType below)
//       value        the type's encoding; an array is: element type uint32, count uint64,
//                    then count elements (arrays may nest)
//  6. n_tensors tensor infos:
//       name         string
//       n_dims       uint32   (1..4)
//       ne[n_dims]   uint64 each (elements per dimension, ne[0] innermost)
//       type         uint32   (ggml_type, see ggml_types.h)
//       offset       uint64   (from the start of the data section; a multiple of alignment)
//  7. padding to `general.alignment` (uint32 key, default 32)
//  8. tensor data: the data section, tensors at their offsets
//
// Source: ggml-org/ggml include/gguf.h and src/gguf.cpp.
#ifndef SIZER_GGUF_FORMAT_H_
#define SIZER_GGUF_FORMAT_H_

#include <cstdint>
#include <string_view>

namespace sizer::gguf {

inline constexpr char kMagic[4] = {'G', 'G', 'U', 'F'};
inline constexpr uint32_t kMinVersion = 2;
inline constexpr uint32_t kMaxVersion = 3;
inline constexpr uint64_t kDefaultAlignment = 32;
inline constexpr uint32_t kMaxDims = 4;        // GGML_MAX_DIMS
inline constexpr int kMaxArrayNesting = 8;      // deeper nesting is treated as hostile

enum class ValueType : uint32_t {
  kUint8 = 0,
  kInt8 = 1,
  kUint16 = 2,
  kInt16 = 3,
  kUint32 = 4,
  kInt32 = 5,
  kFloat32 = 6,
  kBool = 7,
  kString = 8,
  kArray = 9,
  kUint64 = 10,
  kInt64 = 11,
  kFloat64 = 12,
};

inline constexpr uint32_t kValueTypeCount = 13;

// Bytes of one scalar of `type`; 0 for string and array (variable size).
uint64_t ScalarSize(ValueType type);
std::string_view ValueTypeName(ValueType type);

}  // namespace sizer::gguf

#endif  // SIZER_GGUF_FORMAT_H_
