#include "runner/spm_tokenizer.h"

#include <queue>

#include "runner/tokenizer_keys.h"
#include "runner/unicode_text.h"

namespace sizer::runner {
namespace {

constexpr std::string_view kSpaceMarker = "\xE2\x96\x81";   // U+2581 "▁"
constexpr std::string_view kUnknownPiece = "\xE2\x96\x85";  // U+2585 "▅"

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

// Symbols: a doubly linked list of spans of the text; a merged-away symbol has n == 0.
using Symbol = MergeSymbol;

struct Bigram {
  int left;
  int right;
  float score;
  size_t size;
};

// Highest score first; on ties, the leftmost pair.
struct BigramLower {
  bool operator()(const Bigram& a, const Bigram& b) const {
    return a.score < b.score || (a.score == b.score && a.left > b.left);
  }
};

}  // namespace

StatusOr<std::unique_ptr<SpmTokenizer>> SpmTokenizer::Create(
    std::shared_ptr<const Vocabulary> vocab) {
  std::unique_ptr<SpmTokenizer> t(new SpmTokenizer(std::move(vocab)));
  const Vocabulary& v = *t->vocab_;
  t->byte_ids_.fill(-1);
  t->pieces_.resize(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string& text = v.tokens[i];
    const int32_t id = static_cast<int32_t>(i);
    switch (v.types[i]) {
      case TokenType::kUndefined:
      case TokenType::kNormal:
        t->pieces_[i] = ReplaceAll(text, kSpaceMarker, " ");
        t->merge_ids_[text] = id;  // a duplicate spelling: the last id wins, as in llama.cpp
        break;
      case TokenType::kUserDefined:
        t->pieces_[i] = text;
        t->merge_ids_[text] = id;
        break;
      case TokenType::kUnknown:
        t->pieces_[i] = std::string(kUnknownPiece);
        break;
      case TokenType::kControl:
      case TokenType::kUnused:
        break;
      case TokenType::kByte: {
        const int byte = ParseByteToken(text);
        if (byte < 0) {
          return Status::Corruption(KeyName(kTokensKey) + " element " + std::to_string(i) + " '" +
                                    text + "' has token type BYTE but is not spelled <0xXX>");
        }
        t->pieces_[i] = std::string(1, static_cast<char>(byte));
        if (t->byte_ids_[static_cast<size_t>(byte)] < 0) t->byte_ids_[static_cast<size_t>(byte)] = id;
        break;
      }
    }
  }
  return t;
}

int32_t SpmTokenizer::Lookup(std::string_view text) const {
  auto it = merge_ids_.find(text);
  return it == merge_ids_.end() ? -1 : it->second;
}

void SpmTokenizer::EmitSymbol(std::string_view symbol, std::vector<int32_t>& out) const {
  const int32_t id = Lookup(symbol);
  if (id >= 0) {
    out.push_back(id);
    return;
  }
  for (char c : symbol) {
    const int32_t byte_id = byte_ids_[static_cast<uint8_t>(c)];
    if (byte_id >= 0) {
      out.push_back(byte_id);
    } else if (vocab_->unk >= 0) {
      out.push_back(vocab_->unk);
    }
  }
}

void SpmTokenizer::EncodeText(std::string_view input, bool after_special,
                              std::vector<int32_t>& out) const {
  std::string prefixed;
  if (vocab_->add_space_prefix && after_special) prefixed.push_back(' ');
  prefixed.append(input);
  const std::string text = ReplaceAll(prefixed, " ", kSpaceMarker);
  const std::string_view view(text);

  std::vector<Symbol> symbols = SplitIntoMergeSymbols(text);
  if (symbols.empty()) return;

  std::priority_queue<Bigram, std::vector<Bigram>, BigramLower> queue;
  auto try_add = [&](int left, int right) {
    if (left < 0 || right < 0) return;
    const Symbol& l = symbols[static_cast<size_t>(left)];
    const Symbol& r = symbols[static_cast<size_t>(right)];
    const size_t size = l.n + r.n;
    const int32_t id = Lookup(view.substr(l.start, size));
    if (id < 0) return;
    queue.push({left, right, vocab_->scores[static_cast<size_t>(id)], size});
  };
  for (size_t i = 1; i < symbols.size(); ++i) try_add(static_cast<int>(i) - 1, static_cast<int>(i));

  while (!queue.empty()) {
    const Bigram b = queue.top();
    queue.pop();
    // A stale candidate: one side was merged away or has grown since it was queued.
    if (!MergeAdjacentSymbols(symbols, b.left, b.right, b.size)) continue;
    const Symbol& l = symbols[static_cast<size_t>(b.left)];
    try_add(l.prev, b.left);
    try_add(b.left, l.next);
  }
  for (int i = 0; i >= 0; i = symbols[static_cast<size_t>(i)].next) {
    const Symbol& s = symbols[static_cast<size_t>(i)];
    EmitSymbol(view.substr(s.start, s.n), out);
  }
}

}  // namespace sizer::runner
