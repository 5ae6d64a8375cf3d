#include "testing/gguf_builder.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>

#include "gguf/ggml_types.h"

namespace sizer::testing {
namespace {

using gguf::ValueType;

constexpr uint64_t kMaxReservedData = 64ull << 20;

template <typename T>
void AppendLe(Bytes& out, T v) {
  uint8_t buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));  // the host is little-endian, like the format
  out.insert(out.end(), buf, buf + sizeof(T));
}

template <typename T>
void PatchLe(Bytes& out, uint64_t at, T v) {
  if (at + sizeof(T) > out.size()) out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &v, sizeof(T));
}

uint32_t Tag(ValueType t) { return static_cast<uint32_t>(t); }

template <typename T>
Bytes Le(T v) {
  Bytes b;
  AppendLe(b, v);
  return b;
}

uint64_t AlignUp(uint64_t value, uint64_t alignment) {
  if (alignment <= 1) return value;
  return (value + alignment - 1) / alignment * alignment;
}

}  // namespace

void AppendU8(Bytes& out, uint8_t v) { out.push_back(v); }
void AppendU16(Bytes& out, uint16_t v) { AppendLe(out, v); }
void AppendU32(Bytes& out, uint32_t v) { AppendLe(out, v); }
void AppendU64(Bytes& out, uint64_t v) { AppendLe(out, v); }
void AppendF32(Bytes& out, float v) { AppendLe(out, v); }
void AppendF64(Bytes& out, double v) { AppendLe(out, v); }
void AppendString(Bytes& out, std::string_view s) {
  AppendU64(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}
void AppendBytes(Bytes& out, const Bytes& bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }
void PatchU32(Bytes& out, uint64_t at, uint32_t v) { PatchLe(out, at, v); }
void PatchU64(Bytes& out, uint64_t at, uint64_t v) { PatchLe(out, at, v); }

GgufValue GgufValue::U8(uint8_t v) { return GgufValue(Tag(ValueType::kUint8), Le(v)); }
GgufValue GgufValue::I8(int8_t v) { return GgufValue(Tag(ValueType::kInt8), Le(v)); }
GgufValue GgufValue::U16(uint16_t v) { return GgufValue(Tag(ValueType::kUint16), Le(v)); }
GgufValue GgufValue::I16(int16_t v) { return GgufValue(Tag(ValueType::kInt16), Le(v)); }
GgufValue GgufValue::U32(uint32_t v) { return GgufValue(Tag(ValueType::kUint32), Le(v)); }
GgufValue GgufValue::I32(int32_t v) { return GgufValue(Tag(ValueType::kInt32), Le(v)); }
GgufValue GgufValue::F32(float v) { return GgufValue(Tag(ValueType::kFloat32), Le(v)); }
GgufValue GgufValue::Bool(bool v) { return BoolByte(v ? 1 : 0); }
GgufValue GgufValue::BoolByte(uint8_t v) { return GgufValue(Tag(ValueType::kBool), Le(v)); }
GgufValue GgufValue::U64(uint64_t v) { return GgufValue(Tag(ValueType::kUint64), Le(v)); }
GgufValue GgufValue::I64(int64_t v) { return GgufValue(Tag(ValueType::kInt64), Le(v)); }
GgufValue GgufValue::F64(double v) { return GgufValue(Tag(ValueType::kFloat64), Le(v)); }
GgufValue GgufValue::Str(std::string_view v) {
  Bytes b;
  AppendString(b, v);
  return GgufValue(Tag(ValueType::kString), std::move(b));
}

GgufValue GgufValue::Array(ValueType element_type, const std::vector<GgufValue>& items) {
  Bytes b;
  AppendU32(b, Tag(element_type));
  AppendU64(b, items.size());
  for (const GgufValue& item : items) AppendBytes(b, item.payload());
  return GgufValue(Tag(ValueType::kArray), std::move(b));
}

GgufValue GgufValue::U32Array(const std::vector<uint32_t>& items) {
  std::vector<GgufValue> values;
  for (uint32_t v : items) values.push_back(U32(v));
  return Array(ValueType::kUint32, values);
}

GgufValue GgufValue::I32Array(const std::vector<int32_t>& items) {
  std::vector<GgufValue> values;
  for (int32_t v : items) values.push_back(I32(v));
  return Array(ValueType::kInt32, values);
}

GgufValue GgufValue::F32Array(const std::vector<float>& items) {
  std::vector<GgufValue> values;
  for (float v : items) values.push_back(F32(v));
  return Array(ValueType::kFloat32, values);
}

GgufValue GgufValue::StrArray(const std::vector<std::string>& items) {
  std::vector<GgufValue> values;
  for (const std::string& v : items) values.push_back(Str(v));
  return Array(ValueType::kString, values);
}

GgufValue GgufValue::RawArray(uint32_t element_type, uint64_t count, const Bytes& payload) {
  Bytes b;
  AppendU32(b, element_type);
  AppendU64(b, count);
  AppendBytes(b, payload);
  return GgufValue(Tag(ValueType::kArray), std::move(b));
}

GgufValue GgufValue::Raw(uint32_t type, Bytes payload) { return GgufValue(type, std::move(payload)); }

std::optional<uint64_t> GgmlTensorBytes(uint32_t type, const std::vector<uint64_t>& shape) {
  std::optional<gguf::GgmlTypeInfo> info = gguf::FindGgmlType(type);
  if (!info) return std::nullopt;
  uint64_t n = 1;
  for (uint64_t ne : shape) {
    if (ne != 0 && n > std::numeric_limits<uint64_t>::max() / ne) return std::nullopt;
    n *= ne;
  }
  const uint64_t blocks = (n + info->block_elements - 1) / info->block_elements;
  if (blocks > std::numeric_limits<uint64_t>::max() / info->block_bytes) return std::nullopt;
  return blocks * info->block_bytes;
}

GgufBuilder& GgufBuilder::SetMagic(std::string_view magic) {
  magic_ = std::string(magic);
  return *this;
}
GgufBuilder& GgufBuilder::SetVersion(uint32_t version) {
  version_ = version;
  return *this;
}
GgufBuilder& GgufBuilder::SetTensorCount(uint64_t count) {
  tensor_count_ = count;
  return *this;
}
GgufBuilder& GgufBuilder::SetKvCount(uint64_t count) {
  kv_count_ = count;
  return *this;
}
GgufBuilder& GgufBuilder::SetAlignment(uint32_t alignment) {
  alignment_key_ = alignment;
  alignment_ = alignment == 0 ? 1 : alignment;
  return *this;
}
GgufBuilder& GgufBuilder::SetLayoutAlignment(uint64_t alignment) {
  alignment_ = alignment == 0 ? 1 : alignment;
  return *this;
}

GgufBuilder& GgufBuilder::Add(std::string key, GgufValue value) {
  kvs_.push_back(Kv{std::move(key), std::move(value), {}});
  return *this;
}

GgufBuilder& GgufBuilder::AddRawKv(Bytes bytes) {
  kvs_.push_back(Kv{"", std::nullopt, std::move(bytes)});
  return *this;
}

GgufBuilder& GgufBuilder::AddTensor(GgufTensor tensor) {
  tensors_.push_back(Tensor{std::move(tensor), {}, 0});
  return *this;
}

GgufBuilder& GgufBuilder::AddTensor(std::string name, std::vector<uint64_t> shape, uint32_t type) {
  GgufTensor t;
  t.name = std::move(name);
  t.shape = std::move(shape);
  t.type = type;
  return AddTensor(std::move(t));
}

GgufBuilder& GgufBuilder::AddRawTensorInfo(Bytes bytes, uint64_t data_bytes) {
  tensors_.push_back(Tensor{std::nullopt, std::move(bytes), data_bytes});
  return *this;
}

GgufBuilder& GgufBuilder::AppendTrailing(const Bytes& bytes) {
  AppendBytes(trailing_, bytes);
  return *this;
}

Bytes GgufBuilder::Build(GgufLayout* layout) const {
  GgufLayout local;
  GgufLayout& l = layout != nullptr ? *layout : local;
  l = GgufLayout();

  // Place the tensor data first: offsets are written in the infos.
  std::vector<uint64_t> offsets;
  uint64_t cursor = 0;     // end of the data placed so far
  uint64_t data_end = 0;   // end of all reserved data
  for (const Tensor& t : tensors_) {
    uint64_t reserve = 0;
    uint64_t offset = AlignUp(cursor, alignment_);
    if (t.info) {
      if (t.info->offset) offset = *t.info->offset;
      if (t.info->data_bytes) {
        reserve = *t.info->data_bytes;
      } else {
        reserve = GgmlTensorBytes(t.info->type, t.info->shape).value_or(0);
      }
    } else {
      reserve = t.raw_data_bytes;
    }
    offsets.push_back(offset);
    if (offset <= kMaxReservedData && reserve <= kMaxReservedData - offset) {
      cursor = std::max(cursor, offset + reserve);
      data_end = std::max(data_end, offset + reserve);
    }
  }

  Bytes out;
  out.insert(out.end(), magic_.begin(), magic_.end());
  AppendU32(out, version_);
  AppendU64(out, tensor_count_.value_or(tensors_.size()));
  AppendU64(out, kv_count_.value_or(kvs_.size() + (alignment_key_ ? 1 : 0)));

  auto write_kv = [&](std::string_view key, const GgufValue& value) {
    GgufLayout::Kv k;
    k.start = out.size();
    AppendString(out, key);
    k.type = out.size();
    AppendU32(out, value.type());
    k.value = out.size();
    AppendBytes(out, value.payload());
    l.kvs.push_back(k);
  };
  if (alignment_key_) write_kv("general.alignment", GgufValue::U32(*alignment_key_));
  for (const Kv& kv : kvs_) {
    if (kv.value) {
      write_kv(kv.key, *kv.value);
    } else {
      GgufLayout::Kv k;
      k.start = k.type = k.value = out.size();
      AppendBytes(out, kv.raw);
      l.kvs.push_back(k);
    }
  }

  for (size_t i = 0; i < tensors_.size(); ++i) {
    const Tensor& t = tensors_[i];
    GgufLayout::Tensor lt;
    lt.start = out.size();
    lt.data_offset = offsets[i];
    if (!t.info) {
      lt.n_dims = lt.ne = lt.type = lt.offset = lt.start;
      AppendBytes(out, t.raw);
      l.tensors.push_back(lt);
      continue;
    }
    const GgufTensor& info = *t.info;
    AppendString(out, info.name);
    lt.n_dims = out.size();
    AppendU32(out, info.n_dims.value_or(static_cast<uint32_t>(info.shape.size())));
    lt.ne = out.size();
    for (uint64_t ne : info.shape) AppendU64(out, ne);
    lt.type = out.size();
    AppendU32(out, info.type);
    lt.offset = out.size();
    AppendU64(out, offsets[i]);
    l.tensors.push_back(lt);
  }
  l.infos_end = out.size();
  l.data_offset = AlignUp(out.size(), alignment_);
  out.resize(l.data_offset, 0);
  out.resize(l.data_offset + AlignUp(data_end, alignment_), 0);
  AppendBytes(out, trailing_);
  return out;
}

GgufBuilder LlamaLikeBuilder(const LlamaLikeOptions& o) {
  GgufBuilder b;
  b.SetVersion(o.version);
  if (o.alignment != 0) b.SetAlignment(o.alignment);
  const uint64_t head_dim = o.n_head == 0 ? 0 : o.n_embd / o.n_head;
  const uint64_t n_embd_kv = head_dim * o.n_head_kv;
  b.AddString("general.architecture", "llama");
  b.AddString("general.name", "llama-like test model");
  b.Add("llama.block_count", GgufValue::U32(o.n_layers));
  b.Add("llama.context_length", GgufValue::U32(static_cast<uint32_t>(o.context_length)));
  b.Add("llama.embedding_length", GgufValue::U32(static_cast<uint32_t>(o.n_embd)));
  b.Add("llama.feed_forward_length", GgufValue::U32(static_cast<uint32_t>(o.n_ff)));
  b.Add("llama.attention.head_count", GgufValue::U32(static_cast<uint32_t>(o.n_head)));
  b.Add("llama.attention.head_count_kv", GgufValue::U32(static_cast<uint32_t>(o.n_head_kv)));
  b.Add("llama.rope.dimension_count", GgufValue::U32(static_cast<uint32_t>(head_dim)));
  b.Add("llama.attention.layer_norm_rms_epsilon", GgufValue::F32(1e-5f));
  b.AddString("tokenizer.ggml.model", "llama");
  std::vector<std::string> tokens;
  std::vector<float> scores;
  std::vector<int32_t> token_types;
  for (uint64_t i = 0; i < o.n_vocab; ++i) {
    tokens.push_back(i == 0 ? "<unk>" : i == 1 ? "<s>" : i == 2 ? "</s>" : "tok" + std::to_string(i));
    scores.push_back(-static_cast<float>(i));
    token_types.push_back(i < 3 ? 3 : 1);
  }
  b.Add("tokenizer.ggml.tokens", GgufValue::StrArray(tokens));
  b.Add("tokenizer.ggml.scores", GgufValue::F32Array(scores));
  b.Add("tokenizer.ggml.token_type", GgufValue::I32Array(token_types));

  const uint32_t w = o.tensor_type;
  constexpr uint32_t kF32 = 0;
  b.AddTensor("token_embd.weight", {o.n_embd, o.n_vocab}, w);
  for (uint32_t i = 0; i < o.n_layers; ++i) {
    const std::string p = "blk." + std::to_string(i) + ".";
    b.AddTensor(p + "attn_norm.weight", {o.n_embd}, kF32);
    b.AddTensor(p + "attn_q.weight", {o.n_embd, o.n_embd}, w);
    b.AddTensor(p + "attn_k.weight", {o.n_embd, n_embd_kv}, w);
    b.AddTensor(p + "attn_v.weight", {o.n_embd, n_embd_kv}, w);
    b.AddTensor(p + "attn_output.weight", {o.n_embd, o.n_embd}, w);
    b.AddTensor(p + "ffn_norm.weight", {o.n_embd}, kF32);
    b.AddTensor(p + "ffn_gate.weight", {o.n_embd, o.n_ff}, w);
    b.AddTensor(p + "ffn_up.weight", {o.n_embd, o.n_ff}, w);
    b.AddTensor(p + "ffn_down.weight", {o.n_ff, o.n_embd}, w);
  }
  b.AddTensor("output_norm.weight", {o.n_embd}, kF32);
  b.AddTensor("output.weight", {o.n_embd, o.n_vocab}, w);
  return b;
}

Bytes LlamaLikeGguf(const LlamaLikeOptions& options) { return LlamaLikeBuilder(options).Build(); }

Bytes LlamaLikeGguf(uint32_t tensor_type, uint32_t n_layers) {
  LlamaLikeOptions o;
  o.tensor_type = tensor_type;
  o.n_layers = n_layers;
  return LlamaLikeGguf(o);
}

bool WriteBytesToFile(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return false;
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

}  // namespace sizer::testing
