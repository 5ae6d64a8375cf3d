// Byte-level BPE, the pre-tokenizers, special tokens, streaming decode, and every refusal of a
// bad tokenizer: synthetic vocabularies for the algorithm and the errors, the real
// vocabularies of tests/data/vocab/ for llama.cpp's quirks.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "gguf/artifact.h"
#include "runner/pre_tokenizer.h"
#include "runner/session.h"
#include "runner/tokenizer.h"
#include "runner/unicode_text.h"
#include "testing/gguf_builder.h"
#include "testing/test_env.h"

namespace sizer::runner {
namespace {

using testing::GgufBuilder;
using testing::GgufValue;

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("sizer_bpe_" + std::to_string(::getpid()) + "_" + name + ".gguf"))
      .string();
}

StatusOr<Tokenizer> LoadBytes(const testing::Bytes& bytes, const std::string& name) {
  const std::string path = TempPath(name);
  if (!testing::WriteBytesToFile(path, bytes)) return Status::IOError("cannot write " + path);
  StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(path);
  std::filesystem::remove(path);
  if (!artifact.ok()) return artifact.status();
  return Tokenizer::FromGguf(artifact->metadata());
}

// The real vocabulary tests/data/vocab/ggml-vocab-NAME.gguf, loaded once per name.
const Tokenizer& Real(const std::string& name) {
  static std::map<std::string, Tokenizer>* cache = new std::map<std::string, Tokenizer>();
  auto it = cache->find(name);
  if (it != cache->end()) return it->second;
  StatusOr<gguf::Artifact> artifact =
      gguf::Artifact::Open(testing::TestDataDir() + "/vocab/ggml-vocab-" + name + ".gguf");
  EXPECT_TRUE(artifact.ok()) << artifact.status().message();
  StatusOr<Tokenizer> t = Tokenizer::FromGguf(artifact->metadata());
  EXPECT_TRUE(t.ok()) << t.status().message();
  return cache->emplace(name, std::move(t).value()).first->second;
}

// A byte-level vocabulary: the 256 byte characters, then "ab", "Ġab", <|endoftext|>.
struct TinyBpe {
  std::string arch = "gpt2";
  std::string pre = "gpt-2";
  std::vector<std::string> merges = {"a b", "Ġ ab"};
  std::vector<std::string> extra_tokens = {"ab", "\xC4\xA0" "ab", "<|endoftext|>"};
  std::vector<int32_t> extra_types = {1, 1, 3};
};

GgufBuilder TinyBpeBuilder(const TinyBpe& v) {
  std::vector<std::string> tokens(ByteLevelAlphabet().begin(), ByteLevelAlphabet().end());
  std::vector<int32_t> types(tokens.size(), 1);
  tokens.insert(tokens.end(), v.extra_tokens.begin(), v.extra_tokens.end());
  types.insert(types.end(), v.extra_types.begin(), v.extra_types.end());
  GgufBuilder b;
  b.AddString("general.architecture", v.arch);
  b.AddString("tokenizer.ggml.model", "gpt2");
  b.AddString("tokenizer.ggml.pre", v.pre);
  b.Add("tokenizer.ggml.tokens", GgufValue::StrArray(tokens));
  b.Add("tokenizer.ggml.token_type", GgufValue::I32Array(types));
  b.Add("tokenizer.ggml.merges", GgufValue::StrArray(v.merges));
  b.AddU32("tokenizer.ggml.bos_token_id", 258);
  b.AddU32("tokenizer.ggml.eos_token_id", 258);
  return b;
}

int32_t ByteId(char c) { return static_cast<uint8_t>(c); }  // id of a byte's character

TEST(BpeSynthetic, MergesByRankOverByteLevelCharacters) {
  StatusOr<Tokenizer> t = LoadBytes(TinyBpeBuilder({}).Build(), "tiny");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->model_name(), "gpt2");
  EXPECT_EQ(t->pre_tokenizer(), "gpt-2");
  EXPECT_FALSE(t->add_bos());  // gpt-2: no BOS by default
  // "ab ab!": words "ab", " ab", "!"; " ab" is Ġ a b -> Ġ ab -> Ġab.
  EXPECT_EQ(t->Encode("ab ab!", true), (std::vector<int32_t>{256, 257, ByteId('!')}));
  // Without the second merge, " ab" stays Ġ + ab.
  TinyBpe one;
  one.merges = {"a b"};
  StatusOr<Tokenizer> u = LoadBytes(TinyBpeBuilder(one).Build(), "one_merge");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->Encode(" ab", true), (std::vector<int32_t>{ByteId(' '), 256}));
  // Every byte round-trips, invalid UTF-8 included.
  const std::string bytes = std::string("x\xff\xfe\n\t\x00y", 7);
  EXPECT_EQ(t->DecodeAll(t->Encode(bytes, false), false), bytes);
}

TEST(BpeSynthetic, ControlTokenTextIsPlainTextUnlessParseSpecial) {
  StatusOr<Tokenizer> t = LoadBytes(TinyBpeBuilder({}).Build(), "special");
  ASSERT_TRUE(t.ok()) << t.status().message();
  const std::vector<int32_t> plain = t->Encode("ab<|endoftext|>", EncodeOptions{false, false});
  EXPECT_GT(plain.size(), 2u);
  EXPECT_EQ(std::count(plain.begin(), plain.end(), 258), 0);
  EXPECT_EQ(t->Encode("ab<|endoftext|>", EncodeOptions{false, true}),
            (std::vector<int32_t>{256, 258}));
  EXPECT_TRUE(t->IsEndOfGeneration(258));
  EXPECT_EQ(t->Decode(258), "");
  EXPECT_EQ(t->Piece(258), "<|endoftext|>");
}

void ExpectError(const StatusOr<Tokenizer>& t, StatusCode code,
                 const std::vector<std::string>& needles) {
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), code) << t.status().message();
  for (const std::string& needle : needles) {
    EXPECT_NE(t.status().message().find(needle), std::string::npos)
        << "'" << needle << "' not in: " << t.status().message();
  }
}

TEST(BpeRefuses, AnUnknownPreTokenizerListingTheKnownOnes) {
  TinyBpe v;
  v.pre = "tekken";
  ExpectError(LoadBytes(TinyBpeBuilder(v).Build(), "pre"), StatusCode::kUnsupported,
              {"'tekken'", "tokenizer.ggml.pre", "llama-bpe", "qwen2", "gpt-2", "deepseek-llm",
               "deepseek-coder", "falcon", "starcoder", "default"});
}

TEST(BpeRefuses, AnUnsupportedTokenizerModelListingTheSupportedOnes) {
  GgufBuilder b = TinyBpeBuilder({});
  testing::Bytes bytes = b.Build();
  std::string text(bytes.begin(), bytes.end());
  // Rewrite "gpt2" (the tokenizer model value, after its key) into "bert".
  const size_t value = text.find("gpt2", text.find("tokenizer.ggml.model"));
  ASSERT_NE(value, std::string::npos);
  std::copy_n("bert", 4, bytes.begin() + static_cast<std::ptrdiff_t>(value));
  ExpectError(LoadBytes(bytes, "bert"), StatusCode::kUnsupported,
              {"'bert'", "tokenizer.ggml.model", "'llama'", "'gpt2'", "llama-bpe"});
}

TEST(BpeRefuses, MissingOrMalformedMergesNamingTheKeyAndElement) {
  GgufBuilder no_merges;
  no_merges.AddString("tokenizer.ggml.model", "gpt2");
  no_merges.Add("tokenizer.ggml.tokens", GgufValue::StrArray({"a", "b"}));
  ExpectError(LoadBytes(no_merges.Build(), "no_merges"), StatusCode::kCorruption,
              {"tokenizer.ggml.merges", "missing"});
  for (const std::string& bad : {std::string("ab"), std::string("a "), std::string(" a"),
                                 std::string("")}) {
    TinyBpe v;
    v.merges = {"a b", bad};
    ExpectError(LoadBytes(TinyBpeBuilder(v).Build(), "bad_merge"), StatusCode::kCorruption,
                {"'tokenizer.ggml.merges' element 1", "not two tokens separated by a space"});
  }
  GgufBuilder ints;
  ints.AddString("tokenizer.ggml.model", "gpt2");
  ints.Add("tokenizer.ggml.tokens", GgufValue::StrArray({"a", "b"}));
  ints.Add("tokenizer.ggml.merges", GgufValue::I32Array({1, 2}));
  ExpectError(LoadBytes(ints.Build(), "int_merges"), StatusCode::kCorruption,
              {"tokenizer.ggml.merges", "int32", "expected an array of strings"});
}

TEST(BpeRefuses, ATokenIdOutsideTheVocabularyNamingTheKey) {
  GgufBuilder b = TinyBpeBuilder({});
  b.AddU32("tokenizer.ggml.eot_token_id", 4000);
  ExpectError(LoadBytes(b.Build(), "eot_range"), StatusCode::kCorruption,
              {"tokenizer.ggml.eot_token_id", "4000", "outside the vocabulary of 259 tokens"});
}

TEST(BpeRefuses, TokenTypesOfTheWrongLength) {
  TinyBpe v;
  v.extra_types.push_back(1);
  ExpectError(LoadBytes(TinyBpeBuilder(v).Build(), "types"), StatusCode::kCorruption,
              {"tokenizer.ggml.token_type", "260 elements", "259"});
}

TEST(RunnerRefuses, AVocabularyWhoseSizeDisagreesWithTheEmbedding) {
  testing::LlamaLikeOptions options;
  options.n_vocab = 16;
  testing::GgufLayout layout;
  testing::Bytes bytes = testing::LlamaLikeBuilder(options).Build(&layout);
  // token_embd.weight is the first tensor: claim 8 rows instead of 16 (less data, in bounds).
  testing::PatchU64(bytes, layout.tensors[0].ne + 8, 8);
  const std::string path = TempPath("embd_rows");
  ASSERT_TRUE(testing::WriteBytesToFile(path, bytes));
  StatusOr<std::unique_ptr<Session>> s = Session::Open(path, SessionOptions{});
  std::filesystem::remove(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCorruption) << s.status().message();
  EXPECT_NE(s.status().message().find("byte " + std::to_string(layout.tensors[0].start) +
                                      ": tensor 'token_embd.weight' has 8 rows, but the "
                                      "vocabulary (tokenizer.ggml.tokens) has 16 tokens"),
            std::string::npos)
      << s.status().message();
}

// A one-layer llama model (zero weights) with the byte-level vocabulary of TinyBpeBuilder.
testing::Bytes Gpt2TokenizerModel() {
  TinyBpe vocab;
  vocab.arch = "llama";
  GgufBuilder b = TinyBpeBuilder(vocab);
  constexpr uint64_t kEmbd = 256;
  constexpr uint64_t kVocab = 259;
  b.Add("llama.block_count", GgufValue::U32(1));
  b.Add("llama.context_length", GgufValue::U32(64));
  b.Add("llama.embedding_length", GgufValue::U32(kEmbd));
  b.Add("llama.feed_forward_length", GgufValue::U32(kEmbd));
  b.Add("llama.attention.head_count", GgufValue::U32(4));
  b.Add("llama.attention.head_count_kv", GgufValue::U32(2));
  b.Add("llama.rope.dimension_count", GgufValue::U32(kEmbd / 4));
  b.Add("llama.attention.layer_norm_rms_epsilon", GgufValue::F32(1e-5f));
  b.AddTensor("token_embd.weight", {kEmbd, kVocab});
  for (const char* name : {"attn_q", "attn_output", "ffn_gate", "ffn_up", "ffn_down"}) {
    b.AddTensor(std::string("blk.0.") + name + ".weight", {kEmbd, kEmbd});
  }
  for (const char* name : {"attn_k", "attn_v"}) {
    b.AddTensor(std::string("blk.0.") + name + ".weight", {kEmbd, kEmbd / 2});
  }
  for (const char* name : {"blk.0.attn_norm", "blk.0.ffn_norm", "output_norm"}) {
    b.AddTensor(std::string(name) + ".weight", {kEmbd});
  }
  b.AddTensor("output.weight", {kEmbd, kVocab});
  return b.Build();
}

TEST(RunnerRuns, AModelWithAByteLevelBpeTokenizer) {
  const std::string path = TempPath("gpt2_model");
  ASSERT_TRUE(testing::WriteBytesToFile(path, Gpt2TokenizerModel()));
  StatusOr<std::unique_ptr<Session>> s = Session::Open(path, SessionOptions{});
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ((*s)->tokenizer().model_name(), "gpt2");
  Sampler greedy(0, 1, 0);
  std::string text;
  StatusOr<GenerationStats> stats =
      (*s)->Generate("ab ab", 3, greedy, [&](std::string_view piece) { text += piece; });
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_EQ(stats->prompt_tokens, 2);  // "ab", "Ġab"; gpt-2 adds no BOS
  EXPECT_EQ(stats->generated_tokens, 3);
  // Zero logits: greedy picks id 0, here the character of byte 0x00 (the vocabulary is in
  // byte order), which decodes to that byte.
  EXPECT_EQ(text, std::string(3, '\0'));
  testing::CliResult run = testing::RunCli("run '" + path + "' --prompt 'ab ab' -n 3");
  std::filesystem::remove(path);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find(std::string("ab ab\0\0\0\n", 9)), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("prompt tokens 2"), std::string::npos) << run.out;
}

// --- llama.cpp's quirks on the real vocabularies ------------------------------------------

TEST(BpeReal, BosAsEachVocabularyAsks) {
  EXPECT_EQ(Real("llama-bpe").Encode("Hello", true), (std::vector<int32_t>{128000, 9906}));
  EXPECT_EQ(Real("llama-bpe").Encode("Hello", false), (std::vector<int32_t>{9906}));
  EXPECT_FALSE(Real("qwen2").add_bos());
  EXPECT_EQ(Real("qwen2").Encode("Hello", true), Real("qwen2").Encode("Hello", false));
  EXPECT_EQ(Real("llama-spm").Encode("Hello", true).front(), 1);
  EXPECT_EQ(Real("deepseek-coder").Encode("Hello", true).front(), 32013);  // add_bos_token
}

TEST(BpeReal, UserDefinedTokensSplitControlTokensOnlyWithParseSpecial) {
  const Tokenizer& qwen = Real("qwen2");
  EXPECT_EQ(qwen.Encode("<think>", false), (std::vector<int32_t>{151667}));
  const std::vector<int32_t> plain = qwen.Encode("<|im_end|>", false);
  EXPECT_GT(plain.size(), 1u);
  EXPECT_EQ(qwen.Encode("<|im_end|>", EncodeOptions{false, true}),
            (std::vector<int32_t>{151645}));
  EXPECT_TRUE(qwen.IsEndOfGeneration(151645));  // <|im_end|>, the EOS
  EXPECT_TRUE(qwen.IsEndOfGeneration(151643));  // <|endoftext|>
  EXPECT_FALSE(qwen.IsEndOfGeneration(plain.front()));
  EXPECT_TRUE(Real("llama-bpe").IsEndOfGeneration(128009));  // <|eot_id|>
  // deepseek's single Latin-1 letters are user-defined tokens.
  EXPECT_EQ(Real("deepseek-coder").Encode("\xC3\xBC", false), (std::vector<int32_t>{32009}));
}

// Found by the tokenizer fuzzer: DeepSeek's USER_DEFINED "ÿ" is spelled like the byte-level
// character of byte 0xFF and takes its place in the lookup (as in llama.cpp, where the last
// spelling wins), so a lone 0xFF byte is that token and decodes as U+00FF.
TEST(BpeReal, DeepSeekLoneByteIsItsUserDefinedLookalike) {
  const Tokenizer& deepseek = Real("deepseek-llm");
  EXPECT_EQ(deepseek.Encode("\xFF", false), (std::vector<int32_t>{100005}));
  EXPECT_EQ(deepseek.Decode(100005), "\xC3\xBF");
  // A vocabulary without such tokens gives the byte back.
  EXPECT_EQ(Real("gpt-2").DecodeAll(Real("gpt-2").Encode("\xFF", false), false), "\xFF");
  // StarCoder's vocabulary has no token for the bytes that never occur in UTF-8 (0xF5..0xFF):
  // llama.cpp drops them, and so does sizer.
  const Tokenizer& starcoder = Real("starcoder");
  std::vector<int32_t> a_b = starcoder.Encode("a", false);  // "a", "\xF5", "b" are three words
  for (int32_t id : starcoder.Encode("b", false)) a_b.push_back(id);
  EXPECT_EQ(starcoder.Encode("a\xF5" "b", false), a_b);
}

TEST(BpeReal, Phi3EndOfSentenceStripsTheWhiteSpaceAfterIt) {
  const Tokenizer& phi = Real("phi-3");
  const std::vector<int32_t> spaced = phi.Encode("a</s>   b", false);
  EXPECT_EQ(spaced, phi.Encode("a</s>b", false));
  EXPECT_NE(std::find(spaced.begin(), spaced.end(), 2), spaced.end());
}

TEST(BpeReal, LlamaBpeEmitsWholeWordsThatAreTokens) {
  // ignore_merges: a word that is a token is that token, whatever the merges would give.
  const Tokenizer& llama = Real("llama-bpe");
  for (const char* word : {" Hello", "Hello", " world"}) {
    const std::vector<int32_t> ids = llama.Encode(word, false);
    EXPECT_EQ(ids.size(), 1u) << word;
  }
}

TEST(PreTokenizers, DigitsAndContractionsPerName) {
  auto split = [](const char* name, std::string_view text) {
    StatusOr<PreTokenizer> p = PreTokenizer::Create(name);
    EXPECT_TRUE(p.ok()) << p.status().message();
    std::vector<std::string> out;
    for (std::string_view piece : p->Split(text)) out.emplace_back(piece);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(split("llama-bpe", "1234567"), (V{"123", "456", "7"}));
  EXPECT_EQ(split("qwen2", "123"), (V{"1", "2", "3"}));
  EXPECT_EQ(split("gpt-2", " 1234567"), (V{" 1234567"}));
  EXPECT_EQ(split("falcon", "1234567"), (V{"123", "456", "7"}));
  EXPECT_EQ(split("llama-bpe", "IT'S"), (V{"IT", "'S"}));
  EXPECT_EQ(split("gpt-2", "IT'S"), (V{"IT", "'", "S"}));
  // Non-ASCII white space is \s; U+200D (ZWJ) is neither letter, digit nor space.
  EXPECT_EQ(split("gpt-2", "a\xE3\x80\x80\xE3\x80\x80" "b"),
            (V{"a", "\xE3\x80\x80", "\xE3\x80\x80", "b"}));
  EXPECT_EQ(split("gpt-2", "x\xE2\x80\x8D" "y"), (V{"x", "\xE2\x80\x8D", "y"}));
  // Letters of other scripts, with their combining marks split off as in the regex.
  EXPECT_EQ(split("gpt-2", "\xD0\xBD\xD0\xB5 \xE0\xB8\x81"), (V{"\xD0\xBD\xD0\xB5", " \xE0\xB8\x81"}));
  EXPECT_TRUE(split("default", "").empty());
  EXPECT_FALSE(PreTokenizer::Create("tekken").ok());
}

TEST(TokenTextStream, HoldsAnIncompleteUtf8CharacterUntilItCompletes) {
  const Tokenizer& spm = Real("llama-spm");
  const std::string llama = "\xF0\x9F\xA6\x99";  // U+1F999, not in the vocabulary: 4 byte tokens
  const std::vector<int32_t> ids = spm.Encode(llama, false);
  ASSERT_EQ(ids.size(), 5u);  // "▁" then <0xF0> <0x9F> <0xA6> <0x99>
  TokenTextStream stream(spm);
  EXPECT_EQ(stream.Push(ids[0]), " ");
  EXPECT_EQ(stream.Push(ids[1]), "");
  EXPECT_EQ(stream.Push(ids[2]), "");
  EXPECT_EQ(stream.Push(ids[3]), "");
  EXPECT_EQ(stream.Push(ids[4]), llama);
  EXPECT_EQ(stream.Finish(), "");
  // An incomplete character at the end comes out with Finish.
  TokenTextStream cut(spm);
  EXPECT_EQ(cut.Push(ids[1]), "");
  EXPECT_EQ(cut.Finish(), "\xF0");
}

TEST(Utf8Prefix, CompletePrefixLengths) {
  EXPECT_EQ(CompleteUtf8Prefix(""), 0u);
  EXPECT_EQ(CompleteUtf8Prefix("ab"), 2u);
  EXPECT_EQ(CompleteUtf8Prefix("a\xE2\x96"), 1u);
  EXPECT_EQ(CompleteUtf8Prefix("a\xE2\x96\x81"), 4u);
  EXPECT_EQ(CompleteUtf8Prefix("\x80\x80\x80\x80"), 4u);  // stray continuations: let them out
}

}  // namespace
}  // namespace sizer::runner
