#include "synth/synth_vocabulary.h"

#include <cstdio>
#include <set>

namespace sizer::synth {
namespace {

constexpr const char* kSpace = "\xE2\x96\x81";  // U+2581, SentencePiece's word boundary

// Common English words: enough that a prompt like "Once upon a time" encodes to whole pieces.
constexpr const char* kWords[] = {
    "the", "a", "and", "to", "of", "in", "was", "he", "she", "it", "is", "that", "with", "for",
    "on", "they", "his", "her", "you", "at", "had", "said", "one", "day", "once", "upon",
    "time", "there", "little", "girl", "boy", "big", "happy", "very", "play", "saw", "went",
    "what", "how", "much", "memory", "does", "model", "need", "token", "fast", "run", "this",
    "machine", "can", "we", "do", "not", "be", "are", "have", "an", "or", "by", "from"};

}  // namespace

StatusOr<SynthVocabulary> MakeSynthVocabulary(int64_t vocab_size) {
  if (vocab_size < kMinSynthVocabulary || vocab_size > (int64_t{1} << 24)) {
    return Status::InvalidArgument("a synthetic vocabulary needs " +
                                   std::to_string(kMinSynthVocabulary) +
                                   " to 16777216 tokens (3 control tokens and 256 byte tokens "
                                   "at least), not " + std::to_string(vocab_size));
  }
  SynthVocabulary v;
  const size_t n = static_cast<size_t>(vocab_size);
  v.tokens.reserve(n);
  auto add = [&v](std::string piece, int32_t type) {
    v.scores.push_back(-static_cast<float>(v.tokens.size()));
    v.tokens.push_back(std::move(piece));
    v.token_types.push_back(type);
  };
  add("<unk>", 2);
  add("<s>", 3);
  add("</s>", 3);
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof(name), "<0x%02X>", b);
    add(name, 6);
  }
  std::set<std::string> seen;
  auto add_piece = [&](const std::string& piece) {
    if (v.tokens.size() < n && seen.insert(piece).second) add(piece, 1);
  };
  add_piece(kSpace);
  for (char c = 'a'; c <= 'z'; ++c) add_piece(std::string(1, c));
  for (char c = 'a'; c <= 'z'; ++c) add_piece(kSpace + std::string(1, c));
  // Every prefix of each word, because the SentencePiece merge only joins two pieces whose
  // concatenation is itself a piece: "▁o" + "n" -> "▁on", ... -> "▁once".
  for (const char* w : kWords) {
    const std::string word(w);
    for (size_t len = 2; len <= word.size(); ++len) add_piece(kSpace + word.substr(0, len));
  }
  for (const char* p : {".", ",", "!", "?", "'"}) add_piece(p);
  for (size_t i = 0; v.tokens.size() < n; ++i) add_piece(kSpace + std::string("w") + std::to_string(i));
  return v;
}

}  // namespace sizer::synth
