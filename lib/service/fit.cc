#include "service/fit.h"

#include <utility>

#include "report/json_report.h"

namespace sizer::service {

StatusOr<QuestionJob> JobForQuestion(const Question& question, const Catalog& catalog,
                                     const PriceOverrides* prices, const JobParseOptions& parse) {
  QuestionJob out;
  SIZER_ASSIGN_OR_RETURN(out.draft, DraftJob(question, catalog));
  SIZER_ASSIGN_OR_RETURN(out.job, ParseDraftedJob(out.draft, catalog, parse));
  if (prices != nullptr) {
    for (Candidate& c : out.job.candidates) ApplyPriceOverride(*prices, c.hardware);
  }
  return out;
}

nlohmann::json MaxContextJson(const Plan& plan) {
  nlohmann::json out = {{"format", "sizer-max-context/1"},
                        {"model", plan.job->model_ref},
                        {"quant", plan.quant},
                        {"concurrency", plan.job->concurrency},
                        {"runtime", plan.job->runtime},
                        {"model_max_context_tokens", plan.job->model.max_context_tokens}};
  out["machines"] = nlohmann::json::array();
  for (const CandidateWorksheet& ws : plan.candidates) {
    out["machines"].push_back({{"machine", ws.candidate.label},
                               {"max_context_tokens", ws.max_context_tokens}});
  }
  return out;
}

bool AnyContextFits(const Plan& plan) {
  for (const CandidateWorksheet& ws : plan.candidates) {
    if (ws.max_context_tokens > 0) return true;
  }
  return false;
}

nlohmann::json FitAnswerJson(const Plan& plan, bool max_context) {
  return max_context ? MaxContextJson(plan) : PlanToJson(plan);
}

}  // namespace sizer::service
