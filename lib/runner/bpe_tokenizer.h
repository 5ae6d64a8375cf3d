// Byte-level BPE by merge rank (tokenizer.ggml.model "gpt2"), the algorithm of GPT-2 and of
// llama.cpp's llm_tokenizer_bpe, used by Llama 3, Qwen, DeepSeek, Falcon, StarCoder, GPT-2:
//   1. The pre-tokenizer named by tokenizer.ggml.pre (pre_tokenizer.h) cuts the fragment into
//      words.
//   2. Each byte of a word becomes its byte-level character (unicode_text.h,
//      ByteLevelAlphabet: ' ' is "Ġ"), so every word is a string of vocabulary characters.
//   3. With ignore_merges (Llama 3), a word that is itself a token is that token.
//   4. Otherwise the word's characters are symbols; the adjacent pair whose merge
//      "left right" comes first in tokenizer.ggml.merges (lowest rank; the leftmost pair on
//      ties) is merged, repeatedly, until no adjacent pair has a merge.
//   5. Each symbol becomes its token id; a symbol that is not a token (only a vocabulary
//      without some byte's character) becomes the tokens of its single bytes, where they exist.
// Piece(id): NORMAL tokens mapped back from byte-level characters to bytes (a character that
// is none of the 256 stays as it is), USER_DEFINED tokens verbatim, the rest "".
//
// tokenizer.ggml.merges is required: an array of strings "left right", each side non-empty
// (llama.cpp splits at the first space after the first byte); anything else is kCorruption
// naming the key and the element.
#ifndef SIZER_RUNNER_BPE_TOKENIZER_H_
#define SIZER_RUNNER_BPE_TOKENIZER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "gguf/reader.h"
#include "runner/pre_tokenizer.h"
#include "runner/tokenizer_model.h"
#include "runner/vocabulary.h"

namespace sizer::runner {

class BpeTokenizer : public TokenizerModel {
 public:
  static StatusOr<std::unique_ptr<BpeTokenizer>> Create(const gguf::GgufFile& file,
                                                        std::shared_ptr<const Vocabulary> vocab,
                                                        PreTokenizer pre);

  void EncodeText(std::string_view text, bool after_special,
                  std::vector<int32_t>& out) const override;
  const std::string& Piece(int32_t id) const override { return pieces_[static_cast<size_t>(id)]; }
  std::string_view name() const override { return "gpt2"; }
  std::string_view pre_tokenizer() const override { return pre_.traits().name; }

  size_t merge_count() const { return ranks_.size(); }

 private:
  BpeTokenizer(std::shared_ptr<const Vocabulary> vocab, PreTokenizer pre)
      : vocab_(std::move(vocab)), pre_(std::move(pre)) {}
  Status ReadMerges(const gguf::GgufFile& file);
  // The rank of merging `left` and `right`, or -1; `key` is scratch space.
  int32_t Rank(std::string_view left, std::string_view right, std::string& key) const;
  void EncodeWord(const std::string& word, std::vector<int32_t>& out) const;

  std::shared_ptr<const Vocabulary> vocab_;
  PreTokenizer pre_;
  TokenIdMap ranks_;  // "left right" -> rank (its index in tokenizer.ggml.merges)
  std::vector<std::string> pieces_;
};

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_BPE_TOKENIZER_H_
