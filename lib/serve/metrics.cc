#include "serve/metrics.h"

#include <fmt/format.h>

namespace sizer::serve {

void Metrics::Record(std::string_view route, int http_status, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = routes_.find(route);
  if (it == routes_.end()) it = routes_.emplace(std::string(route), RouteStats{}).first;
  RouteStats& stats = it->second;
  ++stats.by_status[http_status];
  ++stats.count;
  stats.sum_seconds += seconds;
  if (http_status >= 400) ++stats.errors;
  for (size_t i = 0; i < kLatencyBucketsSeconds.size(); ++i) {
    if (seconds <= kLatencyBucketsSeconds[i]) {
      ++stats.buckets[i];
      break;
    }
  }
}

int64_t Metrics::Count(std::string_view route, int http_status) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = routes_.find(route);
  if (it == routes_.end()) return 0;
  auto s = it->second.by_status.find(http_status);
  return s == it->second.by_status.end() ? 0 : s->second;
}

// Text format: https://prometheus.io/docs/instrumenting/exposition_formats/ (label values are
// route patterns chosen by the server, so they need no escaping).
std::string Metrics::RenderPrometheus() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  out += "# HELP sizer_http_requests_total HTTP requests answered, by route and status code.\n";
  out += "# TYPE sizer_http_requests_total counter\n";
  for (const auto& [route, stats] : routes_) {
    for (const auto& [code, n] : stats.by_status) {
      out += fmt::format("sizer_http_requests_total{{route=\"{}\",code=\"{}\"}} {}\n", route, code, n);
    }
  }
  out += "# HELP sizer_http_errors_total HTTP requests answered with a status code of 400 or more, by route.\n";
  out += "# TYPE sizer_http_errors_total counter\n";
  for (const auto& [route, stats] : routes_) {
    out += fmt::format("sizer_http_errors_total{{route=\"{}\"}} {}\n", route, stats.errors);
  }
  out += "# HELP sizer_http_request_duration_seconds Time from the request's arrival to its answer, by route.\n";
  out += "# TYPE sizer_http_request_duration_seconds histogram\n";
  for (const auto& [route, stats] : routes_) {
    int64_t cumulative = 0;
    for (size_t i = 0; i < kLatencyBucketsSeconds.size(); ++i) {
      cumulative += stats.buckets[i];
      out += fmt::format("sizer_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         route, kLatencyBucketsSeconds[i], cumulative);
    }
    out += fmt::format("sizer_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                       route, stats.count);
    out += fmt::format("sizer_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route,
                       stats.sum_seconds);
    out += fmt::format("sizer_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route,
                       stats.count);
  }
  out += "# HELP sizer_http_in_flight_requests Requests being handled now.\n";
  out += "# TYPE sizer_http_in_flight_requests gauge\n";
  out += fmt::format("sizer_http_in_flight_requests {}\n", in_flight_.load());
  return out;
}

}  // namespace sizer::serve
