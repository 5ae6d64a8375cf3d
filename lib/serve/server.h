// The HTTP transport of `sizer serve` (cpp-httplib, Debian libcpp-httplib-dev 0.11.4): binds,
// accepts, reads and writes; every request goes to App::Handle (app.h).
//
// Why cpp-httplib: a maintained Debian 12 package with a blocking server whose connection
// pool, body limit (413), socket timeouts and error hook are all settings, and a client the
// tests use; Boost.Beast would mean writing the accept loop, the parser plumbing, keep-alive
// and the pool by hand. Its header stays in server.cc: nothing above this layer sees it.
//
// Limits: at most `threads` connections are served at once; `max_queued_connections` more
// wait; beyond that the accept thread answers 503 itself (bounded memory, and the overload is
// visible to the client; while it does, it accepts nothing else, for at most one socket
// timeout or keep-alive wait: backpressure into the kernel's listen queue). Bodies over `max_body_bytes` get 413 without being kept. Each
// socket read and write times out after `request_timeout`, and the handler's work runs under
// the same limit (compute_pool.h: 504).
#ifndef SIZER_SERVE_SERVER_H_
#define SIZER_SERVE_SERVER_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "base/status.h"
#include "serve/app.h"

namespace sizer::serve {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests); port() tells which
  int threads = 8;
  size_t max_queued_connections = 32;
  size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds request_timeout{30000};
};

class Server {
 public:
  Server(App& app, ServeOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // kIOError when the address cannot be bound.
  Status Bind();
  int port() const { return port_; }
  // Serves until Stop(); in-flight requests finish before it returns.
  void Run();
  // Thread-safe; may be called before Run() starts or after it returns.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string host_;
  int port_ = 0;
};

}  // namespace sizer::serve

#endif  // SIZER_SERVE_SERVER_H_
