#include "input/calibration.h"

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

std::string CalibrationToYaml(const Calibration& c) {
  auto quoted = [](const std::string& s) {
    std::string out = "\"";
    for (char ch : s) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    return out + "\"";
  };
  std::string y = "# Decode calibration written by `sizer validate --calibrate`; use it with\n"
                  "# `sizer plan JOB.yaml --calibration FILE`. seconds per token =\n"
                  "# bytes per token / (bandwidth x decode_efficiency) + decode_overhead_ms.\n";
  y += "hardware: " + quoted(c.hardware_id) + "\n";
  y += "measured_with: " + quoted(c.measured_with) + "\n";
  y += "date: " + quoted(c.date) + "\n";
  y += "bandwidth: " + FormatFixed(c.bandwidth_bytes_per_s / 1e9, 3) + " GB/s\n";
  y += "decode_efficiency: " + FormatFixed(c.decode_efficiency, 4) + "\n";
  y += "decode_overhead_ms: " + FormatFixed(c.decode_overhead_s * 1000.0, 4) + "\n";
  y += "fit: " + quoted(c.fit) + "\n";
  y += "points:\n";
  for (const CalibrationPoint& p : c.points) {
    y += "  - {model: " + quoted(p.model) + ", bytes_per_token: " +
         FormatFixed(p.bytes_per_token, 0) + ", tokens_per_s: " + FormatFixed(p.tokens_per_s, 3) +
         "}\n";
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
