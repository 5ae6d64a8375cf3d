// Pre-tokenizers of byte-level BPE vocabularies: the regular expressions that cut text into
// words before merges, chosen by the GGUF key tokenizer.ggml.pre, as llama.cpp's
// llm_tokenizer_bpe does (src/llama-vocab.cpp, b4748 and later).
//
// A pre-tokenizer is a list of regexes applied in sequence: the first splits the text, each
// next one splits every piece the previous produced. A split keeps both the matches and the
// text between them as pieces (llama.cpp's unicode_regex_split), so no byte is ever lost.
//
// Unicode: the regexes run on ICU's regex engine over the UTF-8 text itself (UText), with
// ICU's character properties for \p{L}, \p{N}, \p{P}, \p{M} and \s (White_Space). ICU is
// Debian's reference implementation of the Unicode Character Database and of UTS #18 regular
// expressions, so letters, numbers and marks of every script, emoji, and non-ASCII white space
// (U+3000, U+00A0, U+0085) are classified without hand-written tables, and match offsets are
// byte offsets into the UTF-8 input. A byte that is not valid UTF-8 reads as U+FFFD (a
// symbol) and stays in the piece it falls into.
#ifndef SIZER_RUNNER_PRE_TOKENIZER_H_
#define SIZER_RUNNER_PRE_TOKENIZER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sizer::runner {

// What a tokenizer.ggml.pre name selects besides its regexes (llama.cpp's llama_vocab::load).
struct PreTokenizerTraits {
  std::string name;             // the canonical name: "llama-bpe", "qwen2", ...
  bool ignore_merges = false;   // a word that is itself a token is emitted whole (Llama 3)
  bool add_bos_default = false; // BOS when the file has no tokenizer.ggml.add_bos_token
};

class PreTokenizer {
 public:
  // The pre-tokenizer named `name` (a value of tokenizer.ggml.pre; "" reads as "default", as
  // llama.cpp does for files written before the key existed). kUnsupported for any other
  // name, listing the known ones.
  static StatusOr<PreTokenizer> Create(std::string_view name);

  // Every name Create accepts, aliases included, sorted.
  static std::vector<std::string> KnownNames();

  // The pieces of `text`, in order; their concatenation is `text`. Empty for empty text.
  std::vector<std::string_view> Split(std::string_view text) const;

  const PreTokenizerTraits& traits() const { return traits_; }

 private:
  struct Compiled;  // the ICU patterns
  PreTokenizer() = default;

  PreTokenizerTraits traits_;
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_PRE_TOKENIZER_H_
