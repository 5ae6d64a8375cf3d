// The server without its transport: a request (method, path, body, form fields) in, a
// response out. Routing (404 for an unknown path, 405 for a known path with another method),
// the per-request time limit (compute_pool.h), the metrics and the JSON error bodies live here,
// so the HTTP layer (server.h) only moves bytes and the tests and the fuzz target can call
// Handle() directly. Handle() never throws.
#ifndef SIZER_SERVE_APP_H_
#define SIZER_SERVE_APP_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "serve/compute_pool.h"
#include "serve/metrics.h"
#include "service/api.h"

namespace sizer::serve {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded, without the query string
  std::string body;
  std::string content_type;
  // Query-string parameters and, for a form POST, the form's fields, in order (a multi-select
  // sends one pair per chosen option).
  std::vector<std::pair<std::string, std::string>> params;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string allow;  // 405: the methods the path accepts ("GET, POST")
};

struct AppConfig {
  service::ServiceContext service;
  std::string template_dir;  // reports/templates: the planner page and its fragments
  std::chrono::milliseconds request_timeout{30000};
  int compute_threads = 4;
  size_t compute_queue = 64;  // work waiting for a compute thread before 503
};

class App {
 public:
  explicit App(AppConfig config);

  HttpResponse Handle(const HttpRequest& request);

  // A route: an exact path, or a prefix ending in "{id}" ("/v1/models/{id}": the rest of the
  // path, one non-empty segment, is the handler's `arg`). `compute`: run on the compute pool
  // under the time limit (everything but the cheap routes).
  using Handler = std::function<HttpResponse(const HttpRequest& request, const std::string& arg)>;
  void AddRoute(std::string method, std::string pattern, Handler handler, bool compute);

  Metrics& metrics() { return metrics_; }
  const AppConfig& config() const { return config_; }

  // The metrics label of a path: its route pattern, or "unmatched".
  std::string RouteLabel(const std::string& path) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    Handler handler;
    bool compute = true;
  };
  // The routes whose pattern matches `path`, and the argument they capture.
  std::vector<const Route*> Match(const std::string& path, std::string& arg) const;
  HttpResponse Dispatch(const Route& route, const HttpRequest& request, const std::string& arg);

  AppConfig config_;
  std::vector<Route> routes_;
  Metrics metrics_;
  std::unique_ptr<ComputePool> pool_;
};

// A JSON error response.
HttpResponse ErrorResponse(int http_status, std::string_view message);
// The response for a failed Status (http_errors.h mapping).
HttpResponse StatusResponse(const Status& status);
// A JSON value as the CLI prints it (dump(2) and a newline).
HttpResponse JsonResponse(const nlohmann::json& value);

// Adds the API and page routes (api_routes.cc) to `app`.
void AddSizerRoutes(App& app);

}  // namespace sizer::serve

#endif  // SIZER_SERVE_APP_H_
