// TokenizerModel: the algorithm that turns raw text (a fragment between special tokens) into
// token ids and a token id back into its text. Two implementations: SentencePiece-style BPE
// by scores (spm_tokenizer.h, tokenizer.ggml.model "llama") and byte-level BPE by merge rank
// (bpe_tokenizer.h, "gpt2"). Tokenizer (tokenizer.h) does the rest: special tokens, BOS/EOS.
#ifndef SIZER_RUNNER_TOKENIZER_MODEL_H_
#define SIZER_RUNNER_TOKENIZER_MODEL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sizer::runner {

class TokenizerModel {
 public:
  virtual ~TokenizerModel() = default;

  // Appends the ids of `text`, a non-empty raw-text fragment; `after_special` when it starts
  // the input or follows a special token (SentencePiece prefixes a space there).
  virtual void EncodeText(std::string_view text, bool after_special,
                          std::vector<int32_t>& out) const = 0;

  // The bytes token `id` stands for in decoded text ("" for CONTROL, UNKNOWN-less and unused
  // tokens). REQUIRES: id in the vocabulary.
  virtual const std::string& Piece(int32_t id) const = 0;

  // The model's name as in tokenizer.ggml.model, and (BPE) the pre-tokenizer's name.
  virtual std::string_view name() const = 0;
  virtual std::string_view pre_tokenizer() const { return {}; }
};

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_TOKENIZER_MODEL_H_
