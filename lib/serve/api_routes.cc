// The routes of `sizer serve` (README "sizer serve"): the JSON API over lib/service, the
// health and metrics endpoints, and the planner page with its fragment.
#include <nlohmann/json.hpp>

#include "serve/app.h"
#include "serve/planner_page.h"

namespace sizer::serve {
namespace {

// The fit/recommend parameters: one JSON object (service/api.h lists the keys).
StatusOr<nlohmann::json> ParseParams(const std::string& body) {
  nlohmann::json params;
  try {
    params = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    return Status::InvalidArgument("request body: not valid JSON at byte " + std::to_string(e.byte));
  }
  if (!params.is_object()) {
    return Status::InvalidArgument("request body: expected a JSON object of parameters, got " +
                                   std::string(params.type_name()));
  }
  return params;
}

HttpResponse FromJson(const StatusOr<nlohmann::json>& value) {
  return value.ok() ? JsonResponse(*value) : StatusResponse(value.status());
}

HttpResponse Html(int http_status, const StatusOr<std::string>& page) {
  if (!page.ok()) return StatusResponse(page.status());
  HttpResponse r;
  r.status = http_status;
  r.content_type = "text/html; charset=utf-8";
  r.body = *page;
  return r;
}

void AddApiRoutes(App& app) {
  const service::ServiceContext& ctx = app.config().service;
  app.AddRoute("POST", "/v1/plan", [&ctx](const HttpRequest& req, const std::string&) {
    return FromJson(service::PlanJson(ctx, req.body));
  }, true);
  app.AddRoute("POST", "/v1/fit", [&ctx](const HttpRequest& req, const std::string&) {
    StatusOr<nlohmann::json> params = ParseParams(req.body);
    if (!params.ok()) return StatusResponse(params.status());
    return FromJson(service::FitJson(ctx, *params));
  }, true);
  app.AddRoute("POST", "/v1/recommend", [&ctx](const HttpRequest& req, const std::string&) {
    StatusOr<nlohmann::json> params = ParseParams(req.body);
    if (!params.ok()) return StatusResponse(params.status());
    return FromJson(service::RecommendJson(ctx, *params));
  }, true);
  app.AddRoute("POST", "/v1/report", [&ctx](const HttpRequest& req, const std::string&) {
    return Html(200, service::ReportHtml(ctx, req.body));
  }, true);
  app.AddRoute("GET", "/v1/models", [&ctx](const HttpRequest&, const std::string&) {
    return JsonResponse(service::ModelsJson(ctx));
  }, false);
  app.AddRoute("GET", "/v1/models/{id}", [&ctx](const HttpRequest&, const std::string& id) {
    return FromJson(service::ModelJson(ctx, id));
  }, false);
  app.AddRoute("GET", "/v1/hardware", [&ctx](const HttpRequest&, const std::string&) {
    return JsonResponse(service::HardwareJson(ctx));
  }, false);
  app.AddRoute("GET", "/v1/runtimes", [&ctx](const HttpRequest&, const std::string&) {
    return JsonResponse(service::RuntimesJson(ctx));
  }, false);
}

void AddServiceRoutes(App& app) {
  app.AddRoute("GET", "/healthz", [](const HttpRequest&, const std::string&) {
    return JsonResponse({{"status", "ok"}});
  }, false);
  Metrics* metrics = &app.metrics();
  app.AddRoute("GET", "/metrics", [metrics](const HttpRequest&, const std::string&) {
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics->RenderPrometheus();
    return r;
  }, false);
}

void AddPageRoutes(App& app) {
  const service::ServiceContext& ctx = app.config().service;
  const std::string& templates = app.config().template_dir;
  // GET / (the first visit, or the form submitted with GET) and POST / (the form submitted
  // without JavaScript): the whole page, with the answer when the form was filled.
  auto page = [&ctx, &templates](const HttpRequest& req, const std::string&) {
    PlannerForm form = ParsePlannerForm(req.params);
    if (!form.submitted) form = DefaultPlannerForm(ctx);
    int status = 200;
    StatusOr<std::string> html = RenderPlannerPage(ctx, templates, form, &status);
    return Html(status, html);
  };
  app.AddRoute("GET", "/", page, true);
  app.AddRoute("POST", "/", page, true);
  // The page's script posts the form here and swaps the fragment into the result region.
  app.AddRoute("POST", "/v1/view", [&ctx, &templates](const HttpRequest& req, const std::string&) {
    int status = 200;
    StatusOr<std::string> html = RenderPlannerResult(ctx, templates, ParsePlannerForm(req.params), &status);
    return Html(status, html);
  }, true);
}

}  // namespace

void AddSizerRoutes(App& app) {
  AddApiRoutes(app);
  AddServiceRoutes(app);
  AddPageRoutes(app);
}

}  // namespace sizer::serve
