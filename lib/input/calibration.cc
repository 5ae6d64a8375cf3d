#include "input/calibration.h"

#include <charconv>
#include <cstdio>

#include "base/file.h"
#include "base/format.h"
#include "yaml/yaml_reader.h"

namespace sizer {

StatusOr<Calibration> ParseCalibration(const std::string& text, const std::string& file) {
  SIZER_ASSIGN_OR_RETURN(YamlValue root, YamlValue::Parse(text, file));
  if (!root.IsMap()) return root.Error("a calibration file is a mapping");
  SIZER_RETURN_IF_ERROR(root.CheckKeys({"hardware", "measured_with", "date", "bandwidth",
                                        "decode_efficiency", "decode_overhead_ms", "fit",
                                        "points"}));
  Calibration c;
  double overhead_ms = 0;
  SIZER_RETURN_IF_ERROR(ReadRequired(root, "hardware", &YamlValue::AsString, c.hardware_id));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(root, "measured_with", &YamlValue::AsString, c.measured_with));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(root, "date", &YamlValue::AsString, c.date));
  SIZER_ASSIGN_OR_RETURN(YamlValue bandwidth, root.Get("bandwidth"));
  SIZER_ASSIGN_OR_RETURN(c.bandwidth_bytes_per_s, bandwidth.AsBytesPerSecond());
  SIZER_RETURN_IF_ERROR(ReadRequired(root, "decode_efficiency", &YamlValue::AsPositiveNumber, c.decode_efficiency));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(root, "decode_overhead_ms", &YamlValue::AsNonNegativeNumber, overhead_ms));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(root, "fit", &YamlValue::AsString, c.fit));
  c.decode_overhead_s = overhead_ms / 1000.0;
  if (c.decode_efficiency > 2) {
    return root.GetOptional("decode_efficiency")
        .Error("an efficiency above 2 (twice the bandwidth ceiling) is not a measurement");
  }
  const YamlValue points = root.GetOptional("points");
  if (!points.IsNull()) {
    if (!points.IsSequence()) return points.Error("expected a list of points");
    for (const YamlValue& p : points.Items()) {
      if (!p.IsMap()) return p.Error("expected {model, bytes_per_token, tokens_per_s}");
      SIZER_RETURN_IF_ERROR(p.CheckKeys({"model", "bytes_per_token", "tokens_per_s"}));
      CalibrationPoint point;
      SIZER_RETURN_IF_ERROR(ReadRequired(p, "model", &YamlValue::AsString, point.model));
      SIZER_RETURN_IF_ERROR(ReadRequired(p, "bytes_per_token", &YamlValue::AsPositiveBytes, point.bytes_per_token));
      SIZER_RETURN_IF_ERROR(ReadRequired(p, "tokens_per_s", &YamlValue::AsPositiveNumber, point.tokens_per_s));
      c.points.push_back(std::move(point));
    }
  }
  return c;
}

StatusOr<Calibration> LoadCalibration(const std::string& path) {
  SIZER_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseCalibration(text, path);
}

namespace {

// A YAML double-quoted scalar that reads back as `s`: quotes, backslashes and control
// characters escaped (a raw newline inside quotes would read back as a space).
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", u);
      out += escaped;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

// The shortest text that reads back as exactly `value`. Fixed decimals lost small figures:
// 0.4 bytes per token was written as "0", which the reader then refused as not positive.
std::string Exact(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return ec == std::errc() ? std::string(buffer, end) : FormatFixed(value, 6);
}

}  // namespace

std::string CalibrationToYaml(const Calibration& c) {
  std::string y = "# Decode calibration written by `sizer validate --calibrate`; use it with\n"
                  "# `sizer plan JOB.yaml --calibration FILE`. seconds per token =\n"
                  "# bytes per token / (bandwidth x decode_efficiency) + decode_overhead_ms.\n";
  y += "hardware: " + Quoted(c.hardware_id) + "\n";
  y += "measured_with: " + Quoted(c.measured_with) + "\n";
  y += "date: " + Quoted(c.date) + "\n";
  // Bytes per second, exactly; the comment is for people.
  y += "bandwidth: " + Exact(c.bandwidth_bytes_per_s) + "  # " +
       FormatFixed(c.bandwidth_bytes_per_s / 1e9, 3) + " GB/s\n";
  y += "decode_efficiency: " + Exact(c.decode_efficiency) + "\n";
  y += "decode_overhead_ms: " + Exact(c.decode_overhead_s * 1000.0) + "\n";
  y += "fit: " + Quoted(c.fit) + "\n";
  y += "points:\n";
  for (const CalibrationPoint& p : c.points) {
    y += "  - {model: " + Quoted(p.model) + ", bytes_per_token: " + Exact(p.bytes_per_token) +
         ", tokens_per_s: " + Exact(p.tokens_per_s) + "}\n";
  }
  return y;
}

int ApplyCalibration(const Calibration& c, const std::string& file, JobSpec& job) {
  int applied = 0;
  for (Candidate& candidate : job.candidates) {
    if (candidate.hardware.id != c.hardware_id) continue;
    DecodeCalibration d;
    d.decode_efficiency = c.decode_efficiency;
    d.decode_overhead_s = c.decode_overhead_s;
    d.source = file + " (" + c.fit + (c.date.empty() ? "" : ", " + c.date) + ")";
    candidate.calibration = d;
    ++applied;
  }
  return applied;
}

}  // namespace sizer
