// RecommendJson: `sizer recommend ... --json` for a request (the job as `job`, or the question
// as `model` and its flags; `hardware` for the inverse).
#include <algorithm>
#include <string>

#include "base/edit_distance.h"
#include "report/report_model.h"
#include "search/hardware_fit.h"
#include "search/recommend_render.h"
#include "service/api.h"
#include "service/fit.h"
#include "service/job_request.h"
#include "service/question_keys.h"
#include "service/recommend.h"

namespace sizer::service {
namespace {

using nlohmann::json;

// The parameters of `sizer recommend` other than the question's own.
struct RecommendParams {
  Question question;
  SearchFlags search;
  std::string rank = "cost";
  int64_t top = 5;
  std::optional<std::string> job;       // the job as text (JSON or YAML)
  std::optional<std::string> hardware;  // the inverse
  std::string date;
};

const std::vector<std::string>& OwnKeys() {
  static const std::vector<std::string> kKeys = {"job",  "model",    "rank",     "top",      "quants",
                                                 "kv_dtypes", "runtimes", "counts", "hardware", "date"};
  return kKeys;
}

Status ReadOwnParam(const std::string& key, const json& value, RecommendParams& p) {
  if (key == "job") {
    if (value.is_object()) {
      p.job = value.dump();
    } else {
      SIZER_ASSIGN_OR_RETURN(p.job, StringParam(key, value));
    }
  } else if (key == "model") {
    SIZER_ASSIGN_OR_RETURN(p.question.model, StringParam(key, value));
  } else if (key == "rank") {
    SIZER_ASSIGN_OR_RETURN(p.rank, StringParam(key, value));
  } else if (key == "top") {
    if (!value.is_number_integer()) return Status::InvalidArgument("top: expected an integer");
    p.top = value.get<int64_t>();
  } else if (key == "hardware") {
    SIZER_ASSIGN_OR_RETURN(p.hardware, StringParam(key, value));
  } else if (key == "date") {
    SIZER_ASSIGN_OR_RETURN(p.date, StringParam(key, value));
  } else {
    std::optional<std::string>& list = key == "quants"      ? p.search.quants
                                       : key == "kv_dtypes" ? p.search.kv_dtypes
                                       : key == "runtimes"  ? p.search.runtimes
                                                            : p.search.counts;
    if (value.is_array()) {
      std::string joined;
      for (const json& item : value) {
        if (!item.is_string() && !item.is_number_integer()) {
          return Status::InvalidArgument(key + ": expected a list of strings");
        }
        joined += (joined.empty() ? "" : ",") + (item.is_string() ? item.get<std::string>() : item.dump());
      }
      list = joined;
    } else {
      SIZER_ASSIGN_OR_RETURN(list, StringParam(key, value));
    }
  }
  return Status();
}

StatusOr<RecommendParams> ReadRecommendParams(const json& params) {
  if (!params.is_object()) {
    return Status::InvalidArgument("expected a JSON object of parameters such as "
                                   "{\"model\": \"llama-3.1-8b\", \"context\": \"32k\"}, got " +
                                   std::string(params.type_name()));
  }
  RecommendParams out;
  for (const auto& [key, value] : params.items()) {
    if (std::find(OwnKeys().begin(), OwnKeys().end(), key) != OwnKeys().end()) {
      SIZER_RETURN_IF_ERROR(ReadOwnParam(key, value, out));
      continue;
    }
    SIZER_ASSIGN_OR_RETURN(bool known, ReadQuestionParam(key, value, out.question));
    if (known) continue;
    std::vector<std::string> names = QuestionParamNames();
    names.insert(names.end(), OwnKeys().begin(), OwnKeys().end());
    std::string own;
    for (const std::string& k : OwnKeys()) own += k + ", ";
    return Status::InvalidArgument("unknown parameter '" + key + "'" + DidYouMean(key, names) +
                                   " (expected " + own + FitKeyList() + ")");
  }
  return out;
}

// --hardware: the models that fit one machine.
StatusOr<json> ModelsThatFit(const ServiceContext& ctx, const RecommendParams& p, const SearchSpace& space) {
  if (p.job || !p.question.model.empty()) {
    return Status::InvalidArgument("--hardware lists the models that fit a machine: drop the job or --model");
  }
  SIZER_ASSIGN_OR_RETURN(HardwareFitResult fit,
                         SearchModels(*ctx.catalog, p.question, *p.hardware, space.quants, space.threads));
  return HardwareFitToJson(fit);
}

// The job: the request's job (question flags that repeat its keys must agree) or the question.
StatusOr<JobSpec> RecommendJob(const ServiceContext& ctx, RecommendParams& p) {
  p.question.search_hardware = true;
  if (p.job) {
    SIZER_ASSIGN_OR_RETURN(JobSpec job, ParseJobRequest(ctx, *p.job));
    SIZER_RETURN_IF_ERROR(ApplyQuestionToJob(p.question, job));
    return job;
  }
  if (p.question.model.empty()) {
    return Status::InvalidArgument("give a job (\"job\": {...}) or a model (\"model\": \"ID\")");
  }
  SIZER_ASSIGN_OR_RETURN(p.question.model, ResolveQuestionModel(ctx, p.question.model));
  JobParseOptions parse;
  parse.model_file_resolver = RequestModelResolver(ctx, p.question.model);
  SIZER_ASSIGN_OR_RETURN(QuestionJob asked, JobForQuestion(p.question, *ctx.catalog, nullptr, parse));
  return std::move(asked.job);
}

StatusOr<json> Answer(const ServiceContext& ctx, const json& params) {
  SIZER_ASSIGN_OR_RETURN(RecommendParams p, ReadRecommendParams(params));
  SIZER_ASSIGN_OR_RETURN(RankBy rank, ParseRankBy(p.rank));
  SIZER_RETURN_IF_ERROR(CheckTop(p.top));
  p.search.threads = ctx.search_threads;
  SIZER_ASSIGN_OR_RETURN(SearchSpace space, MakeSearchSpace(p.search));
  SIZER_ASSIGN_OR_RETURN(std::string today, ReportDate(p.date));
  if (p.hardware) return ModelsThatFit(ctx, p, space);
  SIZER_ASSIGN_OR_RETURN(JobSpec job, RecommendJob(ctx, p));
  SIZER_ASSIGN_OR_RETURN(Recommendation r, Recommend(job, *ctx.catalog, space, rank, static_cast<size_t>(p.top)));
  return RecommendationToJson(r.result, r.ranking, today);
}

}  // namespace

StatusOr<json> RecommendJson(const ServiceContext& ctx, const json& params) {
  SIZER_RETURN_IF_ERROR(CheckContext(ctx));
  StatusOr<json> answer = Answer(ctx, params);
  if (!answer.ok()) return answer.status().WithContext("recommend");
  return answer;
}

}  // namespace sizer::service
