#include "runner/tokenizer.h"

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "gguf/artifact.h"
#include "testing/gguf_builder.h"
#include "testing/test_env.h"

namespace sizer::runner {
namespace {

using testing::GgufBuilder;
using testing::GgufValue;

std::string Stories() { return testing::TestDataDir() + "/models/stories260K.gguf"; }

// The stories260K tokenizer, loaded once.
const Tokenizer& StoriesTokenizer() {
  static const Tokenizer* tokenizer = [] {
    StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(Stories());
    if (!artifact.ok()) {
      ADD_FAILURE() << artifact.status().message();
      std::abort();
    }
    StatusOr<Tokenizer> t = Tokenizer::FromGguf(artifact->metadata());
    if (!t.ok()) {
      ADD_FAILURE() << t.status().message();
      std::abort();
    }
    return new Tokenizer(std::move(t).value());
  }();
  return *tokenizer;
}

std::vector<int32_t> WithoutBos(std::vector<int32_t> ids) {
  if (!ids.empty()) ids.erase(ids.begin());
  return ids;
}

TEST(TokenizerStories, VocabularyAndSpecialIds) {
  const Tokenizer& t = StoriesTokenizer();
  EXPECT_EQ(t.vocab_size(), 512u);
  EXPECT_EQ(t.bos(), 1);
  EXPECT_EQ(t.eos(), 2);
  EXPECT_EQ(t.unk(), 0);
  EXPECT_TRUE(t.add_space_prefix());
  EXPECT_EQ(t.token(1), "<s>");
  EXPECT_EQ(t.token(2), "</s>");
  EXPECT_EQ(t.type(1), TokenType::kControl);
  EXPECT_EQ(t.type(3), TokenType::kByte);
  EXPECT_EQ(t.type(403), TokenType::kNormal);
}

TEST(TokenizerStories, OnceUponATimeEncodesToTheWordTokens) {
  const Tokenizer& t = StoriesTokenizer();
  std::vector<int32_t> ids = t.Encode("Once upon a time", /*add_bos=*/true);
  // "▁Once▁upon▁a▁time": every word with its space marker is a vocabulary token, and no
  // concatenation of two of them is, so greedy-by-score BPE (llama.cpp's spm tokenizer and
  // llama2.c's encoder alike) must end with exactly these four.
  const std::vector<int32_t> expected = {1, 403, 407, 261, 378};
  EXPECT_EQ(ids, expected);
  ASSERT_EQ(ids.size(), 5u);
  EXPECT_EQ(ids.front(), t.bos());
  EXPECT_EQ(t.token(ids[1]), "\xE2\x96\x81Once");
  EXPECT_EQ(t.token(ids[2]), "\xE2\x96\x81upon");
  EXPECT_EQ(t.token(ids[3]), "\xE2\x96\x81" "a");
  EXPECT_EQ(t.token(ids[4]), "\xE2\x96\x81time");
  EXPECT_EQ(t.DecodeAll(WithoutBos(ids), /*strip_leading_space=*/true), "Once upon a time");
  EXPECT_EQ(t.DecodeAll(ids, /*strip_leading_space=*/true), "Once upon a time");
  EXPECT_EQ(t.DecodeAll(ids, /*strip_leading_space=*/false), " Once upon a time");
  EXPECT_EQ(t.Encode("Once upon a time", /*add_bos=*/false), WithoutBos(expected));
}

// Ids computed by an independent implementation of llama2.c's encoder (repeatedly merge the
// best-scoring adjacent pair, leftmost on ties; byte fallback = byte + 3) over this vocabulary.
TEST(TokenizerStories, MatchesLlama2cEncoderOnSentences) {
  const Tokenizer& t = StoriesTokenizer();
  struct Case {
    std::string text;
    std::vector<int32_t> ids;
  };
  const std::vector<Case> cases = {
      {"Lily and Timmy were happy. They played with the big red ball!",
       {1, 317, 269, 405, 382, 276, 393, 426, 342, 337, 266, 335, 265, 370, 352, 266, 268, 388,
        443}},
      {"Hello, world! 123\nnext line",
       {1, 346, 306, 414, 432, 263, 304, 341, 443, 410, 475, 479, 472, 13, 416, 411, 444, 413,
        278, 271, 411}},
      {"  two  spaces", {1, 410, 410, 259, 424, 414, 410, 262, 427, 412, 331, 419}},
      {"Tim's mom\xE2\x80\x94she said: 42%.",
       {1, 326, 439, 419, 357, 481, 419, 260, 336, 467, 410, 484, 479, 501, 426}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(t.Encode(c.text, true), c.ids) << c.text;
  }
}

TEST(TokenizerStories, RoundTripsTextByteExact) {
  const Tokenizer& t = StoriesTokenizer();
  const std::vector<std::string> texts = {
      "Once upon a time",
      "Lily and Timmy were happy. They played with the big red ball!",
      "The little girl said, \"I want to play outside.\"",
      "Digits 0123456789, symbols #$%&*()[]{}<>|~^`@ and tabs\tand\nnewlines\r\n.",
      "caf\xC3\xA9 \xE2\x80\x93 na\xC3\xAFve \xE6\x97\xA5\xE6\x9C\xAC",  // café – naïve 日本
      "emoji \xF0\x9F\x98\x80 and \xE2\x80\x9Cquotes\xE2\x80\x9D",
      "  leading and trailing spaces  ",
      "x",
      "\n",
      "a <0x41> literal",
      "invalid utf-8: \xFF\xC3 \x80 end",
      "truncated at the end \xE6\x97",
  };
  for (const std::string& s : texts) {
    std::vector<int32_t> ids = t.Encode(s, /*add_bos=*/true);
    ASSERT_FALSE(ids.empty());
    EXPECT_EQ(ids.front(), t.bos());
    for (int32_t id : ids) {
      EXPECT_GE(id, 0);
      EXPECT_LT(static_cast<size_t>(id), t.vocab_size());
    }
    EXPECT_EQ(t.DecodeAll(ids, /*strip_leading_space=*/true), s);
  }
  EXPECT_EQ(t.Encode("", true), std::vector<int32_t>{1});
  EXPECT_TRUE(t.Encode("", false).empty());
}

TEST(TokenizerStories, NonAsciiOutsideTheVocabularyUsesByteTokens) {
  const Tokenizer& t = StoriesTokenizer();
  // "日" is E6 97 A5: not a vocabulary token, so three byte tokens <0xE6> <0x97> <0xA5>,
  // which are ids byte + 3 in this vocabulary.
  std::vector<int32_t> ids = t.Encode("\xE6\x97\xA5", /*add_bos=*/false);
  const std::vector<int32_t> expected = {410, 3 + 0xE6, 3 + 0x97, 3 + 0xA5};  // "▁" then bytes
  EXPECT_EQ(ids, expected);
  EXPECT_EQ(t.token(3 + 0xE6), "<0xE6>");
  // "é" is in the vocabulary (id 485), so it is not split into bytes.
  EXPECT_EQ(t.Encode("\xC3\xA9", false), (std::vector<int32_t>{410, 485}));
}

TEST(TokenizerStories, DecodeOfSingleTokens) {
  const Tokenizer& t = StoriesTokenizer();
  EXPECT_EQ(t.Decode(3 + 0x0A), "\n");             // <0x0A>
  EXPECT_EQ(t.Decode(3 + 0xC3), std::string(1, '\xC3'));  // <0xC3>: the raw byte
  EXPECT_EQ(t.Decode(3 + 0x00), std::string(1, '\0'));
  EXPECT_EQ(t.Decode(403), " Once");               // ▁Once
  EXPECT_EQ(t.Decode(410), " ");                   // ▁
  EXPECT_EQ(t.Decode(411), "e");
  EXPECT_EQ(t.Decode(1), "");                      // <s>
  EXPECT_EQ(t.Decode(2), "");                      // </s>
  EXPECT_EQ(t.Decode(0), "\xE2\x96\x85");          // <unk>, as llama.cpp prints it
  EXPECT_EQ(t.Decode(-1), "");
  EXPECT_EQ(t.Decode(512), "");
}

// --- Synthetic tokenizers -------------------------------------------------------------------

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("sizer_tokenizer_" + std::to_string(::getpid()) + "_" + name + ".gguf"))
      .string();
}

StatusOr<Tokenizer> LoadBuilt(const GgufBuilder& builder, const std::string& name) {
  const std::string path = TempPath(name);
  if (!testing::WriteBytesToFile(path, builder.Build())) {
    return Status::IOError("cannot write " + path);
  }
  StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(path);
  std::filesystem::remove(path);
  if (!artifact.ok()) return artifact.status();
  return Tokenizer::FromGguf(artifact->metadata());
}

struct TinyVocab {
  std::string model = "llama";
  std::vector<std::string> tokens;
  std::vector<float> scores;
  std::vector<int32_t> types;
};

// <unk> <s> </s> a b c ab bc; scores of "ab" and "bc" as given.
TinyVocab AbcVocab(float score_ab, float score_bc) {
  TinyVocab v;
  v.tokens = {"<unk>", "<s>", "</s>", "a", "b", "c", "ab", "bc"};
  v.scores = {0, 0, 0, -10, -10, -10, score_ab, score_bc};
  v.types = {2, 3, 3, 1, 1, 1, 1, 1};
  return v;
}

GgufBuilder TinyBuilder(const TinyVocab& v, bool add_space_prefix = false) {
  GgufBuilder b;
  b.AddString("general.architecture", "llama");
  b.AddString("tokenizer.ggml.model", v.model);
  b.Add("tokenizer.ggml.tokens", GgufValue::StrArray(v.tokens));
  b.Add("tokenizer.ggml.scores", GgufValue::F32Array(v.scores));
  b.Add("tokenizer.ggml.token_type", GgufValue::I32Array(v.types));
  b.AddU32("tokenizer.ggml.bos_token_id", 1);
  b.AddU32("tokenizer.ggml.eos_token_id", 2);
  b.AddU32("tokenizer.ggml.unknown_token_id", 0);
  b.Add("tokenizer.ggml.add_space_prefix", GgufValue::Bool(add_space_prefix));
  return b;
}

TEST(TokenizerSynthetic, HighestScoreMergeWinsNotLeftmost) {
  // "abc": the candidate merges are "ab" and "bc"; only one can happen.
  StatusOr<Tokenizer> bc_wins = LoadBuilt(TinyBuilder(AbcVocab(-2, -1)), "bc_wins");
  ASSERT_TRUE(bc_wins.ok()) << bc_wins.status().message();
  EXPECT_EQ(bc_wins->Encode("abc", false), (std::vector<int32_t>{3, 7}));  // a + bc
  EXPECT_EQ(bc_wins->DecodeAll(bc_wins->Encode("abc", false), false), "abc");

  StatusOr<Tokenizer> ab_wins = LoadBuilt(TinyBuilder(AbcVocab(-1, -2)), "ab_wins");
  ASSERT_TRUE(ab_wins.ok()) << ab_wins.status().message();
  EXPECT_EQ(ab_wins->Encode("abc", false), (std::vector<int32_t>{6, 5}));  // ab + c

  // Equal scores: the leftmost pair merges first.
  StatusOr<Tokenizer> tie = LoadBuilt(TinyBuilder(AbcVocab(-1, -1)), "tie");
  ASSERT_TRUE(tie.ok()) << tie.status().message();
  EXPECT_EQ(tie->Encode("abc", false), (std::vector<int32_t>{6, 5}));
  EXPECT_EQ(tie->Encode("abc", true), (std::vector<int32_t>{1, 6, 5}));
}

TEST(TokenizerSynthetic, MergesChainThroughLowerScoredIntermediates) {
  // "abcd" reaches "abcd" only via "ab" and "cd"; "bc" scores highest, so a tokenizer that
  // ignored scores' order could not find it, and greedy BPE by score ends at a + bc + d.
  TinyVocab v;
  v.tokens = {"<unk>", "<s>", "</s>", "a", "b", "c", "d", "ab", "cd", "abcd", "bc"};
  v.scores = {0, 0, 0, -10, -10, -10, -10, -3, -2, -1, -0.5f};
  v.types = {2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1};
  StatusOr<Tokenizer> t = LoadBuilt(TinyBuilder(v), "chain_bc");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->Encode("abcd", false), (std::vector<int32_t>{3, 10, 6}));

  v.scores[10] = -5;  // now "bc" is worst: ab, cd, then abcd
  StatusOr<Tokenizer> t2 = LoadBuilt(TinyBuilder(v), "chain_abcd");
  ASSERT_TRUE(t2.ok()) << t2.status().message();
  EXPECT_EQ(t2->Encode("abcd", false), (std::vector<int32_t>{9}));
  EXPECT_EQ(t2->Encode("abcdab", false), (std::vector<int32_t>{9, 7}));
}

TEST(TokenizerSynthetic, SpacePrefixAndUnknownWithoutByteTokens) {
  TinyVocab v = AbcVocab(-1, -2);
  v.tokens.push_back("\xE2\x96\x81" "a");  // "▁a", id 8
  v.scores.push_back(-0.5f);
  v.types.push_back(1);
  v.tokens.push_back("\xE2\x96\x81");  // "▁", id 9
  v.scores.push_back(-20);
  v.types.push_back(1);
  // "z" is not a token and there are no byte tokens: it becomes <unk> (0).
  StatusOr<Tokenizer> prefixed = LoadBuilt(TinyBuilder(v, true), "prefix");
  ASSERT_TRUE(prefixed.ok()) << prefixed.status().message();
  EXPECT_TRUE(prefixed->add_space_prefix());
  EXPECT_EQ(prefixed->Encode("a z", false), (std::vector<int32_t>{8, 9, 0}));  // ▁a ▁ z
  StatusOr<Tokenizer> bare = LoadBuilt(TinyBuilder(v, false), "no_prefix");
  ASSERT_TRUE(bare.ok()) << bare.status().message();
  EXPECT_FALSE(bare->add_space_prefix());
  EXPECT_EQ(bare->Encode("a z", false), (std::vector<int32_t>{3, 9, 0}));  // a ▁ z
  EXPECT_EQ(bare->DecodeAll(bare->Encode("a b", false), false), "a b");
}

TEST(TokenizerSynthetic, DefaultsWhenOptionalKeysAreAbsent) {
  GgufBuilder b;
  b.AddString("tokenizer.ggml.model", "llama");
  b.Add("tokenizer.ggml.tokens",
        GgufValue::StrArray({"<unk>", "<s>", "</s>", "<0x41>", "\xE2\x96\x81", "x"}));
  StatusOr<Tokenizer> t = LoadBuilt(b, "defaults");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->bos(), 1);
  EXPECT_EQ(t->eos(), 2);
  EXPECT_EQ(t->unk(), 0);
  EXPECT_TRUE(t->add_space_prefix());
  EXPECT_EQ(t->type(3), TokenType::kByte);
  EXPECT_EQ(t->type(1), TokenType::kControl);
  EXPECT_EQ(t->Encode("xA", true), (std::vector<int32_t>{1, 4, 5, 3}));
  EXPECT_EQ(t->DecodeAll(t->Encode("xA", true), true), "xA");
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

TEST(TokenizerErrors, AnotherTokenizerModelIsUnsupportedNamingTheSupportedOnes) {
  TinyVocab v = AbcVocab(-1, -2);
  v.model = "bert";
  ExpectError(LoadBuilt(TinyBuilder(v), "bert"), StatusCode::kUnsupported,
              {"'bert'", "'llama'", "'gpt2'"});
}

TEST(TokenizerErrors, MissingModelIsCorruption) {
  GgufBuilder b;
  b.Add("tokenizer.ggml.tokens", GgufValue::StrArray({"a", "b", "c"}));
  ExpectError(LoadBuilt(b, "no_model"), StatusCode::kCorruption, {"tokenizer.ggml.model"});
}

TEST(TokenizerErrors, TokensNotAnArrayIsCorruption) {
  GgufBuilder b;
  b.AddString("tokenizer.ggml.model", "llama");
  b.AddString("tokenizer.ggml.tokens", "abc");
  ExpectError(LoadBuilt(b, "tokens_string"), StatusCode::kCorruption,
              {"tokenizer.ggml.tokens", "string"});

  GgufBuilder ints;
  ints.AddString("tokenizer.ggml.model", "llama");
  ints.Add("tokenizer.ggml.tokens", GgufValue::I32Array({1, 2, 3}));
  ExpectError(LoadBuilt(ints, "tokens_ints"), StatusCode::kCorruption,
              {"tokenizer.ggml.tokens"});

  GgufBuilder missing;
  missing.AddString("tokenizer.ggml.model", "llama");
  ExpectError(LoadBuilt(missing, "tokens_missing"), StatusCode::kCorruption,
              {"tokenizer.ggml.tokens", "missing"});
}

TEST(TokenizerErrors, ScoresLengthMismatchIsCorruption) {
  TinyVocab v = AbcVocab(-1, -2);
  v.scores.pop_back();
  ExpectError(LoadBuilt(TinyBuilder(v), "scores_short"), StatusCode::kCorruption,
              {"tokenizer.ggml.scores", "7", "8"});
}

TEST(TokenizerErrors, TokenTypeMismatchOrUnknownTypeIsCorruption) {
  TinyVocab v = AbcVocab(-1, -2);
  v.types.push_back(1);
  ExpectError(LoadBuilt(TinyBuilder(v), "types_long"), StatusCode::kCorruption,
              {"tokenizer.ggml.token_type"});
  TinyVocab w = AbcVocab(-1, -2);
  w.types[4] = 9;
  ExpectError(LoadBuilt(TinyBuilder(w), "types_bad"), StatusCode::kCorruption,
              {"tokenizer.ggml.token_type", "9"});
  TinyVocab x = AbcVocab(-1, -2);
  x.types[4] = 6;  // BYTE, but "b" is not spelled <0xXX>
  ExpectError(LoadBuilt(TinyBuilder(x), "types_byte"), StatusCode::kCorruption,
              {"tokenizer.ggml.tokens", "<0xXX>"});
}

TEST(TokenizerErrors, BosIdOutOfRangeIsCorruption) {
  GgufBuilder bad;
  bad.AddString("tokenizer.ggml.model", "llama");
  bad.Add("tokenizer.ggml.tokens", GgufValue::StrArray({"<unk>", "<s>", "</s>", "a"}));
  bad.AddU32("tokenizer.ggml.bos_token_id", 4);
  ExpectError(LoadBuilt(bad, "bos_range"), StatusCode::kCorruption,
              {"tokenizer.ggml.bos_token_id", "4"});

  GgufBuilder negative;
  negative.AddString("tokenizer.ggml.model", "llama");
  negative.Add("tokenizer.ggml.tokens", GgufValue::StrArray({"<unk>", "<s>", "</s>", "a"}));
  negative.Add("tokenizer.ggml.eos_token_id", GgufValue::I32(-1));
  ExpectError(LoadBuilt(negative, "eos_negative"), StatusCode::kCorruption,
              {"tokenizer.ggml.eos_token_id", "-1"});

  GgufBuilder unk;
  unk.AddString("tokenizer.ggml.model", "llama");
  unk.Add("tokenizer.ggml.tokens", GgufValue::StrArray({"<unk>", "<s>", "</s>", "a"}));
  unk.AddU32("tokenizer.ggml.unknown_token_id", 7);
  ExpectError(LoadBuilt(unk, "unk_range"), StatusCode::kCorruption,
              {"tokenizer.ggml.unknown_token_id", "7"});

  // A two-token vocabulary cannot hold the default eos id 2.
  GgufBuilder small;
  small.AddString("tokenizer.ggml.model", "llama");
  small.Add("tokenizer.ggml.tokens", GgufValue::StrArray({"<unk>", "<s>"}));
  ExpectError(LoadBuilt(small, "eos_default"), StatusCode::kCorruption,
              {"tokenizer.ggml.eos_token_id"});
}

TEST(TokenizerErrors, UnknownIdNoneIsAccepted) {
  GgufBuilder b;
  b.AddString("tokenizer.ggml.model", "llama");
  b.Add("tokenizer.ggml.tokens", GgufValue::StrArray({"<pad>", "<s>", "</s>", "a"}));
  b.AddU32("tokenizer.ggml.unknown_token_id", 0xFFFFFFFFu);
  StatusOr<Tokenizer> t = LoadBuilt(b, "unk_none");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->unk(), -1);
  // No unknown token and no byte tokens: an unencodable character is dropped.
  EXPECT_EQ(t->Encode("aza", false), (std::vector<int32_t>{3, 3}));
}

}  // namespace
}  // namespace sizer::runner
