// service/api.h against the CLI: for the same inputs, the service's JSON equals what the
// built `sizer` prints with --json (parsed and compared whole), and a bad request gets the
// CLI's one-line message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/api.h"
#include "service_test_support.h"
#include "testing/status_matchers.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::CliResult;
using testing::RunCli;
using testing::RunCliIn;
using testing::ScratchDir;
using testing::StatusIs;

const char kJobYaml[] =
    "job: service-test\n"
    "model: llama-3.1-8b\n"
    "quant: Q4_K_M\n"
    "context_tokens: 8192\n"
    "concurrency: 4\n"
    "runtime: llama.cpp\n"
    "prompt_tokens: 1500\n"
    "output_tokens: 300\n"
    "candidates: [rtx-3060-12gb, rtx-4090, {hardware: rtx-4090, count: 2}]\n"
    "gates: {min_decode_tokens_per_s: 15}\n"
    "cost: {requests_per_month: 200000, hosted: {usd_per_million_input_tokens: 0.2,"
    " usd_per_million_output_tokens: 0.6}}\n";

// The same job as a JSON document.
const char kJobJson[] = R"({"job": "service-test", "model": "llama-3.1-8b", "quant": "Q4_K_M",
  "context_tokens": 8192, "concurrency": 4, "runtime": "llama.cpp",
  "prompt_tokens": 1500, "output_tokens": 300,
  "candidates": ["rtx-3060-12gb", "rtx-4090", {"hardware": "rtx-4090", "count": 2}],
  "gates": {"min_decode_tokens_per_s": 15},
  "cost": {"requests_per_month": 200000, "hosted": {"usd_per_million_input_tokens": 0.2,
           "usd_per_million_output_tokens": 0.6}}})";

// `sizer plan (request) --json` with the body saved as a file named like the service's
// request, so that even job.file agrees.
CliResult CliPlan(const std::string& body) {
  ScratchDir dir("plan");
  dir.Write(service::kRequestFileName, body);
  return RunCliIn(dir.path(), "plan '" + std::string(service::kRequestFileName) + "' --json");
}

TEST(ServicePlan, YamlJobEqualsTheCliJson) {
  const service::ServiceContext ctx = testing::RealService();
  StatusOr<nlohmann::json> got = service::PlanJson(ctx, kJobYaml);
  ASSERT_TRUE(got.ok()) << got.status().message();
  CliResult cli = CliPlan(kJobYaml);
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(*got, testing::ParsedOut(cli));
  EXPECT_EQ((*got)["job"]["file"], service::kRequestFileName);
  EXPECT_EQ((*got)["candidates"].size(), 3u);
}

TEST(ServicePlan, JsonJobIsTheSameJob) {
  const service::ServiceContext ctx = testing::RealService();
  StatusOr<nlohmann::json> yaml = service::PlanJson(ctx, kJobYaml);
  StatusOr<nlohmann::json> json = service::PlanJson(ctx, kJobJson);
  ASSERT_TRUE(yaml.ok() && json.ok()) << json.status().message();
  EXPECT_EQ(*yaml, *json);
  CliResult cli = CliPlan(kJobJson);
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(*json, testing::ParsedOut(cli));
}

TEST(ServicePlan, AModelFileUnderTheModelsFolder) {
  const service::ServiceContext ctx = testing::RealService();
  const std::string body =
      "job: tiny\nmodel: stories260K.gguf\ncontext_tokens: 256\nruntime: llama.cpp\n"
      "prompt_tokens: 64\noutput_tokens: 32\n"
      "candidates: [rtx-4090]\n";
  StatusOr<nlohmann::json> got = service::PlanJson(ctx, body);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ((*got)["job"]["quant"], "F32");
  // Messages and sources name the file as the request did, not where the server keeps it.
  EXPECT_EQ((*got).dump().find(ctx.models_dir.string()), std::string::npos);
  // The CLI reads the same job from a file in the models folder.
  ScratchDir dir("plan_gguf");
  dir.Write(service::kRequestFileName, body);
  std::filesystem::copy_file(ctx.models_dir / "stories260K.gguf", dir.path() / "stories260K.gguf");
  CliResult cli = RunCliIn(dir.path(), "plan '(request)' --json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(*got, testing::ParsedOut(cli));
}

TEST(ServicePlan, MalformedInputGetsTheCliMessage) {
  const service::ServiceContext ctx = testing::RealService();
  for (const std::string& body : {std::string("{\"job\": \"x\", \"model\": "),  // malformed JSON
                                 std::string("job: [x\nmodel: y\n"),            // malformed YAML
                                 std::string("[1, 2, 3]"),                      // not an object
                                 std::string("job: x\nmodel: llama-3.1-8b\nquant: Q4_K_M\n"
                                             "context_tokens: 1024\nruntime: llama.cpp\n"
                                             "candidates: [rtx-4090]\nbogus: 1\n")}) {
    StatusOr<nlohmann::json> got = service::PlanJson(ctx, body);
    ASSERT_FALSE(got.ok()) << body;
    CliResult cli = CliPlan(body);
    EXPECT_EQ(cli.exit_code, 2) << body;
    EXPECT_EQ(got.status().message(), testing::CliMessage(cli)) << body;
    EXPECT_EQ(got.status().message().find('\n'), std::string::npos);
    EXPECT_THAT(got.status().message(), StartsWith(service::kRequestFileName));
    EXPECT_TRUE(got.status().code() == StatusCode::kInvalidArgument ||
                got.status().code() == StatusCode::kCorruption)
        << StatusCodeName(got.status().code());
  }
  EXPECT_EQ(service::PlanJson(ctx, "{\"job\": ").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(service::PlanJson(ctx, "[1]").status().code(), StatusCode::kInvalidArgument);
}

TEST(ServicePlan, OversizedBodyIsRefusedBeforeParsing) {
  const service::ServiceContext ctx = testing::RealService();
  const std::string body = std::string(kJobYaml) + "# " + std::string(service::kMaxRequestBodyBytes, 'x') + "\n";
  EXPECT_THAT(service::PlanJson(ctx, body),
              StatusIs(StatusCode::kInvalidArgument,
                       "request body is " + std::to_string(body.size()) + " bytes; the limit is 1 MiB"));
  EXPECT_THAT(service::ReportHtml(ctx, body), StatusIs(StatusCode::kInvalidArgument, HasSubstr("1 MiB")));
}

TEST(ServicePlan, AModelPathOutsideTheFolderIsRefusedAtItsKey) {
  const service::ServiceContext ctx = testing::RealService();
  const std::string job = "job: x\nmodel: ../models/stories260K.gguf\ncontext_tokens: 256\n"
                          "runtime: llama.cpp\ncandidates: [rtx-4090]\n";
  EXPECT_THAT(service::PlanJson(ctx, job),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(StartsWith("(request):2:8: model: model file '../models/stories260K.gguf'"),
                             HasSubstr("'..' is not allowed"))));
  service::ServiceContext no_files = ctx;
  no_files.models_dir.clear();
  EXPECT_THAT(service::PlanJson(no_files, "job: x\nmodel: stories260K.gguf\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("--models-dir")));
}

// Every file a job names goes through the models-folder rule, not only `model:`: an mmproj,
// a draft model, a LoRA adapter and a checkpoint's config.json outside the folder are refused
// at their keys, and a database model with a database draft needs no file at all.
TEST(ServicePlan, EveryFileAJobNamesStaysUnderTheModelsFolder) {
  const service::ServiceContext ctx = testing::RealService();
  const std::string head = "job: x\nmodel: llama-3.1-8b\nquant: Q4_K_M\ncontext_tokens: 4096\n"
                           "runtime: llama.cpp\nprompt_tokens: 500\noutput_tokens: 100\ncandidates: [rtx-4090]\n";
  EXPECT_THAT(service::PlanJson(ctx, head + "vision: ../mmproj.gguf\n"),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(StartsWith("(request):9:9: vision: model file '../mmproj.gguf'"),
                             HasSubstr("'..' is not allowed"))));
  EXPECT_THAT(service::PlanJson(ctx, head + "vision: /etc/passwd\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("an absolute path")));
  EXPECT_THAT(service::PlanJson(ctx, head + "draft: {model: /tmp/draft.gguf}\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("an absolute path")));
  EXPECT_THAT(service::PlanJson(ctx, head + "adapters: [{path: ../lora.gguf}]\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'..' is not allowed")));
  EXPECT_THAT(service::PlanJson(ctx, "job: x\nmodel: /etc/config.json\nruntime: vllm\n"
                                     "prompt_tokens: 500\noutput_tokens: 100\ncandidates: [h100-sxm]\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("an absolute path")));
  EXPECT_THAT(service::PlanJson(ctx, head + "draft: {model: llama-3.2-1b}\n"), testing::IsOk());
}

// A Hugging Face checkpoint under the models folder is named by its config.json, in a job and
// in a fit question alike, and planned from its safetensors headers.
TEST(ServicePlan, ACheckpointIsNamedByItsConfigJson) {
  service::ServiceContext ctx = testing::RealService();
  ctx.models_dir = std::filesystem::canonical(testing::TestDataDir());
  const std::string model = "hf/llama-3-8b-instruct-fp8/config.json";
  StatusOr<nlohmann::json> plan =
      service::PlanJson(ctx, "job: x\nmodel: " + model + "\ncontext_tokens: 8192\nruntime: vllm\n"
                             "prompt_tokens: 500\noutput_tokens: 100\ncandidates: [h100-sxm]\n");
  ASSERT_THAT(plan, testing::IsOk());
  StatusOr<nlohmann::json> fit = service::FitJson(
      ctx, {{"model", model}, {"runtime", "vllm"}, {"context", "8k"}, {"on", "h100-sxm"}});
  ASSERT_THAT(fit, testing::IsOk());
  for (const nlohmann::json* answer : {&*plan, &*fit}) {
    EXPECT_EQ((*answer)["candidates"][0]["memory"]["weights_bytes"], 9081202432.0);
  }
  EXPECT_THAT(service::FitJson(ctx, {{"model", "hf/../hf/llama-3-8b-instruct-fp8/config.json"}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'..' is not allowed")));
}

// --- fit ---

TEST(ServiceFit, EqualsTheCliJson) {
  const service::ServiceContext ctx = testing::RealService();
  const nlohmann::json params = {{"model", "llama-3.1-70b"}, {"context", "32k"},
                                 {"on", "rtx-4090,2x rtx-4090,h100-sxm"}, {"concurrency", 2},
                                 {"set", {"gates.max_ttft_ms=2000"}}};
  StatusOr<nlohmann::json> got = service::FitJson(ctx, params);
  ASSERT_TRUE(got.ok()) << got.status().message();
  CliResult cli = RunCli("fit llama-3.1-70b --context 32k --on 'rtx-4090,2x rtx-4090,h100-sxm' "
                         "--concurrency 2 --set gates.max_ttft_ms=2000 --json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(*got, testing::ParsedOut(cli));
  EXPECT_EQ((*got)["job"]["concurrency"], 2);
}

TEST(ServiceFit, MaxContextEqualsTheCliJson) {
  const service::ServiceContext ctx = testing::RealService();
  const nlohmann::json params = {{"model", "llama-3.1-8b"},
                                 {"on", {"rtx-4090", "rtx-3060-12gb"}},
                                 {"max_context", true}};
  StatusOr<nlohmann::json> got = service::FitJson(ctx, params);
  ASSERT_TRUE(got.ok()) << got.status().message();
  CliResult cli = RunCli("fit llama-3.1-8b --on 'rtx-4090,rtx-3060-12gb' --max-context --json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(*got, testing::ParsedOut(cli));
  EXPECT_EQ((*got)["format"], "sizer-max-context/1");
  EXPECT_EQ((*got)["machines"].size(), 2u);
}

TEST(ServiceFit, AModelFileEqualsTheCliWithItsPath) {
  const service::ServiceContext ctx = testing::RealService();
  StatusOr<nlohmann::json> got = service::FitJson(
      ctx, {{"model", "stories260K.gguf"}, {"memory", "1GiB"}, {"bandwidth", "10GB/s"}});
  ASSERT_TRUE(got.ok()) << got.status().message();
  const std::string path = (ctx.models_dir / "stories260K.gguf").string();
  CliResult cli = RunCli("fit '" + path + "' --memory 1GiB --bandwidth 10GB/s --json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(*got, testing::ParsedOut(cli));
  EXPECT_EQ((*got)["job"]["quant"], "F32");
}

TEST(ServiceFit, BadParametersGetOneLineMessages) {
  const service::ServiceContext ctx = testing::RealService();
  EXPECT_THAT(service::FitJson(ctx, {{"model", "llama-3.1-8b"}, {"contxt", "8k"}}),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(StartsWith("fit: unknown parameter 'contxt'"), HasSubstr("context"))));
  EXPECT_THAT(service::FitJson(ctx, {{"model", "llama-3.1-8b"}, {"prices", "p.yaml"}}),
              StatusIs(StatusCode::kInvalidArgument, StartsWith("fit: unknown parameter 'prices'")));
  EXPECT_THAT(service::FitJson(ctx, nlohmann::json::array({1, 2})),
              StatusIs(StatusCode::kInvalidArgument, StartsWith("fit: expected a JSON object")));
  EXPECT_THAT(service::FitJson(ctx, {{"context", "8k"}}),
              StatusIs(StatusCode::kInvalidArgument, StartsWith("fit: missing model")));
  EXPECT_THAT(service::FitJson(ctx, {{"model", "llama-3.1-8b"}, {"concurrency", true}}),
              StatusIs(StatusCode::kInvalidArgument, "fit: concurrency: expected a string or a number, got boolean"));
  EXPECT_THAT(service::FitJson(ctx, {{"model", "/etc/passwd.gguf"}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("an absolute path")));
  // The same mistakes as flags get the CLI's very message.
  for (const auto& [params, flags] : std::vector<std::pair<nlohmann::json, std::string>>{
           {{{"model", "llama-3.1-8b"}, {"context", "0"}, {"on", "rtx-4090"}}, "--context 0 --on rtx-4090"},
           {{{"model", "llama-3.1-8b"}, {"on", "rtx-4091"}}, "--on rtx-4091"},
           {{{"model", "llama-3.1-8b"}, {"on", "rtx-4090"}, {"gpu", "rtx-4090"}}, "--on rtx-4090 --gpu rtx-4090"},
           {{{"model", "llama-3.1-8bb"}, {"on", "rtx-4090"}}, ""}}) {
    StatusOr<nlohmann::json> got = service::FitJson(ctx, params);
    ASSERT_FALSE(got.ok()) << params.dump();
    const std::string model = params["model"];
    CliResult cli = RunCli("fit " + model + " " + flags);
    EXPECT_EQ(cli.exit_code, 2) << cli.err;
    EXPECT_EQ(got.status().message(), testing::CliMessage(cli));
  }
}

// --- recommend ---

TEST(ServiceRecommend, AModelQuestionEqualsTheCliJson) {
  const service::ServiceContext ctx = testing::RealService();
  StatusOr<nlohmann::json> got = service::RecommendJson(
      ctx, {{"model", "llama-3.1-8b"}, {"context", "32k"}, {"concurrency", 4}, {"min_decode", 20},
            {"rank", "speed"}, {"top", 3}, {"quants", {"Q4_K_M", "Q8_0"}}, {"date", "2026-01-01"}});
  ASSERT_TRUE(got.ok()) << got.status().message();
  CliResult cli = RunCli("recommend --model llama-3.1-8b --context 32k --concurrency 4 --min-decode 20 "
                         "--rank speed --top 3 --quants Q4_K_M,Q8_0 --date 2026-01-01 --json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(*got, testing::ParsedOut(cli));
}

TEST(ServiceRecommend, AJobEqualsTheCliJson) {
  const service::ServiceContext ctx = testing::RealService();
  StatusOr<nlohmann::json> got =
      service::RecommendJson(ctx, {{"job", kJobYaml}, {"top", 2}, {"date", "2026-01-01"}});
  ASSERT_TRUE(got.ok()) << got.status().message();
  StatusOr<nlohmann::json> as_object = service::RecommendJson(
      ctx, {{"job", nlohmann::json::parse(kJobJson)}, {"top", 2}, {"date", "2026-01-01"}});
  ASSERT_TRUE(as_object.ok()) << as_object.status().message();
  EXPECT_EQ(*got, *as_object);
  ScratchDir dir("recommend");
  dir.Write(service::kRequestFileName, kJobYaml);
  CliResult cli = RunCliIn(dir.path(), "recommend '(request)' --top 2 --date 2026-01-01 --json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(*got, testing::ParsedOut(cli));
}

TEST(ServiceRecommend, TheInverseEqualsTheCliJson) {
  const service::ServiceContext ctx = testing::RealService();
  StatusOr<nlohmann::json> got = service::RecommendJson(ctx, {{"hardware", "rtx-4090"}, {"context", "8k"}});
  ASSERT_TRUE(got.ok()) << got.status().message();
  CliResult cli = RunCli("recommend --hardware rtx-4090 --context 8k --json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(*got, testing::ParsedOut(cli));
}

TEST(ServiceRecommend, BadParametersGetTheCliMessages) {
  const service::ServiceContext ctx = testing::RealService();
  for (const auto& [params, flags] : std::vector<std::pair<nlohmann::json, std::string>>{
           {{{"model", "llama-3.1-8b"}, {"rank", "fastest"}}, "--model llama-3.1-8b --rank fastest"},
           {{{"model", "llama-3.1-8b"}, {"top", 0}}, "--model llama-3.1-8b --top 0"},
           {{{"model", "llama-3.1-8b"}, {"counts", "0"}}, "--model llama-3.1-8b --counts 0"},
           {{{"model", "llama-3.1-8b"}, {"on", "rtx-4090"}}, "--model llama-3.1-8b --on rtx-4090"},
           {{{"hardware", "rtx-4090"}, {"model", "llama-3.1-8b"}}, "--hardware rtx-4090 --model llama-3.1-8b"},
           {nlohmann::json::object(), ""}}) {
    StatusOr<nlohmann::json> got = service::RecommendJson(ctx, params);
    ASSERT_FALSE(got.ok()) << params.dump();
    CliResult cli = RunCli("recommend " + flags);
    EXPECT_EQ(cli.exit_code, 2) << cli.err;
    if (params.empty()) {  // the service names its own keys
      EXPECT_EQ(got.status().message(), "recommend: give a job (\"job\": {...}) or a model (\"model\": \"ID\")");
    } else {
      EXPECT_EQ(got.status().message(), testing::CliMessage(cli)) << params.dump();
    }
  }
  EXPECT_THAT(service::RecommendJson(ctx, {{"model", "llama-3.1-8b"}, {"prices", "p.yaml"}}),
              StatusIs(StatusCode::kInvalidArgument, StartsWith("recommend: unknown parameter 'prices'")));
}

// --- inspect and the report ---

TEST(ServiceInspect, AFileEqualsTheCliJsonAndAnIdItsEntry) {
  const service::ServiceContext ctx = testing::RealService();
  StatusOr<nlohmann::json> got = service::InspectJson(ctx, "stories260K.gguf");
  ASSERT_TRUE(got.ok()) << got.status().message();
  CliResult cli = RunCliIn(ctx.models_dir, "inspect stories260K.gguf --json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(*got, testing::ParsedOut(cli));
  EXPECT_EQ((*got)["file"], "stories260K.gguf");  // not the server's path
  StatusOr<nlohmann::json> entry = service::InspectJson(ctx, "llama-3.1-8b");
  ASSERT_TRUE(entry.ok()) << entry.status().message();
  EXPECT_EQ(*entry, testing::ParsedOut(RunCli("db show llama-3.1-8b --json")));
  EXPECT_THAT(service::InspectJson(ctx, "missing.gguf"), StatusIs(StatusCode::kNotFound, HasSubstr("missing.gguf")));
  EXPECT_THAT(service::InspectJson(ctx, "/etc/passwd.gguf"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("absolute")));
}

TEST(ServiceReport, HtmlForAJob) {
  const service::ServiceContext ctx = testing::RealService();
  StatusOr<std::string> html = service::ReportHtml(ctx, kJobJson);
  ASSERT_TRUE(html.ok()) << html.status().message();
  EXPECT_THAT(*html, StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(*html, HasSubstr("service-test"));
  EXPECT_THAT(*html, HasSubstr("rtx-4090"));
  EXPECT_THAT(service::ReportHtml(ctx, "[1]"),
              StatusIs(StatusCode::kInvalidArgument, "report: (request):1:1: a job must be a YAML mapping"));
}

// --- listings ---

TEST(ServiceLists, EqualTheCliJson) {
  const service::ServiceContext ctx = testing::RealService();
  CliResult models = RunCli("db list models --json");
  CliResult hardware = RunCli("db list hardware --json");
  CliResult runtimes = RunCli("runtimes --json");
  ASSERT_EQ(models.exit_code + hardware.exit_code + runtimes.exit_code, 0);
  EXPECT_EQ(service::ModelsJson(ctx), testing::ParsedOut(models));
  EXPECT_EQ(service::HardwareJson(ctx), testing::ParsedOut(hardware));
  EXPECT_EQ(service::RuntimesJson(ctx), testing::ParsedOut(runtimes));
  EXPECT_EQ(service::ModelsJson(ctx).size(), testing::RealCatalog().models().size());
  EXPECT_GT(service::HardwareJson(ctx).size(), 10u);
}

TEST(ServiceLists, OneModelOrNotFound) {
  const service::ServiceContext ctx = testing::RealService();
  StatusOr<nlohmann::json> model = service::ModelJson(ctx, "llama-3.1-8b");
  ASSERT_TRUE(model.ok()) << model.status().message();
  CliResult cli = RunCli("db show llama-3.1-8b --json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(*model, testing::ParsedOut(cli));
  EXPECT_THAT(service::ModelJson(ctx, "llama-3.1-8bb"),
              StatusIs(StatusCode::kNotFound, HasSubstr("llama-3.1-8b")));
}

TEST(ServiceContext, NoCatalogIsAnInternalError) {
  service::ServiceContext empty;
  EXPECT_THAT(service::PlanJson(empty, kJobYaml), StatusIs(StatusCode::kInternal, HasSubstr("catalog")));
  EXPECT_THAT(service::FitJson(empty, {{"model", "x"}}), StatusIs(StatusCode::kInternal, HasSubstr("catalog")));
  EXPECT_TRUE(service::ModelsJson(empty).empty());
}

}  // namespace
}  // namespace sizer
