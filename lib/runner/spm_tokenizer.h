// SentencePiece-style BPE by scores with byte fallback (tokenizer.ggml.model "llama"), the
// algorithm of llama.cpp's llm_tokenizer_spm (and llama2.c's encoder):
//   1. If the fragment starts the input or follows a special token and add_space_prefix is set
//      (tokenizer.ggml.add_space_prefix, default true), prepend one ' '. Then replace every
//      ' ' with U+2581 "▁".
//   2. Split into UTF-8 characters (Utf8Length: invalid UTF-8 never absorbs the next byte).
//   3. Repeatedly merge the adjacent pair of symbols whose concatenation is a vocabulary token
//      (of type NORMAL, USER_DEFINED or UNDEFINED) with the highest score, the leftmost pair on
//      ties, until no adjacent pair concatenates to such a token (a priority queue of
//      candidate merges keeps this O(n log n)).
//   4. Each final symbol becomes its token id; a symbol that is not a vocabulary token (only
//      single characters can be) falls back to one byte token "<0xXX>" per UTF-8 byte, or to
//      the unknown token for a byte with no byte token (dropped when there is none).
// Piece(id): NORMAL and UNDEFINED tokens with "▁" turned into ' ', BYTE tokens "<0xXX>" as
// that raw byte, USER_DEFINED tokens verbatim, the UNKNOWN token as U+2585 "▅" (as llama.cpp
// prints it), CONTROL and UNUSED tokens as "".
#ifndef SIZER_RUNNER_SPM_TOKENIZER_H_
#define SIZER_RUNNER_SPM_TOKENIZER_H_

#include <array>
#include <memory>
#include <utility>

#include "base/status.h"
#include "runner/tokenizer_model.h"
#include "runner/vocabulary.h"

namespace sizer::runner {

class SpmTokenizer : public TokenizerModel {
 public:
  // kCorruption when a BYTE token is not spelled <0xXX>.
  static StatusOr<std::unique_ptr<SpmTokenizer>> Create(std::shared_ptr<const Vocabulary> vocab);

  void EncodeText(std::string_view text, bool after_special,
                  std::vector<int32_t>& out) const override;
  const std::string& Piece(int32_t id) const override { return pieces_[static_cast<size_t>(id)]; }
  std::string_view name() const override { return "llama"; }

 private:
  explicit SpmTokenizer(std::shared_ptr<const Vocabulary> vocab) : vocab_(std::move(vocab)) {}
  int32_t Lookup(std::string_view text) const;  // a mergeable token's id, or -1
  void EmitSymbol(std::string_view symbol, std::vector<int32_t>& out) const;

  std::shared_ptr<const Vocabulary> vocab_;
  std::vector<std::string> pieces_;
  TokenIdMap merge_ids_;                 // NORMAL, USER_DEFINED and UNDEFINED tokens
  std::array<int32_t, 256> byte_ids_{};  // -1: no byte token
};

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_SPM_TOKENIZER_H_
