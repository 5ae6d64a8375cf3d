// Replays the serve_request fuzz target's seeds and findings (tests/fuzz/corpus/serve_request/,
// tests/fuzz/regressions/serve_request/) through App::Handle with the target's checks, in the
// ordinary (non-fuzz) build.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve/app.h"
#include "testing/test_env.h"

namespace sizer::testing {
namespace {

namespace fs = std::filesystem;

TEST(ServeFuzzReplay, SeedsAndRegressionsGetWellFormedAnswers) {
  serve::AppConfig config;
  config.service.catalog = &RealCatalog();
  config.template_dir = SourceDir() + "/reports/templates";
  serve::App app(config);
  serve::AddSizerRoutes(app);
  int replayed = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    const fs::path dir = fs::path(SourceDir()) / "tests/fuzz" / kind / "serve_request";
    if (!fs::is_directory(dir)) continue;
    for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      const std::string text = ss.str();
      const size_t eol = text.find('\n');
      const std::string line = text.substr(0, eol);
      serve::HttpRequest request;
      const size_t space = line.find(' ');
      request.method = line.substr(0, space);
      request.path = space == std::string::npos ? "/" : line.substr(space + 1);
      request.body = eol == std::string::npos ? "" : text.substr(eol + 1);
      request.params.emplace_back("model", request.body.substr(0, 64));
      const serve::HttpResponse r = app.Handle(request);
      EXPECT_TRUE(r.status == 200 || r.status == 400 || r.status == 404 || r.status == 405)
          << e.path() << ": " << r.status << " " << r.body;
      if (r.status != 200 && r.content_type == "application/json") {
        nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
        EXPECT_TRUE(j.is_object() && j.contains("error")) << e.path() << ": " << r.body;
      }
      ++replayed;
    }
  }
  EXPECT_GE(replayed, 5);
}

}  // namespace
}  // namespace sizer::testing
