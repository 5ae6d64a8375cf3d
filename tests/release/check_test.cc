// The release gate: the seed's example passes, and a variant that breaks each rule fails for
// exactly that reason.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/sha256.h"
#include "release/check.h"
#include "release/check_render.h"
#include "input/manifest.h"
#include "testing/gguf_builder.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteText(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// The example's stand-in artifacts: tiny llama-like GGUFs with a 131,072-token context, r17 in
// Q4_K and r16 in Q4_0. Deterministic, so the manifest's sha256 values hold.
testing::Bytes Artifact(uint32_t type) {
  testing::LlamaLikeOptions o;
  o.tensor_type = type;
  o.n_layers = 2;
  o.context_length = 131072;
  o.n_vocab = 32;
  return testing::LlamaLikeGguf(o);
}

class ReleaseCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("sizer_release_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::create_directories(dir_ + "/models");
    ASSERT_TRUE(testing::WriteBytesToFile(dir_ + "/models/incident-q4-r17.gguf", Artifact(12)));
    ASSERT_TRUE(testing::WriteBytesToFile(dir_ + "/models/incident-q4-r16.gguf", Artifact(2)));
    example_ = ReadText(testing::SourceDir() + "/worksheets/release/incident-q4-r17.yaml");
    ASSERT_FALSE(example_.empty());
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes `text` as the manifest (beside the models) and returns its path.
  std::string Manifest(const std::string& text) {
    std::string path = dir_ + "/manifest.yaml";
    WriteText(path, text);
    return path;
  }
  std::string Replace(std::string text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  }
  CheckReport Check(const std::string& text, CheckOptions options = {}) {
    StatusOr<ReleaseManifest> m = LoadManifest(Manifest(text), testing::RealCatalog());
    EXPECT_TRUE(m.ok()) << m.status().message();
    if (!m.ok()) return {};
    return CheckRelease(*m, options);
  }
  // The names of the failed checks, in order.
  static std::vector<std::string> Failed(const CheckReport& r) {
    std::vector<std::string> out;
    for (const CheckResult& c : r.checks) {
      if (c.status == CheckStatus::kFail) out.push_back(c.name);
    }
    return out;
  }
  static const CheckResult& Get(const CheckReport& r, const std::string& name) {
    for (const CheckResult& c : r.checks) {
      if (c.name == name) return c;
    }
    static CheckResult none;
    ADD_FAILURE() << "no check " << name;
    return none;
  }

  std::string dir_;
  std::string example_;
};

using Names = std::vector<std::string>;

TEST_F(ReleaseCheck, TheSeedExamplePassesEveryCheck) {
  CheckReport r = Check(example_);
  EXPECT_TRUE(r.passed()) << RenderCheckText(r);
  ASSERT_EQ(r.checks.size(), 5u);
  for (const CheckResult& c : r.checks) EXPECT_EQ(c.status, CheckStatus::kPass) << c.name << ": " << c.message;
  EXPECT_EQ(r.model_version, "incident-q4-r17");
  EXPECT_NE(Get(r, "eval").message.find("3 case(s) correct, cited, within 120 ms"), std::string::npos);
}

TEST_F(ReleaseCheck, AChecksumMismatchFailsTheArtifactCheckOnly) {
  CheckReport r = Check(Replace(example_, "95e4af68", "00000000"));
  EXPECT_EQ(Failed(r), Names{"artifact"});
  EXPECT_NE(Get(r, "artifact").message.find("does not match the manifest's 00000000"), std::string::npos);
}

TEST_F(ReleaseCheck, AMissingArtifactFailsTheArtifactAndTheFit) {
  fs::remove(dir_ + "/models/incident-q4-r17.gguf");
  CheckReport r = Check(example_);
  EXPECT_EQ(Failed(r), (Names{"artifact", "fit", "context"}));
  EXPECT_NE(Get(r, "artifact").message.find("no such file"), std::string::npos);
  EXPECT_NE(Get(r, "fit").message.find("cannot read the model file"), std::string::npos);
}

TEST_F(ReleaseCheck, ATruncatedGgufFailsTheChecksumAndCannotBePlanned) {
  fs::resize_file(dir_ + "/models/incident-q4-r17.gguf", 1000);
  CheckReport r = Check(example_);
  EXPECT_EQ(Failed(r), (Names{"artifact", "fit", "context"}));
  EXPECT_NE(Get(r, "fit").message.find("byte "), std::string::npos) << Get(r, "fit").message;
}

TEST_F(ReleaseCheck, SkipChecksumStillRequiresTheArtifact) {
  CheckOptions skip;
  skip.skip_checksum = true;
  CheckReport r = Check(Replace(example_, "95e4af68", "00000000"), skip);
  EXPECT_TRUE(r.passed());
  EXPECT_EQ(Get(r, "artifact").status, CheckStatus::kSkip);
  fs::remove(dir_ + "/models/incident-q4-r17.gguf");
  EXPECT_EQ(Failed(Check(example_, skip)).front(), "artifact");
}

TEST_F(ReleaseCheck, NoPreviousReleaseFailsTheRollbackCheck) {
  std::string text = example_;
  size_t begin = text.find("previous:"), end = text.find("eval:");
  text.erase(begin, end - begin);
  CheckReport r = Check(text);
  EXPECT_EQ(Failed(r), Names{"rollback"});
  EXPECT_NE(Get(r, "rollback").message.find("no previous release"), std::string::npos);
}

TEST_F(ReleaseCheck, APreviousArtifactThatDoesNotVerifyFailsTheRollback) {
  CheckReport r = Check(Replace(example_, "9744d59b", "11111111"));
  EXPECT_EQ(Failed(r), Names{"rollback"});
  EXPECT_NE(Get(r, "rollback").message.find("incident-q4-r16"), std::string::npos);
  fs::remove(dir_ + "/models/incident-q4-r16.gguf");
  EXPECT_EQ(Failed(Check(example_)), Names{"rollback"});
}

TEST_F(ReleaseCheck, APreviousReleaseThatWouldNoLongerFitIsAWarning) {
  // r16 becomes a wider F32 model (42 MB of weights): it still verifies, but does not fit a
  // target with 160 MB usable that holds r17 (139 MB planned, mostly the runtime's context).
  testing::LlamaLikeOptions wide;
  wide.tensor_type = 0;
  wide.n_layers = 4;
  wide.n_embd = 512;
  wide.n_ff = 1024;
  wide.context_length = 131072;
  wide.n_vocab = 32;
  const std::string r16 = dir_ + "/models/incident-q4-r16.gguf";
  ASSERT_TRUE(testing::WriteBytesToFile(r16, testing::LlamaLikeGguf(wide)));
  StatusOr<std::string> sha = Sha256File(r16);
  ASSERT_TRUE(sha.ok());
  std::string text = Replace(example_, "9744d59bb7800a8a751974e7242de570a91a061834d1b97fbff7466637cb76e9", *sha);
  text = Replace(text, "target: rtx-4090",
                 "target: {id: small, kind: cpu, memory: 8 GB, os_reserved: 7.8 GB, "
                 "memory_bandwidth: 10 GB/s, fp16_tflops: 1}");
  text = Replace(text, "runtime: llama.cpp", "runtime: llama.cpp\nkv_cache_dtype: f16");
  text = Replace(text, "context_tokens: 8192", "context_tokens: 256");
  CheckReport r = Check(text);
  EXPECT_TRUE(r.passed()) << RenderCheckText(r);
  ASSERT_EQ(r.warnings.size(), 1u) << RenderCheckText(r);
  EXPECT_NE(r.warnings[0].find("incident-q4-r16 would no longer fit"), std::string::npos);
}

TEST_F(ReleaseCheck, EvalFailuresAreNamedPerCase) {
  CheckReport wrong = Check(Replace(example_, "{name: runbook-db-failover, correct: true",
                                    "{name: runbook-db-failover, correct: false"));
  EXPECT_EQ(Failed(wrong), Names{"eval"});
  ASSERT_EQ(Get(wrong, "eval").details.size(), 1u);
  EXPECT_EQ(Get(wrong, "eval").details[0], "runbook-db-failover: answer was wrong");

  CheckReport slow = Check(Replace(example_, "latency_ms: 112", "latency_ms: 150"));
  EXPECT_EQ(Failed(slow), Names{"eval"});
  EXPECT_EQ(Get(slow, "eval").details[0], "pager-rotation-owner: 150 ms exceeds the gate of 120 ms");

  CheckReport uncited = Check(Replace(example_, "correct: true, has_citation: true, latency_ms: 84",
                                      "correct: true, has_citation: false, latency_ms: 84"));
  EXPECT_EQ(Get(uncited, "eval").details[0], "sev1-escalation-path: answer carried no citation");

  // A case without `correct` does not pass by default.
  CheckReport missing = Check(Replace(example_, "{name: sev1-escalation-path, correct: true, ",
                                      "{name: sev1-escalation-path, "));
  EXPECT_EQ(Failed(missing), Names{"eval"});
  EXPECT_EQ(Get(missing, "eval").details[0], "sev1-escalation-path: no 'correct' field");

  std::string no_eval = example_.substr(0, example_.find("eval:"));
  EXPECT_EQ(Failed(Check(no_eval)), Names{"eval"});
}

TEST_F(ReleaseCheck, EvalResultsCanComeFromAFile) {
  WriteText(dir_ + "/eval.json",
            R"({"cases": [{"name": "a", "correct": true, "has_citation": true, "latency_ms": 50}]})");
  std::string text = example_.substr(0, example_.find("  cases:")) + "  results: eval.json\n";
  CheckReport r = Check(text);
  EXPECT_TRUE(r.passed()) << RenderCheckText(r);
  WriteText(dir_ + "/eval.json", R"({"cases": [{"name": "a", "correct": true, "has_citation": true}]})");
  EXPECT_EQ(Get(Check(text), "eval").details[0], "a: no 'latency_ms' field");
}

TEST_F(ReleaseCheck, AContextAboveTheModelsMaximumFails) {
  CheckReport r = Check(Replace(example_, "context_tokens: 8192", "context_tokens: 200000"));
  EXPECT_EQ(Get(r, "context").status, CheckStatus::kFail);
  EXPECT_NE(Get(r, "context").message.find("exceeds the model's maximum of 131072"), std::string::npos);
}

TEST_F(ReleaseCheck, ATargetTooSmallFailsTheFitWithThePlannersReasons) {
  CheckReport r = Check(Replace(example_, "target: rtx-4090",
                                "target: {id: tiny, kind: gpu, memory: 100 MB, memory_bandwidth: 10 GB/s, fp16_tflops: 1}"));
  EXPECT_EQ(Failed(r), Names{"fit"});
  ASSERT_FALSE(Get(r, "fit").details.empty());
  EXPECT_NE(Get(r, "fit").details[0].find("memory: needs"), std::string::npos) << Get(r, "fit").details[0];
}

TEST_F(ReleaseCheck, BrokenManifestsAreInputErrors) {
  auto status = [&](const std::string& text) {
    return LoadManifest(Manifest(text), testing::RealCatalog()).status();
  };
  Status negative = status(Replace(example_, "latency_ms: 97", "latency_ms: -97"));
  EXPECT_FALSE(negative.ok());
  EXPECT_NE(negative.message().find("manifest.yaml:"), std::string::npos);
  EXPECT_NE(negative.message().find("must not be negative"), std::string::npos) << negative.message();
  EXPECT_NE(status(Replace(example_, "target: rtx-4090", "target: rtx4090")).message().find("did you mean 'rtx-4090'"),
            std::string::npos);
  EXPECT_EQ(status(Replace(example_, "sha256: 95e4", "sha256: zz")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status("model_version: [unclosed").code(), StatusCode::kCorruption);
  EXPECT_NE(status(Replace(example_, "concurrency: 2", "concurency: 2")).message().find("unknown key 'concurency'"),
            std::string::npos);
}

TEST_F(ReleaseCheck, CliExitCodesAndOutputs) {
  std::string path = Manifest(example_);
  testing::CliResult ok = testing::RunCli("check '" + path + "' --junit '" + dir_ + "/ok.xml'");
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("result: pass"), std::string::npos);

  std::string bad = Manifest(Replace(Replace(example_, "95e4af68", "00000000"), "latency_ms: 112", "latency_ms: 150"));
  testing::CliResult fail = testing::RunCli("check '" + bad + "' --json --github --junit '" + dir_ + "/fail.xml'");
  EXPECT_EQ(fail.exit_code, 1) << fail.err;
  std::string json_text = fail.out.substr(0, fail.out.find("\n::"));
  nlohmann::json doc = nlohmann::json::parse(json_text);
  EXPECT_FALSE(doc["passed"].get<bool>());
  EXPECT_EQ(doc["failed"], 2);
  EXPECT_EQ(doc["checks"][0]["name"], "artifact");
  EXPECT_EQ(doc["checks"][0]["status"], "fail");
  EXPECT_NE(fail.out.find("::error file=" + bad + ",title=sizer check artifact::"), std::string::npos) << fail.out;
  EXPECT_NE(fail.out.find("title=sizer check eval::"), std::string::npos);

  // The JUnit file is XML with one test case per check and the failures marked.
  std::string xml = ReadText(dir_ + "/fail.xml");
  EXPECT_NE(xml.find("<testsuites name=\"sizer check\" tests=\"5\" failures=\"2\">"), std::string::npos) << xml;
  if (std::system("python3 -c 'import xml.etree.ElementTree' 2>/dev/null") == 0) {
    std::string cmd = "python3 -c \"import sys,xml.etree.ElementTree as E; t=E.parse(sys.argv[1]); "
                      "c=t.findall('.//testcase'); f=t.findall('.//failure'); "
                      "sys.exit(0 if len(c)==5 and len(f)==2 else 3)\" '" + dir_ + "/fail.xml'";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << "the JUnit report does not parse as expected";
  }

  WriteText(dir_ + "/broken.yaml", "model_version: [");
  testing::CliResult broken = testing::RunCli("check '" + dir_ + "/broken.yaml'");
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find("broken.yaml:1:"), std::string::npos) << broken.err;
  EXPECT_EQ(testing::RunCli("check /nonexistent.yaml").exit_code, 2);
}

TEST(CheckRequireAdmit, AJobSpecGatesOnOneCandidate) {
  testing::CliResult admitted =
      testing::RunCli("check worksheets/chat-assistant-8b.yaml --require-admit rtx-4090");
  EXPECT_EQ(admitted.exit_code, 0) << admitted.out << admitted.err;
  EXPECT_NE(admitted.out.find("PASS  admit:rtx-4090"), std::string::npos) << admitted.out;
  testing::CliResult rejected =
      testing::RunCli("check worksheets/chat-assistant-8b.yaml --require-admit m4-pro-48gb");
  EXPECT_EQ(rejected.exit_code, 1);
  EXPECT_NE(rejected.out.find("FAIL  admit:m4-pro-48gb"), std::string::npos);
  testing::CliResult unknown =
      testing::RunCli("check worksheets/chat-assistant-8b.yaml --require-admit h100-sxm");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no candidate 'h100-sxm'"), std::string::npos);
}

}  // namespace
}  // namespace sizer
