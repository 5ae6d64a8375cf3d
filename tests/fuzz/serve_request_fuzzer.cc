// libFuzzer target for `sizer serve`'s request path (serve/app.h): the first line of the input
// is "METHOD PATH", the rest is the body (a job, fit/recommend parameters, a form), handed to
// App::Handle with every route of the server, as the HTTP layer does after reading a request.
// Any input must give a well-formed answer: a known status code, and for JSON answers other
// than 200 a one-line {"error": ...} body. A 500 is a finding (an exception or an internal
// error escaped a handler). No models directory: the fuzzer never reads a file. Requests that
// would run the hardware search are skipped (below).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "serve/app.h"

namespace {

sizer::serve::App& TheApp() {
  static sizer::serve::App* app = [] {
    sizer::serve::AppConfig config;
    config.service.catalog = &sizer::fuzz::LoadCatalogOnce();
    config.template_dir = std::string(SIZER_FUZZ_SOURCE_DIR) + "/reports/templates";
    config.compute_threads = 1;
    config.request_timeout = std::chrono::milliseconds(60000);
    auto* a = new sizer::serve::App(config);
    sizer::serve::AddSizerRoutes(*a);
    return a;
  }();
  return *app;
}

[[noreturn]] void Fail(const std::string& what, const sizer::serve::HttpResponse& r) {
  std::fprintf(stderr, "fuzz: %s: status %d, body '%s'\n", what.c_str(), r.status, r.body.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  TheApp();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const size_t eol = text.find('\n');
  const std::string line = text.substr(0, eol);
  sizer::serve::HttpRequest request;
  const size_t space = line.find(' ');
  request.method = line.substr(0, space);
  request.path = space == std::string::npos ? "/" : line.substr(space + 1);
  request.body = eol == std::string::npos ? "" : text.substr(eol + 1);
  // The page routes read form fields; give them the body as one field too.
  request.params.emplace_back("model", request.body.substr(0, 64));
  // The hardware search (recommend, and the page's "recommend") can take seconds per input
  // by design (--request-timeout-s bounds it in the server); fuzz its parameter checks
  // through /v1/fit, which shares them, and keep each input fast.
  if (request.path.find("recommend") != std::string::npos ||
      request.body.find("recommend") != std::string::npos) {
    return 0;
  }
  const sizer::serve::HttpResponse r = TheApp().Handle(request);
  switch (r.status) {
    case 200: case 400: case 404: case 405: break;
    default: Fail("unexpected status", r);
  }
  if (r.status != 200 && r.content_type == "application/json") {
    nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_object() || !j.contains("error") || !j["error"].is_string() ||
        j["error"].get<std::string>().empty()) {
      Fail("error body is not {\"error\": \"...\"}", r);
    }
    if (r.body.find('\n') + 1 != r.body.size()) Fail("error body is not one line", r);
  }
  return 0;
}
