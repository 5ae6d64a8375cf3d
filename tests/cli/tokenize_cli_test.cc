// sizer tokenize: ids, pieces and count of a text with a GGUF's own tokenizer, on the
// vocabulary-only files of tests/data/vocab/ (no tensors).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/gguf_builder.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using testing::CliResult;
using testing::RunCli;

std::string Vocab(const std::string& name) {
  return "'" + testing::TestDataDir() + "/vocab/ggml-vocab-" + name + ".gguf'";
}

std::string TempFile(const std::string& name, const std::string& bytes) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("sizer_tokenize_" + std::to_string(::getpid()) + "_" + name))
                               .string();
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(TokenizeCli, IdsOnlyJsonAndTheDefaultListing) {
  CliResult ids = RunCli("tokenize " + Vocab("gpt-2") + " --text 'Hello world' --ids-only");
  ASSERT_EQ(ids.exit_code, 0) << ids.err;
  EXPECT_EQ(ids.out, "15496 995\n");  // llama.cpp's ids (ggml-vocab-gpt-2.gguf.out)

  CliResult json = RunCli("tokenize " + Vocab("gpt-2") + " --text 'Hello world' --json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const nlohmann::json doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc, nlohmann::json::parse(
                     R"({"ids": [15496, 995], "pieces": ["Hello", " world"], "count": 2})"));

  CliResult listing = RunCli("tokenize " + Vocab("gpt-2") + " --text 'Hello world'");
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  EXPECT_EQ(listing.out, "15496\t'Hello'\n995\t' world'\n2 tokens\n");
}

TEST(TokenizeCli, BosAsTheVocabularyAsksUnlessNoBos) {
  CliResult bos = RunCli("tokenize " + Vocab("llama-bpe") + " --text 'Hello world' --ids-only");
  ASSERT_EQ(bos.exit_code, 0) << bos.err;
  EXPECT_EQ(bos.out, "128000 9906 1917\n");
  CliResult none =
      RunCli("tokenize " + Vocab("llama-bpe") + " --text 'Hello world' --ids-only --no-bos");
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(none.out, "9906 1917\n");
  CliResult spm = RunCli("tokenize " + Vocab("llama-spm") + " --text 'Hello world' --json");
  ASSERT_EQ(spm.exit_code, 0) << spm.err;
  const nlohmann::json doc = nlohmann::json::parse(spm.out);
  EXPECT_EQ(doc["ids"], nlohmann::json::parse("[1, 15043, 3186]"));
  EXPECT_EQ(doc["pieces"][0], "<s>");
}

TEST(TokenizeCli, FileIsTokenizedByteForByte) {
  const std::string path = TempFile("prompt.txt", "Hello world\n");
  CliResult r = RunCli("tokenize " + Vocab("gpt-2") + " --file '" + path + "' --ids-only");
  std::filesystem::remove(path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "15496 995 198\n");  // 198: "\n" (byte-level "Ċ")
}

TEST(TokenizeCli, ControlTokenTextIsPlainTextUnlessParseSpecial) {
  CliResult plain = RunCli("tokenize " + Vocab("qwen2") + " --text '<|im_end|>' --json");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_GT(nlohmann::json::parse(plain.out)["count"].get<int>(), 1);
  CliResult special =
      RunCli("tokenize " + Vocab("qwen2") + " --text '<|im_end|>' --parse-special --ids-only");
  ASSERT_EQ(special.exit_code, 0) << special.err;
  EXPECT_EQ(special.out, "151645\n");
}

TEST(TokenizeCli, BadInputIsExitTwoWithOneLine) {
  CliResult neither = RunCli("tokenize " + Vocab("gpt-2"));
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_NE(neither.err.find("exactly one of --text and --file"), std::string::npos) << neither.err;
  CliResult both = RunCli("tokenize " + Vocab("gpt-2") + " --text a --file b");
  EXPECT_EQ(both.exit_code, 2);
  CliResult missing = RunCli("tokenize " + Vocab("gpt-2") + " --file /nonexistent/prompt.txt");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/prompt.txt"), std::string::npos) << missing.err;
  CliResult not_gguf = RunCli("tokenize README.md --text a");
  EXPECT_EQ(not_gguf.exit_code, 2);
  EXPECT_NE(not_gguf.err.find("byte 0: magic"), std::string::npos) << not_gguf.err;

  testing::GgufBuilder b;
  b.AddString("tokenizer.ggml.model", "gpt2");
  b.AddString("tokenizer.ggml.pre", "tekken");
  b.Add("tokenizer.ggml.tokens", testing::GgufValue::StrArray({"a", "b"}));
  b.Add("tokenizer.ggml.merges", testing::GgufValue::StrArray({"a b"}));
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("sizer_tokenize_" + std::to_string(::getpid()) + "_tekken.gguf"))
                               .string();
  ASSERT_TRUE(testing::WriteBytesToFile(path, b.Build()));
  CliResult pre = RunCli("tokenize '" + path + "' --text a");
  std::filesystem::remove(path);
  EXPECT_EQ(pre.exit_code, 2);
  EXPECT_NE(pre.err.find("pre-tokenizer 'tekken' (tokenizer.ggml.pre) is not supported; "
                         "supported: "),
            std::string::npos)
      << pre.err;
  EXPECT_NE(pre.err.find("llama-bpe"), std::string::npos) << pre.err;
}

}  // namespace
}  // namespace sizer
