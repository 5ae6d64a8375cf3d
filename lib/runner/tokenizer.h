// Tokenizer: the text <-> token-id mapping of a GGUF model, read from its tokenizer.ggml.*
// metadata. Supports tokenizer.ggml.model == "llama": SentencePiece-style BPE by scores with
// byte fallback, the algorithm of llama.cpp's llm_tokenizer_spm (and llama2.c's encoder).
//
// Encode(text):
//   1. If text is non-empty and add_space_prefix (tokenizer.ggml.add_space_prefix, default
//      true) is set, prepend one ' '. Then replace every ' ' with U+2581 "▁".
//   2. Split into UTF-8 characters (the lead byte gives the length; a byte that does not start
//      a complete, well-formed sequence is a character of its own, so invalid UTF-8 cannot
//      absorb the first byte of a following "▁" and still round-trips byte-exact).
//   3. Repeatedly merge the adjacent pair of symbols whose concatenation is a vocabulary token
//      (of type NORMAL, USER_DEFINED or UNDEFINED) with the highest score, the leftmost pair on
//      ties, until no adjacent pair concatenates to such a token. A priority queue of
//      candidate merges keeps this O(n log n).
//   4. Each final symbol becomes its token id; a symbol that is not a vocabulary token (only
//      single characters can be) falls back to one byte token "<0xXX>" per UTF-8 byte, or to
//      the unknown token for a byte with no byte token (dropped when there is none).
//
// Decode(id) gives a token's text: NORMAL tokens with "▁" turned into ' ', BYTE tokens
// "<0xXX>" as that raw byte, USER_DEFINED tokens verbatim, the UNKNOWN token as U+2585 "▅"
// (as llama.cpp prints it), and CONTROL / UNUSED tokens (<s>, </s>) and out-of-range ids as
// "". So DecodeAll(Encode(s)) == s byte for byte (after stripping the space prefix), except
// that a literal "▁" in s comes back as ' '.
//
// Metadata: tokenizer.ggml.tokens (string array, required), tokenizer.ggml.scores (number
// array, default all 0), tokenizer.ggml.token_type (integer array of llama.cpp's
// token types 0..6; when absent, the unknown id is UNKNOWN, bos/eos are CONTROL, tokens
// spelled "<0xXX>" are BYTE, the rest NORMAL), tokenizer.ggml.{bos,eos}_token_id (default 1
// and 2), tokenizer.ggml.unknown_token_id (default 0; -1 or 0xFFFFFFFF: none),
// tokenizer.ggml.add_space_prefix and tokenizer.ggml.add_bos_token (bools, default true).
// Any other tokenizer model is kUnsupported; a missing or malformed key, an array whose length
// is not the vocabulary size, or an id outside the vocabulary is kCorruption naming the key.
#ifndef SIZER_RUNNER_TOKENIZER_H_
#define SIZER_RUNNER_TOKENIZER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "gguf/reader.h"

namespace sizer::runner {

// llama.cpp's llama_token_type values, as stored in tokenizer.ggml.token_type.
enum class TokenType : uint8_t {
  kUndefined = 0,
  kNormal = 1,
  kUnknown = 2,
  kControl = 3,
  kUserDefined = 4,
  kUnused = 5,
  kByte = 6,
};

class Tokenizer {
 public:
  // Reads the tokenizer from `file`'s metadata. The result owns copies of every string, so
  // `file` need not outlive it.
  static StatusOr<Tokenizer> FromGguf(const gguf::GgufFile& file);

  // The token ids of `text`, preceded by bos() when `add_bos`.
  std::vector<int32_t> Encode(std::string_view text, bool add_bos) const;

  // The text of token `id` (see above); "" for an id outside the vocabulary.
  std::string Decode(int32_t id) const;
  // The concatenated texts of `ids`; with `strip_leading_space`, one leading ' ' of the result
  // is removed (the space that Encode's add_space_prefix put there).
  std::string DecodeAll(const std::vector<int32_t>& ids, bool strip_leading_space) const;

  int32_t bos() const { return bos_; }
  int32_t eos() const { return eos_; }
  int32_t unk() const { return unk_; }  // -1: none
  size_t vocab_size() const { return tokens_.size(); }
  bool add_space_prefix() const { return add_space_prefix_; }
  bool add_bos() const { return add_bos_; }  // tokenizer.ggml.add_bos_token

  // The vocabulary entry of `id` as stored ("▁the", "<0x0A>", "<s>"). REQUIRES: id valid.
  const std::string& token(int32_t id) const { return tokens_[static_cast<size_t>(id)]; }
  float score(int32_t id) const { return scores_[static_cast<size_t>(id)]; }
  TokenType type(int32_t id) const { return types_[static_cast<size_t>(id)]; }

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  Tokenizer() = default;
  int32_t Lookup(std::string_view text) const;  // a mergeable token's id, or -1

  std::vector<std::string> tokens_;
  std::vector<float> scores_;
  std::vector<TokenType> types_;
  std::vector<std::string> pieces_;  // Decode's text per id
  std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> merge_ids_;
  std::array<int32_t, 256> byte_ids_{};  // -1: no byte token
  int32_t bos_ = -1;
  int32_t eos_ = -1;
  int32_t unk_ = -1;
  bool add_space_prefix_ = true;
  bool add_bos_ = true;
};

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_TOKENIZER_H_
