// The ggml tensor types: block size and bytes per block. The single source of truth for
// the planner's bits-per-weight and, later, the GGUF reader and the runner.
// Source: ggml-org/ggml include/ggml.h (enum ggml_type ids) and src/ggml.c type_traits /
// src/ggml-common.h block structs.
#ifndef SIZER_GGUF_GGML_TYPES_H_
#define SIZER_GGUF_GGML_TYPES_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace sizer::gguf {

struct GgmlTypeInfo {
  uint32_t id;                 // enum ggml_type value as stored in GGUF tensor infos
  std::string_view name;       // "Q4_K"
  uint32_t block_elements;     // weights per block
  uint32_t block_bytes;        // bytes per block, scales included
  bool quantized;              // true for block formats

  // Bits per weight including the block's scales: 8 * block_bytes / block_elements.
  double bits_per_weight() const { return 8.0 * block_bytes / block_elements; }
};

// Every type in the table, ordered by id. Ids that ggml removed are absent.
const std::vector<GgmlTypeInfo>& AllGgmlTypes();

// nullopt for an id that no current ggml type has.
std::optional<GgmlTypeInfo> FindGgmlType(uint32_t id);
// Case-insensitive: "q4_k" finds Q4_K.
std::optional<GgmlTypeInfo> FindGgmlTypeByName(std::string_view name);

}  // namespace sizer::gguf

#endif  // SIZER_GGUF_GGML_TYPES_H_
