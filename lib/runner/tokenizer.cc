#include "runner/tokenizer.h"

#include <cmath>
#include <limits>
#include <queue>
#include <utility>

#include "gguf/format.h"

namespace sizer::runner {
namespace {

constexpr std::string_view kModelKey = "tokenizer.ggml.model";
constexpr std::string_view kTokensKey = "tokenizer.ggml.tokens";
constexpr std::string_view kScoresKey = "tokenizer.ggml.scores";
constexpr std::string_view kTypesKey = "tokenizer.ggml.token_type";
constexpr std::string_view kBosKey = "tokenizer.ggml.bos_token_id";
constexpr std::string_view kEosKey = "tokenizer.ggml.eos_token_id";
constexpr std::string_view kUnkKey = "tokenizer.ggml.unknown_token_id";
constexpr std::string_view kSpacePrefixKey = "tokenizer.ggml.add_space_prefix";
constexpr std::string_view kAddBosKey = "tokenizer.ggml.add_bos_token";

constexpr std::string_view kSpaceMarker = "\xE2\x96\x81";    // U+2581 "▁"
constexpr std::string_view kUnknownPiece = "\xE2\x96\x85";   // U+2585 "▅"

std::string Key(std::string_view key) { return "metadata key '" + std::string(key) + "'"; }

bool IsIntegerType(gguf::ValueType t) {
  switch (t) {
    case gguf::ValueType::kUint8: case gguf::ValueType::kInt8: case gguf::ValueType::kUint16:
    case gguf::ValueType::kInt16: case gguf::ValueType::kUint32: case gguf::ValueType::kInt32:
    case gguf::ValueType::kUint64: case gguf::ValueType::kInt64:
      return true;
    default:
      return false;
  }
}

bool IsSignedType(gguf::ValueType t) {
  return t == gguf::ValueType::kInt8 || t == gguf::ValueType::kInt16 ||
         t == gguf::ValueType::kInt32 || t == gguf::ValueType::kInt64;
}

bool IsNumberType(gguf::ValueType t) {
  return IsIntegerType(t) || t == gguf::ValueType::kFloat32 || t == gguf::ValueType::kFloat64;
}

// A token id key: `fallback` when absent; with `allow_none`, -1 (any signed type) or the
// all-ones value of an unsigned 32/64-bit key means "no such token" and reads as -1.
StatusOr<int32_t> ReadId(const gguf::GgufFile& file, std::string_view key, int32_t fallback,
                         bool allow_none, size_t vocab) {
  const gguf::Value* v = file.Find(key);
  if (v == nullptr) {
    if (fallback >= 0 && static_cast<size_t>(fallback) >= vocab) {
      return Status::Corruption(Key(key) + " is missing and its default " +
                                std::to_string(fallback) + " is outside the vocabulary of " +
                                std::to_string(vocab) + " tokens");
    }
    return fallback;
  }
  if (!IsIntegerType(v->type)) {
    return Status::Corruption(Key(key) + " is " + std::string(gguf::ValueTypeName(v->type)) +
                              ", expected an integer token id");
  }
  const bool is_signed = IsSignedType(v->type);
  if (allow_none) {
    const bool none =
        is_signed ? v->i64 == -1
                  : (v->u64 == std::numeric_limits<uint32_t>::max() ||
                     v->u64 == std::numeric_limits<uint64_t>::max());
    if (none) return -1;
  }
  if ((is_signed && v->i64 < 0) || v->u64 >= vocab) {
    const std::string shown = is_signed ? std::to_string(v->i64) : std::to_string(v->u64);
    return Status::Corruption(Key(key) + " is " + shown + ", outside the vocabulary of " +
                              std::to_string(vocab) + " tokens");
  }
  return static_cast<int32_t>(v->u64);
}

StatusOr<bool> ReadBool(const gguf::GgufFile& file, std::string_view key, bool fallback) {
  const gguf::Value* v = file.Find(key);
  if (v == nullptr) return fallback;
  if (v->type != gguf::ValueType::kBool) {
    return Status::Corruption(Key(key) + " is " + std::string(gguf::ValueTypeName(v->type)) +
                              ", expected bool");
  }
  return v->boolean;
}

// An array key of `vocab` elements of a type `ok` accepts.
StatusOr<const gguf::Value*> ReadArray(const gguf::GgufFile& file, std::string_view key,
                                       size_t vocab, bool (*ok)(gguf::ValueType),
                                       std::string_view expected) {
  const gguf::Value* v = file.Find(key);
  if (v == nullptr) return static_cast<const gguf::Value*>(nullptr);
  if (!v->IsArray()) {
    return Status::Corruption(Key(key) + " is " + std::string(gguf::ValueTypeName(v->type)) +
                              ", expected an array of " + std::string(expected));
  }
  if (!ok(v->element_type)) {
    return Status::Corruption(Key(key) + " is an array of " +
                              std::string(gguf::ValueTypeName(v->element_type)) +
                              ", expected an array of " + std::string(expected));
  }
  if (v->count != vocab) {
    return Status::Corruption(Key(key) + " has " + std::to_string(v->count) +
                              " elements, but tokenizer.ggml.tokens has " +
                              std::to_string(vocab));
  }
  return v;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The byte of a token spelled "<0xXX>", or -1.
int ParseByteToken(std::string_view text) {
  if (text.size() != 6 || text.substr(0, 3) != "<0x" || text[5] != '>') return -1;
  const int hi = HexDigit(text[3]);
  const int lo = HexDigit(text[4]);
  if (hi < 0 || lo < 0) return -1;
  return hi * 16 + lo;
}

std::string ReplaceAll(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (true) {
    const size_t hit = text.find(from, pos);
    if (hit == std::string_view::npos) break;
    out.append(text.substr(pos, hit - pos));
    out.append(to);
    pos = hit + from.size();
  }
  out.append(text.substr(pos));
  return out;
}

// Bytes in the UTF-8 character at text[pos]: the length its lead byte announces (as
// llama.cpp's unicode_len_utf8) when that many bytes follow and all but the first are
// continuation bytes; otherwise 1, so that invalid UTF-8 never swallows the first byte of the
// next character (e.g. of a "▁") and comes back byte-exact through byte fallback.
size_t Utf8Length(std::string_view text, size_t pos) {
  static constexpr uint8_t kLengths[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  const size_t len = kLengths[static_cast<uint8_t>(text[pos]) >> 4];
  if (len > text.size() - pos) return 1;
  for (size_t k = 1; k < len; ++k) {
    if ((static_cast<uint8_t>(text[pos + k]) & 0xC0) != 0x80) return 1;
  }
  return len;
}

}  // namespace

StatusOr<Tokenizer> Tokenizer::FromGguf(const gguf::GgufFile& file) {
  const gguf::Value* model = file.Find(kModelKey);
  if (model == nullptr) return Status::Corruption(Key(kModelKey) + " is missing");
  if (model->type != gguf::ValueType::kString) {
    return Status::Corruption(Key(kModelKey) + " is " +
                              std::string(gguf::ValueTypeName(model->type)) +
                              ", expected string");
  }
  if (model->str != "llama") {
    return Status::Unsupported("tokenizer model '" + std::string(model->str) + "' (" +
                               std::string(kModelKey) +
                               ") is not supported; supported: 'llama' (SentencePiece BPE)");
  }

  const gguf::Value* tokens = file.Find(kTokensKey);
  if (tokens == nullptr) return Status::Corruption(Key(kTokensKey) + " is missing");
  if (!tokens->IsArray() || tokens->element_type != gguf::ValueType::kString) {
    const std::string got = tokens->IsArray()
                                ? "an array of " + std::string(gguf::ValueTypeName(
                                                       tokens->element_type))
                                : std::string(gguf::ValueTypeName(tokens->type));
    return Status::Corruption(Key(kTokensKey) + " is " + got + ", expected an array of string");
  }
  const size_t vocab = tokens->strings.size();
  if (vocab == 0 || tokens->count != vocab) {
    return Status::Corruption(Key(kTokensKey) + " is empty");
  }
  if (vocab > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return Status::Corruption(Key(kTokensKey) + " has " + std::to_string(vocab) +
                              " tokens, more than a 32-bit token id can name");
  }

  Tokenizer t;
  t.tokens_.reserve(vocab);
  for (std::string_view s : tokens->strings) t.tokens_.emplace_back(s);

  SIZER_ASSIGN_OR_RETURN(const gguf::Value* scores,
                         ReadArray(file, kScoresKey, vocab, IsNumberType, "numbers"));
  t.scores_.assign(vocab, 0.0f);
  if (scores != nullptr) {
    for (size_t i = 0; i < vocab; ++i) {
      const double s = scores->NumberAt(i);
      if (std::isnan(s)) {
        return Status::Corruption(Key(kScoresKey) + " element " + std::to_string(i) +
                                  " is NaN");
      }
      t.scores_[i] = static_cast<float>(s);
    }
  }

  SIZER_ASSIGN_OR_RETURN(t.bos_, ReadId(file, kBosKey, 1, /*allow_none=*/false, vocab));
  SIZER_ASSIGN_OR_RETURN(t.eos_, ReadId(file, kEosKey, 2, /*allow_none=*/false, vocab));
  SIZER_ASSIGN_OR_RETURN(t.unk_, ReadId(file, kUnkKey, 0, /*allow_none=*/true, vocab));
  SIZER_ASSIGN_OR_RETURN(t.add_space_prefix_, ReadBool(file, kSpacePrefixKey, true));
  SIZER_ASSIGN_OR_RETURN(t.add_bos_, ReadBool(file, kAddBosKey, true));

  SIZER_ASSIGN_OR_RETURN(const gguf::Value* types,
                         ReadArray(file, kTypesKey, vocab, IsIntegerType, "integers"));
  t.types_.assign(vocab, TokenType::kNormal);
  for (size_t i = 0; i < vocab; ++i) {
    if (types != nullptr) {
      const double v = types->NumberAt(i);
      if (!(v >= 0 && v <= static_cast<double>(TokenType::kByte))) {
        return Status::Corruption(Key(kTypesKey) + " element " + std::to_string(i) + " is " +
                                  std::to_string(static_cast<int64_t>(v)) +
                                  ", not a token type (0..6)");
      }
      t.types_[i] = static_cast<TokenType>(static_cast<int>(v));
    } else if (static_cast<int32_t>(i) == t.unk_) {
      t.types_[i] = TokenType::kUnknown;
    } else if (static_cast<int32_t>(i) == t.bos_ || static_cast<int32_t>(i) == t.eos_) {
      t.types_[i] = TokenType::kControl;
    } else if (ParseByteToken(t.tokens_[i]) >= 0) {
      t.types_[i] = TokenType::kByte;
    }
  }

  t.byte_ids_.fill(-1);
  t.pieces_.resize(vocab);
  for (size_t i = 0; i < vocab; ++i) {
    const std::string& text = t.tokens_[i];
    const int32_t id = static_cast<int32_t>(i);
    switch (t.types_[i]) {
      case TokenType::kUndefined:
      case TokenType::kNormal:
        t.pieces_[i] = ReplaceAll(text, kSpaceMarker, " ");
        t.merge_ids_[text] = id;  // a duplicate spelling: the last id wins, as in llama.cpp
        break;
      case TokenType::kUserDefined:
        t.pieces_[i] = text;
        t.merge_ids_[text] = id;
        break;
      case TokenType::kUnknown:
        t.pieces_[i] = std::string(kUnknownPiece);
        break;
      case TokenType::kControl:
      case TokenType::kUnused:
        break;
      case TokenType::kByte: {
        const int byte = ParseByteToken(text);
        if (byte < 0) {
          return Status::Corruption(Key(kTokensKey) + " element " + std::to_string(i) + " '" +
                                    text + "' has token type BYTE but is not spelled <0xXX>");
        }
        t.pieces_[i] = std::string(1, static_cast<char>(byte));
        if (t.byte_ids_[static_cast<size_t>(byte)] < 0) {
          t.byte_ids_[static_cast<size_t>(byte)] = id;
        }
        break;
      }
    }
  }
  return t;
}

int32_t Tokenizer::Lookup(std::string_view text) const {
  auto it = merge_ids_.find(text);
  return it == merge_ids_.end() ? -1 : it->second;
}

std::vector<int32_t> Tokenizer::Encode(std::string_view input, bool add_bos) const {
  std::vector<int32_t> out;
  if (add_bos) out.push_back(bos_);
  if (input.empty()) return out;

  std::string text;
  text.reserve(input.size() + 8);
  if (add_space_prefix_) text.push_back(' ');
  text.append(input);
  text = ReplaceAll(text, " ", kSpaceMarker);

  // Symbols: a doubly linked list of spans of `text`; a merged-away symbol has n == 0.
  struct Symbol {
    int prev;
    int next;
    size_t start;
    size_t n;
  };
  std::vector<Symbol> symbols;
  symbols.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const size_t len = Utf8Length(text, pos);
    const int index = static_cast<int>(symbols.size());
    symbols.push_back({index - 1, index + 1, pos, len});
    pos += len;
  }
  symbols.back().next = -1;

  struct Bigram {
    int left;
    int right;
    float score;
    size_t size;
  };
  // Highest score first; on ties, the leftmost pair.
  auto lower = [](const Bigram& a, const Bigram& b) {
    return a.score < b.score || (a.score == b.score && a.left > b.left);
  };
  std::priority_queue<Bigram, std::vector<Bigram>, decltype(lower)> queue(lower);
  const std::string_view view(text);
  auto try_add = [&](int left, int right) {
    if (left < 0 || right < 0) return;
    const Symbol& l = symbols[static_cast<size_t>(left)];
    const Symbol& r = symbols[static_cast<size_t>(right)];
    const size_t size = l.n + r.n;
    const int32_t id = Lookup(view.substr(l.start, size));
    if (id < 0) return;
    queue.push({left, right, scores_[static_cast<size_t>(id)], size});
  };
  for (size_t i = 1; i < symbols.size(); ++i) {
    try_add(static_cast<int>(i) - 1, static_cast<int>(i));
  }

  while (!queue.empty()) {
    const Bigram b = queue.top();
    queue.pop();
    Symbol& l = symbols[static_cast<size_t>(b.left)];
    Symbol& r = symbols[static_cast<size_t>(b.right)];
    // Stale: one side was merged away or has grown since this candidate was queued.
    if (l.n == 0 || r.n == 0 || l.n + r.n != b.size || l.next != b.right) continue;
    l.n += r.n;
    r.n = 0;
    l.next = r.next;
    if (r.next >= 0) symbols[static_cast<size_t>(r.next)].prev = b.left;
    try_add(l.prev, b.left);
    try_add(b.left, l.next);
  }

  for (int i = 0; i >= 0; i = symbols[static_cast<size_t>(i)].next) {
    const Symbol& s = symbols[static_cast<size_t>(i)];
    const std::string_view piece = view.substr(s.start, s.n);
    const int32_t id = Lookup(piece);
    if (id >= 0) {
      out.push_back(id);
      continue;
    }
    for (char c : piece) {
      const int32_t byte_id = byte_ids_[static_cast<uint8_t>(c)];
      if (byte_id >= 0) {
        out.push_back(byte_id);
      } else if (unk_ >= 0) {
        out.push_back(unk_);
      }
    }
  }
  return out;
}

std::string Tokenizer::Decode(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= pieces_.size()) return std::string();
  return pieces_[static_cast<size_t>(id)];
}

std::string Tokenizer::DecodeAll(const std::vector<int32_t>& ids,
                                 bool strip_leading_space) const {
  std::string out;
  for (int32_t id : ids) {
    if (id >= 0 && static_cast<size_t>(id) < pieces_.size()) {
      out += pieces_[static_cast<size_t>(id)];
    }
  }
  if (strip_leading_space && !out.empty() && out.front() == ' ') out.erase(0, 1);
  return out;
}

}  // namespace sizer::runner
