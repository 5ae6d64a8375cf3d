// Tokenizer: the text <-> token-id mapping of a GGUF model, read from its tokenizer.ggml.*
// metadata, tokenizing exactly as llama.cpp's llama_tokenize does. Two models:
//   - "llama": SentencePiece-style BPE by scores with byte fallback (spm_tokenizer.h);
//   - "gpt2": byte-level BPE by merge rank with the pre-tokenizer named by
//     tokenizer.ggml.pre (bpe_tokenizer.h, pre_tokenizer.h).
// Any other tokenizer.ggml.model, or an unknown pre-tokenizer, is kUnsupported naming what is
// supported; a missing or malformed key, an array whose length is not the vocabulary size, or
// an id outside the vocabulary is kCorruption naming the key (vocabulary.h, tokenizer_keys.h).
//
// Encode(text, options), as llama_tokenize(text, add_special, parse_special):
//   1. The text is cut around special tokens (SplitSpecialTokens): USER_DEFINED tokens always,
//      CONTROL tokens only with parse_special (otherwise their text is plain text).
//   2. Each raw fragment is encoded by the model; each special token is its id.
//   3. With add_special, BOS goes first when the vocabulary adds one (tokenizer.ggml.
//      add_bos_token; default: SentencePiece yes, BPE no except Llama 3's llama-bpe) and EOS
//      last when tokenizer.ggml.add_eos_token is true.
//
// Decode(id) gives a token's text as llama.cpp's token_to_piece without special tokens:
// CONTROL, UNKNOWN-less and unused tokens are ""; byte tokens are single raw bytes, which may
// be part of a UTF-8 character: TokenTextStream joins them before printing.
//
// Defaults when keys are absent: SentencePiece bos 1, eos 2, unknown 0, add_space_prefix
// true (a default outside the vocabulary is an error); BPE bos/eos 11 and no unknown token
// (llama.cpp's defaults; a default outside the vocabulary reads as none).
#ifndef SIZER_RUNNER_TOKENIZER_H_
#define SIZER_RUNNER_TOKENIZER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "gguf/reader.h"
#include "runner/tokenizer_model.h"
#include "runner/vocabulary.h"

namespace sizer::runner {

struct EncodeOptions {
  bool add_special = true;     // BOS / EOS as the vocabulary asks
  bool parse_special = false;  // CONTROL token texts in the input become those tokens
};

class Tokenizer {
 public:
  // Reads the tokenizer from `file`'s metadata. The result owns copies of every string, so
  // `file` need not outlive it. Copies share the (immutable) tables.
  static StatusOr<Tokenizer> FromGguf(const gguf::GgufFile& file);

  // The tokenizer models and pre-tokenizer names FromGguf accepts.
  static std::vector<std::string> SupportedModels();
  static std::vector<std::string> SupportedPreTokenizers();

  std::vector<int32_t> Encode(std::string_view text, const EncodeOptions& options) const;
  // Encode with parse_special off.
  std::vector<int32_t> Encode(std::string_view text, bool add_special) const {
    return Encode(text, EncodeOptions{add_special, false});
  }

  // The text of token `id` (see above); "" for an id outside the vocabulary.
  std::string Decode(int32_t id) const;
  // Decode, except that CONTROL and UNKNOWN tokens show their vocabulary text ("<s>"): the
  // piece `sizer tokenize` prints for each id.
  std::string Piece(int32_t id) const;
  // The concatenated texts of `ids`; with `strip_leading_space`, one leading ' ' of the result
  // is removed (the space that SentencePiece's add_space_prefix put there).
  std::string DecodeAll(const std::vector<int32_t>& ids, bool strip_leading_space) const;

  // Whether generation stops at `id` (EOS, EOT, <|im_end|>, ...; see vocabulary.h).
  bool IsEndOfGeneration(int32_t id) const;

  std::string_view model_name() const { return model_->name(); }
  std::string_view pre_tokenizer() const { return model_->pre_tokenizer(); }
  int32_t bos() const { return vocab_->bos; }  // -1: none
  int32_t eos() const { return vocab_->eos; }
  int32_t unk() const { return vocab_->unk; }  // -1: none
  size_t vocab_size() const { return vocab_->size(); }
  bool add_space_prefix() const { return vocab_->add_space_prefix; }
  bool add_bos() const { return vocab_->add_bos; }
  bool add_eos() const { return vocab_->add_eos; }

  // The vocabulary entry of `id` as stored ("▁the", "Ġthe", "<0x0A>", "<s>"). REQUIRES: id valid.
  const std::string& token(int32_t id) const { return vocab_->tokens[static_cast<size_t>(id)]; }
  float score(int32_t id) const { return vocab_->scores[static_cast<size_t>(id)]; }
  TokenType type(int32_t id) const { return vocab_->types[static_cast<size_t>(id)]; }

 private:
  Tokenizer() = default;

  std::shared_ptr<const Vocabulary> vocab_;
  std::shared_ptr<const TokenizerModel> model_;
};

// Decoded text for streaming: Push(id) returns what can be printed now, holding back the
// bytes of a UTF-8 character that the next tokens may complete; Finish() returns the rest.
class TokenTextStream {
 public:
  explicit TokenTextStream(const Tokenizer& tokenizer) : tokenizer_(tokenizer) {}
  std::string Push(int32_t id);
  std::string Finish();

 private:
  const Tokenizer& tokenizer_;
  std::string pending_;
};

// kCorruption when the model's token embedding (token_embd.weight) has a row count other than
// the tokenizer's vocabulary size, naming both and the tensor's byte offset. OK when the
// file has no such tensor (a vocabulary-only file).
Status CheckVocabularyMatchesEmbedding(const gguf::GgufFile& file, const Tokenizer& tokenizer);

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_TOKENIZER_H_
