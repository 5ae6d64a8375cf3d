#include "runner/unicode_text.h"

namespace sizer::runner {
namespace {

// The length a lead byte announces: 1 for ASCII and for bytes that cannot lead (continuation
// bytes 0x80..0xBF, and 0xF8..0xFF), as llama.cpp's unicode_len_utf8.
size_t LeadLength(uint8_t lead) {
  static constexpr uint8_t kLengths[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  return kLengths[lead >> 4];
}

bool IsContinuation(uint8_t byte) { return (byte & 0xC0) == 0x80; }

// The smallest code point a sequence of `len` bytes may encode (shorter forms are overlong).
uint32_t MinimumCodepoint(size_t len) {
  switch (len) {
    case 2: return 0x80;
    case 3: return 0x800;
    default: return 0x10000;
  }
}

std::array<int, 512> BuildReverse() {
  std::array<int, 512> reverse;
  reverse.fill(-1);
  const std::array<std::string, 256>& alphabet = ByteLevelAlphabet();
  for (int b = 0; b < 256; ++b) {
    size_t pos = 0;
    uint32_t cp = 0;
    NextCodepoint(alphabet[static_cast<size_t>(b)], &pos, &cp);
    reverse[cp] = b;
  }
  return reverse;
}

}  // namespace

size_t Utf8Length(std::string_view text, size_t pos) {
  const size_t len = LeadLength(static_cast<uint8_t>(text[pos]));
  if (len > text.size() - pos) return 1;
  for (size_t k = 1; k < len; ++k) {
    if (!IsContinuation(static_cast<uint8_t>(text[pos + k]))) return 1;
  }
  return len;
}

std::string CodepointToUtf8(uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return out;
}

bool NextCodepoint(std::string_view text, size_t* pos, uint32_t* codepoint) {
  const uint8_t lead = static_cast<uint8_t>(text[*pos]);
  const size_t len = Utf8Length(text, *pos);
  if (len == 1) {
    ++*pos;
    *codepoint = lead;
    return lead < 0x80;
  }
  uint32_t cp = lead & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<uint8_t>(text[*pos + k]) & 0x3F);
  if (cp < MinimumCodepoint(len) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*pos;
    *codepoint = lead;
    return false;
  }
  *pos += len;
  *codepoint = cp;
  return true;
}

const std::array<std::string, 256>& ByteLevelAlphabet() {
  static const std::array<std::string, 256> alphabet = [] {
    std::array<std::string, 256> a;
    uint32_t next = 256;
    for (uint32_t b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      a[b] = CodepointToUtf8(printable ? b : next++);
    }
    return a;
  }();
  return alphabet;
}

int ByteLevelByte(uint32_t codepoint) {
  static const std::array<int, 512> reverse = BuildReverse();
  return codepoint < reverse.size() ? reverse[codepoint] : -1;
}

size_t CompleteUtf8Prefix(std::string_view bytes) {
  // Look back at most 3 bytes for a lead byte whose sequence is not yet complete.
  const size_t n = bytes.size();
  for (size_t back = 1; back <= 3 && back <= n; ++back) {
    const uint8_t byte = static_cast<uint8_t>(bytes[n - back]);
    if (IsContinuation(byte)) continue;
    const size_t want = LeadLength(byte);
    return want > back ? n - back : n;
  }
  return n;
}

std::vector<MergeSymbol> SplitIntoMergeSymbols(std::string_view text) {
  std::vector<MergeSymbol> symbols;
  symbols.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const size_t len = Utf8Length(text, pos);
    const int index = static_cast<int>(symbols.size());
    symbols.push_back({index - 1, index + 1, pos, len});
    pos += len;
  }
  if (!symbols.empty()) symbols.back().next = -1;
  return symbols;
}

bool MergeAdjacentSymbols(std::vector<MergeSymbol>& symbols, int left, int right, size_t size) {
  MergeSymbol& l = symbols[static_cast<size_t>(left)];
  MergeSymbol& r = symbols[static_cast<size_t>(right)];
  if (l.n == 0 || r.n == 0 || l.n + r.n != size || l.next != right) return false;
  l.n += r.n;
  r.n = 0;
  l.next = r.next;
  if (r.next >= 0) symbols[static_cast<size_t>(r.next)].prev = left;
  return true;
}

}  // namespace sizer::runner
