// sizer deploy: for every bundled worksheet and every admitted candidate, the generated files
// parse and every number in them equals the plan's; rejected candidates are refused.
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "base/file.h"
#include "base/sha256.h"
#include "command_args.h"
#include "deploy/bundle.h"
#include "deploy/deployment.h"
#include "deploy/yaml_text.h"
#include "plan/extras.h"
#include "plan/planner.h"
#include "input/manifest.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using testing::RealCatalog;
using testing::SourceDir;

std::string TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("sizer_deploy_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

using testing::ArgOf;

int64_t IntArg(const std::vector<std::string>& args, const std::string& flag) {
  std::string v = ArgOf(args, flag);
  EXPECT_FALSE(v.empty()) << flag << " missing";
  return v.empty() || v == "<switch>" ? -1 : std::stoll(v);
}

std::vector<std::string> Words(const std::string& command) {
  std::vector<std::string> out;
  std::istringstream in(command);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

struct Generated {
  std::string worksheet;
  std::string label;
  std::string dir;
};

// Checks the numbers of one bundle against the plan; `args` are the server's arguments as
// read back from the generated compose / Kubernetes / run.sh file.
void CheckArgs(const Plan& plan, const CandidateWorksheet& ws, const std::vector<std::string>& args,
               const std::string& where) {
  SCOPED_TRACE(where);
  const JobSpec& job = *plan.job;
  const Candidate& c = ws.candidate;
  // Image tokens share the context with the text (plan/vision.h).
  StatusOr<PlanInputs> resolved = ResolvePlanInputs(job, plan.quant);
  ASSERT_TRUE(resolved.ok());
  const int64_t context = job.context_tokens + ImageContextTokens(*resolved);
  if (job.runtime == "llama.cpp") {
    EXPECT_EQ(IntArg(args, "--ctx-size"), context * job.concurrency);
    // The worksheet's cache: llama.cpp pads context x sequences to 256 cells.
    EXPECT_EQ((context * job.concurrency + 255) / 256 * 256, ws.memory.kv.full_cells);
    EXPECT_EQ(IntArg(args, "--parallel"), job.concurrency);
    EXPECT_EQ(ArgOf(args, "--cache-type-k"), job.kv_cache_dtype);
    EXPECT_EQ(ArgOf(args, "--cache-type-v"), job.kv_cache_dtype);
    StatusOr<PlanInputs> in = ResolvePlanInputs(job, plan.quant);
    ASSERT_TRUE(in.ok());
    EXPECT_EQ(IntArg(args, "--ubatch-size"), in->runtime.micro_batch_tokens);
    EXPECT_EQ(ArgOf(args, "--flash-attn") == "<switch>", in->flash_attention);
    const int64_t expected_layers = c.offload                                ? c.offload->gpu_layers
                                    : c.hardware.kind == HardwareKind::kCpu ? 0
                                                                            : in->model.n_layers + 1;
    EXPECT_EQ(IntArg(args, "--n-gpu-layers"), expected_layers);
    EXPECT_EQ(ArgOf(args, "--metrics"), "<switch>");
    if (c.count > 1) {
      std::string split = ArgOf(args, "--tensor-split");
      std::vector<int64_t> parts;
      std::stringstream ss(split);
      for (std::string part; std::getline(ss, part, ',');) parts.push_back(std::stoll(part));
      ASSERT_EQ(parts.size(), ws.memory.devices.size());
      for (size_t i = 0; i < parts.size(); ++i) {
        if (ArgOf(args, "--split-mode") == "layer") {
          EXPECT_EQ(parts[i], ws.memory.devices[i].layers);
        }
      }
    }
  } else if (job.runtime == "vllm") {
    EXPECT_EQ(IntArg(args, "--max-model-len"), context);
    EXPECT_EQ(IntArg(args, "--max-num-seqs"), job.concurrency);
    const double fraction = job.assumptions.gpu_memory_utilization.value_or(
        ws.memory.recommended_pool_fraction.value_or(-1));
    EXPECT_DOUBLE_EQ(std::stod(ArgOf(args, "--gpu-memory-utilization")), fraction);
    // The fraction leaves the reserve unallocated.
    EXPECT_LE(fraction, 1.0 - job.gates.reserve_fraction + 1e-9);
    const int64_t tp = IntArg(args, "--tensor-parallel-size");
    const int64_t pp = IntArg(args, "--pipeline-parallel-size");
    EXPECT_EQ(tp * pp, c.devices());
    EXPECT_EQ(static_cast<size_t>(tp * pp), ws.memory.devices.size());
    if (c.nodes > 1) {
      EXPECT_EQ(tp, c.count);
      EXPECT_EQ(pp, c.nodes);
      EXPECT_EQ(ArgOf(args, "--distributed-executor-backend"), "ray");
    }
    EXPECT_EQ(ArgOf(args, "--kv-cache-dtype"), job.kv_cache_dtype == "fp8" ? "fp8" : "auto");
    StatusOr<PlanInputs> in = ResolvePlanInputs(job, plan.quant);
    ASSERT_TRUE(in.ok());
    EXPECT_EQ(IntArg(args, "--block-size"), in->runtime.kv_page_tokens);
    EXPECT_EQ(IntArg(args, "--max-num-batched-tokens"), in->runtime.micro_batch_tokens);
  } else {
    ADD_FAILURE() << "unexpected runtime " << job.runtime;
  }
}

// Reads back every generated file of one bundle and compares it with the plan.
void CheckBundle(const Plan& plan, const Deployment& d, const std::string& dir) {
  const CandidateWorksheet& ws = d.worksheet();
  const JobSpec& job = *plan.job;
  SCOPED_TRACE(job.file + " / " + ws.candidate.label);
  StatusOr<RuntimeInfo> runtime = RealCatalog().FindRuntime(job.runtime);
  ASSERT_TRUE(runtime.ok());

  // settings.json: the same numbers, and every setting says where it came from.
  nlohmann::json settings = nlohmann::json::parse(Slurp(fs::path(dir) / "settings.json"));
  // The context a sequence holds: the job's plus its image tokens (plan/vision.h).
  StatusOr<PlanInputs> in = ResolvePlanInputs(job, plan.quant);
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(settings["context_tokens"].get<int64_t>(), job.context_tokens + ImageContextTokens(*in));
  EXPECT_EQ(settings["parallel_sequences"].get<int64_t>(), job.concurrency);
  EXPECT_EQ(settings["nodes"].get<int64_t>(), ws.candidate.nodes);
  EXPECT_EQ(settings["devices"].size(), ws.memory.devices.size());
  for (size_t i = 0; i < ws.memory.devices.size(); ++i) {
    EXPECT_DOUBLE_EQ(settings["devices"][i]["planned_bytes"].get<double>(), ws.memory.devices[i].planned_bytes);
    EXPECT_DOUBLE_EQ(settings["devices"][i]["usable_bytes"].get<double>(), ws.memory.devices[i].usable_bytes);
  }
  for (const auto& s : settings["settings"]) EXPECT_FALSE(s["from"].get<std::string>().empty()) << s.dump();
  std::vector<std::string> json_args = settings["args"].get<std::vector<std::string>>();
  CheckArgs(plan, ws, json_args, "settings.json");

  // The packaging file: the same arguments, the pinned image, the health check.
  std::vector<std::string> args;
  if (d.packaging == Packaging::kCompose) {
    YAML::Node compose = YAML::LoadFile(dir + "/compose.yaml");
    YAML::Node llm = compose["services"]["llm"];
    ASSERT_TRUE(llm.IsMap());
    args = llm["command"].as<std::vector<std::string>>();
    const RuntimeImage* image = runtime->ImageFor(ws.candidate.hardware);
    ASSERT_NE(image, nullptr);
    EXPECT_EQ(llm["image"].as<std::string>(), image->image);
    EXPECT_TRUE(llm["volumes"][0]["read_only"].as<bool>());
    EXPECT_EQ(llm["volumes"][0]["target"].as<std::string>(), ArgOf(args, "--model"));
    EXPECT_EQ(llm["ports"][0].as<std::string>(),
              std::to_string(runtime->endpoints.port) + ":" + std::to_string(runtime->endpoints.port));
    auto test = llm["healthcheck"]["test"].as<std::vector<std::string>>();
    EXPECT_EQ(test.back(), "http://localhost:" + std::to_string(runtime->endpoints.port) + runtime->endpoints.health);
    if (ws.candidate.hardware.kind == HardwareKind::kGpu) {
      EXPECT_EQ(llm["deploy"]["resources"]["reservations"]["devices"][0]["count"].as<int64_t>(),
                ws.candidate.count);
    } else {
      EXPECT_FALSE(llm["deploy"].IsDefined());
    }
    EXPECT_EQ(llm["labels"]["sizer.metrics"].as<std::string>(),
              "http://localhost:" + std::to_string(runtime->endpoints.port) + runtime->endpoints.metrics);
  } else if (d.packaging == Packaging::kKubernetes) {
    YAML::Node lws = YAML::LoadFile(dir + "/k8s/lws.yaml");
    YAML::Node tmpl = lws["spec"]["leaderWorkerTemplate"];
    EXPECT_EQ(tmpl["size"].as<int64_t>(), ws.candidate.nodes);
    YAML::Node leader = tmpl["leaderTemplate"]["spec"]["containers"][0];
    YAML::Node worker = tmpl["workerTemplate"]["spec"]["containers"][0];
    EXPECT_EQ(leader["resources"]["limits"]["nvidia.com/gpu"].as<int64_t>(), ws.candidate.count);
    EXPECT_EQ(worker["resources"]["limits"]["nvidia.com/gpu"].as<int64_t>(), ws.candidate.count);
    EXPECT_EQ(leader["readinessProbe"]["httpGet"]["path"].as<std::string>(), runtime->endpoints.health);
    std::string command = leader["command"][2].as<std::string>();
    size_t at = command.find("vllm.entrypoints.openai.api_server");
    ASSERT_NE(at, std::string::npos);
    args = Words(command.substr(at + std::string("vllm.entrypoints.openai.api_server").size()));
    EXPECT_NE(command.find("--ray_cluster_size=$(LWS_GROUP_SIZE)"), std::string::npos);
    YAML::Node service = YAML::LoadFile(dir + "/k8s/service.yaml");
    EXPECT_EQ(service["spec"]["ports"][0]["port"].as<int64_t>(), runtime->endpoints.port);
  } else {
    // run.sh: the flags one per line after the executable.
    std::string script = Slurp(fs::path(dir) / "run.sh");
    size_t at = script.find("exec llama-server");
    ASSERT_NE(at, std::string::npos);
    std::string rest = script.substr(at + 17);
    for (char& ch : rest) {
      if (ch == '\\' || ch == '\n') ch = ' ';
    }
    args = Words(rest);
    EXPECT_EQ(ArgOf(args, "--model"), "\"$MODEL\"");
    EXPECT_EQ(0, std::system(("bash -n '" + dir + "/run.sh'").c_str()));
  }
  EXPECT_EQ(args.size(), json_args.size());
  CheckArgs(plan, ws, args, "packaging");

  // The scripts are valid bash.
  for (const char* script : {"smoke_eval.sh", "healthcheck.sh"}) {
    EXPECT_EQ(0, std::system(("bash -n '" + dir + "/" + script + "'").c_str())) << script;
    EXPECT_TRUE((fs::status(fs::path(dir) / script).permissions() & fs::perms::owner_exec) != fs::perms::none);
  }
  // One request per smoke case, asking the served model.
  for (const SmokeCase& c : job.smoke_eval) {
    nlohmann::json body = nlohmann::json::parse(Slurp(fs::path(dir) / "smoke" / (c.name + ".json")));
    EXPECT_EQ(body["messages"][0]["content"].get<std::string>(), c.question);
    EXPECT_EQ(body["max_tokens"].get<int64_t>(), c.max_tokens);
  }

  // release.yaml is a manifest `sizer check` reads, with the plan's serving settings.
  if (!job.smoke_eval.empty()) {
    std::ofstream(fs::path(dir) / "smoke-results.json") << "{\"cases\": []}\n";
  }
  StatusOr<ReleaseManifest> m = LoadManifest(dir + "/release.yaml", RealCatalog());
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->model_version, d.release_name);
  EXPECT_EQ(m->job.context_tokens, job.context_tokens);
  EXPECT_EQ(m->job.concurrency, job.concurrency);
  EXPECT_EQ(m->job.runtime, job.runtime);
  EXPECT_EQ(m->job.kv_cache_dtype, job.kv_cache_dtype);
  EXPECT_DOUBLE_EQ(m->job.gates.reserve_fraction, job.gates.reserve_fraction);
  ASSERT_EQ(m->job.candidates.size(), 1u);
  EXPECT_EQ(m->job.candidates[0].label, ws.candidate.label);
  EXPECT_EQ(m->job.candidates[0].hardware.memory_bytes, ws.candidate.hardware.memory_bytes);
  if (!job.model_file) {
    EXPECT_EQ(m->job.quant, plan.quant);
    EXPECT_EQ(m->job.model.n_layers, job.model.n_layers);
  }
  EXPECT_EQ(m->eval.has_value(), !job.smoke_eval.empty());
  EXPECT_NE(Slurp(fs::path(dir) / "README.md").find("## Settings and where they come from"), std::string::npos);
}

TEST(Deploy, EveryAdmittedCandidateOfEveryWorksheetGetsABundleThatMatchesItsPlan) {
  StatusOr<std::vector<std::string>> files = ListFiles(SourceDir() + "/worksheets", ".yaml");
  ASSERT_TRUE(files.ok());
  int bundles = 0;
  std::map<Packaging, int> by_packaging;
  std::map<std::string, int> by_runtime;
  for (const std::string& file : *files) {
    StatusOr<JobSpec> job = LoadJobSpec(file, RealCatalog());
    ASSERT_TRUE(job.ok()) << job.status().message();
    StatusOr<Plan> plan = MakePlan(*job);
    ASSERT_TRUE(plan.ok());
    for (size_t i = 0; i < plan->candidates.size(); ++i) {
      const CandidateWorksheet& ws = plan->candidates[i];
      StatusOr<Deployment> d = PlanDeployment(*plan, i, RealCatalog(), {});
      if (!ws.admitted()) {
        ASSERT_FALSE(d.ok());
        EXPECT_EQ(d.status().code(), StatusCode::kUnsupported);
        for (const std::string& reason : ReasonTexts(ws.reasons)) {
          EXPECT_NE(d.status().message().find(reason), std::string::npos) << reason;
        }
        continue;
      }
      ASSERT_TRUE(d.ok()) << file << " / " << ws.candidate.label << ": " << d.status().message();
      const std::string dir = TempDir("all_" + std::to_string(bundles));
      ASSERT_TRUE(WriteBundle(dir, RenderBundle(*d, {})).ok());
      CheckBundle(*plan, *d, dir);
      ++bundles;
      ++by_packaging[d->packaging];
      ++by_runtime[job->runtime];
      fs::remove_all(dir);
    }
  }
  // Every kind of bundle is exercised by the bundled worksheets.
  EXPECT_GE(bundles, 10);
  EXPECT_GT(by_packaging[Packaging::kCompose], 0);
  EXPECT_GT(by_packaging[Packaging::kKubernetes], 0);
  EXPECT_GT(by_packaging[Packaging::kNative], 0);
  EXPECT_GT(by_runtime["llama.cpp"], 0);
  EXPECT_GT(by_runtime["vllm"], 0);
}

// The plan owns its job (Plan::job): nothing else needs to outlive the call.
StatusOr<Plan> PlanOf(const std::string& worksheet) {
  SIZER_ASSIGN_OR_RETURN(JobSpec job,
                         LoadJobSpec(SourceDir() + "/worksheets/" + worksheet, RealCatalog()));
  return MakePlan(job);
}

TEST(Deploy, SelectCandidateByIdLabelOrRecommendation) {
  StatusOr<Plan> plan = PlanOf("serving-vllm-70b.yaml");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(*SelectCandidate(*plan, "2x h100-sxm"), 1u);
  EXPECT_EQ(*SelectCandidate(*plan, "h100-sxm"), 0u);  // the single card's label (rejected)
  EXPECT_EQ(*SelectCandidate(*plan, "4x l40s"), 2u);
  EXPECT_EQ(*SelectCandidate(*plan, "l40s"), 2u);      // by hardware id
  EXPECT_EQ(*SelectCandidate(*plan, "2"), 1u);         // by number
  EXPECT_EQ(SelectCandidate(*plan, "4").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(SelectCandidate(*plan, "0").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*SelectCandidate(*plan, ""), *plan->recommended);
  StatusOr<size_t> unknown = SelectCandidate(*plan, "h100-smx");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("did you mean 'h100-sxm'"), std::string::npos);
}

TEST(Deploy, TwoCandidatesWithOneLabelNeedTheNumber) {
  StatusOr<Plan> plan = PlanOf("serving-llama-cpp-two-gpus.yaml");
  ASSERT_TRUE(plan.ok());
  StatusOr<size_t> ambiguous = SelectCandidate(*plan, "2x rtx-3090");
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(ambiguous.status().message().find("matches candidates 2 (2x rtx-3090), 3 (2x rtx-3090)"),
            std::string::npos) << ambiguous.status().message();
  EXPECT_EQ(*SelectCandidate(*plan, "3"), 2u);
}

TEST(Deploy, ARuntimeSizerDoesNotRenderIsRefusedWithTheReason) {
  JobSpec job = testing::ParseJobOrDie(R"(job: j
model: llama-3.1-8b
quant: Q4_K_M
context_tokens: 4096
runtime: ollama
prompt_tokens: 100
output_tokens: 100
candidates: [rtx-4090]
)");
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(plan->candidates[0].admitted());
  StatusOr<Deployment> d = PlanDeployment(*plan, 0, RealCatalog(), {});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(d.status().message().find("ollama is not rendered"), std::string::npos) << d.status().message();
}

TEST(Deploy, HardwareWithoutAnImageIsRefused) {
  JobSpec job = testing::ParseJobOrDie(R"(job: j
model: llama-3.1-8b
quant: Q4_K_M
context_tokens: 4096
runtime: llama.cpp
prompt_tokens: 100
output_tokens: 100
candidates: [radeon-rx-7900-xtx]
)");
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_TRUE(plan.ok());
  ASSERT_THAT(plan->candidates[0].reasons, ::testing::IsEmpty());
  StatusOr<Deployment> d = PlanDeployment(*plan, 0, RealCatalog(), {});
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("pins no image for gpu hardware from amd"), std::string::npos)
      << d.status().message();
}

TEST(Deploy, ModelPathIsChecksummedIntoTheManifest) {
  StatusOr<Plan> plan = PlanOf("chat-assistant-8b.yaml");
  ASSERT_TRUE(plan.ok());
  const std::string dir = TempDir("sha");
  const std::string weights = dir + "/weights.bin";
  std::ofstream(weights) << "not really a model";
  DeployOptions options;
  options.model_path = weights;
  options.release_name = "chat-r2";
  StatusOr<Deployment> d = PlanDeployment(*plan, *plan->recommended, RealCatalog(), options);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->model_container_path, "/models/weights.bin");
  const std::string out = dir + "/bundle";
  ASSERT_TRUE(WriteBundle(out, RenderBundle(*d, {})).ok());
  std::ofstream(out + "/smoke-results.json") << "{\"cases\": []}\n";
  StatusOr<ReleaseManifest> m = LoadManifest(out + "/release.yaml", RealCatalog());
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->model_version, "chat-r2");
  EXPECT_EQ(m->artifact.sha256, *Sha256File(weights));
  EXPECT_EQ(m->artifact.path, weights);
  EXPECT_FALSE(m->previous.has_value());
  fs::remove_all(dir);
}

TEST(Deploy, PreviousReleaseBecomesTheRollback) {
  StatusOr<Plan> plan = PlanOf("chat-assistant-8b.yaml");
  ASSERT_TRUE(plan.ok());
  StatusOr<BundleContext> context =
      LoadPreviousRelease(SourceDir() + "/worksheets/release/incident-q4-r17.yaml");
  ASSERT_TRUE(context.ok()) << context.status().message();
  StatusOr<Deployment> d = PlanDeployment(*plan, *plan->recommended, RealCatalog(), {});
  ASSERT_TRUE(d.ok());
  const std::string dir = TempDir("previous");
  ASSERT_TRUE(WriteBundle(dir, RenderBundle(*d, *context)).ok());
  std::ofstream(dir + "/smoke-results.json") << "{\"cases\": []}\n";
  StatusOr<ReleaseManifest> m = LoadManifest(dir + "/release.yaml", RealCatalog());
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_TRUE(m->previous.has_value());
  EXPECT_EQ(m->previous->model_version, "incident-q4-r17");
  EXPECT_EQ(m->previous->artifact.sha256, "95e4af680a483ab1cc2fec4304a0577a8bf442de51a8dd2fc5424c3cc56e44ae");
  EXPECT_NE(Slurp(fs::path(dir) / "README.md").find("Rollback: the previous release is `incident-q4-r17`"),
            std::string::npos);
  // A job is not a release manifest.
  EXPECT_FALSE(LoadPreviousRelease(SourceDir() + "/worksheets/chat-assistant-8b.yaml").ok());
  fs::remove_all(dir);
}

// smoke_eval.sh against a stand-in curl that answers from $FAKE_REPLY in $FAKE_SECONDS.
int RunSmoke(const std::string& dir, const std::string& reply, const std::string& seconds) {
  const std::string bin = dir + "/fakebin";
  fs::create_directories(bin);
  std::ofstream(bin + "/curl") << "#!/usr/bin/env bash\n"
                                  "out=''\n"
                                  "while (($#)); do if [[ $1 == -o ]]; then out=$2; shift; fi; shift; done\n"
                                  "printf '{\"choices\":[{\"message\":{\"content\":\"%s\"}}]}' \"$FAKE_REPLY\" > \"$out\"\n"
                                  "printf '%s' \"$FAKE_SECONDS\"\n";
  fs::permissions(bin + "/curl", fs::perms::owner_all);
  std::string command = "cd '" + dir + "' && PATH='" + bin + "':\"$PATH\" FAKE_REPLY='" + reply +
                        "' FAKE_SECONDS='" + seconds + "' bash ./smoke_eval.sh >/dev/null 2>&1";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Deploy, SmokeEvalFailsOnAWrongAnswerOrASlowOneAndWritesResultsSizerCheckReads) {
  JobSpec job = testing::ParseJobOrDie(R"(job: smoke
model: llama-3.1-8b
quant: Q4_K_M
context_tokens: 4096
runtime: llama.cpp
prompt_tokens: 100
output_tokens: 100
candidates: [rtx-4090]
smoke_eval:
  - {name: capital, question: "Capital of France?", expect: paris, max_latency_ms: 1000}
)");
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_TRUE(plan.ok());
  StatusOr<Deployment> d = PlanDeployment(*plan, 0, RealCatalog(), {});
  ASSERT_TRUE(d.ok());
  const std::string dir = TempDir("smoke");
  ASSERT_TRUE(WriteBundle(dir, RenderBundle(*d, {})).ok());
  EXPECT_EQ(RunSmoke(dir, "The capital is Paris.", "0.250"), 0);
  StatusOr<ReleaseManifest> m = LoadManifest(dir + "/release.yaml", RealCatalog());
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_TRUE(m->eval.has_value());
  ASSERT_EQ(m->eval->cases.size(), 1u);
  EXPECT_EQ(m->eval->cases[0].name, "capital");
  EXPECT_TRUE(*m->eval->cases[0].correct);
  EXPECT_DOUBLE_EQ(*m->eval->cases[0].latency_ms, 250.0);
  EXPECT_DOUBLE_EQ(*m->eval->max_latency_ms, 1000.0);
  EXPECT_EQ(RunSmoke(dir, "Lyon", "0.250"), 1);    // wrong answer
  EXPECT_EQ(RunSmoke(dir, "Paris", "1.500"), 1);   // over the 1000 ms gate
  m = LoadManifest(dir + "/release.yaml", RealCatalog());
  ASSERT_TRUE(m.ok());
  EXPECT_DOUBLE_EQ(*m->eval->cases[0].latency_ms, 1500.0);
  fs::remove_all(dir);
}

TEST(Deploy, SmokeGateWithoutAJobValueComesFromTheWorksheet) {
  StatusOr<Plan> plan = PlanOf("chat-assistant-8b.yaml");
  ASSERT_TRUE(plan.ok());
  StatusOr<Deployment> d = PlanDeployment(*plan, *plan->recommended, RealCatalog(), {});
  ASSERT_TRUE(d.ok());
  const CandidateWorksheet& ws = d->worksheet();
  const JobSpec& job = *plan->job;
  const SmokeCase& planned = job.smoke_eval[0];
  ASSERT_FALSE(planned.max_latency_ms);
  EXPECT_DOUBLE_EQ(SmokeLatencyGateMs(*d, planned),
                   std::ceil(ws.gate_ttft_ms + 32 * ws.gate_p95_token_latency_ms));
  EXPECT_DOUBLE_EQ(SmokeLatencyGateMs(*d, job.smoke_eval[1]), 3000.0);
}

TEST(YamlText, EveryScalarSurvivesARoundTripThroughYamlCpp) {
  nlohmann::ordered_json v;
  v["plain"] = "value";
  v["colon"] = "a: b # not a comment";
  v["looks like bool"] = "yes";
  v["looks like number"] = "0123";
  v["url"] = "http://localhost:8080/health";
  v["trailing colon"] = "key:";
  v["null word"] = "null";
  v["flag"] = "--model";
  v["hash"] = "a#b";
  v["newline"] = "line one\nline two";
  v["quotes"] = "say \"hi\" and 'bye'";
  v["number"] = 0.85;
  v["int"] = 42;
  v["bool"] = true;
  v["empty list"] = nlohmann::ordered_json::array();
  v["list"] = {"a", "-b", ""};
  v["maps"] = nlohmann::ordered_json::array({{{"k", "v"}, {"n", 1}}, {{"x", {{"y", "z"}}}}});
  YAML::Node n = YAML::Load(ToYamlText(v));
  EXPECT_EQ(n["plain"].as<std::string>(), "value");
  EXPECT_EQ(n["colon"].as<std::string>(), "a: b # not a comment");
  EXPECT_EQ(n["looks like bool"].as<std::string>(), "yes");
  EXPECT_EQ(n["looks like number"].as<std::string>(), "0123");
  EXPECT_EQ(n["url"].as<std::string>(), "http://localhost:8080/health");
  EXPECT_EQ(n["trailing colon"].as<std::string>(), "key:");
  EXPECT_FALSE(n["null word"].IsNull());
  EXPECT_EQ(n["null word"].as<std::string>(), "null");
  EXPECT_EQ(n["flag"].as<std::string>(), "--model");
  EXPECT_EQ(n["hash"].as<std::string>(), "a#b");
  // Numbers written as strings stay strings (compose needs "8080:8080", not a number).
  const std::string text = ToYamlText(nlohmann::ordered_json{{"port", "8080"}, {"plain", "gpu"}});
  EXPECT_NE(text.find("port: \"8080\""), std::string::npos) << text;
  EXPECT_NE(text.find("plain: gpu"), std::string::npos) << text;
  EXPECT_EQ(n["newline"].as<std::string>(), "line one\nline two");
  EXPECT_EQ(n["quotes"].as<std::string>(), "say \"hi\" and 'bye'");
  EXPECT_DOUBLE_EQ(n["number"].as<double>(), 0.85);
  EXPECT_EQ(n["int"].as<int>(), 42);
  EXPECT_TRUE(n["bool"].as<bool>());
  EXPECT_EQ(n["empty list"].size(), 0u);
  EXPECT_EQ(n["list"][1].as<std::string>(), "-b");
  EXPECT_EQ(n["list"][2].as<std::string>(), "");
  EXPECT_EQ(n["maps"][0]["k"].as<std::string>(), "v");
  EXPECT_EQ(n["maps"][0]["n"].as<int>(), 1);
  EXPECT_EQ(n["maps"][1]["x"]["y"].as<std::string>(), "z");
}

}  // namespace
}  // namespace sizer
