// The two line charts: monthly cost against volume, and KV cache against context length.
#include <algorithm>
#include <cmath>
#include <map>

#include "base/format.h"
#include "report/display_format.h"
#include "report/report_charts.h"
#include "report/svg_chart.h"

namespace sizer {
namespace {

using svg::Anchor;
using svg::Style;
using svg::TextStyle;

constexpr double kWidth = 760;

std::string Sequences(double n) { return n == 1 ? "1 sequence" : FormatCount(n) + " sequences"; }

void Title(svg::Canvas& canvas, const std::string& title) {
  TextStyle t;
  t.size = 14;
  t.bold = true;
  canvas.Text(12, 22, title, t);
}

// Line styles for up to six series: they differ in dash pattern, lightness and marker, so
// they stay apart in grey-scale.
struct Series {
  const char* colour;
  const char* dash;
  svg::Marker marker;
};
constexpr Series kSeries[] = {
    {"#1f3a5f", "9 4", svg::Marker::kCircle},   {"#4a7fb5", "3 3", svg::Marker::kSquare},
    {"#555555", "12 3 3 3", svg::Marker::kTriangle}, {"#000000", "5 2", svg::Marker::kDiamond},
    {"#86acd4", "2 2", svg::Marker::kCircle},   {"#7a5a00", "14 4", svg::Marker::kSquare},
};
constexpr size_t kMaxSeries = sizeof(kSeries) / sizeof(kSeries[0]);

// Moves labels (by their y) apart so that consecutive ones are at least `gap` apart, keeping
// them inside [top, bottom] where possible.
void Spread(std::vector<double>& ys, double gap, double top, double bottom) {
  std::vector<size_t> order(ys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ys[a] < ys[b]; });
  for (size_t k = 1; k < order.size(); ++k) {
    ys[order[k]] = std::max(ys[order[k]], ys[order[k - 1]] + gap);
  }
  if (!order.empty() && ys[order.back()] > bottom) {
    double shift = ys[order.back()] - bottom;
    for (size_t i : order) ys[i] = std::max(top, ys[i] - shift);
    for (size_t k = 1; k < order.size(); ++k) {
      ys[order[k]] = std::max(ys[order[k]], ys[order[k - 1]] + gap);
    }
  }
}

// The cost chart's lines: admitted candidates (all candidates when none is admitted).
std::vector<const CandidateView*> CostLines(const PlanView& view) {
  std::vector<const CandidateView*> lines;
  for (const CandidateView& c : view.candidates) {
    if (c.cost.present && c.admitted) lines.push_back(&c);
  }
  if (lines.empty()) {
    for (const CandidateView& c : view.candidates) {
      if (c.cost.present) lines.push_back(&c);
    }
  }
  if (lines.size() > kMaxSeries) lines.resize(kMaxSeries);
  return lines;
}

// A local candidate's flat monthly cost: solid up to its decode capacity, dotted past it,
// with its break-even volume marked.
void DrawLocalLine(svg::Canvas& canvas, const svg::Scale& x, const svg::Scale& y, double x_end,
                   const CandidateView& c, const Series& s) {
  const double local = c.cost.local_monthly_usd;
  const double capacity = c.cost.capacity_requests_per_month;
  const double be = c.cost.break_even_requests_per_month;
  const double solid_end = capacity > 0 ? std::min(capacity, x_end) : x_end;
  canvas.BeginGroup(c.display_label + ": " + FormatUsd(local) + " per month, decode capacity " +
                    FormatCount(capacity) + " requests/month, break-even " + FormatCount(be));
  canvas.Line(x(0), y(local), x(solid_end), y(local), {"none", s.colour, 2.2, s.dash});
  if (solid_end < x_end) {
    canvas.Line(x(solid_end), y(local), x(x_end), y(local), {"none", s.colour, 1.2, "1 4"});
    canvas.Line(x(solid_end), y(local) - 6, x(solid_end), y(local) + 6, {"none", s.colour, 2, ""});
  }
  if (be > 0 && be <= x_end) {
    svg::DrawMarker(canvas, s.marker, x(be), y(local), 5.5, {"#ffffff", "#000000", 1.8, ""});
    TextStyle t;
    t.size = 10;
    t.anchor = Anchor::kEnd;
    canvas.Text(x(be) - 8, y(local) - 8, FormatCount(be) + "/mo", t);
  }
  canvas.EndGroup();
}

// What the KV chart marks: the job's own context and each candidate's limit, in rows above
// the plot in ascending context, so every label sits right of its line and no later line
// (which starts lower) crosses it. Candidates where no context fits go to `none_fit`.
struct KvMark {
  std::string label;
  double context;
  bool job;
  size_t series;
};
std::vector<KvMark> KvMarks(const PlanView& view, std::map<double, double>& curve, double x_end,
                            std::string& none_fit) {
  const double job_context = static_cast<double>(view.job.context_tokens);
  std::vector<KvMark> marks;
  if (job_context <= x_end && curve.count(job_context)) {
    marks.push_back({"this job: " + FormatCount(job_context) + " tokens x " +
                         Sequences(static_cast<double>(view.job.concurrency)) + " = " +
                         FormatMemory(curve[job_context]),
                     job_context, true, 0});
  }
  size_t series = 0;
  for (const CandidateView& c : view.candidates) {
    if (!c.max_context_tokens) continue;
    double limit = static_cast<double>(*c.max_context_tokens);
    if (limit <= 0) {
      none_fit += (none_fit.empty() ? "" : ", ") + c.display_label;
      continue;
    }
    marks.push_back({c.display_label + ": up to " + FormatCount(limit) + " tokens", limit, false,
                     series++ % kMaxSeries});
  }
  std::stable_sort(marks.begin(), marks.end(),
                   [](const KvMark& a, const KvMark& b) { return a.context < b.context; });
  return marks;
}

// A mark's label in its row above the plot and its vertical line down to the axis (or a
// note that it is off the chart).
void DrawKvMarkLine(svg::Canvas& canvas, const KvMark& m, const svg::Scale& x, double label_y,
                    const svg::Plot& area, double x_end) {
  TextStyle t;
  t.size = 11;
  if (m.context > x_end) {
    t.anchor = Anchor::kEnd;
    canvas.Text(area.right, label_y, m.label + " (off the chart) ->", t);
    return;
  }
  const double px = x(m.context);
  const Series& s = kSeries[m.series];
  canvas.BeginGroup(m.label);
  if (m.job) {
    canvas.Line(px, label_y + 4, px, area.bottom, {"none", "#333333", 1.2, "2 3"});
  } else {
    canvas.Line(px, label_y + 4, px, area.bottom, {"none", s.colour, 1.2, s.dash});
  }
  canvas.EndGroup();
  const bool right_side = px + 8 + svg::TextWidth(m.label, 11) < kWidth - 8;
  t.anchor = right_side ? Anchor::kStart : Anchor::kEnd;
  t.bold = m.job;
  canvas.Text(px + (right_side ? 5 : -5), label_y, m.label, t);
}

// The cost chart's legend; returns its bottom edge.
double CostLegend(svg::Canvas& canvas) {
  svg::Legend legend(canvas, 12, 44, kWidth - 12);
  legend.LineSample({"none", "#b22222", 3, ""}, "Hosted API");
  legend.LineSample({"none", "#1f3a5f", 2, "9 4"}, "Local, one line per candidate");
  legend.MarkerSample(svg::Marker::kCircle, {"#ffffff", "#000000", 1.8, ""}, "Break-even");
  legend.LineSample({"none", "#333333", 1.5, "2 3"}, "This job's volume");
  return legend.bottom();
}

// The dotted vertical line at the job's monthly volume, labelled.
void DrawJobVolume(svg::Canvas& canvas, const svg::Plot& area, const svg::Scale& x,
                   double volume) {
  canvas.Line(x(volume), area.top, x(volume), area.bottom, {"none", "#333333", 1.5, "2 3"});
  TextStyle vol;
  vol.size = 11;
  vol.anchor = x(volume) > area.right - 120 ? Anchor::kEnd : Anchor::kStart;
  canvas.Text(x(volume) + (vol.anchor == Anchor::kEnd ? -4 : 4), area.top + 12,
              "this job: " + FormatCount(volume) + "/month", vol);
}

// Labels at the right end of each line (the hosted line first), spread so none overlap.
void DrawLineEndLabels(svg::Canvas& canvas, const svg::Plot& area, std::vector<double> label_y,
                       const std::vector<std::string>& label_text) {
  Spread(label_y, 14, area.top + 4, area.bottom);
  for (size_t i = 0; i < label_y.size(); ++i) {
    TextStyle t;
    t.size = 11;
    t.fill = i == 0 ? "#8a1c1c" : "#222222";
    canvas.Text(area.right + 8, label_y[i] + 4,
                svg::Truncate(label_text[i], kWidth - area.right - 12, 11), t);
  }
}

}  // namespace

Chart CostChart(const ChartData& data) {
  const PlanView& view = *data.view;
  Chart chart{"cost", "Monthly cost against volume", "", "", false};
  const CostView& cost = view.cost;
  if (!cost.present || !(view.job.requests_per_month > 0)) {
    chart.caption = "No chart: the job has no cost: section (hosted price and volume).";
    return chart;
  }
  chart.caption =
      "Hosted cost grows with every request; a local machine costs the same each month (amortized "
      "hardware, power, operations) up to its decode capacity, and its line turns dotted past that "
      "capacity. Where a local line crosses the hosted line is its break-even volume; the dotted "
      "vertical line is the job's volume.";
  std::vector<const CandidateView*> lines = CostLines(view);
  const double per_request = cost.hosted_usd_per_request;
  const double volume = view.job.requests_per_month;
  // The x range shows the job's volume and the break-even of the recommended candidate (or
  // the first line), unless that is so far out that the job's volume would vanish.
  double x_raw = volume * 1.6;
  if (!lines.empty()) {
    double be = lines[0]->cost.break_even_requests_per_month;
    if (be > 0 && std::isfinite(be) && be <= volume * 20) x_raw = std::max(x_raw, be * 1.3);
  }
  std::vector<double> xticks = svg::NiceTicks(x_raw, 6);
  const double x_end = xticks.back();
  double y_raw = per_request * x_end;
  for (const CandidateView* c : lines) y_raw = std::max(y_raw, c->cost.local_monthly_usd);
  std::vector<double> yticks = svg::NiceTicks(y_raw * 1.08, 5);

  // Line-end labels: the hosted line, then one per local line.
  std::vector<std::string> label_text = {"hosted API"};
  for (const CandidateView* c : lines) label_text.push_back(c->display_label + " " + FormatUsd(c->cost.local_monthly_usd));
  double label_w = 0;
  for (const std::string& t : label_text) label_w = std::max(label_w, svg::TextWidth(t, 11));
  const double plot_right = kWidth - 20 - std::min(label_w, 260.0);

  svg::Canvas canvas(kWidth, 430, "chart-cost", chart.title, chart.caption);
  Title(canvas, chart.title);
  const double top = CostLegend(canvas) + 20;
  svg::Plot area{78, top, plot_right, 430 - 50};
  svg::Scale x{0, x_end, area.left, area.right};
  svg::Scale y{0, yticks.back(), area.bottom, area.top};
  svg::XAxis(canvas, area, x, xticks, svg::TickCount, "requests per month");
  svg::YAxis(canvas, area, y, yticks, svg::TickUsd, "US$ per month");

  DrawJobVolume(canvas, area, x, volume);

  // Hosted: per request x volume, clipped to the plot.
  double hosted_end_x = x_end;
  if (per_request * x_end > yticks.back()) hosted_end_x = yticks.back() / per_request;
  canvas.BeginGroup("hosted: " + FormatUsd(per_request) + " per request");
  canvas.Line(x(0), y(0), x(hosted_end_x), y(per_request * hosted_end_x), {"none", "#b22222", 3, ""});
  canvas.EndGroup();

  std::vector<double> label_y = {y(per_request * hosted_end_x)};
  for (size_t k = 0; k < lines.size(); ++k) {
    DrawLocalLine(canvas, x, y, x_end, *lines[k], kSeries[k]);
    label_y.push_back(y(lines[k]->cost.local_monthly_usd));
  }
  DrawLineEndLabels(canvas, area, label_y, label_text);
  chart.svg = canvas.Finish();
  chart.present = true;
  return chart;
}

int64_t KvChartMaxContext(const PlanView& view) {
  const double job_context = static_cast<double>(view.job.context_tokens);
  double largest = 0;
  for (const CandidateView& c : view.candidates) {
    if (c.max_context_tokens) largest = std::max(largest, static_cast<double>(*c.max_context_tokens));
  }
  double raw = std::min(std::max(job_context * 1.25, largest * 1.08), job_context * 16);
  return static_cast<int64_t>(svg::PowerOfTwoTicks(std::max(raw, 1024.0), 1024).back());
}

Chart KvChart(const ChartData& data) {
  const PlanView& view = *data.view;
  Chart chart{"kv", "KV cache against context length", "", "", false};
  if (view.job.kv_pinned || data.kv_curve.size() < 2) {
    chart.caption = "No chart: the job pins the KV cache bucket (memory_overrides.kv_cache_bytes).";
    return chart;
  }
  const double concurrency = static_cast<double>(view.job.concurrency);
  chart.caption = "The job's KV cache (" + Sequences(concurrency) +
                  ", every device together) as the context per sequence grows, from the "
                  "planner's KV model with the runtime's allocation rounding. A marker is the largest "
                  "context a candidate still admits on memory at this concurrency.";
  std::map<double, double> curve;
  for (const KvPoint& p : data.kv_curve) curve[p.context_tokens] = p.bytes;
  const double x_end = static_cast<double>(KvChartMaxContext(view));
  double y_max = 0;
  for (const auto& [ctx, bytes] : curve) {
    if (ctx <= x_end) y_max = std::max(y_max, bytes);
  }
  std::vector<double> xticks = svg::PowerOfTwoTicks(x_end, 1024);
  std::vector<double> yticks = svg::GibibyteTicks(y_max * 1.05, 5);

  std::string none_fit;
  std::vector<KvMark> marks = KvMarks(view, curve, x_end, none_fit);
  const double row = 16;
  const double band = row * static_cast<double>(marks.size());
  const double height = 330 + band;
  svg::Canvas canvas(kWidth, height, "chart-kv", chart.title, chart.caption);
  Title(canvas, chart.title);
  svg::Legend legend(canvas, 12, 44, kWidth - 12);
  legend.LineSample({"none", "#1f3a5f", 2.5, ""}, "KV cache at " + Sequences(concurrency));
  legend.MarkerSample(svg::Marker::kCircle, {"#1f3a5f", "#1f3a5f", 1, ""}, "This job");
  legend.MarkerSample(svg::Marker::kSquare, {"#ffffff", "#000000", 1.6, ""},
                      "Largest context a candidate admits (one shape each)");
  const double band_top = legend.bottom() + 8;
  const double top = band_top + band + 8;
  svg::Plot area{78, top, kWidth - 40, height - 50};
  svg::Scale x{0, x_end, area.left, area.right};
  svg::Scale y{0, yticks.back(), area.bottom, area.top};
  svg::XAxis(canvas, area, x, xticks, svg::TickContextTokens, "context per sequence (tokens, k = 1024)");
  svg::YAxis(canvas, area, y, yticks, svg::TickGibibytes, "KV cache (GiB = 2^30 bytes)");

  std::vector<std::pair<double, double>> points;
  for (const auto& [ctx, bytes] : curve) {
    if (ctx <= x_end) points.emplace_back(x(ctx), y(bytes));
  }
  for (size_t k = 0; k < marks.size(); ++k) {
    DrawKvMarkLine(canvas, marks[k], x, band_top + row * static_cast<double>(k) + 11, area, x_end);
  }
  // The curve over the lines, the markers over the curve.
  canvas.Polyline(points, {"none", "#1f3a5f", 2.5, ""});
  for (const KvMark& m : marks) {
    auto it = curve.find(m.context);
    if (m.context > x_end || it == curve.end()) continue;
    if (m.job) {
      svg::DrawMarker(canvas, svg::Marker::kCircle, x(m.context), y(it->second), 5.5, {"#1f3a5f", "#ffffff", 1.2, ""});
    } else {
      svg::DrawMarker(canvas, kSeries[m.series].marker, x(m.context), y(it->second), 5.5,
                      {"#ffffff", "#000000", 1.6, ""});
    }
  }
  if (!none_fit.empty()) {
    TextStyle t;
    t.size = 11;
    t.fill = "#8a1c1c";
    canvas.Text(area.left + 8, area.top + 14, "no context fits: " + none_fit, t);
  }
  chart.svg = canvas.Finish();
  chart.present = true;
  return chart;
}

}  // namespace sizer
