// Vocabulary: the token table of a GGUF tokenizer (tokenizer.ggml.tokens, scores, token_type),
// its special ids and flags, and the split of text around special tokens, shared by the
// SentencePiece and byte-level BPE tokenizers. Follows llama.cpp's llama_vocab::load:
//   - a token whose text is empty reads as "[EMPTY_<id>]" (it could never be matched);
//   - end-of-generation (EOG) tokens: EOS, EOT (tokenizer.ggml.eot_token_id), EOM, and every
//     token spelled as one of llama.cpp's end texts (<|eot_id|>, <|im_end|>, <|end|>,
//     <end_of_turn>, <|endoftext|>, <|end_of_text|>, <|eom_id|>, <EOT>, ...). Those texts and
//     the fill-in-the-middle texts (<|fim_prefix|>, <fim_suffix>, ...) are forced to CONTROL;
//   - special tokens are the CONTROL, USER_DEFINED and UNKNOWN ones, longest text first;
//   - for a model whose general.name contains "phi-3" or "phi3", special tokens other than
//     <unk>, <s> and <|endoftext|> strip the ASCII white space that follows them.
#ifndef SIZER_RUNNER_VOCABULARY_H_
#define SIZER_RUNNER_VOCABULARY_H_

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

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using TokenIdMap = std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>;

// The tokenizer model's defaults for keys a file may omit.
struct VocabularyDefaults {
  int32_t bos = -1;
  int32_t eos = -1;
  int32_t unk = -1;
  bool ids_must_exist = true;  // a default id outside the vocabulary is an error (else: none)
  bool add_bos = false;
  bool add_space_prefix = false;
  bool infer_types = false;    // no token_type key: unk UNKNOWN, bos/eos CONTROL, <0xXX> BYTE
};

struct Vocabulary {
  std::vector<std::string> tokens;
  std::vector<float> scores;       // 0 when the file has none
  std::vector<TokenType> types;
  TokenIdMap ids;                  // text -> id, every type (a duplicate: the last id wins)
  int32_t bos = -1;                // -1: none
  int32_t eos = -1;
  int32_t eot = -1;
  int32_t unk = -1;
  bool add_bos = false;            // tokenizer.ggml.add_bos_token, else the model's default
  bool add_eos = false;            // tokenizer.ggml.add_eos_token
  bool add_space_prefix = false;   // tokenizer.ggml.add_space_prefix, else the model's default
  std::vector<int32_t> special;    // CONTROL / USER_DEFINED / UNKNOWN, longest text first
  std::vector<bool> rstrip;        // per id: strip white space after this special token
  std::vector<bool> eog;           // per id: ends generation

  size_t size() const { return tokens.size(); }
  int32_t Find(std::string_view text) const {
    auto it = ids.find(text);
    return it == ids.end() ? -1 : it->second;
  }
};

StatusOr<Vocabulary> ReadVocabulary(const gguf::GgufFile& file,
                                    const VocabularyDefaults& defaults);

// One piece of input text: raw text, or a special token found in it.
struct TextFragment {
  int32_t token = -1;     // >= 0: this special token
  std::string_view text;  // raw text (token < 0)
};

// `text` cut around the special tokens it spells, as llama.cpp's tokenizer_st_partition: each
// special token in turn (longest first) splits every raw fragment at each of its occurrences.
// USER_DEFINED tokens always split; CONTROL and UNKNOWN ones only with `parse_special`.
std::vector<TextFragment> SplitSpecialTokens(std::string_view text, const Vocabulary& vocab,
                                             bool parse_special);

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_VOCABULARY_H_
