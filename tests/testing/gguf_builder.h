// GgufBuilder: writes GGUF files in memory for tests and fuzz seeds. It writes well-formed
// files by default (counts, offsets, alignment padding and zero tensor data of the right size
// computed for you) and has escape hatches for writing hostile ones: overridden counts, any
// value type tag with any payload, arrays whose count lies, tensor infos with any n_dims,
// shape, type id or offset, and raw key/value or tensor-info bytes. Layout() reports where
// each field landed so a test can predict the "byte N:" of an error or patch the bytes.
//
// Depends only on lib/gguf/format.h and lib/gguf/ggml_types.cc (no gtest), so the fuzz seed
// generator can use it too.
#ifndef SIZER_TESTS_TESTING_GGUF_BUILDER_H_
#define SIZER_TESTS_TESTING_GGUF_BUILDER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gguf/format.h"

namespace sizer::testing {

using Bytes = std::vector<uint8_t>;

// Little-endian appenders and patchers: the raw-bytes escape hatch.
void AppendU8(Bytes& out, uint8_t v);
void AppendU16(Bytes& out, uint16_t v);
void AppendU32(Bytes& out, uint32_t v);
void AppendU64(Bytes& out, uint64_t v);
void AppendF32(Bytes& out, float v);
void AppendF64(Bytes& out, double v);
void AppendString(Bytes& out, std::string_view s);  // uint64 length + bytes
void AppendBytes(Bytes& out, const Bytes& bytes);
void PatchU32(Bytes& out, uint64_t at, uint32_t v);
void PatchU64(Bytes& out, uint64_t at, uint64_t v);

// A metadata value: a uint32 type tag and its encoding (the "payload", written after the tag;
// inside an array only the payload is written).
class GgufValue {
 public:
  static GgufValue U8(uint8_t v);
  static GgufValue I8(int8_t v);
  static GgufValue U16(uint16_t v);
  static GgufValue I16(int16_t v);
  static GgufValue U32(uint32_t v);
  static GgufValue I32(int32_t v);
  static GgufValue F32(float v);
  static GgufValue Bool(bool v);
  static GgufValue BoolByte(uint8_t v);  // a bool with any byte, e.g. 2
  static GgufValue Str(std::string_view v);
  static GgufValue U64(uint64_t v);
  static GgufValue I64(int64_t v);
  static GgufValue F64(double v);

  // An array of `element_type` holding `items` (their type tags are not written, so items of
  // another type make an array whose bytes lie). Nested arrays: element_type kArray and
  // items made by Array().
  static GgufValue Array(gguf::ValueType element_type, const std::vector<GgufValue>& items);
  static GgufValue U32Array(const std::vector<uint32_t>& items);
  static GgufValue I32Array(const std::vector<int32_t>& items);
  static GgufValue F32Array(const std::vector<float>& items);
  static GgufValue StrArray(const std::vector<std::string>& items);
  // An array header with any element type tag and any claimed count, then `payload` verbatim.
  static GgufValue RawArray(uint32_t element_type, uint64_t count, const Bytes& payload);
  // Any type tag, any payload.
  static GgufValue Raw(uint32_t type, Bytes payload);

  uint32_t type() const { return type_; }
  const Bytes& payload() const { return payload_; }

 private:
  GgufValue(uint32_t type, Bytes payload) : type_(type), payload_(std::move(payload)) {}
  uint32_t type_;
  Bytes payload_;
};

// A tensor info. By default n_dims = shape.size(), the offset is the next aligned offset
// after the previous tensor's data, and the builder reserves the type's byte size of zero
// data (nothing for an unknown type id, an overflowing shape, or data ending past 64 MiB).
struct GgufTensor {
  std::string name;
  std::vector<uint64_t> shape;           // ne[0] first; write uint64_t(-1) for "ne = -1"
  uint32_t type = 0;                     // ggml type id (0 = F32)
  std::optional<uint64_t> offset;        // written as is, from the start of the data section
  std::optional<uint32_t> n_dims;        // written instead of shape.size()
  std::optional<uint64_t> data_bytes;    // zero bytes to reserve at `offset` instead
};

// Bytes of a tensor of ggml `type` and `shape`: nullopt for an unknown type or an overflow.
std::optional<uint64_t> GgmlTensorBytes(uint32_t type, const std::vector<uint64_t>& shape);

// Where the builder put things (byte offsets in the file).
struct GgufLayout {
  struct Kv {
    uint64_t start = 0;  // the key's length field
    uint64_t type = 0;   // the value type tag
    uint64_t value = 0;  // the value's payload
  };
  struct Tensor {
    uint64_t start = 0;   // the name's length field (the reader's info_offset)
    uint64_t n_dims = 0;
    uint64_t ne = 0;      // ne[0]; ne[d] is at ne + 8 * d
    uint64_t type = 0;
    uint64_t offset = 0;  // the offset field
    uint64_t data_offset = 0;  // the value written in it (relative to the data section)
  };
  std::vector<Kv> kvs;          // raw key/values have start only (type = value = start)
  std::vector<Tensor> tensors;  // raw tensor infos have start only
  uint64_t infos_end = 0;       // end of the last tensor info, before the padding
  uint64_t data_offset = 0;     // start of the data section
};

class GgufBuilder {
 public:
  GgufBuilder& SetMagic(std::string_view magic);  // written as given (normally 4 bytes)
  GgufBuilder& SetVersion(uint32_t version);
  GgufBuilder& SetTensorCount(uint64_t count);    // write this instead of the real count
  GgufBuilder& SetKvCount(uint64_t count);
  // Writes general.alignment (uint32) as the first key and lays the file out with it.
  GgufBuilder& SetAlignment(uint32_t alignment);
  // Lays the file out with `alignment` without writing a key (e.g. for a key of the wrong
  // type added with Add()).
  GgufBuilder& SetLayoutAlignment(uint64_t alignment);

  GgufBuilder& Add(std::string key, GgufValue value);
  GgufBuilder& AddString(std::string key, std::string_view value) {
    return Add(std::move(key), GgufValue::Str(value));
  }
  GgufBuilder& AddU32(std::string key, uint32_t value) {
    return Add(std::move(key), GgufValue::U32(value));
  }
  // Raw bytes in the metadata section, counted as one key/value pair.
  GgufBuilder& AddRawKv(Bytes bytes);

  GgufBuilder& AddTensor(GgufTensor tensor);
  GgufBuilder& AddTensor(std::string name, std::vector<uint64_t> shape, uint32_t type = 0);
  // Raw bytes in the tensor info section, counted as one tensor; reserves `data_bytes` of
  // zero data at the next aligned offset.
  GgufBuilder& AddRawTensorInfo(Bytes bytes, uint64_t data_bytes = 0);

  // Bytes after the data section (e.g. to make the file longer than its tensors).
  GgufBuilder& AppendTrailing(const Bytes& bytes);

  Bytes Build() const { return Build(nullptr); }
  Bytes Build(GgufLayout* layout) const;

  uint64_t alignment() const { return alignment_; }

 private:
  struct Kv {
    std::string key;
    std::optional<GgufValue> value;  // nullopt: raw
    Bytes raw;
  };
  struct Tensor {
    std::optional<GgufTensor> info;  // nullopt: raw
    Bytes raw;
    uint64_t raw_data_bytes = 0;
  };

  std::string magic_ = "GGUF";
  uint32_t version_ = 3;
  std::optional<uint64_t> tensor_count_;
  std::optional<uint64_t> kv_count_;
  uint64_t alignment_ = gguf::kDefaultAlignment;
  std::optional<uint32_t> alignment_key_;
  std::vector<Kv> kvs_;
  std::vector<Tensor> tensors_;
  Bytes trailing_;
};

// A tiny, valid llama-architecture model.
struct LlamaLikeOptions {
  uint32_t tensor_type = 0;    // ggml type id of the 2-D weights (norms stay F32)
  uint32_t n_layers = 1;
  uint64_t n_embd = 256;       // multiples of 256 suit every block format
  uint64_t n_ff = 256;
  uint64_t n_head = 4;
  uint64_t n_head_kv = 2;
  uint64_t n_vocab = 16;
  uint64_t context_length = 256;
  uint32_t alignment = 0;      // 0: the default 32, no general.alignment key
  uint32_t version = 3;
};

// general.architecture = "llama", llama.{block_count, context_length, embedding_length,
// feed_forward_length, attention.head_count, attention.head_count_kv, rope.dimension_count,
// attention.layer_norm_rms_epsilon}, general.name, tokenizer.ggml.{model, tokens, scores,
// token_type}; tensors token_embd.weight {n_embd, n_vocab},
// blk.N.{attn_norm, attn_q, attn_k, attn_v, attn_output, ffn_norm, ffn_gate, ffn_up,
// ffn_down}.weight, output_norm.weight and output.weight {n_embd, n_vocab}.
// 9 * n_layers + 3 tensors.
GgufBuilder LlamaLikeBuilder(const LlamaLikeOptions& options = {});
Bytes LlamaLikeGguf(const LlamaLikeOptions& options = {});
Bytes LlamaLikeGguf(uint32_t tensor_type, uint32_t n_layers = 1);

// Writes `bytes` to `path`; false on failure.
bool WriteBytesToFile(const std::string& path, const Bytes& bytes);

}  // namespace sizer::testing

#endif  // SIZER_TESTS_TESTING_GGUF_BUILDER_H_
