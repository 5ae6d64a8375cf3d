// PlanInputs: a job resolved for planning: the model, the weight format, the KV dtype and the
// runtime profile with the job's assumption overrides applied. Built once per job (and per
// artifact), shared by every formula in plan/.
#ifndef SIZER_PLAN_PLAN_INPUTS_H_
#define SIZER_PLAN_PLAN_INPUTS_H_

#include <string>
#include <vector>

#include "base/formula.h"
#include "base/status.h"
#include "input/job.h"
#include "catalog/model.h"
#include "knowledge/runtime_profile.h"
#include "knowledge/weight_format.h"

namespace sizer {

// One named assumption as used in a plan, for the worksheet's assumptions table.
struct Assumption {
  std::string name;
  Formula value;  // the value(s) as operands: "gpu {gpu}, unified {unified}, cpu {cpu}"
  std::string why;
  bool overridden = false;
};

struct PlanInputs {
  const JobSpec* job = nullptr;
  ModelSpec model;
  WeightFormat format;
  KvDtype kv_dtype;
  RuntimeProfile runtime;  // with overrides applied
  std::string quant;
  bool flash_attention = true;
  bool keep_full_sliding_cache = false;
  double allreduce_latency_s = 0;  // per all-reduce; 0: derive from the interconnect
  std::vector<Assumption> assumptions;
  std::vector<Formula> warnings;
};

// Resolves `job` with weight format `quant` (the job's own or an artifact's).
StatusOr<PlanInputs> ResolvePlanInputs(const JobSpec& job, const std::string& quant);

}  // namespace sizer

#endif  // SIZER_PLAN_PLAN_INPUTS_H_
