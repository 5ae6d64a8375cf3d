// The two bar charts (memory, speed) and the chart list. The line charts (cost, KV) are in
// report_charts_lines.cc.
#include "report/report_charts.h"

#include <algorithm>
#include <cmath>

#include "base/format.h"
#include "report/display_format.h"
#include "report/svg_chart.h"

namespace sizer {
namespace {

using svg::Anchor;
using svg::Style;
using svg::TextStyle;

constexpr double kWidth = 760;

// Room for the longest candidate label (bold when recommended, so measured 10% wider) and
// the verdict line under it at the left of a bar chart.
double LabelColumn(const std::vector<CandidateView>& candidates) {
  double widest = svg::TextWidth("admit, recommended", 10);
  for (const CandidateView& c : candidates) widest = std::max(widest, svg::TextWidth(c.display_label, 12) * 1.1);
  return std::clamp(widest + 24, 110.0, 250.0);
}

// The candidate's name (bold when recommended) and its verdict under it, right-aligned
// against the plot.
void RowLabel(svg::Canvas& canvas, double x, double y, const CandidateView& c) {
  const bool recommended = c.recommended;
  TextStyle name;
  name.anchor = Anchor::kEnd;
  name.bold = recommended;
  canvas.Text(x, y - 2, svg::Truncate(c.display_label, (x - 8) / 1.1, 12), name);
  TextStyle verdict;
  verdict.anchor = Anchor::kEnd;
  verdict.size = 10;
  bool admit = c.admitted;
  verdict.fill = admit ? "#2b5f2b" : "#8a1c1c";
  canvas.Text(x, y + 11, std::string(admit ? "admit" : "reject") + (recommended ? ", recommended" : ""),
              verdict);
}

void Title(svg::Canvas& canvas, const std::string& title) {
  TextStyle t;
  t.size = 14;
  t.bold = true;
  canvas.Text(12, 22, title, t);
}

// One bucket of the memory chart's stacked bars.
struct ChartBucket {
  double DeviceView::*bytes;
  const char* label;
  std::string fill;
};

// A candidate's bar at height `y`: its most loaded device's buckets stacked over the grey
// capacity track, the usable limit dashed, and "planned of usable" to the right.
void MemoryBar(svg::Canvas& canvas, const svg::Scale& x, double y, const CandidateView& c,
               const std::vector<ChartBucket>& buckets) {
  const DeviceView& m = c.binding_device();
  const double bar_h = 18;
  const double capacity = m.capacity_bytes;
  const double usable = m.usable_bytes;
  const double planned = m.planned_bytes;
  std::string tip = c.display_label + " (" + m.label + "): ";
  for (const ChartBucket& b : buckets) tip += std::string(b.label) + " " + FormatMemory(m.*b.bytes) + ", ";
  tip += "planned " + FormatMemory(planned) + " of " + FormatMemory(usable) + " usable, capacity " +
         FormatMemory(capacity);
  canvas.BeginGroup(tip);
  canvas.Rect(x(0), y - bar_h / 2 - 3, x(capacity) - x(0), bar_h + 6, {"#eeeeee", "#9a9a9a", 1, ""});
  double at = 0;
  for (const ChartBucket& b : buckets) {
    double v = m.*b.bytes;
    if (v <= 0) continue;
    canvas.Rect(x(at), y - bar_h / 2, x(at + v) - x(at), bar_h, {b.fill, "#ffffff", 0.5, ""});
    at += v;
  }
  canvas.Line(x(usable), y - bar_h / 2 - 7, x(usable), y + bar_h / 2 + 7, {"none", "#b22222", 2, "5 3"});
  canvas.EndGroup();
  TextStyle value;
  value.size = 11;
  value.fill = planned > usable ? "#8a1c1c" : "#222222";
  value.bold = planned > usable;
  canvas.Text(std::max(x(capacity), x(planned)) + 8, y + 4,
              FormatMemory(planned) + " of " + FormatMemory(usable) + (planned > usable ? " (over)" : " usable"),
              value);
}

}  // namespace

Chart MemoryChart(const ChartData& data) {
  const std::vector<CandidateView>& candidates = data.view->candidates;
  Chart chart{"memory", "Memory per candidate", "", "", false};
  chart.caption =
      "Each bar stacks what the plan puts on the candidate's most loaded device: weights, KV cache, "
      "runtime buffers, activations and fragmentation. The grey track is the device's capacity; the "
      "dashed line is the usable limit after the reserve. A bar past the dashed line does not fit.";
  if (candidates.empty()) return chart;

  const double label_w = LabelColumn(candidates);
  const double row_h = 40;
  // Layout: title, legend, plot, axis.
  const double plot_left = label_w;
  const double plot_right = kWidth - 150;
  const double legend_y = 44;

  double x_max = 0;
  for (const CandidateView& c : candidates) {
    x_max = std::max({x_max, c.binding_device().capacity_bytes, c.binding_device().planned_bytes});
  }
  std::vector<double> ticks = svg::GibibyteTicks(x_max, 6);

  // Legend first (it may wrap), then the plot below it.
  auto build = [&](svg::Canvas& canvas) {
    std::vector<ChartBucket> buckets = {
        {&DeviceView::weights_bytes, "Weights", "#1f3a5f"},
        {&DeviceView::kv_cache_bytes, "KV cache", canvas.DefinePattern("kv", svg::Pattern::kDiagonal, "#4a7fb5", "#ffffff")},
        {&DeviceView::runtime_bytes, "Runtime buffers", "#86acd4"},
        {&DeviceView::activation_bytes, "Activations",
         canvas.DefinePattern("act", svg::Pattern::kDots, "#f0c75e", "#5a4500")},
        {&DeviceView::fragmentation_bytes, "Fragmentation",
         canvas.DefinePattern("frag", svg::Pattern::kCrossHatch, "#ffffff", "#555555")},
    };
    Title(canvas, chart.title);
    svg::Legend legend(canvas, 12, legend_y, kWidth - 12);
    for (const ChartBucket& b : buckets) legend.Swatch({b.fill, "none", 1, ""}, b.label);
    legend.Swatch({"#eeeeee", "#9a9a9a", 1, ""}, "Capacity");
    legend.LineSample({"none", "#b22222", 2, "5 3"}, "Usable (capacity - reserve)");
    const double plot_top = legend.bottom() + 14;
    svg::Plot area{plot_left, plot_top, plot_right, plot_top + row_h * static_cast<double>(candidates.size())};
    svg::Scale x{0, ticks.back(), area.left, area.right};
    svg::XAxis(canvas, area, x, ticks, svg::TickGibibytes, "memory on the most loaded device (GiB = 2^30 bytes)");
    for (size_t i = 0; i < candidates.size(); ++i) {
      const CandidateView& c = candidates[i];
      const double y = area.top + row_h * static_cast<double>(i) + row_h / 2;
      RowLabel(canvas, area.left - 10, y, c);
      MemoryBar(canvas, x, y, c, buckets);
    }
    return area.bottom + 46;
  };
  // Draw once to learn the height, then again on a canvas of that height.
  svg::Canvas sizing(kWidth, 100, "memory", "", "");
  double height = build(sizing);
  svg::Canvas canvas(kWidth, height, "chart-memory", chart.title, chart.caption);
  build(canvas);
  chart.svg = canvas.Finish();
  chart.present = true;
  return chart;
}

Chart SpeedChart(const ChartData& data) {
  const std::vector<CandidateView>& candidates = data.view->candidates;
  Chart chart{"speed", "Decode speed per sequence", "", "", false};
  chart.caption =
      "The dark bar is the expected decode rate per sequence with every sequence active; the light "
      "track behind it is the ceiling (memory bandwidth / bytes read per token, one stream, empty "
      "cache). The dashed line is the job's decode gate; a diamond is a measured rate.";
  if (candidates.empty()) return chart;
  const double gate = data.view->job.min_decode_tokens_per_s.value_or(0);

  auto measured_of = [&](size_t i) -> double {
    if (i < data.measured_decode_tokens_per_s.size() && data.measured_decode_tokens_per_s[i]) {
      return *data.measured_decode_tokens_per_s[i];
    }
    return candidates[i].speed.measured_decode_tokens_per_s;
  };
  double x_max = gate;
  bool any_measured = false;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const SpeedView& s = candidates[i].speed;
    x_max = std::max({x_max, s.decode_ceiling_tokens_per_s, s.expected_decode_tokens_per_s, measured_of(i)});
    any_measured = any_measured || measured_of(i) > 0;
  }
  std::vector<double> ticks = svg::NiceTicks(x_max, 6);
  const double label_w = LabelColumn(candidates);
  const double row_h = 40;

  auto build = [&](svg::Canvas& canvas) {
    Title(canvas, chart.title);
    svg::Legend legend(canvas, 12, 44, kWidth - 12);
    legend.Swatch({"#1f3a5f", "none", 1, ""}, "Expected tokens/s per sequence");
    legend.Swatch({"#dde6f0", "#7f9fbf", 1, ""}, "Ceiling (bandwidth / bytes per token)");
    if (gate > 0) legend.LineSample({"none", "#b22222", 2, "5 3"}, "Gate");
    if (any_measured) legend.MarkerSample(svg::Marker::kDiamond, {"#ffffff", "#000000", 1.8, ""}, "Measured");
    const double plot_top = legend.bottom() + 24;
    svg::Plot area{label_w, plot_top, kWidth - 150, plot_top + row_h * static_cast<double>(candidates.size())};
    svg::Scale x{0, ticks.back(), area.left, area.right};
    svg::XAxis(canvas, area, x, ticks, [](double v) { return svg::TickCount(v); },
               "decode tokens/s per sequence");
    for (size_t i = 0; i < candidates.size(); ++i) {
      const CandidateView& c = candidates[i];
      const double y = area.top + row_h * static_cast<double>(i) + row_h / 2;
      RowLabel(canvas, area.left - 10, y, c);
      const double ceiling = c.speed.decode_ceiling_tokens_per_s;
      const double expected = c.speed.expected_decode_tokens_per_s;
      const double measured = measured_of(i);
      std::string tip = c.display_label + ": expected " + FormatNumber(expected, 1) + " tokens/s, ceiling " +
                        FormatNumber(ceiling, 1) + " tokens/s";
      if (measured > 0) tip += ", measured " + FormatNumber(measured, 1) + " tokens/s";
      canvas.BeginGroup(tip);
      canvas.Rect(x(0), y - 11, x(ceiling) - x(0), 22, {"#dde6f0", "#7f9fbf", 1, ""});
      canvas.Rect(x(0), y - 6, x(expected) - x(0), 12, {"#1f3a5f", "none", 1, ""});
      if (measured > 0) svg::DrawMarker(canvas, svg::Marker::kDiamond, x(measured), y, 6, {"#ffffff", "#000000", 1.8, ""});
      canvas.EndGroup();
      TextStyle value;
      value.size = 11;
      std::string text = FormatNumber(expected, 1) + " (ceiling " + FormatNumber(ceiling, 1) + ")";
      if (measured > 0) text = FormatNumber(expected, 1) + ", measured " + FormatNumber(measured, 1);
      canvas.Text(std::max({x(ceiling), x(expected), x(measured)}) + 8, y + 4, text, value);
    }
    if (gate > 0) {
      canvas.Line(x(gate), area.top - 8, x(gate), area.bottom, {"none", "#b22222", 2, "5 3"});
      TextStyle g;
      g.size = 11;
      g.anchor = Anchor::kMiddle;
      g.fill = "#8a1c1c";
      canvas.Text(x(gate), area.top - 12, "gate " + FormatNumber(gate, 1) + " tokens/s", g);
    }
    return area.bottom + 46;
  };
  svg::Canvas sizing(kWidth, 100, "speed", "", "");
  double height = build(sizing);
  svg::Canvas canvas(kWidth, height, "chart-speed", chart.title, chart.caption);
  build(canvas);
  chart.svg = canvas.Finish();
  chart.present = true;
  return chart;
}

std::vector<Chart> MakeCharts(const ChartData& data) {
  return {MemoryChart(data), KvChart(data), SpeedChart(data), CostChart(data)};
}

}  // namespace sizer
