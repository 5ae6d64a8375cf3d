#include "runner/tokenizer_keys.h"

#include <limits>

#include "gguf/format.h"

namespace sizer::runner {
namespace {

bool IsSignedType(gguf::ValueType t) {
  return t == gguf::ValueType::kInt8 || t == gguf::ValueType::kInt16 ||
         t == gguf::ValueType::kInt32 || t == gguf::ValueType::kInt64;
}

std::string TypeName(gguf::ValueType t) { return std::string(gguf::ValueTypeName(t)); }

}  // namespace

std::string KeyName(std::string_view key) {
  return "metadata key '" + std::string(key) + "'";
}

bool IsIntegerType(gguf::ValueType t) {
  switch (t) {
    case gguf::ValueType::kUint8: case gguf::ValueType::kInt8: case gguf::ValueType::kUint16:
    case gguf::ValueType::kInt16: case gguf::ValueType::kUint32: case gguf::ValueType::kInt32:
    case gguf::ValueType::kUint64: case gguf::ValueType::kInt64:
      return true;
    default:
      return false;
  }
}

bool IsNumberType(gguf::ValueType t) {
  return IsIntegerType(t) || t == gguf::ValueType::kFloat32 || t == gguf::ValueType::kFloat64;
}

StatusOr<std::string> ReadStringKey(const gguf::GgufFile& file, std::string_view key,
                                    std::string_view fallback) {
  const gguf::Value* v = file.Find(key);
  if (v == nullptr) return std::string(fallback);
  if (v->type != gguf::ValueType::kString) {
    return Status::Corruption(KeyName(key) + " is " + TypeName(v->type) + ", expected string");
  }
  return std::string(v->str);
}

StatusOr<int32_t> ReadTokenId(const gguf::GgufFile& file, std::string_view key,
                              int32_t fallback, bool strict_default, bool allow_none,
                              size_t vocab) {
  const gguf::Value* v = file.Find(key);
  if (v == nullptr) {
    if (fallback >= 0 && static_cast<size_t>(fallback) >= vocab) {
      if (!strict_default) return -1;
      return Status::Corruption(KeyName(key) + " is missing and its default " +
                                std::to_string(fallback) + " is outside the vocabulary of " +
                                std::to_string(vocab) + " tokens");
    }
    return fallback;
  }
  if (!IsIntegerType(v->type)) {
    return Status::Corruption(KeyName(key) + " is " + TypeName(v->type) +
                              ", expected an integer token id");
  }
  const bool is_signed = IsSignedType(v->type);
  if (allow_none) {
    const bool none = is_signed ? v->i64 == -1
                                : (v->u64 == std::numeric_limits<uint32_t>::max() ||
                                   v->u64 == std::numeric_limits<uint64_t>::max());
    if (none) return -1;
  }
  if ((is_signed && v->i64 < 0) || v->u64 >= vocab) {
    const std::string shown = is_signed ? std::to_string(v->i64) : std::to_string(v->u64);
    return Status::Corruption(KeyName(key) + " is " + shown + ", outside the vocabulary of " +
                              std::to_string(vocab) + " tokens");
  }
  return static_cast<int32_t>(v->u64);
}

StatusOr<bool> ReadBoolKey(const gguf::GgufFile& file, std::string_view key, bool fallback) {
  const gguf::Value* v = file.Find(key);
  if (v == nullptr) return fallback;
  if (v->type != gguf::ValueType::kBool) {
    return Status::Corruption(KeyName(key) + " is " + TypeName(v->type) + ", expected bool");
  }
  return v->boolean;
}

StatusOr<const gguf::Value*> ReadArrayKey(const gguf::GgufFile& file, std::string_view key,
                                          size_t count, bool (*ok)(gguf::ValueType),
                                          std::string_view expected) {
  const gguf::Value* v = file.Find(key);
  if (v == nullptr) return static_cast<const gguf::Value*>(nullptr);
  if (!v->IsArray()) {
    return Status::Corruption(KeyName(key) + " is " + TypeName(v->type) +
                              ", expected an array of " + std::string(expected));
  }
  if (!ok(v->element_type)) {
    return Status::Corruption(KeyName(key) + " is an array of " + TypeName(v->element_type) +
                              ", expected an array of " + std::string(expected));
  }
  if (v->count != count) {
    return Status::Corruption(KeyName(key) + " has " + std::to_string(v->count) +
                              " elements, but tokenizer.ggml.tokens has " +
                              std::to_string(count));
  }
  return v;
}

StatusOr<const gguf::Value*> ReadTokensKey(const gguf::GgufFile& file) {
  const gguf::Value* tokens = file.Find(kTokensKey);
  if (tokens == nullptr) return Status::Corruption(KeyName(kTokensKey) + " is missing");
  if (!tokens->IsArray() || tokens->element_type != gguf::ValueType::kString) {
    const std::string got = tokens->IsArray() ? "an array of " + TypeName(tokens->element_type)
                                              : TypeName(tokens->type);
    return Status::Corruption(KeyName(kTokensKey) + " is " + got +
                              ", expected an array of string");
  }
  const size_t vocab = tokens->strings.size();
  if (vocab == 0 || tokens->count != vocab) {
    return Status::Corruption(KeyName(kTokensKey) + " is empty");
  }
  if (vocab > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return Status::Corruption(KeyName(kTokensKey) + " has " + std::to_string(vocab) +
                              " tokens, more than a 32-bit token id can name");
  }
  return tokens;
}

}  // namespace sizer::runner
