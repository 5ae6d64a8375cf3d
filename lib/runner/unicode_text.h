// UTF-8 and byte-level helpers shared by the tokenizers: the lenient character length both
// tokenizers split symbols with, GPT-2's byte-to-unicode mapping for byte-level BPE, and
// the check that holds back an incomplete UTF-8 sequence while streaming decoded text.
#ifndef SIZER_RUNNER_UNICODE_TEXT_H_
#define SIZER_RUNNER_UNICODE_TEXT_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sizer::runner {

// Bytes in the UTF-8 character at text[pos]: the length its lead byte announces (as
// llama.cpp's unicode_len_utf8) when that many bytes follow and all but the first are
// continuation bytes; otherwise 1, so that invalid UTF-8 never swallows the first byte of the
// next character and still comes back byte-exact. REQUIRES: pos < text.size().
size_t Utf8Length(std::string_view text, size_t pos);

// The UTF-8 encoding of `codepoint` (REQUIRES: <= 0x10FFFF).
std::string CodepointToUtf8(uint32_t codepoint);

// Decodes one well-formed UTF-8 character at text[*pos] into *codepoint and advances *pos;
// false (with *pos advanced by one byte) for a byte that does not start one.
bool NextCodepoint(std::string_view text, size_t* pos, uint32_t* codepoint);

// GPT-2's bytes_to_unicode (openai/gpt-2 encoder.py, used by every byte-level BPE vocabulary):
// the printable bytes '!'..'~', 0xA1..0xAC and 0xAE..0xFF stand for themselves; the other 68
// bytes (controls, space, 0x7F..0xA0, 0xAD), in increasing order, become U+0100, U+0101, ...
// So ' ' is "Ġ" (U+0120) and '\n' is "Ċ" (U+010A). Entry b is the UTF-8 text of byte b.
const std::array<std::string, 256>& ByteLevelAlphabet();
// The byte a byte-level code point stands for, or -1 when it is none of the 256.
int ByteLevelByte(uint32_t codepoint);

// The length of the longest prefix of `bytes` that does not end inside a UTF-8 sequence that
// the next bytes could still complete. A streaming decoder prints that prefix and keeps the
// rest: at most 3 bytes, always the start of a well-formed sequence so far.
size_t CompleteUtf8Prefix(std::string_view bytes);

// One character of a word during BPE or SentencePiece merging, linked to its neighbours:
// bytes [start, start + n) of the text; n = 0 once merged into its left neighbour.
struct MergeSymbol {
  int prev;
  int next;
  size_t start;
  size_t n;
};
// The text's UTF-8 characters as a linked list (first prev -1, last next -1).
std::vector<MergeSymbol> SplitIntoMergeSymbols(std::string_view text);
// Merges `right` into its left neighbour `left` when the queued pair is still current (both
// alive, adjacent, `size` bytes together); false, changing nothing, when it is stale.
bool MergeAdjacentSymbols(std::vector<MergeSymbol>& symbols, int left, int right, size_t size);

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_UNICODE_TEXT_H_
