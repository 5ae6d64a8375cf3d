#include "validate/validation_text.h"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <vector>

#include "base/format.h"

namespace sizer::validate {
namespace {

struct Row {
  std::string what;
  std::string predicted;
  std::string measured;
  std::string ratio;
};

std::string Ratio(double measured, double predicted) {
  return predicted > 0 && measured > 0 ? FormatFixed(measured / predicted, 2) : "";
}

std::string Pad(const std::string& s, size_t width) {
  return s + std::string(width - std::min(width, s.size()), ' ');
}

void RenderRows(const std::vector<Row>& rows, std::ostream& out) {
  size_t w0 = 0, w1 = 9, w2 = 8;
  for (const Row& r : rows) {
    w0 = std::max(w0, r.what.size());
    w1 = std::max(w1, r.predicted.size());
    w2 = std::max(w2, r.measured.size());
  }
  out << Pad("", w0) << "  " << Pad("predicted", w1) << "  " << Pad("measured", w2)
      << "  measured/predicted\n";
  for (const Row& r : rows) {
    out << Pad(r.what, w0) << "  " << Pad(r.predicted, w1) << "  " << Pad(r.measured, w2) << "  "
        << r.ratio << "\n";
  }
}

std::vector<Row> SpeedRows(const ValidationResult& r) {
  const auto& d = r.decode;
  std::vector<Row> rows;
  rows.push_back({"decode ceiling, tokens/s", FormatFixed(d.ceiling_tokens_per_s, 1),
                  FormatPercent(d.measured_fraction_of_ceiling) + " of it", ""});
  rows.push_back({"decode, tokens/s (planner, efficiency " + FormatFixed(d.predicted_efficiency, 2) + ")",
                  FormatFixed(d.predicted_tokens_per_s, 1), FormatFixed(d.measured_tokens_per_s, 1),
                  Ratio(d.measured_tokens_per_s, d.predicted_tokens_per_s)});
  if (d.calibrated_tokens_per_s) {
    rows.push_back({"decode, tokens/s (calibrated)", FormatFixed(*d.calibrated_tokens_per_s, 1),
                    FormatFixed(d.measured_tokens_per_s, 1),
                    Ratio(d.measured_tokens_per_s, *d.calibrated_tokens_per_s)});
  }
  rows.push_back({"effective read bandwidth", FormatBytesPerSecond(r.bandwidth_bytes_per_s),
                  FormatBytesPerSecond(d.effective_bytes_per_s),
                  Ratio(d.effective_bytes_per_s, r.bandwidth_bytes_per_s)});
  rows.push_back({"prefill, tokens/s (one token per step)",
                  FormatFixed(r.prefill.predicted_tokens_per_s, 1),
                  FormatFixed(r.prefill.measured_tokens_per_s, 1),
                  Ratio(r.prefill.measured_tokens_per_s, r.prefill.predicted_tokens_per_s)});
  return rows;
}

std::vector<Row> MemoryRows(const ValidationResult& r) {
  const auto& m = r.memory;
  const double measured_kv = static_cast<double>(m.measured_kv_bytes);
  return {{"weights", FormatBytes(m.planned_weights_bytes), "", ""},
          {"KV cache", FormatBytes(m.planned_kv_bytes), FormatBytes(measured_kv),
           Ratio(measured_kv, m.planned_kv_bytes)},
          {"runtime buffers + activations (llama.cpp)",
           FormatBytes(m.planned_runtime_bytes + m.planned_activation_bytes), "", ""},
          {"total planned vs peak RSS", FormatBytes(m.planned_total_bytes),
           FormatBytes(m.peak_rss_bytes), Ratio(m.peak_rss_bytes, m.planned_total_bytes)}};
}

// The sentence under the table says what the figures show, whichever way they fall.
std::string MemoryNote(const ValidationResult::Memory& m) {
  const double gap = m.planned_total_bytes - m.peak_rss_bytes;
  if (m.peak_rss_bytes <= 0 || m.planned_total_bytes <= 0) {
    return "Peak RSS or the planned total is unknown, so the two are not compared.";
  }
  if (gap >= 0) {
    return "Peak RSS (" + FormatBytes(m.peak_rss_bytes) + ") is " + FormatBytes(gap) +
           " below the planned total (" + FormatBytes(m.planned_total_bytes) +
           "): the planner plans for llama.cpp,\nwhose runtime and compute buffers the "
           "micro-runner does not allocate.";
  }
  return "Peak RSS (" + FormatBytes(m.peak_rss_bytes) + ") is " + FormatBytes(-gap) +
         " above the planned total (" + FormatBytes(m.planned_total_bytes) +
         "): the run held more than the plan\ncounts (sizer's own code and data, and the "
         "memory-mapped file's pages once read).";
}

}  // namespace

std::string RenderValidationText(const ValidationResult& r) {
  std::ostringstream out;
  const int64_t mean_depth = r.prefill.tokens + r.decode.tokens / 2;
  out << "sizer validate: " << std::filesystem::path(r.model_file).filename().string() << " on "
      << r.hardware_id << " (" << r.threads << " threads, context " << r.context_tokens << ")\n"
      << "bandwidth " << FormatBytesPerSecond(r.bandwidth_bytes_per_s)
      << " (cached probe; --reprobe to measure again), bytes read per token "
      << FormatBytes(r.bytes_read_per_token) << " (weights and KV at depth " << mean_depth
      << ")\n\n";
  std::vector<Row> rows = SpeedRows(r);
  for (Row& row : MemoryRows(r)) rows.push_back(std::move(row));
  RenderRows(rows, out);
  out << "\n" << MemoryNote(r.memory) << "\n";
  if (r.calibration) {
    const auto& c = *r.calibration;
    out << "\ncalibrated: " << c.file << " now holds " << c.points << " point(s); decode efficiency "
        << FormatFixed(c.decode_efficiency, 3) << ", per-token overhead "
        << FormatFixed(c.decode_overhead_ms, 3) << " ms (" << c.fit << "); worst fit error "
        << FormatPercent(c.max_abs_error_fraction)
        << ". Use it: sizer plan JOB.yaml --calibration " << c.file << "\n";
  }
  return out.str();
}

}  // namespace sizer::validate
