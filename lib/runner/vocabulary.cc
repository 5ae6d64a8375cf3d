#include "runner/vocabulary.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "runner/tokenizer_keys.h"

namespace sizer::runner {
namespace {

// llama.cpp's texts of end-of-generation tokens (llama_vocab::load, special_eog_ids).
constexpr std::string_view kEndTexts[] = {
    "<|eot_id|>", "<|im_end|>",   "<|end|>", "<|return|>", "<|call|>",
    "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>",
    "<|end_of_text|>", "<end_of_utterance>"};
// Texts llama.cpp takes as EOT when tokenizer.ggml.eot_token_id is absent.
constexpr std::string_view kEotTexts[] = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
    "<|end_of_text|>", "<EOT>", "_<EOT>", "<\xEF\xBD\x9C" "end\xE2\x96\x81" "of\xE2\x96\x81"
    "sentence\xEF\xBD\x9C>", "<end_of_utterance>"};
// Fill-in-the-middle texts, which llama.cpp also forces to CONTROL; pad, repo and file
// separator end generation.
constexpr std::string_view kFimTexts[] = {
    "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<PRE>", "\xE2\x96\x81<PRE>",
    "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<SUF>", "\xE2\x96\x81<SUF>",
    "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<MID>", "\xE2\x96\x81<MID>",
    "<|code_prefix|>", "<|code_suffix|>", "<|code_middle|>"};
constexpr std::string_view kFimEndTexts[] = {
    "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "<|fim_repo|>", "<|repo_name|>",
    "<fim-repo>", "<REPO>", "<reponame>", "<|file_sep|>"};

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool IsByteSpelling(std::string_view text) {
  return text.size() == 6 && text.substr(0, 3) == "<0x" && text[5] == '>' &&
         HexDigit(text[3]) >= 0 && HexDigit(text[4]) >= 0;
}

Status ReadTokensAndScores(const gguf::GgufFile& file, Vocabulary& v) {
  SIZER_ASSIGN_OR_RETURN(const gguf::Value* tokens, ReadTokensKey(file));
  const size_t n = tokens->strings.size();
  v.tokens.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    std::string_view s = tokens->strings[i];
    v.tokens.push_back(s.empty() ? "[EMPTY_" + std::to_string(i) + "]" : std::string(s));
  }
  SIZER_ASSIGN_OR_RETURN(const gguf::Value* scores,
                         ReadArrayKey(file, kScoresKey, n, IsNumberType, "numbers"));
  v.scores.assign(n, 0.0f);
  if (scores == nullptr) return Status();
  for (size_t i = 0; i < n; ++i) {
    const double s = scores->NumberAt(i);
    if (std::isnan(s)) {
      return Status::Corruption(KeyName(kScoresKey) + " element " + std::to_string(i) + " is NaN");
    }
    v.scores[i] = static_cast<float>(s);
  }
  return Status();
}

Status ReadSpecialIds(const gguf::GgufFile& file, const VocabularyDefaults& d, Vocabulary& v) {
  const size_t n = v.size();
  const bool strict = d.ids_must_exist;
  SIZER_ASSIGN_OR_RETURN(v.bos, ReadTokenId(file, kBosKey, d.bos, strict, !strict, n));
  SIZER_ASSIGN_OR_RETURN(v.eos, ReadTokenId(file, kEosKey, d.eos, strict, !strict, n));
  SIZER_ASSIGN_OR_RETURN(v.unk, ReadTokenId(file, kUnkKey, d.unk, strict, true, n));
  SIZER_ASSIGN_OR_RETURN(v.eot, ReadTokenId(file, kEotKey, -1, false, true, n));
  SIZER_ASSIGN_OR_RETURN(const int32_t eom, ReadTokenId(file, kEomKey, -1, false, true, n));
  SIZER_ASSIGN_OR_RETURN(v.add_bos, ReadBoolKey(file, kAddBosKey, d.add_bos));
  SIZER_ASSIGN_OR_RETURN(v.add_eos, ReadBoolKey(file, kAddEosKey, false));
  SIZER_ASSIGN_OR_RETURN(v.add_space_prefix,
                         ReadBoolKey(file, kSpacePrefixKey, d.add_space_prefix));
  v.eog.assign(n, false);
  if (eom >= 0) v.eog[static_cast<size_t>(eom)] = true;
  return Status();
}

Status ReadTypes(const gguf::GgufFile& file, const VocabularyDefaults& d, Vocabulary& v) {
  const size_t n = v.size();
  SIZER_ASSIGN_OR_RETURN(const gguf::Value* types,
                         ReadArrayKey(file, kTypesKey, n, IsIntegerType, "integers"));
  v.types.assign(n, TokenType::kNormal);
  for (size_t i = 0; i < n; ++i) {
    const int32_t id = static_cast<int32_t>(i);
    if (types != nullptr) {
      const double t = types->NumberAt(i);
      if (!(t >= 0 && t <= static_cast<double>(TokenType::kByte))) {
        return Status::Corruption(KeyName(kTypesKey) + " element " + std::to_string(i) + " is " +
                                  std::to_string(static_cast<int64_t>(t)) +
                                  ", not a token type (0..6)");
      }
      v.types[i] = static_cast<TokenType>(static_cast<int>(t));
    } else if (!d.infer_types) {
      continue;
    } else if (id == v.unk) {
      v.types[i] = TokenType::kUnknown;
    } else if (id == v.bos || id == v.eos) {
      v.types[i] = TokenType::kControl;
    } else if (IsByteSpelling(v.tokens[i])) {
      v.types[i] = TokenType::kByte;
    }
  }
  return Status();
}

// EOT detection, EOG marking and the texts forced to CONTROL (llama.cpp's auto-detection).
void MarkEndTokens(Vocabulary& v) {
  auto force_control = [&](int32_t id) { v.types[static_cast<size_t>(id)] = TokenType::kControl; };
  if (v.eot < 0) {
    for (std::string_view text : kEotTexts) {
      if (int32_t id = v.Find(text); id >= 0) {
        v.eot = id;
        break;
      }
    }
  }
  auto end_generation = [&](int32_t id) {
    force_control(id);
    v.eog[static_cast<size_t>(id)] = true;
  };
  for (std::string_view text : kFimTexts) {
    if (int32_t id = v.Find(text); id >= 0) force_control(id);
  }
  for (std::string_view text : kFimEndTexts) {
    if (int32_t id = v.Find(text); id >= 0) end_generation(id);
  }
  for (std::string_view text : kEndTexts) {
    if (int32_t id = v.Find(text); id >= 0) end_generation(id);
  }
  if (v.eot >= 0) end_generation(v.eot);
  if (v.eos >= 0) v.eog[static_cast<size_t>(v.eos)] = true;
}

void ListSpecialTokens(const gguf::GgufFile& file, Vocabulary& v) {
  for (size_t i = 0; i < v.size(); ++i) {
    const TokenType t = v.types[i];
    if (t == TokenType::kControl || t == TokenType::kUserDefined || t == TokenType::kUnknown) {
      v.special.push_back(static_cast<int32_t>(i));
    }
  }
  std::stable_sort(v.special.begin(), v.special.end(), [&](int32_t a, int32_t b) {
    return v.tokens[static_cast<size_t>(a)].size() > v.tokens[static_cast<size_t>(b)].size();
  });
  v.rstrip.assign(v.size(), false);
  const gguf::Value* name = file.Find("general.name");
  std::string lower = name != nullptr && name->type == gguf::ValueType::kString
                          ? std::string(name->str) : std::string();
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("phi-3") == std::string::npos && lower.find("phi3") == std::string::npos) return;
  for (int32_t id : v.special) v.rstrip[static_cast<size_t>(id)] = true;
  if (int32_t id = v.Find("</s>"); id >= 0) v.rstrip[static_cast<size_t>(id)] = true;
  for (std::string_view text : {"<unk>", "<s>", "<|endoftext|>"}) {
    if (int32_t id = v.Find(text); id >= 0) v.rstrip[static_cast<size_t>(id)] = false;
  }
}

bool IsAsciiSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Splits every raw fragment of `in` at each occurrence of special token `id`.
void SplitOn(int32_t id, const Vocabulary& vocab, const std::vector<TextFragment>& in,
             std::vector<TextFragment>& out) {
  const std::string& needle = vocab.tokens[static_cast<size_t>(id)];
  const bool rstrip = vocab.rstrip[static_cast<size_t>(id)];
  out.clear();
  for (const TextFragment& f : in) {
    if (f.token >= 0) {
      out.push_back(f);
      continue;
    }
    std::string_view rest = f.text;
    for (size_t hit; !rest.empty() && (hit = rest.find(needle)) != std::string_view::npos;) {
      if (hit > 0) out.push_back({-1, rest.substr(0, hit)});
      out.push_back({id, {}});
      rest.remove_prefix(hit + needle.size());
      if (rstrip) {
        while (!rest.empty() && IsAsciiSpace(rest.front())) rest.remove_prefix(1);
      }
    }
    if (!rest.empty()) out.push_back({-1, rest});
  }
}

}  // namespace

StatusOr<Vocabulary> ReadVocabulary(const gguf::GgufFile& file,
                                    const VocabularyDefaults& defaults) {
  Vocabulary v;
  SIZER_RETURN_IF_ERROR(ReadTokensAndScores(file, v));
  SIZER_RETURN_IF_ERROR(ReadSpecialIds(file, defaults, v));
  SIZER_RETURN_IF_ERROR(ReadTypes(file, defaults, v));
  v.ids.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) v.ids[v.tokens[i]] = static_cast<int32_t>(i);
  MarkEndTokens(v);
  ListSpecialTokens(file, v);
  return v;
}

std::vector<TextFragment> SplitSpecialTokens(std::string_view text, const Vocabulary& vocab,
                                             bool parse_special) {
  std::vector<TextFragment> fragments;
  if (text.empty()) return fragments;
  fragments.push_back({-1, text});
  std::vector<TextFragment> next;
  for (int32_t id : vocab.special) {
    const TokenType t = vocab.types[static_cast<size_t>(id)];
    if (!parse_special && t != TokenType::kUserDefined) continue;
    SplitOn(id, vocab, fragments, next);
    fragments.swap(next);
  }
  return fragments;
}

}  // namespace sizer::runner
