// The report's four charts, drawn as SVG from the plan view (plan_view.h), so every plotted
// number is one the worksheets and the JSON carry:
//   memory: a stacked bar per candidate (weights, KV cache, runtime, activations,
//           fragmentation on its most loaded device) against its usable line and capacity;
//   speed:  expected decode tokens/s per sequence per candidate, its ceiling, the gate, and
//           measured figures where they exist;
//   cost:   monthly cost against requests/month, hosted (a line through zero) and local
//           (flat) for each admitted candidate, break-even points and the job's volume marked;
//   kv:     KV cache against context length at the job's concurrency (the planner's own KV
//           model), with each candidate's largest admitted context.
// Colours differ in lightness and carry patterns, so the charts survive grey-scale print.
#ifndef SIZER_REPORT_REPORT_CHARTS_H_
#define SIZER_REPORT_REPORT_CHARTS_H_

#include <optional>
#include <string>
#include <vector>

#include "report/plan_view.h"

namespace sizer {

inline constexpr const char* kChartIds[] = {"memory", "kv", "speed", "cost"};

struct ChartData {
  const PlanView* view = nullptr;
  // Per candidate (index as in view->candidates): a measured decode rate from a validation
  // file, drawn beside the prediction.
  std::vector<std::optional<double>> measured_decode_tokens_per_s;
  std::vector<KvPoint> kv_curve;  // PlanKvCurve(); empty when the job pins the KV bucket
};

struct Chart {
  std::string id;       // one of kChartIds
  std::string title;
  std::string caption;  // one or two sentences: what is drawn and how to read it
  std::string svg;      // empty when !present
  bool present = false;
};

// The context range the KV chart spans: past the job's context and the largest admitted
// context of any candidate, but no more than 16x the job's context so the job stays readable.
int64_t KvChartMaxContext(const PlanView& view);

// In kChartIds order. A chart without data (no cost section, pinned KV) has present = false
// and a caption that says why.
std::vector<Chart> MakeCharts(const ChartData& data);

Chart MemoryChart(const ChartData& data);
Chart SpeedChart(const ChartData& data);
Chart CostChart(const ChartData& data);
Chart KvChart(const ChartData& data);

}  // namespace sizer

#endif  // SIZER_REPORT_REPORT_CHARTS_H_
