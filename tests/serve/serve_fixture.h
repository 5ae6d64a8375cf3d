// An in-process `sizer serve` on a free loopback port, with a models directory holding a
// copy of tests/data/models/stories260K.gguf and a symlink that leads out of it, for the
// serve tests; and the cpp-httplib client they talk to it with.
#ifndef SIZER_TESTS_SERVE_SERVE_FIXTURE_H_
#define SIZER_TESTS_SERVE_SERVE_FIXTURE_H_

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "serve/app.h"
#include "serve/server.h"

namespace sizer::testing {

struct ServeHandle {
  std::filesystem::path root;        // a private temporary directory
  std::filesystem::path models_dir;  // root/models
  std::unique_ptr<serve::App> app;
  std::unique_ptr<serve::Server> server;
  std::thread thread;

  ~ServeHandle();
  int port() const { return server->port(); }
  httplib::Client Client() const;
};

struct ServeTestOptions {
  size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds request_timeout{30000};
  int threads = 4;
  // Called on the App before the server starts (extra routes for a test).
  std::function<void(serve::App&)> extra_routes;
};

// Starts a server with the real databases (the source tree) and the page templates.
std::unique_ptr<ServeHandle> StartServe(const ServeTestOptions& options = {});

}  // namespace sizer::testing

#endif  // SIZER_TESTS_SERVE_SERVE_FIXTURE_H_
