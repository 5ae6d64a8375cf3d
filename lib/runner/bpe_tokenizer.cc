#include "runner/bpe_tokenizer.h"

#include <array>
#include <limits>
#include <queue>

#include "runner/tokenizer_keys.h"
#include "runner/unicode_text.h"

namespace sizer::runner {
namespace {

using Symbol = MergeSymbol;

struct Bigram {
  int left;
  int right;
  int32_t rank;
  size_t size;
};

// Lowest rank first; on ties, the leftmost pair (llama.cpp's llm_bigram_bpe::comparator).
struct BigramLater {
  bool operator()(const Bigram& a, const Bigram& b) const {
    return a.rank > b.rank || (a.rank == b.rank && a.left > b.left);
  }
};

// A NORMAL token's bytes: each byte-level character back to its byte.
std::string ByteLevelDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const size_t start = pos;
    uint32_t cp = 0;
    const bool valid = NextCodepoint(text, &pos, &cp);
    const int byte = valid ? ByteLevelByte(cp) : -1;
    if (byte >= 0) {
      out.push_back(static_cast<char>(byte));
    } else {
      out.append(text.substr(start, pos - start));
    }
  }
  return out;
}

}  // namespace

StatusOr<std::unique_ptr<BpeTokenizer>> BpeTokenizer::Create(
    const gguf::GgufFile& file, std::shared_ptr<const Vocabulary> vocab, PreTokenizer pre) {
  std::unique_ptr<BpeTokenizer> t(new BpeTokenizer(std::move(vocab), std::move(pre)));
  SIZER_RETURN_IF_ERROR(t->ReadMerges(file));
  const Vocabulary& v = *t->vocab_;
  t->pieces_.resize(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    if (v.types[i] == TokenType::kNormal) t->pieces_[i] = ByteLevelDecode(v.tokens[i]);
    if (v.types[i] == TokenType::kUserDefined) t->pieces_[i] = v.tokens[i];
  }
  return t;
}

Status BpeTokenizer::ReadMerges(const gguf::GgufFile& file) {
  const gguf::Value* merges = file.Find(kMergesKey);
  if (merges == nullptr) {
    return Status::Corruption(KeyName(kMergesKey) +
                              " is missing; a byte-level BPE (gpt2) tokenizer needs its merges");
  }
  if (!merges->IsArray() || merges->element_type != gguf::ValueType::kString) {
    return Status::Corruption(KeyName(kMergesKey) + " is " +
                              std::string(gguf::ValueTypeName(merges->IsArray()
                                                                  ? merges->element_type
                                                                  : merges->type)) +
                              (merges->IsArray() ? " elements" : "") +
                              ", expected an array of strings \"left right\"");
  }
  if (merges->strings.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return Status::Corruption(KeyName(kMergesKey) + " has too many elements");
  }
  ranks_.reserve(merges->strings.size());
  for (size_t i = 0; i < merges->strings.size(); ++i) {
    const std::string_view merge = merges->strings[i];
    const size_t space = merge.size() > 1 ? merge.find(' ', 1) : std::string_view::npos;
    if (space == std::string_view::npos || space + 1 >= merge.size()) {
      return Status::Corruption(KeyName(kMergesKey) + " element " + std::to_string(i) + " '" +
                                std::string(merge.substr(0, 64)) +
                                "' is not two tokens separated by a space");
    }
    // As llama.cpp's bpe_ranks.emplace: a repeated pair keeps its first (best) rank.
    ranks_.emplace(std::string(merge), static_cast<int32_t>(i));
  }
  return Status();
}

int32_t BpeTokenizer::Rank(std::string_view left, std::string_view right,
                           std::string& key) const {
  key.assign(left);
  key.push_back(' ');
  key.append(right);
  auto it = ranks_.find(key);
  return it == ranks_.end() ? -1 : it->second;
}

void BpeTokenizer::EncodeText(std::string_view text, bool /*after_special*/,
                              std::vector<int32_t>& out) const {
  const std::array<std::string, 256>& alphabet = ByteLevelAlphabet();
  std::string word;
  for (std::string_view piece : pre_.Split(text)) {
    word.clear();
    for (char c : piece) word += alphabet[static_cast<uint8_t>(c)];
    if (pre_.traits().ignore_merges) {
      if (int32_t id = vocab_->Find(word); id >= 0) {
        out.push_back(id);
        continue;
      }
    }
    EncodeWord(word, out);
  }
}

void BpeTokenizer::EncodeWord(const std::string& word, std::vector<int32_t>& out) const {
  const std::string_view view(word);
  std::vector<Symbol> symbols = SplitIntoMergeSymbols(view);
  if (symbols.empty()) return;

  std::string key;
  std::priority_queue<Bigram, std::vector<Bigram>, BigramLater> queue;
  auto try_add = [&](int left, int right) {
    if (left < 0 || right < 0) return;
    const Symbol& l = symbols[static_cast<size_t>(left)];
    const Symbol& r = symbols[static_cast<size_t>(right)];
    const int32_t rank = Rank(view.substr(l.start, l.n), view.substr(r.start, r.n), key);
    if (rank >= 0) queue.push({left, right, rank, l.n + r.n});
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
    const std::string_view symbol = view.substr(symbols[static_cast<size_t>(i)].start,
                                                symbols[static_cast<size_t>(i)].n);
    if (int32_t id = vocab_->Find(symbol); id >= 0) {
      out.push_back(id);
      continue;
    }
    for (size_t k = 0; k < symbol.size(); ++k) {
      if (int32_t id = vocab_->Find(symbol.substr(k, 1)); id >= 0) out.push_back(id);
    }
  }
}

}  // namespace sizer::runner
