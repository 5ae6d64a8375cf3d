// The planner page (`GET /`) and its result fragment (`POST /v1/view`): a form (model,
// weight format, context, concurrency, runtime, candidate machines or "recommend") whose
// answer is rendered on the server from the SAME view model and SVG chart code as
// `sizer report` (report/report_model.h, report/report_charts.h): the verdict table, the
// memory stack and the KV-vs-context chart. The page's script only posts the form and swaps
// the fragment in; without JavaScript the form submits and the whole page comes back with the
// result. Templates: reports/templates/planner.html.mustache (the page) and
// planner_result.html.mustache (the fragment, also a partial of the page).
#ifndef SIZER_SERVE_PLANNER_PAGE_H_
#define SIZER_SERVE_PLANNER_PAGE_H_

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "service/api.h"

namespace sizer::serve {

inline constexpr const char* kPlannerPageTemplate = "planner.html.mustache";
inline constexpr const char* kPlannerResultTemplate = "planner_result.html.mustache";

// The form's fields as submitted; empty strings are "let sizer choose".
struct PlannerForm {
  std::string model;  // a model_db id, or "file:REL.gguf" for a file under --models-dir
  std::string quant;
  std::string context = "8192";
  std::string concurrency = "1";
  std::string runtime;
  std::vector<std::string> hardware;  // hardware ids ("rtx-4090") or counts ("2x rtx-4090")
  bool recommend = false;             // let the search pick the machines
  bool submitted = false;             // the request carried any form field
};

// Fields: model, quant, context, concurrency, runtime, on (repeated), recommend ("1"/"on").
// Unknown fields are ignored (the form is the page's own).
PlannerForm ParsePlannerForm(const std::vector<std::pair<std::string, std::string>>& fields);

// The defaults the page opens with: llama-3.1-8b (else the first database model) on a few
// common machines.
PlannerForm DefaultPlannerForm(const service::ServiceContext& ctx);

// The .gguf files under ctx.models_dir (relative paths, sorted; at most `limit`).
std::vector<std::string> ModelFilesUnder(const service::ServiceContext& ctx, size_t limit = 500);

// The fragment's data: verdict_summary, verdicts[], recommendation, charts.memory,
// charts.kv (report_model.h keys), the question's stated defaults, or `error` when the
// form does not make a plan.
nlohmann::json PlannerResultModel(const service::ServiceContext& ctx, const PlannerForm& form,
                                  int* http_status);

// The fragment (an HTML <div>) and the whole page. `http_status` receives 200, or the code of
// the form's error (the page still renders, with the error in the result region).
StatusOr<std::string> RenderPlannerResult(const service::ServiceContext& ctx,
                                          const std::string& template_dir, const PlannerForm& form,
                                          int* http_status);
StatusOr<std::string> RenderPlannerPage(const service::ServiceContext& ctx,
                                        const std::string& template_dir, const PlannerForm& form,
                                        int* http_status);

}  // namespace sizer::serve

#endif  // SIZER_SERVE_PLANNER_PAGE_H_
