// `sizer fit`'s answer as a library: the question's job (drafted, parsed, street prices
// applied) and the JSON it prints. The command and FitJson both use these.
#ifndef SIZER_SERVICE_FIT_H_
#define SIZER_SERVICE_FIT_H_

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "catalog/catalog.h"
#include "input/job.h"
#include "input/prices.h"
#include "input/question.h"
#include "plan/planner.h"

namespace sizer::service {

struct QuestionJob {
  DraftedJob draft;  // the job file the question means (`--save` writes draft.yaml)
  JobSpec job;
};

// DraftJob + ParseDraftedJob (with `parse`'s model-file resolver), then `prices` (may be null)
// over each candidate's database price. Errors are what `sizer fit` prints after "fit: ".
StatusOr<QuestionJob> JobForQuestion(const Question& question, const Catalog& catalog,
                                     const PriceOverrides* prices, const JobParseOptions& parse = {});

// `sizer fit --max-context --json`: the largest context each machine admits (sizer-max-context/1).
nlohmann::json MaxContextJson(const Plan& plan);
// Whether any machine fits some context (the exit status of --max-context).
bool AnyContextFits(const Plan& plan);
// What `sizer fit --json` prints: the plan (as `sizer plan --json`), or MaxContextJson.
nlohmann::json FitAnswerJson(const Plan& plan, bool max_context);

}  // namespace sizer::service

#endif  // SIZER_SERVICE_FIT_H_
