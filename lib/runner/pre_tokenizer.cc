#include "runner/pre_tokenizer.h"

#include <algorithm>
#include <utility>

#include <unicode/regex.h>
#include <unicode/utext.h>

namespace sizer::runner {
namespace {

// The regexes are those of the models' own tokenizer.json files, as llama.cpp lists them per
// pre-tokenizer type (src/llama-vocab.cpp, llm_tokenizer_bpe), written in ICU syntax.
// llama.cpp's adaptations are kept: Llama 3 and Qwen2 spell the case-insensitive
// contractions (?i:'s|...) as '[sS]|..., so that no other case folding (U+017F "ſ") applies.

// GPT-2's pattern (openai/gpt-2 encoder.py). llama.cpp's copy has no final "|\s+": the text
// between matches is kept as a piece anyway, which gives the same split.
constexpr const char* kGpt2 =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S))";
// Llama 3 (tiktoken cl100k-style): digits in groups of up to three.
constexpr const char* kLlama3 =
    R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|)"
    R"(\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// Qwen2: Llama 3's pattern with single digits.
constexpr const char* kQwen2 =
    R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|)"
    R"(\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// DeepSeek LLM: its letter class is Unicode's cased letters (L&) as of the model's release,
// listed by code point; its CJK class covers U+0800..U+4E00, U+4E00..U+9FA5, Hangul.
constexpr const char* kDeepseekLetters =
    R"(\s?[A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293)"
    R"(\u0295-\u02AF\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C)"
    R"(\u038E-\u03A1\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5)"
    R"(\u13A0-\u13F5\u13F8-\u13FD\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77)"
    R"(\u1D79-\u1D9A\u1E00-\u1F15\u1F18-\u1F1D\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59)"
    R"(\u1F5B\u1F5D\u1F5F-\u1F7D\u1F80-\u1FB4\u1FB6-\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC)"
    R"(\u1FD0-\u1FD3\u1FD6-\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4\u1FF6-\u1FFC\u2102\u2107)"
    R"(\u210A-\u2113\u2115\u2119-\u211D\u2124\u2126\u2128\u212A-\u212D\u212F-\u2134\u2139)"
    R"(\u213C-\u213F\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4\u2CEB-\u2CEE)"
    R"(\u2CF2\u2CF3\uA640-\uA66D\uA680-\uA69B\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E)"
    R"(\uAB70-\uABBF\uFB00-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A\U00010400-\U0001044F)"
    R"(\U000104B0-\U000104D3\U000104D8-\U000104FB\U00010C80-\U00010CB2\U00010CC0-\U00010CF2)"
    R"(\U000118A0-\U000118DF\U0001E900-\U0001E943]+)";
constexpr const char* kDeepseekCjk = R"([\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+)";

struct Definition {
  std::vector<const char*> names;  // the first is the canonical one
  std::vector<const char*> regexes;
  bool ignore_merges = false;
  bool add_bos_default = false;
};

const std::vector<Definition>& Definitions() {
  static const std::vector<Definition> kDefinitions = {
      {{"llama-bpe", "llama3", "llama-v3", "falcon3"}, {kLlama3}, true, true},
      {{"dbrx", "smaug-bpe"}, {kLlama3}, false, false},
      {{"qwen2", "deepseek-r1-qwen", "stablelm2", "megrez"}, {kQwen2}, false, false},
      {{"gpt-2", "phi-2", "mpt", "olmo", "jais"}, {kGpt2}, false, false},
      {{"deepseek-llm"},
       {R"([\r\n])", kDeepseekLetters, R"(\s?[!-/:-~\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+)",
        R"(\s+\z)",  // llama.cpp's "\s+$": the end of the piece, never before a line break
        kDeepseekCjk, R"(\p{N}+)"},
       false, false},
      {{"deepseek-coder"},
       {R"([\r\n])", R"(\s?\p{L}+)", R"(\s?\p{P}+)", kDeepseekCjk, R"(\p{N})"}, false, false},
      {{"falcon"}, {R"([\p{P}\$\+<=>\^~\|`]+)", kGpt2, R"([0-9][0-9][0-9])"}, false, false},
      {{"starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b"},
       {R"(\p{N})", kGpt2}, false, false},
      {{"default"}, {R"([\p{P}\$\+<=>\^~\|]+)", kGpt2, R"(\p{N}+)", R"([0-9][0-9][0-9])"}, false,
       false},
  };
  return kDefinitions;
}

struct UTextCloser {
  void operator()(UText* text) const { utext_close(text); }
};

}  // namespace

struct PreTokenizer::Compiled {
  std::vector<std::unique_ptr<icu::RegexPattern>> patterns;
};

std::vector<std::string> PreTokenizer::KnownNames() {
  std::vector<std::string> names;
  for (const Definition& d : Definitions()) names.insert(names.end(), d.names.begin(), d.names.end());
  std::sort(names.begin(), names.end());
  return names;
}

StatusOr<PreTokenizer> PreTokenizer::Create(std::string_view name) {
  const std::string_view wanted = name.empty() ? std::string_view("default") : name;
  for (const Definition& d : Definitions()) {
    if (std::find(d.names.begin(), d.names.end(), wanted) == d.names.end()) continue;
    auto compiled = std::make_shared<Compiled>();
    for (const char* regex : d.regexes) {
      UErrorCode status = U_ZERO_ERROR;
      UParseError parse_error;
      std::unique_ptr<icu::RegexPattern> pattern(icu::RegexPattern::compile(
          icu::UnicodeString::fromUTF8(regex), 0, parse_error, status));
      if (U_FAILURE(status) || pattern == nullptr) {
        return Status::Internal("pre-tokenizer '" + std::string(wanted) + "': ICU refuses regex " +
                                regex + " (" + u_errorName(status) + ")");
      }
      compiled->patterns.push_back(std::move(pattern));
    }
    PreTokenizer p;
    p.traits_ = {std::string(wanted), d.ignore_merges, d.add_bos_default};
    p.compiled_ = std::move(compiled);
    return p;
  }
  std::string known;
  for (const std::string& n : KnownNames()) known += (known.empty() ? "" : ", ") + n;
  return Status::Unsupported("pre-tokenizer '" + std::string(name) +
                             "' (tokenizer.ggml.pre) is not supported; supported: " + known);
}

std::vector<std::string_view> PreTokenizer::Split(std::string_view text) const {
  if (text.empty()) return {};
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UText, UTextCloser> utext(
      utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
  std::vector<std::pair<int64_t, int64_t>> pieces = {{0, static_cast<int64_t>(text.size())}};
  std::vector<std::pair<int64_t, int64_t>> next;
  for (const auto& pattern : compiled_->patterns) {
    std::unique_ptr<icu::RegexMatcher> matcher(pattern->matcher(status));
    if (U_FAILURE(status) || matcher == nullptr) break;  // out of memory: keep the pieces so far
    matcher->reset(utext.get());
    next.clear();
    for (const auto& [begin, end] : pieces) {
      int64_t last = begin;
      matcher->region(begin, end, status);
      while (U_SUCCESS(status) && matcher->find(status)) {
        const int64_t match_begin = matcher->start64(status);
        const int64_t match_end = matcher->end64(status);
        if (U_FAILURE(status) || match_end <= match_begin) continue;
        if (match_begin > last) next.emplace_back(last, match_begin);
        next.emplace_back(match_begin, match_end);
        last = match_end;
      }
      // A regex error (ICU's backtracking limit) leaves the rest of the piece whole.
      status = U_ZERO_ERROR;
      if (last < end) next.emplace_back(last, end);
    }
    pieces.swap(next);
  }
  std::vector<std::string_view> out;
  out.reserve(pieces.size());
  for (const auto& [begin, end] : pieces) {
    out.push_back(text.substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin)));
  }
  return out;
}

}  // namespace sizer::runner
