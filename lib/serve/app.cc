#include "serve/app.h"

#include <exception>
#include <new>

#include "serve/http_errors.h"

namespace sizer::serve {

HttpResponse ErrorResponse(int http_status, std::string_view message) {
  HttpResponse r;
  r.status = http_status;
  r.body = ErrorJson(message);
  return r;
}

HttpResponse StatusResponse(const Status& status) {
  return ErrorResponse(HttpStatusFor(status.code()), status.message());
}

HttpResponse JsonResponse(const nlohmann::json& value) {
  HttpResponse r;
  r.body = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  return r;
}

App::App(AppConfig config)
    : config_(std::move(config)),
      pool_(std::make_unique<ComputePool>(config_.compute_threads, config_.compute_queue)) {}

void App::AddRoute(std::string method, std::string pattern, Handler handler, bool compute) {
  routes_.push_back({std::move(method), std::move(pattern), std::move(handler), compute});
}

std::vector<const App::Route*> App::Match(const std::string& path, std::string& arg) const {
  std::vector<const Route*> out;
  for (const Route& route : routes_) {
    const std::string& p = route.pattern;
    const size_t brace = p.find("{id}");
    if (brace == std::string::npos) {
      if (p == path) out.push_back(&route);
      continue;
    }
    const std::string prefix = p.substr(0, brace);
    if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
        path.find('/', prefix.size()) == std::string::npos) {
      arg = path.substr(prefix.size());
      out.push_back(&route);
    }
  }
  return out;
}

std::string App::RouteLabel(const std::string& path) const {
  std::string arg;
  std::vector<const Route*> routes = Match(path, arg);
  return routes.empty() ? "unmatched" : routes.front()->pattern;
}

HttpResponse App::Dispatch(const Route& route, const HttpRequest& request, const std::string& arg) {
  // Every handler runs inside a catch: no input may take the server down.
  auto guarded = [handler = route.handler](const HttpRequest& req, const std::string& a) {
    try {
      return handler(req, a);
    } catch (const std::bad_alloc&) {
      return ErrorResponse(500, "internal error: out of memory");
    } catch (const std::exception& e) {
      return ErrorResponse(500, std::string("internal error: ") + e.what());
    }
  };
  if (!route.compute) return guarded(request, arg);
  auto result = std::make_shared<HttpResponse>();
  auto task = [result, guarded, request, arg] { *result = guarded(request, arg); };
  switch (pool_->Run(task, config_.request_timeout)) {
    case ComputePool::Outcome::kDone:
      return *result;
    case ComputePool::Outcome::kOverloaded:
      return ErrorResponse(503, "the server is busy: every compute thread is taken and the "
                                "queue is full; retry later");
    case ComputePool::Outcome::kTimedOut:
      break;
  }
  return ErrorResponse(504, "the request took longer than the server's time limit of " +
                                std::to_string(config_.request_timeout.count()) +
                                " ms (--request-timeout-s)");
}

HttpResponse App::Handle(const HttpRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  InFlight in_flight(metrics_);
  std::string arg;
  std::vector<const Route*> routes = Match(request.path, arg);
  HttpResponse response;
  std::string label = "unmatched";
  if (routes.empty()) {
    response = ErrorResponse(404, "no such route: " + request.path);
  } else {
    label = routes.front()->pattern;
    const Route* chosen = nullptr;
    std::string allow;
    for (const Route* r : routes) {
      if (r->method == request.method) chosen = r;
      if (allow.find(r->method) == std::string::npos) allow += (allow.empty() ? "" : ", ") + r->method;
    }
    if (chosen == nullptr) {
      response = ErrorResponse(405, request.method + " is not allowed on " + label + "; use " + allow);
      response.allow = allow;
    } else {
      response = Dispatch(*chosen, request, arg);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.Record(label, response.status, seconds);
  return response;
}

}  // namespace sizer::serve
