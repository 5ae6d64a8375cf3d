#include "search/recommend_charts.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "base/format.h"
#include "report/display_format.h"
#include "report/svg_chart.h"

namespace sizer {
namespace {

using svg::Anchor;
using svg::Style;
using svg::TextStyle;

constexpr double kWidth = 760;
constexpr const char* kFrontInk = "#b5451b";
constexpr const char* kHostedInk = "#6a3d9a";
constexpr const char* kGateInk = "#2b5f2b";

void Title(svg::Canvas& canvas, const std::string& title) {
  TextStyle t;
  t.size = 14;
  t.bold = true;
  canvas.Text(12, 22, title, t);
}

std::string PointTip(const SearchPoint& p) {
  return p.label + " (" + p.quant + ", " + p.kv_dtype + " KV, " + p.runtime + "): " +
         FormatUsd(p.monthly_usd) + "/month, " + FormatTokensPerSecond(p.decode_tokens_per_s) +
         " per sequence";
}

// Every admitted configuration as a small grey circle, one per pixel.
void AdmittedPoints(svg::Canvas& canvas, const SearchResult& result, const svg::Scale& x,
                    const svg::Scale& y) {
  std::set<std::pair<long, long>> drawn;
  for (const SearchPoint& p : result.admitted) {
    const double px = x(std::log10(std::max(p.monthly_usd, 1.0)));
    const double py = y(p.decode_tokens_per_s);
    if (!drawn.insert({std::lround(px), std::lround(py)}).second) continue;
    canvas.Circle(px, py, 3, {"#9ab0c8", "#4a6a8a", 0.6, ""});
  }
}

// The front: a step line through its points (cheapest first) and labelled diamonds.
void FrontPoints(svg::Canvas& canvas, const Ranking& ranking, const svg::Scale& log_x,
                 const svg::Scale& y) {
  auto x = [&log_x](double usd) { return log_x(std::log10(std::max(usd, 1.0))); };
  std::vector<std::pair<double, double>> line;
  for (const SearchPoint& p : ranking.pareto) {
    if (!line.empty()) line.push_back({x(p.monthly_usd), line.back().second});
    line.push_back({x(p.monthly_usd), y(p.decode_tokens_per_s)});
  }
  if (line.size() > 1) canvas.Polyline(line, {"none", kFrontInk, 1.5, "4 2"});
  TextStyle label;
  label.size = 10;
  label.fill = kFrontInk;
  for (const SearchPoint& p : ranking.pareto) {
    canvas.BeginGroup(PointTip(p));
    canvas.Diamond(x(p.monthly_usd), y(p.decode_tokens_per_s), 6, {kFrontInk, "#ffffff", 1, ""});
    canvas.EndGroup();
    canvas.Text(x(p.monthly_usd) + 8, y(p.decode_tokens_per_s) - 6, p.label, label);
  }
}

// The job's decode gate (horizontal) and the hosted API's monthly cost (vertical).
void ReferenceLines(svg::Canvas& canvas, const SearchResult& result, const svg::Plot& area,
                    const svg::Scale& log_x, const svg::Scale& y) {
  auto x = [&log_x](double usd) { return log_x(std::log10(std::max(usd, 1.0))); };
  TextStyle text;
  text.size = 10;
  if (result.job->gates.min_decode_tokens_per_s) {
    const double gy = y(*result.job->gates.min_decode_tokens_per_s);
    canvas.Line(area.left, gy, area.right, gy, {"none", kGateInk, 1.5, "6 3"});
    text.fill = kGateInk;
    text.anchor = Anchor::kEnd;
    canvas.Text(area.right - 4, gy - 4, "decode gate", text);
  }
  if (result.hosted_known) {
    const double hx = x(result.hosted_monthly_usd);
    canvas.Line(hx, area.top, hx, area.bottom, {"none", kHostedInk, 2, "8 3"});
    text.fill = kHostedInk;
    text.anchor = Anchor::kStart;
    canvas.Text(hx + 4, area.top + 12, "hosted API " + FormatUsd(result.hosted_monthly_usd) + "/month", text);
  }
}

// A logarithmic cost axis (monthly costs span $50 to $10k+): ticks at 1, 2 and 5 x 10^k
// from the decade below `lo` to the decade above `hi`, as log10 values for a linear Scale.
std::vector<double> LogTicks(double lo, double hi) {
  const double first = std::floor(std::log10(std::max(lo, 1.0)));
  const double last = std::ceil(std::log10(std::max(hi, 10.0)));
  std::vector<double> ticks;
  for (double d = first; d <= last; ++d) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double t = d + std::log10(m);
      if (t <= last + 1e-9) ticks.push_back(t);
    }
  }
  return ticks;
}

double MinOf(const std::vector<SearchPoint>& points, double SearchPoint::*field) {
  double m = points.empty() ? 0 : points.front().*field;
  for (const SearchPoint& p : points) m = std::min(m, p.*field);
  return m;
}

double MaxOf(const std::vector<SearchPoint>& points, double SearchPoint::*field) {
  double m = 0;
  for (const SearchPoint& p : points) m = std::max(m, p.*field);
  return m;
}

}  // namespace

std::string ParetoChartSvg(const SearchResult& result, const Ranking& ranking) {
  const std::string title = "Monthly cost against decode speed per sequence";
  const std::string caption =
      "Each grey circle is an admitted configuration (machine, format, KV dtype, runtime). The "
      "diamonds joined by the dashed line are the Pareto front: no other machine is both cheaper "
      "and faster. The green line is the job's decode gate; the purple line, when the job has a "
      "hosted price, is the hosted API's cost at the job's volume: configurations left of it cost "
      "less per month. The cost axis is logarithmic.";
  double cost_min = MinOf(result.admitted, &SearchPoint::monthly_usd);
  double cost_max = MaxOf(result.admitted, &SearchPoint::monthly_usd);
  if (result.hosted_known) {
    cost_min = std::min(cost_min, result.hosted_monthly_usd);
    cost_max = std::max(cost_max, result.hosted_monthly_usd);
  }
  double speed_max = MaxOf(result.admitted, &SearchPoint::decode_tokens_per_s);
  if (result.job->gates.min_decode_tokens_per_s) {
    speed_max = std::max(speed_max, *result.job->gates.min_decode_tokens_per_s);
  }
  const std::vector<double> x_ticks = LogTicks(cost_min, cost_max);
  const std::vector<double> y_ticks = svg::NiceTicks(speed_max * 1.05, 5);
  const double height = 440;
  svg::Canvas canvas(kWidth, height, "chart-pareto", title, caption);
  Title(canvas, title);
  svg::Legend legend(canvas, 12, 44, kWidth - 12);
  legend.MarkerSample(svg::Marker::kCircle, {"#9ab0c8", "#4a6a8a", 0.6, ""}, "admitted configuration");
  legend.MarkerSample(svg::Marker::kDiamond, {kFrontInk, "#ffffff", 1, ""}, "Pareto front");
  legend.LineSample({"none", kGateInk, 1.5, "6 3"}, "decode gate");
  if (result.hosted_known) legend.LineSample({"none", kHostedInk, 2, "8 3"}, "hosted API at the job's volume");
  const double top = legend.bottom() + 16;
  svg::Plot area{80, top, kWidth - 30, height - 56};
  svg::Scale x{x_ticks.front(), x_ticks.back(), area.left, area.right};
  svg::Scale y{0, y_ticks.back(), area.bottom, area.top};
  svg::XAxis(canvas, area, x, x_ticks, [](double t) { return svg::TickUsd(std::round(std::pow(10.0, t))); },
             "cost per month, log scale (hardware amortized + power + operations)");
  svg::YAxis(canvas, area, y, y_ticks, [](double v) { return svg::TickCount(v); },
             "decode tokens/s per sequence");
  AdmittedPoints(canvas, result, x, y);
  ReferenceLines(canvas, result, area, x, y);
  FrontPoints(canvas, ranking, x, y);
  return canvas.Finish();
}

std::string MemoryStackSvg(const Ranking& ranking) {
  const size_t n = std::min(ranking.top.size(), kMemoryStackMachines);
  if (n == 0) return "";
  const std::string title = "Memory of the top " + std::to_string(n) + " on their most loaded device";
  const std::string caption =
      "Each bar stacks the weights, the KV cache and everything else (runtime buffers, activations, "
      "fragmentation) on the machine's most loaded device. The grey track is the device's capacity; "
      "the dashed line is the usable limit after the reserve.";
  double x_max = 0;
  for (size_t i = 0; i < n; ++i) {
    x_max = std::max({x_max, ranking.top[i].point.capacity_bytes, ranking.top[i].point.planned_bytes});
  }
  const std::vector<double> ticks = svg::GibibyteTicks(x_max, 6);
  const double row_h = 44;
  const double height = 110 + row_h * static_cast<double>(n) + 46;
  svg::Canvas canvas(kWidth, height, "chart-stack", title, caption);
  Title(canvas, title);
  const std::string kv_fill = canvas.DefinePattern("kv", svg::Pattern::kDiagonal, "#4a7fb5", "#ffffff");
  const std::string other_fill = canvas.DefinePattern("other", svg::Pattern::kDots, "#f0c75e", "#5a4500");
  const std::vector<std::pair<double SearchPoint::*, std::pair<std::string, std::string>>> buckets = {
      {&SearchPoint::weights_device_bytes, {"Weights", "#1f3a5f"}},
      {&SearchPoint::kv_device_bytes, {"KV cache", kv_fill}},
      {&SearchPoint::other_device_bytes, {"Runtime, activations, fragmentation", other_fill}}};
  svg::Legend legend(canvas, 12, 44, kWidth - 12);
  for (const auto& b : buckets) legend.Swatch({b.second.second, "none", 1, ""}, b.second.first);
  legend.Swatch({"#eeeeee", "#9a9a9a", 1, ""}, "Capacity");
  legend.LineSample({"none", "#b22222", 2, "5 3"}, "Usable");
  svg::Plot area{170, legend.bottom() + 16, kWidth - 150, legend.bottom() + 16 + row_h * static_cast<double>(n)};
  svg::Scale x{0, ticks.back(), area.left, area.right};
  svg::XAxis(canvas, area, x, ticks, svg::TickGibibytes, "memory on the most loaded device (GiB = 2^30 bytes)");
  for (size_t i = 0; i < n; ++i) {
    const SearchPoint& p = ranking.top[i].point;
    const double y = area.top + row_h * static_cast<double>(i) + row_h / 2;
    TextStyle name;
    name.anchor = Anchor::kEnd;
    canvas.Text(area.left - 10, y + 4, svg::Truncate(std::to_string(i + 1) + ". " + p.label, 150, 12), name);
    std::string tip = p.label + ": ";
    for (const auto& b : buckets) tip += b.second.first + " " + FormatMemory(p.*b.first) + ", ";
    canvas.BeginGroup(tip + "planned " + FormatMemory(p.planned_bytes) + " of " + FormatMemory(p.usable_bytes) + " usable");
    canvas.Rect(x(0), y - 12, x(p.capacity_bytes) - x(0), 24, {"#eeeeee", "#9a9a9a", 1, ""});
    double at = 0;
    for (const auto& b : buckets) {
      const double v = p.*b.first;
      if (v <= 0) continue;
      canvas.Rect(x(at), y - 9, x(at + v) - x(at), 18, {b.second.second, "#ffffff", 0.5, ""});
      at += v;
    }
    canvas.Line(x(p.usable_bytes), y - 16, x(p.usable_bytes), y + 16, {"none", "#b22222", 2, "5 3"});
    canvas.EndGroup();
    TextStyle value;
    value.size = 11;
    canvas.Text(std::max(x(p.capacity_bytes), x(p.planned_bytes)) + 8, y + 4,
                FormatMemory(p.planned_bytes) + " of " + FormatMemory(p.usable_bytes) + " usable", value);
  }
  return canvas.Finish();
}

}  // namespace sizer
