#include "serve/serve_fixture.h"

#include <unistd.h>

#include <atomic>

#include <gtest/gtest.h>

#include "testing/test_env.h"

namespace sizer::testing {

namespace fs = std::filesystem;

ServeHandle::~ServeHandle() {
  if (server) server->Stop();
  if (thread.joinable()) thread.join();
  std::error_code ec;
  fs::remove_all(root, ec);
}

httplib::Client ServeHandle::Client() const {
  httplib::Client client("127.0.0.1", port());
  client.set_read_timeout(60, 0);
  return client;
}

std::unique_ptr<ServeHandle> StartServe(const ServeTestOptions& options) {
  static std::atomic<int> counter{0};
  auto h = std::make_unique<ServeHandle>();
  h->root = fs::temp_directory_path() /
            ("sizer_serve_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  h->models_dir = h->root / "models";
  fs::create_directories(h->models_dir / "sub");
  const fs::path stories = fs::path(TestDataDir()) / "models" / "stories260K.gguf";
  fs::copy_file(stories, h->models_dir / "stories260K.gguf");
  fs::copy_file(stories, h->models_dir / "sub" / "copy.gguf");
  // A model outside the models directory, and a symlink inside that leads to it.
  fs::copy_file(stories, h->root / "outside.gguf");
  fs::create_symlink(h->root / "outside.gguf", h->models_dir / "escape.gguf");

  serve::AppConfig config;
  config.service.catalog = &RealCatalog();
  config.service.models_dir = h->models_dir;
  config.template_dir = SourceDir() + "/reports/templates";
  config.request_timeout = options.request_timeout;
  config.compute_threads = options.threads;
  h->app = std::make_unique<serve::App>(config);
  serve::AddSizerRoutes(*h->app);
  if (options.extra_routes) options.extra_routes(*h->app);

  serve::ServeOptions server_options;
  server_options.port = 0;
  server_options.threads = options.threads;
  server_options.max_body_bytes = options.max_body_bytes;
  server_options.request_timeout = options.request_timeout;
  h->server = std::make_unique<serve::Server>(*h->app, server_options);
  Status bound = h->server->Bind();
  EXPECT_TRUE(bound.ok()) << bound.message();
  serve::Server* server = h->server.get();
  h->thread = std::thread([server] { server->Run(); });
  return h;
}

}  // namespace sizer::testing
