// Every test string of every vocabulary in tests/data/vocab/ must tokenize to exactly the ids
// llama.cpp (and Hugging Face) give: no BOS/EOS, special-token parsing off (the call of
// llama.cpp's tests/test-tokenizer-0.cpp). See tests/data/README.md for the files.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "gguf/artifact.h"
#include "runner/tokenizer.h"
#include "testing/test_env.h"

namespace sizer::runner {
namespace {

using sizer::testing::TestDataDir;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The .inp format: every string followed by "\n__ggml_vocab_test__\n".
std::vector<std::string> ReadInputs(const std::string& path) {
  const std::string text = Slurp(path);
  const std::string separator = "\n__ggml_vocab_test__\n";
  std::vector<std::string> out;
  size_t pos = 0;
  for (size_t hit; (hit = text.find(separator, pos)) != std::string::npos;) {
    out.push_back(text.substr(pos, hit - pos));
    pos = hit + separator.size();
  }
  return out;
}

// The .out format: one line per string, each id written as " <id>".
std::vector<std::vector<int32_t>> ReadOutputs(const std::string& path) {
  std::istringstream lines(Slurp(path));
  std::vector<std::vector<int32_t>> out;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream ids(line);
    std::vector<int32_t> row;
    for (int32_t id; ids >> id;) row.push_back(id);
    out.push_back(row);
  }
  return out;
}

std::string VocabPath(const std::string& name) {
  return TestDataDir() + "/vocab/ggml-vocab-" + name + ".gguf";
}

class VocabFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(VocabFixture, EveryTestStringGivesLlamaCppsIds) {
  const std::string path = VocabPath(GetParam());
  StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(path);
  ASSERT_TRUE(artifact.ok()) << artifact.status().message();
  StatusOr<Tokenizer> tokenizer = Tokenizer::FromGguf(artifact->metadata());
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status().message();
  const std::vector<std::string> inputs = ReadInputs(path + ".inp");
  const std::vector<std::vector<int32_t>> expected = ReadOutputs(path + ".out");
  ASSERT_EQ(inputs.size(), 46u);
  ASSERT_EQ(expected.size(), inputs.size());
  int matched = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::vector<int32_t> ids = tokenizer->Encode(inputs[i], EncodeOptions{false, false});
    EXPECT_EQ(ids, expected[i]) << GetParam() << " string " << i << ": '" << inputs[i] << "'";
    if (ids == expected[i]) ++matched;
  }
  std::cout << "vocab " << GetParam() << ": " << matched << "/" << inputs.size()
            << " strings match\n";
  RecordProperty("matched", matched);
}

// Byte-level BPE loses nothing: decoding the ids gives the input back byte for byte.
TEST_P(VocabFixture, DecodeGivesTheInputBack) {
  const std::string path = VocabPath(GetParam());
  StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(path);
  ASSERT_TRUE(artifact.ok()) << artifact.status().message();
  StatusOr<Tokenizer> tokenizer = Tokenizer::FromGguf(artifact->metadata());
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status().message();
  const bool spm = tokenizer->model_name() == "llama";
  for (const std::string& input : ReadInputs(path + ".inp")) {
    const std::vector<int32_t> ids = tokenizer->Encode(input, EncodeOptions{false, false});
    std::string decoded = tokenizer->DecodeAll(ids, /*strip_leading_space=*/spm);
    // phi-3's user-defined "</s>" is not in the strings, so nothing is stripped there.
    EXPECT_EQ(decoded, input) << GetParam();
  }
}

INSTANTIATE_TEST_SUITE_P(AllVocabularies, VocabFixture,
                         ::testing::Values("gpt-2", "deepseek-llm", "deepseek-coder", "falcon",
                                           "starcoder", "phi-3", "llama-spm", "llama-bpe",
                                           "qwen2"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace sizer::runner
