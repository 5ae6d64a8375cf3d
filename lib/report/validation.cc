#include "report/validation.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/sha256.h"

namespace sizer {
namespace {

using nlohmann::json;

// Reads `section.key` into `out`: absent or null leaves it empty; anything but a finite,
// non-negative number is an error.
Status ReadFigure(const json& section, const std::string& section_name, const char* key,
                  const std::string& file, std::optional<double>& out) {
  auto it = section.find(key);
  if (it == section.end() || it->is_null()) return Status();
  const std::string where = file + ": " + section_name + "." + key;
  if (!it->is_number()) return Status::InvalidArgument(where + ": expected a number, got " + it->dump());
  double v = it->get<double>();
  if (!std::isfinite(v) || v < 0) {
    return Status::InvalidArgument(where + ": expected a non-negative number, got " + it->dump());
  }
  out = v;
  return Status();
}

// The named section as an object, or an empty object when absent/null.
StatusOr<json> Section(const json& root, const char* name, const std::string& file) {
  auto it = root.find(name);
  if (it == root.end() || it->is_null()) return json::object();
  if (!it->is_object()) {
    return Status::InvalidArgument(file + ": " + name + ": expected a mapping of figures, got " +
                                   std::string(it->type_name()));
  }
  return *it;
}

}  // namespace

StatusOr<ValidationRecord> ParseValidation(const std::string& text, const std::string& file) {
  json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    return Status::Corruption(file + ": not valid JSON (expected the output of 'sizer validate')");
  }
  if (!root.is_object()) return Status::InvalidArgument(file + ": expected a JSON object");
  auto version = root.find("sizer_validate");
  if (version == root.end() || !version->is_number_integer()) {
    return Status::InvalidArgument(file + ": sizer_validate: missing or not an integer (expected " +
                                   std::to_string(kValidationFormatVersion) +
                                   "; is this a 'sizer validate' file?)");
  }
  if (version->get<int64_t>() != kValidationFormatVersion) {
    return Status::Unsupported(file + ": sizer_validate: format version " + version->dump() +
                               ", this sizer reads version " +
                               std::to_string(kValidationFormatVersion));
  }
  ValidationRecord r;
  r.file = file;
  r.sha256 = Sha256Hex(text);
  auto hw = root.find("hardware_id");
  if (hw == root.end() || !hw->is_string() || hw->get<std::string>().empty()) {
    return Status::InvalidArgument(file + ": hardware_id: expected the id of the machine measured");
  }
  r.hardware_id = hw->get<std::string>();
  auto model = root.find("model_file");
  if (model != root.end() && !model->is_null()) {
    if (!model->is_string()) return Status::InvalidArgument(file + ": model_file: expected a string");
    r.model_file = model->get<std::string>();
  }
  SIZER_ASSIGN_OR_RETURN(json decode, Section(root, "decode", file));
  SIZER_RETURN_IF_ERROR(ReadFigure(decode, "decode", "predicted_tokens_per_s", file, r.decode_predicted_tokens_per_s));
  SIZER_RETURN_IF_ERROR(ReadFigure(decode, "decode", "measured_tokens_per_s", file, r.decode_measured_tokens_per_s));
  SIZER_RETURN_IF_ERROR(ReadFigure(decode, "decode", "ceiling_tokens_per_s", file, r.decode_ceiling_tokens_per_s));
  SIZER_ASSIGN_OR_RETURN(json prefill, Section(root, "prefill", file));
  SIZER_RETURN_IF_ERROR(ReadFigure(prefill, "prefill", "predicted_tokens_per_s", file, r.prefill_predicted_tokens_per_s));
  SIZER_RETURN_IF_ERROR(ReadFigure(prefill, "prefill", "measured_tokens_per_s", file, r.prefill_measured_tokens_per_s));
  SIZER_ASSIGN_OR_RETURN(json memory, Section(root, "memory", file));
  SIZER_RETURN_IF_ERROR(ReadFigure(memory, "memory", "planned_total_bytes", file, r.planned_total_bytes));
  SIZER_RETURN_IF_ERROR(ReadFigure(memory, "memory", "peak_rss_bytes", file, r.peak_rss_bytes));
  SIZER_RETURN_IF_ERROR(ReadFigure(memory, "memory", "planned_kv_bytes", file, r.planned_kv_bytes));
  SIZER_RETURN_IF_ERROR(ReadFigure(memory, "memory", "measured_kv_bytes", file, r.measured_kv_bytes));
  if (!r.decode_measured_tokens_per_s && !r.prefill_measured_tokens_per_s && !r.peak_rss_bytes &&
      !r.measured_kv_bytes) {
    return Status::InvalidArgument(file + ": holds no measured figure (decode, prefill or memory)");
  }
  return r;
}

StatusOr<ValidationRecord> LoadValidation(const std::string& path) {
  SIZER_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, 16u << 20));
  return ParseValidation(text, path);
}

std::string ValidationToJsonText(const ValidationResult& r) {
  json j = {
      {"sizer_validate", kValidationFormatVersion},
      {"hardware_id", r.hardware_id},
      {"model_file", r.model_file},
      {"threads", r.threads},
      {"context_tokens", r.context_tokens},
      {"bandwidth_bytes_per_s", r.bandwidth_bytes_per_s},
      {"bytes_read_per_token", r.bytes_read_per_token},
      {"decode",
       {{"tokens", r.decode.tokens},
        {"ceiling_tokens_per_s", r.decode.ceiling_tokens_per_s},
        {"predicted_tokens_per_s", r.decode.predicted_tokens_per_s},
        {"predicted_efficiency", r.decode.predicted_efficiency},
        {"measured_tokens_per_s", r.decode.measured_tokens_per_s},
        {"median_token_ms", r.decode.median_token_ms},
        {"measured_fraction_of_ceiling", r.decode.measured_fraction_of_ceiling},
        {"effective_bytes_per_s", r.decode.effective_bytes_per_s}}},
      {"prefill",
       {{"tokens", r.prefill.tokens},
        {"predicted_tokens_per_s", r.prefill.predicted_tokens_per_s},
        {"measured_tokens_per_s", r.prefill.measured_tokens_per_s}}},
      {"memory",
       {{"planned_weights_bytes", r.memory.planned_weights_bytes},
        {"planned_kv_bytes", r.memory.planned_kv_bytes},
        {"planned_runtime_bytes", r.memory.planned_runtime_bytes},
        {"planned_activation_bytes", r.memory.planned_activation_bytes},
        {"planned_total_bytes", r.memory.planned_total_bytes},
        {"measured_kv_bytes", r.memory.measured_kv_bytes},
        {"peak_rss_bytes", r.memory.peak_rss_bytes}}}};
  if (r.decode.calibrated_tokens_per_s) {
    j["decode"]["calibrated_tokens_per_s"] = *r.decode.calibrated_tokens_per_s;
  }
  if (r.decode.calibrated_error_fraction) {
    j["decode"]["calibrated_error_fraction"] = *r.decode.calibrated_error_fraction;
  }
  if (r.calibration) {
    j["calibration"] = {{"file", r.calibration->file},
                        {"points", r.calibration->points},
                        {"decode_efficiency", r.calibration->decode_efficiency},
                        {"decode_overhead_ms", r.calibration->decode_overhead_ms},
                        {"max_abs_error_fraction", r.calibration->max_abs_error_fraction},
                        {"fit", r.calibration->fit}};
  }
  return j.dump(2) + "\n";
}

}  // namespace sizer
