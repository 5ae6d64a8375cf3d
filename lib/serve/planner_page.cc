#include "serve/planner_page.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "input/question.h"
#include "knowledge/weight_format.h"
#include "plan/planner.h"
#include "report/report_model.h"
#include "report/template_render.h"
#include "search/ranking.h"
#include "search/search.h"
#include "serve/http_errors.h"

namespace sizer::serve {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFilePrefix = "file:";
// Machines the search proposes in "recommend" mode, cheapest first.
constexpr size_t kRecommendedMachines = 4;

bool IsTrue(const std::string& v) { return v == "1" || v == "on" || v == "true" || v == "yes"; }

std::string Join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// The question the form asks, with the model file resolved under --models-dir.
StatusOr<Question> QuestionFor(const service::ServiceContext& ctx, const PlannerForm& form) {
  Question q;
  if (form.model.empty()) return Status::InvalidArgument("model: choose a model");
  if (form.model.rfind(kFilePrefix, 0) == 0) {
    SIZER_ASSIGN_OR_RETURN(fs::path path,
                           service::ResolveModelPath(ctx, form.model.substr(std::string(kFilePrefix).size())));
    q.model = path.string();
  } else {
    q.model = form.model;
  }
  if (!form.quant.empty()) q.quant = form.quant;
  if (!form.context.empty()) q.context = form.context;
  if (!form.concurrency.empty()) q.concurrency = form.concurrency;
  if (!form.runtime.empty()) q.runtime = form.runtime;
  if (form.recommend) {
    q.search_hardware = true;
  } else {
    if (form.hardware.empty()) {
      return Status::InvalidArgument("machines: choose at least one machine, or \"recommend\"");
    }
    q.on = Join(form.hardware, ",");
  }
  return q;
}

// "recommend": the search's cheapest admitted machines for the question, as an --on list.
StatusOr<std::string> RecommendedMachines(const service::ServiceContext& ctx, const Question& q) {
  SIZER_ASSIGN_OR_RETURN(DraftedJob draft, DraftJob(q, *ctx.catalog));
  SIZER_ASSIGN_OR_RETURN(JobSpec job, ParseDraftedJob(draft, *ctx.catalog));
  SearchSpace space;
  space.threads = std::max(ctx.search_threads, 1);
  SIZER_ASSIGN_OR_RETURN(SearchResult result, SearchHardware(job, *ctx.catalog, space));
  const Ranking ranking = RankSearch(result, RankBy::kCost, kRecommendedMachines);
  std::vector<std::string> labels;
  for (const RankedChoice& choice : ranking.top) labels.push_back(choice.point.label);
  if (labels.empty()) {
    return Status::NotFound("recommend: no machine in the hardware database admits this job");
  }
  return Join(labels, ",");
}

StatusOr<nlohmann::json> PlanResult(const service::ServiceContext& ctx, const PlannerForm& form) {
  if (ctx.catalog == nullptr) return Status::Internal("the server has no catalog");
  SIZER_ASSIGN_OR_RETURN(Question q, QuestionFor(ctx, form));
  nlohmann::json out = nlohmann::json::object();
  if (q.search_hardware) {
    SIZER_ASSIGN_OR_RETURN(std::string on, RecommendedMachines(ctx, q));
    q.search_hardware = false;
    q.on = on;
    out["searched"] = "The search's " + std::to_string(std::count(on.begin(), on.end(), ',') + 1) +
                      " cheapest admitted machines: " + on + ".";
    out["has_searched"] = true;
  }
  SIZER_ASSIGN_OR_RETURN(DraftedJob draft, DraftJob(q, *ctx.catalog));
  SIZER_ASSIGN_OR_RETURN(JobSpec job, ParseDraftedJob(draft, *ctx.catalog));
  SIZER_ASSIGN_OR_RETURN(Plan plan, MakePlan(job));
  ReportOptions options;
  options.charts = ChartOutput::kInline;
  SIZER_ASSIGN_OR_RETURN(nlohmann::json report, BuildReportModel(plan, options));
  for (const char* key : {"verdict_summary", "verdicts", "recommendation", "warnings", "has_warnings"}) {
    if (report.contains(key)) out[key] = report[key];
  }
  out["charts"] = {{"memory", report["charts"]["memory"]}, {"kv", report["charts"]["kv"]}};
  out["defaults"] = nlohmann::json::array();
  for (const QuestionDefault& d : draft.defaults) {
    out["defaults"].push_back({{"key", d.key}, {"value", d.value}, {"why", d.why}});
  }
  out["has_defaults"] = !draft.defaults.empty();
  out["ok"] = true;
  return out;
}

// A <select>'s options: {value, label, selected}.
nlohmann::json Option(const std::string& value, const std::string& label, bool selected) {
  return {{"value", value}, {"label", label}, {"selected", selected}};
}

bool Contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

nlohmann::json PageModel(const service::ServiceContext& ctx, const PlannerForm& form) {
  nlohmann::json m;
  m["models"] = nlohmann::json::array();
  for (const ModelSpec& model : ctx.catalog->models()) {
    m["models"].push_back(Option(model.id, model.id + " (" + model.name + ")", model.id == form.model));
  }
  m["model_files"] = nlohmann::json::array();
  for (const std::string& file : ModelFilesUnder(ctx)) {
    const std::string value = kFilePrefix + file;
    m["model_files"].push_back(Option(value, file, value == form.model));
  }
  m["has_model_files"] = !m["model_files"].empty();
  m["formats"] = nlohmann::json::array({Option("", "the model's default", form.quant.empty())});
  for (const WeightFormat& f : AllWeightFormats()) {
    m["formats"].push_back(Option(f.id, f.id, f.id == form.quant));
  }
  m["runtimes"] = nlohmann::json::array({Option("", "sizer's default", form.runtime.empty())});
  for (const RuntimeInfo& r : ctx.catalog->runtimes()) {
    m["runtimes"].push_back(Option(r.id, r.id, r.id == form.runtime));
  }
  m["hardware"] = nlohmann::json::array();
  for (const HardwareSpec& h : ctx.catalog->hardware()) {
    m["hardware"].push_back(Option(h.id, h.id + " (" + h.name + ")", Contains(form.hardware, h.id)));
  }
  m["context"] = form.context;
  m["concurrency"] = form.concurrency;
  m["recommend"] = form.recommend;
  return m;
}

}  // namespace

PlannerForm ParsePlannerForm(const std::vector<std::pair<std::string, std::string>>& fields) {
  PlannerForm form;
  for (const auto& [key, value] : fields) {
    form.submitted = true;
    if (key == "model") form.model = value;
    else if (key == "quant") form.quant = value;
    else if (key == "context") form.context = value;
    else if (key == "concurrency") form.concurrency = value;
    else if (key == "runtime") form.runtime = value;
    else if (key == "recommend") form.recommend = IsTrue(value);
    else if (key == "on" && !value.empty()) form.hardware.push_back(value);
  }
  return form;
}

PlannerForm DefaultPlannerForm(const service::ServiceContext& ctx) {
  PlannerForm form;
  if (ctx.catalog == nullptr) return form;
  if (ctx.catalog->FindModel("llama-3.1-8b").ok()) {
    form.model = "llama-3.1-8b";
  } else if (!ctx.catalog->models().empty()) {
    form.model = ctx.catalog->models().front().id;
  }
  for (const char* id : {"rtx-4090", "rtx-3090", "a100-80gb", "h100-sxm"}) {
    if (ctx.catalog->FindHardware(id).ok()) form.hardware.push_back(id);
  }
  if (form.hardware.empty() && !ctx.catalog->hardware().empty()) {
    form.hardware.push_back(ctx.catalog->hardware().front().id);
  }
  return form;
}

std::vector<std::string> ModelFilesUnder(const service::ServiceContext& ctx, size_t limit) {
  std::vector<std::string> out;
  if (ctx.models_dir.empty()) return out;
  std::error_code ec;
  fs::recursive_directory_iterator it(ctx.models_dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator() && out.size() < limit; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() != ".gguf") continue;
    // Only what ResolveModelPath would accept: listing a symlink that escapes would invite a
    // request the server refuses.
    const std::string rel = fs::relative(p, ctx.models_dir, ec).generic_string();
    if (ec || !service::ResolveModelPath(ctx, rel).ok()) continue;
    out.push_back(rel);
  }
  std::sort(out.begin(), out.end());
  return out;
}

nlohmann::json PlannerResultModel(const service::ServiceContext& ctx, const PlannerForm& form,
                                  int* http_status) {
  StatusOr<nlohmann::json> result = PlanResult(ctx, form);
  if (result.ok()) {
    if (http_status != nullptr) *http_status = 200;
    return std::move(result).value();
  }
  if (http_status != nullptr) *http_status = HttpStatusFor(result.status().code());
  return {{"ok", false}, {"error", result.status().message()}};
}

StatusOr<std::string> RenderPlannerResult(const service::ServiceContext& ctx,
                                          const std::string& template_dir, const PlannerForm& form,
                                          int* http_status) {
  nlohmann::json model = {{"result", PlannerResultModel(ctx, form, http_status)}};
  return RenderTemplateFile(template_dir, kPlannerResultTemplate, ReportFormat::kHtml, model);
}

StatusOr<std::string> RenderPlannerPage(const service::ServiceContext& ctx,
                                        const std::string& template_dir, const PlannerForm& form,
                                        int* http_status) {
  if (ctx.catalog == nullptr) return Status::Internal("the server has no catalog");
  nlohmann::json model = PageModel(ctx, form);
  model["result"] = PlannerResultModel(ctx, form, http_status);
  return RenderTemplateFile(template_dir, kPlannerPageTemplate, ReportFormat::kHtml, model);
}

}  // namespace sizer::serve
