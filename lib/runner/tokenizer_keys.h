// Typed readers for the tokenizer.ggml.* metadata keys: every error is kCorruption naming the
// key (and the element, for arrays), so a bad file says exactly what is wrong with it.
#ifndef SIZER_RUNNER_TOKENIZER_KEYS_H_
#define SIZER_RUNNER_TOKENIZER_KEYS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "gguf/reader.h"

namespace sizer::runner {

inline constexpr std::string_view kModelKey = "tokenizer.ggml.model";
inline constexpr std::string_view kPreKey = "tokenizer.ggml.pre";
inline constexpr std::string_view kTokensKey = "tokenizer.ggml.tokens";
inline constexpr std::string_view kScoresKey = "tokenizer.ggml.scores";
inline constexpr std::string_view kTypesKey = "tokenizer.ggml.token_type";
inline constexpr std::string_view kMergesKey = "tokenizer.ggml.merges";
inline constexpr std::string_view kBosKey = "tokenizer.ggml.bos_token_id";
inline constexpr std::string_view kEosKey = "tokenizer.ggml.eos_token_id";
inline constexpr std::string_view kEotKey = "tokenizer.ggml.eot_token_id";
inline constexpr std::string_view kEomKey = "tokenizer.ggml.eom_token_id";
inline constexpr std::string_view kUnkKey = "tokenizer.ggml.unknown_token_id";
inline constexpr std::string_view kSpacePrefixKey = "tokenizer.ggml.add_space_prefix";
inline constexpr std::string_view kAddBosKey = "tokenizer.ggml.add_bos_token";
inline constexpr std::string_view kAddEosKey = "tokenizer.ggml.add_eos_token";

// "metadata key 'K'", the prefix of every message.
std::string KeyName(std::string_view key);

bool IsIntegerType(gguf::ValueType t);
bool IsNumberType(gguf::ValueType t);

// A string key; `fallback` when absent.
StatusOr<std::string> ReadStringKey(const gguf::GgufFile& file, std::string_view key,
                                    std::string_view fallback);

// A token id key: `fallback` when absent (-1: none; a default outside the vocabulary is an
// error when `strict_default`, else reads as none). With `allow_none`, -1 (any signed type) or
// the all-ones value of an unsigned 32/64-bit key means "no such token" and reads as -1.
StatusOr<int32_t> ReadTokenId(const gguf::GgufFile& file, std::string_view key,
                              int32_t fallback, bool strict_default, bool allow_none,
                              size_t vocab);

StatusOr<bool> ReadBoolKey(const gguf::GgufFile& file, std::string_view key, bool fallback);

// An array key of exactly `count` elements of a type `ok` accepts; nullptr when absent.
StatusOr<const gguf::Value*> ReadArrayKey(const gguf::GgufFile& file, std::string_view key,
                                          size_t count, bool (*ok)(gguf::ValueType),
                                          std::string_view expected);

// tokenizer.ggml.tokens: required, a non-empty array of strings no longer than int32 ids reach.
StatusOr<const gguf::Value*> ReadTokensKey(const gguf::GgufFile& file);

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_TOKENIZER_KEYS_H_
