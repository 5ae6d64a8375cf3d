// The server's counters in the Prometheus text exposition format (version 0.0.4):
//   sizer_http_requests_total{route,code}            counter
//   sizer_http_errors_total{route}                   counter, answers with code >= 400
//   sizer_http_request_duration_seconds{route}       histogram (buckets below, _sum, _count)
//   sizer_http_in_flight_requests                    gauge, requests being handled now
// `route` is the route pattern ("/v1/models/{id}") or "unmatched", never the raw path, so a
// client cannot grow the label set.
#ifndef SIZER_SERVE_METRICS_H_
#define SIZER_SERVE_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace sizer::serve {

// Upper bounds of the latency histogram's buckets, in seconds (+Inf is implied).
inline constexpr std::array<double, 12> kLatencyBucketsSeconds = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30};

class Metrics {
 public:
  void Record(std::string_view route, int http_status, double seconds);
  void AddInFlight(int delta) { in_flight_.fetch_add(delta); }
  int64_t in_flight() const { return in_flight_.load(); }

  // The requests recorded for (route, status) so far (tests).
  int64_t Count(std::string_view route, int http_status) const;

  std::string RenderPrometheus() const;

 private:
  struct RouteStats {
    std::map<int, int64_t> by_status;
    std::array<int64_t, kLatencyBucketsSeconds.size()> buckets{};  // not cumulative
    int64_t errors = 0;
    int64_t count = 0;
    double sum_seconds = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, RouteStats, std::less<>> routes_;
  std::atomic<int64_t> in_flight_{0};
};

// Counts a request in flight for its lifetime.
class InFlight {
 public:
  explicit InFlight(Metrics& metrics) : metrics_(metrics) { metrics_.AddInFlight(1); }
  ~InFlight() { metrics_.AddInFlight(-1); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  Metrics& metrics_;
};

}  // namespace sizer::serve

#endif  // SIZER_SERVE_METRICS_H_
