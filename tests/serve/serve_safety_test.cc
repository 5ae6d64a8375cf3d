// `sizer serve` is safe to leave running: model paths stay under --models-dir, bodies are
// limited, malformed input is a 400 with the one-line message, unknown routes and methods are
// refused, slow work is cut off without blocking the pool, /healthz and /metrics answer, and
// binding off loopback warns.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve/bind_policy.h"
#include "serve/compute_pool.h"
#include "serve/serve_fixture.h"
#include "service/service_test_support.h"
#include "service/api.h"
#include "testing/test_env.h"

namespace sizer::testing {
namespace {

struct Answer {
  int status = 0;
  std::string error;  // the "error" member of a JSON body
  std::string body;
  std::string allow;
};

Answer Ask(const ServeHandle& server, const std::string& method, const std::string& path,
           const std::string& body = "", const std::string& type = "application/json") {
  httplib::Client client = server.Client();
  httplib::Result res = method == "GET"    ? client.Get(path.c_str())
                        : method == "POST" ? client.Post(path.c_str(), body, type.c_str())
                        : method == "PUT"  ? client.Put(path.c_str(), body, type.c_str())
                                           : client.Delete(path.c_str());
  Answer a;
  EXPECT_TRUE(res) << method << " " << path << ": " << httplib::to_string(res.error());
  if (!res) return a;
  a.status = res->status;
  a.body = res->body;
  a.allow = res->get_header_value("Allow");
  nlohmann::json j = nlohmann::json::parse(res->body, nullptr, false);
  if (j.is_object() && j.contains("error")) a.error = j["error"].get<std::string>();
  return a;
}

// The message ResolveModelPath gives (the same code the server runs).
std::string PathRefusal(const ServeHandle& server, const std::string& requested, int* http_status) {
  service::ServiceContext ctx = server.app->config().service;
  StatusOr<std::filesystem::path> p = service::ResolveModelPath(ctx, requested);
  EXPECT_FALSE(p.ok()) << requested;
  *http_status = p.status().code() == StatusCode::kNotFound ? 404 : 400;
  return p.ok() ? "" : p.status().message();
}

class ServeSafety : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = StartServe().release(); }
  static void TearDownTestSuite() { delete server_; }
  static ServeHandle* server_;
};
ServeHandle* ServeSafety::server_ = nullptr;

TEST_F(ServeSafety, ModelPathsOutsideModelsDirAreRefused) {
  for (const std::string& requested : std::vector<std::string>{"../outside.gguf", "sub/../../outside.gguf",
                                      (server_->root / "outside.gguf").string(), "/etc/x.gguf",
                                      "escape.gguf"}) {
    int expected_status = 0;
    const std::string expected = PathRefusal(*server_, requested, &expected_status);
    const nlohmann::json body = {{"model", requested}, {"memory", "1GiB"}, {"bandwidth", "10GB/s"}};
    Answer a = Ask(*server_, "POST", "/v1/fit", body.dump());
    EXPECT_EQ(a.status, expected_status) << requested << ": " << a.body;
    EXPECT_FALSE(a.error.empty()) << requested;
    EXPECT_NE(a.error.find(expected), std::string::npos) << requested << ": " << a.error;
    EXPECT_EQ(a.error.find('\n'), std::string::npos) << "one line";
  }
  // A name that is not a .gguf file is a database id: not a file, never opened.
  Answer id = Ask(*server_, "POST", "/v1/fit", R"({"model": "/etc/passwd"})");
  EXPECT_EQ(id.status, 404) << id.body;
  EXPECT_NE(id.error.find("unknown model '/etc/passwd'"), std::string::npos) << id.error;
  // The same file reached inside the directory is fine.
  EXPECT_EQ(Ask(*server_, "POST", "/v1/fit",
                R"({"model": "stories260K.gguf", "memory": "1GiB", "bandwidth": "10GB/s"})").status, 200);
}

TEST_F(ServeSafety, AJobNamingAFileOutsideModelsDirIsRefused) {
  const std::string job =
      "job: escape\nmodel: ../outside.gguf\ncontext_tokens: 256\nconcurrency: 1\n"
      "prompt_tokens: 64\noutput_tokens: 64\ncandidates: [rtx-4090]\n";
  Answer a = Ask(*server_, "POST", "/v1/plan", job, "application/yaml");
  EXPECT_TRUE(a.status == 400 || a.status == 404) << a.body;
  EXPECT_NE(a.error.find("outside"), std::string::npos) << a.error;
}

TEST_F(ServeSafety, OversizedBodyIs413) {
  ServeTestOptions options;
  options.max_body_bytes = 1024;
  auto small = StartServe(options);
  const std::string big(4096, ' ');
  Answer a = Ask(*small, "POST", "/v1/plan", big);
  EXPECT_EQ(a.status, 413);
  EXPECT_EQ(a.error, "request body larger than the server's limit of 1024 bytes (--max-body-bytes)");
  // Under the limit, the same route answers (here: an empty job is bad input, not too large).
  EXPECT_EQ(Ask(*small, "POST", "/v1/plan", "{}").status, 400);
  EXPECT_EQ(small->app->metrics().Count("/v1/plan", 413), 1);
}

TEST_F(ServeSafety, MalformedJsonIs400WithOneLine) {
  Answer a = Ask(*server_, "POST", "/v1/fit", R"({"model": "llama-3.1-8b",)");
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.error, "request body: not valid JSON at byte 26");
  Answer not_object = Ask(*server_, "POST", "/v1/recommend", "[1, 2]");
  EXPECT_EQ(not_object.status, 400);
  EXPECT_EQ(not_object.error, "request body: expected a JSON object of parameters, got array");
}

TEST_F(ServeSafety, MalformedYamlAndJsonJobsAre400WithTheCliMessage) {
  // The CLI's message for the same text in a file named as the service names a request.
  for (const std::string& body : {std::string("model: llama-3.1-8b\ncandidates: [rtx-4090\n"),
                                 std::string("{\"job\": \"x\", \"model\": ")}) {
    ScratchDir dir("serve_bad_job");
    dir.Write(service::kRequestFileName, body);
    CliResult cli = RunCliIn(dir.path(), "plan '" + std::string(service::kRequestFileName) + "' --json");
    ASSERT_EQ(cli.exit_code, 2) << cli.err;
    Answer a = Ask(*server_, "POST", "/v1/plan", body, "application/yaml");
    EXPECT_EQ(a.status, 400) << a.body;
    EXPECT_EQ(a.error, CliMessage(cli)) << body;
    EXPECT_EQ(a.error.find('\n'), std::string::npos);
  }
}

TEST_F(ServeSafety, UnknownFitKeyIsRefused) {
  Answer a = Ask(*server_, "POST", "/v1/fit", R"({"model": "llama-3.1-8b", "colour": "red"})");
  EXPECT_EQ(a.status, 400);
  EXPECT_NE(a.error.find("colour"), std::string::npos) << a.error;
}

TEST_F(ServeSafety, UnknownRouteIs404AndWrongMethodIs405) {
  Answer none = Ask(*server_, "GET", "/v2/nothing");
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.error, "no such route: /v2/nothing");
  Answer get_plan = Ask(*server_, "GET", "/v1/plan");
  EXPECT_EQ(get_plan.status, 405);
  EXPECT_EQ(get_plan.allow, "POST");
  EXPECT_EQ(get_plan.error, "GET is not allowed on /v1/plan; use POST");
  EXPECT_EQ(Ask(*server_, "DELETE", "/v1/models").status, 405);
  EXPECT_EQ(Ask(*server_, "PUT", "/healthz", "x").status, 405);
  Answer model = Ask(*server_, "GET", "/v1/models/no-such-model");
  EXPECT_EQ(model.status, 404);
  EXPECT_FALSE(model.error.empty());
}

TEST_F(ServeSafety, HealthzAnswers) {
  Answer a = Ask(*server_, "GET", "/healthz");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(nlohmann::json::parse(a.body), nlohmann::json({{"status", "ok"}}));
}

TEST_F(ServeSafety, MetricsCountTheRequestsJustMade) {
  auto fresh = StartServe();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Ask(*fresh, "GET", "/healthz").status, 200);
  EXPECT_EQ(Ask(*fresh, "GET", "/nope").status, 404);
  EXPECT_EQ(Ask(*fresh, "POST", "/v1/fit", "{").status, 400);
  Answer m = Ask(*fresh, "GET", "/metrics");
  ASSERT_EQ(m.status, 200);
  const std::string& t = m.body;
  EXPECT_NE(t.find("# HELP sizer_http_requests_total "), std::string::npos);
  EXPECT_NE(t.find("# TYPE sizer_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(t.find("# TYPE sizer_http_request_duration_seconds histogram\n"), std::string::npos);
  EXPECT_NE(t.find("# TYPE sizer_http_errors_total counter\n"), std::string::npos);
  EXPECT_NE(t.find("# TYPE sizer_http_in_flight_requests gauge\n"), std::string::npos);
  EXPECT_NE(t.find("sizer_http_requests_total{route=\"/healthz\",code=\"200\"} 3\n"), std::string::npos) << t;
  EXPECT_NE(t.find("sizer_http_requests_total{route=\"unmatched\",code=\"404\"} 1\n"), std::string::npos) << t;
  EXPECT_NE(t.find("sizer_http_requests_total{route=\"/v1/fit\",code=\"400\"} 1\n"), std::string::npos) << t;
  EXPECT_NE(t.find("sizer_http_errors_total{route=\"/v1/fit\"} 1\n"), std::string::npos) << t;
  EXPECT_NE(t.find("sizer_http_request_duration_seconds_count{route=\"/healthz\"} 3\n"), std::string::npos) << t;
  EXPECT_NE(t.find("sizer_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 3\n"), std::string::npos) << t;
  // The /metrics request itself is in flight while it renders.
  EXPECT_NE(t.find("sizer_http_in_flight_requests 1\n"), std::string::npos) << t;
}

TEST_F(ServeSafety, SlowWorkGets504AndDoesNotBlockThePool) {
  ServeTestOptions options;
  options.request_timeout = std::chrono::milliseconds(300);
  options.threads = 2;
  options.extra_routes = [](serve::App& app) {
    app.AddRoute("GET", "/test/slow", [](const serve::HttpRequest&, const std::string&) {
      std::this_thread::sleep_for(std::chrono::seconds(2));
      return serve::JsonResponse({{"late", true}});
    }, true);
  };
  auto slow = StartServe(options);
  const auto start = std::chrono::steady_clock::now();
  Answer a = Ask(*slow, "GET", "/test/slow");
  const double waited_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(a.status, 504);
  EXPECT_EQ(a.error, "the request took longer than the server's time limit of 300 ms (--request-timeout-s)");
  EXPECT_LT(waited_s, 1.5);
  // Both compute threads may be busy with abandoned work; the HTTP workers are not.
  Answer b = Ask(*slow, "GET", "/test/slow");
  EXPECT_EQ(b.status, 504);
  EXPECT_EQ(Ask(*slow, "GET", "/healthz").status, 200);
}

TEST(ComputePool, RefusesWorkPastItsQueue) {
  serve::ComputePool pool(1, 1);
  std::atomic<bool> release{false};
  auto block = [&release] { while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1)); };
  EXPECT_EQ(pool.Run(block, std::chrono::milliseconds(20)), serve::ComputePool::Outcome::kTimedOut);
  EXPECT_EQ(pool.Run(block, std::chrono::milliseconds(20)), serve::ComputePool::Outcome::kTimedOut);
  // One running, one queued: the third is refused without running.
  bool ran = false;
  EXPECT_EQ(pool.Run([&ran] { ran = true; }, std::chrono::milliseconds(20)),
            serve::ComputePool::Outcome::kOverloaded);
  EXPECT_FALSE(ran);
  release = true;
  int value = 0;
  // The queue drains; new work runs again.
  for (int i = 0; i < 100 && pool.queued() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(pool.Run([&value] { value = 7; }, std::chrono::seconds(5)), serve::ComputePool::Outcome::kDone);
  EXPECT_EQ(value, 7);
}

TEST(BindPolicy, OnlyLoopbackIsQuiet) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"}) {
    EXPECT_TRUE(serve::IsLoopbackHost(host)) << host;
    EXPECT_FALSE(serve::BindWarning(host, 8080).has_value()) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", ""}) {
    EXPECT_FALSE(serve::IsLoopbackHost(host)) << host;
    std::optional<std::string> w = serve::BindWarning(host, 8080);
    ASSERT_TRUE(w.has_value()) << host;
    EXPECT_NE(w->find("no authentication"), std::string::npos) << *w;
    EXPECT_NE(w->find(std::string(host) + ":8080"), std::string::npos) << *w;
  }
}

TEST(ServeCli, BadFlagsAreRefusedBeforeListening) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--port 70000", "serve: --port: 70000 is not a port (0..65535)"},
      {"--threads 0", "serve: --threads: expected 1..1024, got 0"},
      {"--max-body-bytes lots", "serve: --max-body-bytes: "},
      {"--max-body-bytes 0", "serve: --max-body-bytes: expected 1 byte .. 1 GB"},
      {"--request-timeout-s 0", "serve: --request-timeout-s: expected a number of seconds in (0, 3600]"},
      {"--models-dir /nonexistent-sizer-dir", "serve: --models-dir: /nonexistent-sizer-dir is not a directory"},
  };
  for (const auto& [flags, message] : cases) {
    CliResult r = RunCli("serve " + flags);
    EXPECT_EQ(r.exit_code, 2) << flags << ": " << r.err;
    EXPECT_EQ(r.err.rfind("sizer: error: " + message, 0), 0u) << flags << ": " << r.err;
  }
}

TEST(ServeCli, NonLoopbackBindPrintsTheWarningAndStopsOnSigterm) {
  // The real command on every interface and a free port; SIGTERM once it listens.
  const std::string err = (std::filesystem::temp_directory_path() /
                           ("sizer_serve_bind_" + std::to_string(::getpid()) + ".err")).string();
  const std::string cmd = "cd '" + SourceDir() + "' && { '" + CliPath() +
                          "' serve --host 0.0.0.0 --port 0 2>'" + err + "' & pid=$!; "
                          "for i in $(seq 300); do grep -q listening '" + err + "' && break; sleep 0.1; done; "
                          "kill -TERM $pid; wait $pid; }";
  const int status = std::system(cmd.c_str());
  std::ifstream in(err);
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove(err);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << text.str();
  EXPECT_NE(text.str().find("sizer serve: warning: listening on 0.0.0.0:"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("the API has no authentication"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("sizer serve: stopped"), std::string::npos) << text.str();
}

}  // namespace
}  // namespace sizer::testing
