// sizer synth: shapes from model_db and --dims, llama-quantize's per-tensor mix, the
// vocabulary, and files the reader, the planner's inspector and the runner all accept.
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "base/file.h"
#include "gguf/ggml_types.h"
#include "gguf/reader.h"
#include "runner/session.h"
#include "synth/synth_model.h"
#include "synth/synth_vocabulary.h"
#include "synth/synth_writer.h"
#include "testing/test_env.h"

namespace sizer::synth {
namespace {

constexpr const char* kSmallDims = "d_model=256,n_layers=2,n_heads=4,n_kv_heads=2,d_ff=512,vocab=320";

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          (name + "_" + std::to_string(::getpid()) + ".gguf")).string();
}

std::map<std::string, uint32_t> TypesByName(const std::vector<SynthTensor>& tensors) {
  std::map<std::string, uint32_t> out;
  for (const SynthTensor& t : tensors) out[t.name] = t.ggml_type;
  return out;
}

uint32_t TypeId(const char* name) { return gguf::FindGgmlTypeByName(name)->id; }

TEST(SynthShape, FromModelDbAndRefusals) {
  StatusOr<SynthShape> s = ShapeOfModel(*testing::RealCatalog().FindModel("llama-3.2-1b"));
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->d_model, 2048);
  EXPECT_EQ(s->n_layers, 16);
  EXPECT_EQ(s->n_kv_heads, 8);
  EXPECT_EQ(s->vocab_size, 128256);
  StatusOr<SynthShape> moe = ShapeOfModel(*testing::RealCatalog().FindModel("mixtral-8x7b"));
  EXPECT_EQ(moe.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(moe.status().message().find("mixture-of-experts"), std::string::npos);
  StatusOr<SynthShape> sliding = ShapeOfModel(*testing::RealCatalog().FindModel("gemma-3-4b"));
  EXPECT_EQ(sliding.status().code(), StatusCode::kUnsupported);
}

TEST(SynthShape, ParsesDimsAndNamesEveryProblem) {
  StatusOr<SynthShape> s = ParseDims(kSmallDims);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->HeadDim(), 64);
  EXPECT_EQ(s->vocab_size, 320);
  EXPECT_NE(ParseDims("d_modle=256").status().message().find("did you mean 'd_model'"), std::string::npos);
  EXPECT_NE(ParseDims("d_model=abc").status().message().find("not an integer"), std::string::npos);
  EXPECT_NE(ParseDims("d_model").status().message().find("KEY=VALUE"), std::string::npos);
  EXPECT_NE(ParseDims("d_model=256,n_layers=2,n_heads=4,n_kv_heads=3,d_ff=512")
                .status().message().find("multiple of n_kv_heads"), std::string::npos);
  EXPECT_NE(ParseDims("d_model=256,n_layers=0,n_heads=4,d_ff=512").status().message().find("n_layers"),
            std::string::npos);
  EXPECT_NE(ParseDims("d_model=80,n_layers=1,n_heads=4,d_ff=512").status().message().find("multiples of 32"),
            std::string::npos);
}

TEST(SynthTensors, Q4KMFollowsLlamaQuantize) {
  // The reference file's mix (llama-quantize Q4_K_M, 16 layers): Q6_K output, Q6_K attn_v and
  // ffn_down in the "more bits" layers, Q4_K elsewhere, F32 norms.
  SynthShape s = *ParseDims("d_model=2048,n_layers=16,n_heads=32,n_kv_heads=8,d_ff=8192,vocab=512");
  StatusOr<std::vector<SynthTensor>> t = PlanSynthTensors(s, "Q4_K_M");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->size(), 16u * 9 + 3);
  auto types = TypesByName(*t);
  EXPECT_EQ(types["output.weight"], TypeId("Q6_K"));
  EXPECT_EQ(types["blk.0.attn_v.weight"], TypeId("Q6_K"));
  EXPECT_EQ(types["blk.0.ffn_down.weight"], TypeId("Q6_K"));
  EXPECT_EQ(types["blk.5.ffn_down.weight"], TypeId("Q4_K"));
  EXPECT_EQ(types["blk.5.attn_q.weight"], TypeId("Q4_K"));
  EXPECT_EQ(types["blk.5.attn_norm.weight"], TypeId("F32"));
  EXPECT_EQ(CountParameters(*t), 975243264);  // the reference file's "975.24 M parameters"
}

TEST(SynthTensors, RawTypeAppliesToEveryMatrixAndUnknownTypesAreRefused) {
  SynthShape s = *ParseDims(kSmallDims);
  // Q5_K is a ggml type but not a llama-quantize preset (those are Q5_K_S / Q5_K_M).
  auto types = TypesByName(*PlanSynthTensors(s, "Q5_K"));
  EXPECT_EQ(types["output.weight"], TypeId("Q5_K"));
  EXPECT_EQ(types["blk.1.ffn_up.weight"], TypeId("Q5_K"));
  EXPECT_EQ(types["blk.1.ffn_norm.weight"], TypeId("F32"));
  // Q5_1 is a preset: llama-quantize's rules put the output in Q6_K.
  EXPECT_EQ(TypesByName(*PlanSynthTensors(s, "Q5_1"))["output.weight"], TypeId("Q6_K"));
  StatusOr<std::vector<SynthTensor>> bad = PlanSynthTensors(s, "Q4_K_X");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("Q4_K_M"), std::string::npos);  // lists the choices
  // Rows of 320 are not whole 256-value k-quant blocks.
  SynthShape odd = *ParseDims("d_model=320,n_layers=1,n_heads=5,d_ff=640,vocab=320");
  EXPECT_FALSE(PlanSynthTensors(odd, "Q4_K").ok());
}

// The runner executes the lattice I-quants and ternary types, but sizer has no quantizer for
// them (kernels/quantize.h): synth refuses a preset that stores a matrix in one, naming it,
// and a raw type it cannot write, listing those it can. MXFP4 it can write.
TEST(SynthTensors, TypesSizerCannotQuantizeAreRefused) {
  SynthShape s = *ParseDims(kSmallDims);
  StatusOr<std::vector<SynthTensor>> preset = PlanSynthTensors(s, "IQ2_XXS");
  EXPECT_EQ(preset.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(preset.status().message().find("as IQ2_XXS, which sizer cannot quantize"),
            std::string::npos)
      << preset.status().message();
  StatusOr<std::vector<SynthTensor>> ternary = PlanSynthTensors(s, "TQ1_0");
  EXPECT_EQ(ternary.status().code(), StatusCode::kUnsupported) << ternary.status().message();
  StatusOr<std::vector<SynthTensor>> raw = PlanSynthTensors(s, "Q8_K");  // not a weight type
  EXPECT_EQ(raw.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(raw.status().message().find("nor a ggml type sizer can quantize"), std::string::npos)
      << raw.status().message();
  EXPECT_NE(raw.status().message().find("MXFP4"), std::string::npos) << raw.status().message();
  StatusOr<std::vector<SynthTensor>> mxfp4 = PlanSynthTensors(s, "MXFP4");
  ASSERT_TRUE(mxfp4.ok()) << mxfp4.status().message();
  EXPECT_EQ(TypesByName(*mxfp4)["blk.1.ffn_up.weight"], TypeId("MXFP4"));
}

TEST(SynthVocabulary, ControlByteAndWordPieces) {
  StatusOr<SynthVocabulary> v = MakeSynthVocabulary(400);
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->tokens.size(), 400u);
  EXPECT_EQ(v->tokens[1], "<s>");
  EXPECT_EQ(v->tokens[3], "<0x00>");
  EXPECT_EQ(v->token_types[3], 6);
  EXPECT_EQ(v->tokens[3 + 256], "\xE2\x96\x81");
  EXPECT_GT(v->scores[300], v->scores[399] - 1e-3f);
  EXPECT_FALSE(MakeSynthVocabulary(100).ok());
}

TEST(SynthWriter, WritesAFileTheRunnerRunsAndIsDeterministic) {
  SynthShape s = *ParseDims(kSmallDims);
  s.vocab_size = 512;  // room for the word pieces after the 259 control and byte tokens
  std::vector<SynthTensor> tensors = *PlanSynthTensors(s, "Q4_K_M");
  const std::string a = TempPath("synth_a"), b = TempPath("synth_b");
  SynthOptions options;
  options.seed = 7;
  options.quant = "Q4_K_M";
  options.threads = 2;
  StatusOr<SynthResult> written = WriteSynthGguf(s, tensors, a, options);
  ASSERT_TRUE(written.ok()) << written.status().message();
  EXPECT_EQ(written->file_bytes, std::filesystem::file_size(a));
  EXPECT_EQ(written->file_bytes, *SynthFileBytes(s, tensors, "Q4_K_M"));
  options.threads = 1;
  ASSERT_TRUE(WriteSynthGguf(s, tensors, b, options).ok());
  EXPECT_EQ(*ReadFileToString(a, 1u << 30), *ReadFileToString(b, 1u << 30));  // threads do not matter

  StatusOr<MappedFile> map = MappedFile::Open(a);
  StatusOr<gguf::GgufFile> f = gguf::ParseGguf(map->data(), map->size());
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f->GetUint("general.file_type"), 15u);  // LLAMA_FTYPE_MOSTLY_Q4_K_M
  EXPECT_EQ(*f->GetUint("llama.embedding_length"), 256u);

  runner::SessionOptions session_options;
  session_options.threads = 1;
  StatusOr<std::unique_ptr<runner::Session>> session = runner::Session::Open(a, session_options);
  ASSERT_TRUE(session.ok()) << session.status().message();
  runner::Sampler sampler(0.0f, 1.0f, 1);
  std::string text;
  StatusOr<runner::GenerationStats> stats =
      (*session)->Generate("once upon a time", 8, sampler, [&](std::string_view p) { text += p; });
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_EQ(stats->prompt_tokens, 5);  // <s> and four whole-word pieces
  std::filesystem::remove(a);
  std::filesystem::remove(b);
}

TEST(SynthCli, WritesInspectsAndRefusesBadOutput) {
  const std::string path = TempPath("synth_cli");
  testing::CliResult r = testing::RunCli(std::string("synth --dims ") + kSmallDims +
                                         " --quant Q8_0 -o '" + path + "' --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"file_bytes\": " + std::to_string(std::filesystem::file_size(path))),
            std::string::npos) << r.out;
  testing::CliResult inspect = testing::RunCli("inspect '" + path + "'");
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;
  testing::CliResult run = testing::RunCli("run '" + path + "' -p 'the' -n 4 -t 1");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("tokens/s"), std::string::npos);
  std::filesystem::remove(path);

  testing::CliResult missing_dir = testing::RunCli(std::string("synth --dims ") + kSmallDims +
                                                   " --quant Q8_0 -o /nonexistent-dir/x.gguf");
  EXPECT_EQ(missing_dir.exit_code, 2);
  EXPECT_NE(missing_dir.err.find("does not exist"), std::string::npos);
  EXPECT_EQ(testing::RunCli("synth --dims d_model=256 --quant Q8_0").exit_code, 2);  // no -o
  EXPECT_EQ(testing::RunCli("synth --like mixtral-8x7b --quant Q4_0 -o /tmp/x.gguf").exit_code, 2);
  EXPECT_EQ(testing::RunCli("synth --like no-such-model --quant Q4_0 -o /tmp/x.gguf").exit_code, 2);
  testing::CliResult both = testing::RunCli(std::string("synth --like llama-3.2-1b --dims ") +
                                            kSmallDims + " --quant Q4_0 -o /tmp/x.gguf");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("exactly one"), std::string::npos);
}

}  // namespace
}  // namespace sizer::synth

namespace sizer::synth {
namespace {

// The benchmark command end to end on a tiny shape (its figures are not asserted: benchmarks
// are not tests), and its argument checks.
TEST(BenchCli, RunsOnATinyShapeAndPrintsEveryType) {
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("sizer_bench_" + std::to_string(::getpid()))).string();
  testing::CliResult r = testing::RunCli(
      "bench --dims d_model=256,n_layers=2,n_heads=4,n_kv_heads=2,d_ff=512,vocab=320 "
      "--types Q8_0,Q4_K_M --tokens 4 --runs 1 --buffer-mb 32 --json --dir '" + dir + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"type\": \"Q8_0\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"type\": \"Q4_K_M\""), std::string::npos);
  EXPECT_NE(r.out.find("\"fraction_of_bandwidth\""), std::string::npos);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(testing::RunCli("bench --types Q9_9 --dir '" + dir + "'").exit_code, 2);
  EXPECT_EQ(testing::RunCli("bench --runs 0").exit_code, 2);
}

}  // namespace
}  // namespace sizer::synth
