#include "validate/prediction.h"

#include "plan/kv_cache.h"
#include "plan/plan_inputs.h"
#include "plan/planner.h"
#include "plan/verdict.h"

namespace sizer::validate {

StatusOr<Prediction> PredictValidation(const ValidationSettings& settings, const Catalog& catalog) {
  SIZER_ASSIGN_OR_RETURN(JobSpec job, MakeValidationJob(settings, catalog));
  SIZER_ASSIGN_OR_RETURN(Plan plan, MakePlan(job));
  SIZER_ASSIGN_OR_RETURN(PlanInputs inputs, ResolvePlanInputs(job, plan.quant));
  const CandidateWorksheet& sheet = plan.candidates.front();
  Prediction p;
  p.fits = sheet.memory.fits;
  p.reasons = ReasonTexts(sheet.memory.reasons);
  p.warnings = job.warnings;
  p.bandwidth_bytes_per_s = sheet.speed.bandwidth_bytes_per_s;
  p.mean_depth = settings.prompt_tokens + settings.decode_tokens / 2;
  p.bytes_read_per_token = plan.weights.read_per_token_bytes + KvReadBytesPerToken(inputs, p.mean_depth);
  p.decode_tokens_per_s = sheet.speed.expected_decode_tokens_per_s;
  p.decode_efficiency = sheet.speed.decode_efficiency;
  p.prefill_tokens_per_s = sheet.speed.prefill_tokens_per_s;
  p.memory = sheet.memory.binding_device();
  return p;
}

}  // namespace sizer::validate
