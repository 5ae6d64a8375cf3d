#include "serve/server.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

#include "serve/http_errors.h"

namespace sizer::serve {
namespace {

// Set on the accept thread while it answers a connection the full queue had no room for.
thread_local bool t_overloaded = false;
// Set when App::Handle answered (and counted) the current request, so the error hook does not
// count it again; cleared by the pre-routing hook of the next request on this thread.
thread_local bool t_counted = false;
thread_local std::chrono::steady_clock::time_point t_start;

// httplib's ThreadPool queues without limit; this one holds at most `max_queued` connections
// and, past that, runs the connection on the caller (the accept thread) in "overloaded" mode,
// where the pre-routing hook answers 503 at once without reading the body.
class BoundedConnectionQueue : public httplib::TaskQueue {
 public:
  BoundedConnectionQueue(int threads, size_t max_queued) : max_queued_(max_queued) {
    for (int i = 0; i < std::max(threads, 1); ++i) workers_.emplace_back([this] { Work(); });
  }
  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (jobs_.size() < max_queued_) {
        jobs_.push_back(std::move(fn));
        ready_.notify_one();
        return;
      }
    }
    t_overloaded = true;
    fn();
    t_overloaded = false;
  }
  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        fn = std::move(jobs_.front());
        jobs_.pop_front();
      }
      fn();
    }
  }
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  size_t max_queued_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

HttpRequest ToAppRequest(const httplib::Request& req) {
  HttpRequest r;
  r.method = req.method;
  r.path = req.path;
  r.body = req.body;
  r.content_type = req.get_header_value("Content-Type");
  for (const auto& [key, value] : req.params) r.params.emplace_back(key, value);
  return r;
}

void SetResponse(const HttpResponse& from, httplib::Response& res) {
  res.status = from.status;
  res.set_content(from.body, from.content_type.c_str());
  if (!from.allow.empty()) res.set_header("Allow", from.allow);
}

// The message of an answer httplib gave by itself (no route ran).
std::string TransportMessage(int status, size_t max_body_bytes) {
  if (status == 413) {
    return "request body larger than the server's limit of " + std::to_string(max_body_bytes) +
           " bytes (--max-body-bytes)";
  }
  if (status == 400) return "malformed HTTP request";
  return std::string(ReasonPhrase(status));
}

}  // namespace

struct Server::Impl {
  httplib::Server http;
};

Server::Server(App& app, ServeOptions options) : impl_(std::make_unique<Impl>()) {
  httplib::Server& http = impl_->http;
  const ServeOptions o = options;
  http.new_task_queue = [o] { return new BoundedConnectionQueue(o.threads, o.max_queued_connections); };
  http.set_payload_max_length(o.max_body_bytes);
  const auto timeout_s = std::max<time_t>(1, std::chrono::duration_cast<std::chrono::seconds>(o.request_timeout).count());
  http.set_read_timeout(timeout_s, 0);
  http.set_write_timeout(timeout_s, 0);
  // Without TCP_NODELAY a keep-alive answer written as headers then body waits for the
  // client's delayed ACK (Nagle): about 40 ms on every request on Linux loopback.
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(100);
  http.set_keep_alive_timeout(5);
  http.set_pre_routing_handler([&app](const httplib::Request& req, httplib::Response& res) {
    t_counted = false;
    t_start = std::chrono::steady_clock::now();
    if (!t_overloaded) return httplib::Server::HandlerResponse::Unhandled;
    t_counted = true;
    SetResponse(ErrorResponse(503, "the server is busy: every connection slot is taken; retry later"), res);
    res.set_header("Connection", "close");
    app.metrics().Record(app.RouteLabel(req.path), 503, 0);
    return httplib::Server::HandlerResponse::Handled;
  });
  auto handle = [&app](const httplib::Request& req, httplib::Response& res) {
    SetResponse(app.Handle(ToAppRequest(req)), res);
    t_counted = true;
  };
  http.Get(".*", handle);
  http.Post(".*", handle);
  http.Put(".*", handle);
  http.Delete(".*", handle);
  http.Patch(".*", handle);
  http.Options(".*", handle);
  const size_t max_body = o.max_body_bytes;
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [&app, max_body](const httplib::Request& req, httplib::Response& res) {
    if (res.body.empty()) {
      res.set_content(ErrorJson(TransportMessage(res.status, max_body)), "application/json");
    }
    if (!t_counted) {
      // No pre-routing hook ran for a request httplib could not parse: no start time.
      const double seconds =
          t_start == std::chrono::steady_clock::time_point()
              ? 0
              : std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
      app.metrics().Record(app.RouteLabel(req.path), res.status, seconds);
      t_counted = true;
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(ErrorJson("internal error"), "application/json");
  });
  host_ = o.host;
  port_ = o.port;
}

Server::~Server() { Stop(); }

Status Server::Bind() {
  httplib::Server& http = impl_->http;
  if (port_ == 0) {
    const int port = http.bind_to_any_port(host_);
    if (port <= 0) return Status::IOError("cannot listen on " + host_ + " (any port)");
    port_ = port;
    return Status();
  }
  if (!http.bind_to_port(host_, port_)) {
    return Status::IOError("cannot listen on " + host_ + ":" + std::to_string(port_) +
                           " (in use, or not an address of this machine)");
  }
  return Status();
}

void Server::Run() { impl_->http.listen_after_bind(); }

void Server::Stop() { impl_->http.stop(); }

}  // namespace sizer::serve
