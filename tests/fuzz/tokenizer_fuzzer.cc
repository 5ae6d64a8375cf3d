// libFuzzer target for the tokenizers (runner/tokenizer.h). The first input byte picks a mode:
//   - even: random text against one of the nine real vocabularies of tests/data/vocab/
//     (loaded once): encoded with and without special tokens and special-token parsing; every
//     id must be in the vocabulary, the streamed decode must equal the whole decode, and for
//     the byte-level BPE vocabularies that hold all 256 byte characters as NORMAL tokens,
//     decoding must give the text back byte for byte (StarCoder's lacks the bytes that never
//     occur in UTF-8, 0xF5..0xFF, which are dropped; DeepSeek's USER_DEFINED single Latin-1
//     tokens are spelled like byte characters, so a lone 0xFF byte becomes the token "ÿ" and
//     decodes as U+00FF; both exactly as in llama.cpp, whose ids these are);
//   - odd: random vocabulary metadata: a GGUF (no tensors) written from the input, with
//     tokenizer.ggml.{model, pre, tokens, token_type, scores, merges, bos/eos/unknown ids,
//     add_bos/add_eos/add_space_prefix} taken from it; FromGguf must refuse it with a message
//     or give a tokenizer that encodes and decodes a text from the input within bounds.
// Build and run: see tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "gguf/artifact.h"
#include "gguf/reader.h"
#include "runner/tokenizer.h"
#include "runner/unicode_text.h"

namespace {

using sizer::runner::EncodeOptions;
using sizer::runner::Tokenizer;
using sizer::runner::TokenTextStream;

constexpr const char* kVocabs[] = {"gpt-2",     "deepseek-llm", "deepseek-coder",
                                   "falcon",    "starcoder",    "phi-3",
                                   "llama-spm", "llama-bpe",    "qwen2"};
constexpr size_t kVocabCount = sizeof(kVocabs) / sizeof(kVocabs[0]);

std::vector<Tokenizer>* g_vocabs = nullptr;
std::vector<bool>* g_lossless = nullptr;  // per vocabulary: decoding gives the text back

// A byte-level vocabulary decodes losslessly when each of the 256 byte characters is a
// NORMAL token and no other token is spelled like one (it would take its place in the lookup).
bool DecodesLosslessly(const Tokenizer& t) {
  if (t.model_name() != "gpt2") return false;
  const auto& alphabet = sizer::runner::ByteLevelAlphabet();
  std::vector<bool> normal(256, false);
  for (size_t id = 0; id < t.vocab_size(); ++id) {
    const int32_t i = static_cast<int32_t>(id);
    if (t.token(i).size() > 2) continue;  // a byte character is 1 or 2 UTF-8 bytes
    for (size_t b = 0; b < 256; ++b) {
      if (t.token(i) != alphabet[b]) continue;
      if (t.type(i) != sizer::runner::TokenType::kNormal) return false;
      normal[b] = true;
    }
  }
  for (bool covered : normal) {
    if (!covered) return false;
  }
  return true;
}

void Fail(const char* what) {
  std::fprintf(stderr, "fuzz: %s\n", what);
  __builtin_trap();
}

void CheckEncodeDecode(const Tokenizer& t, std::string_view text, const EncodeOptions& options,
                       bool lossless) {
  const std::vector<int32_t> ids = t.Encode(text, options);
  for (int32_t id : ids) {
    if (id < 0 || static_cast<size_t>(id) >= t.vocab_size()) Fail("id outside the vocabulary");
  }
  const std::string whole = t.DecodeAll(ids, false);
  TokenTextStream stream(t);
  std::string streamed;
  for (int32_t id : ids) streamed += stream.Push(id);
  streamed += stream.Finish();
  if (streamed != whole) Fail("streamed decode differs from DecodeAll");
  if (lossless && whole != text) Fail("byte-level BPE decode does not give the text back");
  for (int32_t id : ids) {
    if (t.Piece(id).size() > t.token(id).size() + 8) Fail("piece longer than its token");
  }
}

void FuzzRealVocabulary(uint8_t selector, std::string_view text) {
  const size_t index = (selector >> 1) % kVocabCount;
  const Tokenizer& t = (*g_vocabs)[index];
  // Plain text with no specials round-trips through a byte-level vocabulary (USER_DEFINED
  // tokens decode to their own text; CONTROL text stays text without parse_special).
  CheckEncodeDecode(t, text, EncodeOptions{false, false}, (*g_lossless)[index]);
  CheckEncodeDecode(t, text, EncodeOptions{true, true}, false);
}

// --- random vocabulary metadata ------------------------------------------------------------

void PutU32(std::string& out, uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }
void PutU64(std::string& out, uint64_t v) { out.append(reinterpret_cast<const char*>(&v), 8); }
void PutString(std::string& out, std::string_view s) {
  PutU64(out, s.size());
  out.append(s);
}

struct Gguf {
  std::string kvs;
  uint64_t count = 0;
  void Key(std::string_view key, uint32_t type) {
    PutString(kvs, key);
    PutU32(kvs, type);
    ++count;
  }
  void String(std::string_view key, std::string_view value) {
    Key(key, 8);
    PutString(kvs, value);
  }
  void U32(std::string_view key, uint32_t value) {
    Key(key, 4);
    PutU32(kvs, value);
  }
  void Bool(std::string_view key, bool value) {
    Key(key, 7);
    kvs.push_back(value ? 1 : 0);
  }
  void Strings(std::string_view key, const std::vector<std::string_view>& items) {
    Key(key, 9);
    PutU32(kvs, 8);
    PutU64(kvs, items.size());
    for (std::string_view s : items) PutString(kvs, s);
  }
  void Numbers(std::string_view key, uint32_t element_type, std::string_view raw, size_t width) {
    Key(key, 9);
    PutU32(kvs, element_type);
    PutU64(kvs, raw.size() / width);
    kvs.append(raw.substr(0, raw.size() / width * width));
  }
  std::string Bytes() const {
    std::string out = "GGUF";
    PutU32(out, 3);
    PutU64(out, 0);  // tensors
    PutU64(out, count);
    return out + kvs;
  }
};

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (size_t pos = 0;;) {
    const size_t hit = s.find(sep, pos);
    out.push_back(s.substr(pos, hit == std::string_view::npos ? std::string_view::npos : hit - pos));
    if (hit == std::string_view::npos) return out;
    pos = hit + 1;
  }
}

void FuzzVocabularyMetadata(std::string_view input) {
  if (input.size() < 4) return;
  static constexpr const char* kModels[] = {"llama", "gpt2", "bert", ""};
  static constexpr const char* kPres[] = {"default", "llama-bpe", "qwen2", "gpt-2",
                                          "deepseek-llm", "deepseek-coder", "falcon",
                                          "starcoder", "tekken", ""};
  const uint8_t model = static_cast<uint8_t>(input[0]);
  const uint8_t pre = static_cast<uint8_t>(input[1]);
  const uint8_t flags = static_cast<uint8_t>(input[2]);
  // Segments separated by 0xFF: tokens (lines), merges (lines), token types, scores, ids, text.
  const std::vector<std::string_view> seg = Split(input.substr(3), '\xFF');
  auto segment = [&](size_t i) { return i < seg.size() ? seg[i] : std::string_view(); };
  Gguf g;
  g.String("tokenizer.ggml.model", kModels[model % 4]);
  if (pre % 11 != 10) g.String("tokenizer.ggml.pre", kPres[pre % 10]);
  if (!(flags & 1)) g.Strings("tokenizer.ggml.tokens", Split(segment(0), '\n'));
  if (!(flags & 2)) g.Strings("tokenizer.ggml.merges", Split(segment(1), '\n'));
  if (flags & 4) g.Numbers("tokenizer.ggml.token_type", 5, segment(2), 4);  // int32
  if (flags & 8) g.Numbers("tokenizer.ggml.scores", 6, segment(3), 4);      // float32
  const std::string_view ids = segment(4);
  const char* id_keys[] = {"tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id",
                           "tokenizer.ggml.unknown_token_id", "tokenizer.ggml.eot_token_id"};
  for (size_t k = 0; k < 4 && ids.size() >= 4 * (k + 1); ++k) {
    uint32_t v = 0;
    std::memcpy(&v, ids.data() + 4 * k, 4);
    g.U32(id_keys[k], v % 64 == 63 ? v : v % 512);
  }
  if (flags & 16) g.Bool("tokenizer.ggml.add_bos_token", flags & 32);
  if (flags & 64) g.Bool("tokenizer.ggml.add_eos_token", true);
  if (flags & 128) g.Bool("tokenizer.ggml.add_space_prefix", false);
  g.String("general.name", (flags & 32) ? "phi3" : "fuzz");

  const std::string bytes = g.Bytes();
  sizer::StatusOr<sizer::gguf::GgufFile> file = sizer::gguf::ParseGguf(
      reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  if (!file.ok()) Fail("the fuzzer's own GGUF does not parse");
  sizer::StatusOr<Tokenizer> t = Tokenizer::FromGguf(*file);
  if (!t.ok()) {
    if (t.status().message().empty()) Fail("refusal without a message");
    return;
  }
  CheckEncodeDecode(*t, segment(5), EncodeOptions{false, false}, false);
  CheckEncodeDecode(*t, segment(5), EncodeOptions{true, true}, false);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  g_vocabs = new std::vector<Tokenizer>();
  g_lossless = new std::vector<bool>();
  for (const char* name : kVocabs) {
    const std::string path =
        std::string(SIZER_FUZZ_SOURCE_DIR) + "/tests/data/vocab/ggml-vocab-" + name + ".gguf";
    sizer::StatusOr<sizer::gguf::Artifact> artifact = sizer::gguf::Artifact::Open(path);
    if (!artifact.ok()) Fail(artifact.status().message().c_str());
    sizer::StatusOr<Tokenizer> t = Tokenizer::FromGguf(artifact->metadata());
    if (!t.ok()) Fail(t.status().message().c_str());
    g_lossless->push_back(DecodesLosslessly(*t));
    g_vocabs->push_back(std::move(t).value());
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) == 0) {
    FuzzRealVocabulary(data[0], rest);
  } else {
    FuzzVocabularyMetadata(rest);
  }
  return 0;
}
