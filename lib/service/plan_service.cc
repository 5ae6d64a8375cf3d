// PlanJson and FitJson: `sizer plan JOB --json` and `sizer fit ... --json` for a request.
#include <string>

#include "base/edit_distance.h"
#include "plan/planner.h"
#include "report/json_report.h"
#include "input/job_file_path.h"
#include "service/api.h"
#include "service/fit.h"
#include "service/job_request.h"
#include "service/question_keys.h"

namespace sizer::service {
namespace {

// The parameters of `sizer fit` other than the question's own.
struct FitParams {
  Question question;
  bool max_context = false;
};

StatusOr<FitParams> ReadFitParams(const nlohmann::json& params) {
  if (!params.is_object()) {
    return Status::InvalidArgument("expected a JSON object of parameters such as "
                                   "{\"model\": \"llama-3.1-8b\", \"context\": \"32k\"}, got " +
                                   std::string(params.type_name()));
  }
  FitParams out;
  bool has_model = false;
  for (const auto& [key, value] : params.items()) {
    if (key == "model") {
      SIZER_ASSIGN_OR_RETURN(out.question.model, StringParam(key, value));
      has_model = true;
      continue;
    }
    if (key == "max_context") {
      SIZER_ASSIGN_OR_RETURN(out.max_context, BoolParam(key, value));
      continue;
    }
    SIZER_ASSIGN_OR_RETURN(bool known, ReadQuestionParam(key, value, out.question));
    if (known) continue;
    std::vector<std::string> names = QuestionParamNames();
    names.insert(names.begin(), {"model", "max_context"});
    return Status::InvalidArgument("unknown parameter '" + key + "'" + DidYouMean(key, names) +
                                   " (expected model, max_context, " + FitKeyList() + ")");
  }
  if (!has_model) return Status::InvalidArgument("missing model (a model_db id or a .gguf file)");
  return out;
}

}  // namespace

std::string FitKeyList() {
  std::string out;
  for (const std::string& name : QuestionParamNames()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

StatusOr<std::string> ResolveQuestionModel(const ServiceContext& ctx, const std::string& model) {
  if (NamesGgufFile(model) || IsConfigJsonName(model)) {  // a GGUF, or a checkpoint's config.json
    StatusOr<std::filesystem::path> path = ResolveModelPath(ctx, model);
    if (!path.ok()) return path.status().WithContext("MODEL");
    return path->string();
  }
  // Only database ids: the command would also look for a folder of that name.
  if (Status found = ctx.catalog->FindModel(model).status(); !found.ok()) {
    return found.WithContext("MODEL");
  }
  return model;
}

StatusOr<nlohmann::json> PlanJson(const ServiceContext& ctx, std::string_view body) {
  SIZER_ASSIGN_OR_RETURN(JobSpec job, ParseJobRequest(ctx, body));
  SIZER_ASSIGN_OR_RETURN(Plan plan, MakePlan(job));
  return PlanToJson(plan);
}

StatusOr<nlohmann::json> FitJson(const ServiceContext& ctx, const nlohmann::json& params) {
  SIZER_RETURN_IF_ERROR(CheckContext(ctx));
  auto fail = [](const Status& s) { return s.WithContext("fit"); };
  StatusOr<FitParams> fit = ReadFitParams(params);
  if (!fit.ok()) return fail(fit.status());
  StatusOr<std::string> model = ResolveQuestionModel(ctx, fit->question.model);
  if (!model.ok()) return fail(model.status());
  fit->question.model = *model;
  JobParseOptions parse;
  parse.model_file_resolver = RequestModelResolver(ctx, *model);
  StatusOr<QuestionJob> job = JobForQuestion(fit->question, *ctx.catalog, nullptr, parse);
  if (!job.ok()) return fail(job.status());
  StatusOr<Plan> plan = MakePlan(job->job);
  if (!plan.ok()) return fail(plan.status());
  return FitAnswerJson(*plan, fit->max_context);
}

}  // namespace sizer::service
