#include "validate/comparison.h"

#include "plan/calibration_fit.h"

namespace sizer::validate {

ValidationResult ComparePrediction(const ValidationSettings& settings,
                                   const std::string& hardware_id, const Prediction& p,
                                   const Measurement& m) {
  ValidationResult r;
  r.hardware_id = hardware_id;
  r.model_file = settings.model_path;
  r.threads = settings.threads;
  r.context_tokens = settings.context_tokens;
  r.bandwidth_bytes_per_s = p.bandwidth_bytes_per_s;
  r.bytes_read_per_token = p.bytes_read_per_token;
  const double ceiling = p.bandwidth_bytes_per_s / p.bytes_read_per_token;
  const double measured = m.stats.decode_tokens_per_s;
  r.decode.tokens = settings.decode_tokens;
  r.decode.ceiling_tokens_per_s = ceiling;
  r.decode.predicted_tokens_per_s = p.decode_tokens_per_s;
  r.decode.predicted_efficiency = p.decode_efficiency;
  r.decode.measured_tokens_per_s = measured;
  r.decode.median_token_ms = m.stats.median_token_ms;
  r.decode.measured_fraction_of_ceiling = measured / ceiling;
  r.decode.effective_bytes_per_s = p.bytes_read_per_token * measured;
  r.prefill.tokens = settings.prompt_tokens;
  r.prefill.predicted_tokens_per_s = p.prefill_tokens_per_s;
  r.prefill.measured_tokens_per_s = m.stats.prefill_tokens_per_s;
  r.memory.planned_weights_bytes = p.memory.weights_bytes;
  r.memory.planned_kv_bytes = p.memory.kv_cache_bytes;
  r.memory.planned_runtime_bytes = p.memory.runtime_bytes;
  r.memory.planned_activation_bytes = p.memory.activation_bytes;
  r.memory.planned_total_bytes = p.memory.planned_bytes;
  r.memory.measured_kv_bytes = m.stats.kv_cache_bytes;
  r.memory.peak_rss_bytes = m.peak_rss_bytes;
  return r;
}

void AddCalibratedPrediction(double decode_efficiency, double decode_overhead_s,
                             ValidationResult& r) {
  const double calibrated = CalibratedTokensPerSecond(
      r.bytes_read_per_token, r.bandwidth_bytes_per_s, decode_efficiency, decode_overhead_s);
  r.decode.calibrated_tokens_per_s = calibrated;
  r.decode.calibrated_error_fraction = calibrated / r.decode.measured_tokens_per_s - 1.0;
}

}  // namespace sizer::validate
