// ReportHtml: `sizer report JOB --format html` for a job sent in a request.
#include <string>

#include "plan/planner.h"
#include "report/plan_view.h"
#include "report/report_document.h"
#include "report/report_model.h"
#include "report/template_render.h"
#include "service/api.h"
#include "service/job_request.h"

namespace sizer::service {

StatusOr<std::string> ReportHtml(const ServiceContext& ctx, std::string_view body) {
  auto fail = [](const Status& s) { return s.WithContext("report"); };
  StatusOr<JobSpec> job = ParseJobRequest(ctx, body);
  if (!job.ok()) return fail(job.status());
  StatusOr<Plan> plan = MakePlan(*job);
  if (!plan.ok()) return fail(plan.status());
  StatusOr<std::string> template_dir = FindTemplateDir("", ctx.catalog->root(), ReportFormat::kHtml);
  if (!template_dir.ok()) return fail(template_dir.status());
  ReportOptions report;
  StatusOr<std::string> date = ReportDate("");
  if (!date.ok()) return fail(date.status());
  report.date = *date;
  // The database files the plan used; the request itself is no file (its entry is dropped).
  report.inputs = PlanInputFiles(*plan, kRequestFileName, ctx.catalog->root());
  report.inputs.erase(report.inputs.begin());
  report.charts = ChartOutput::kNone;
  StatusOr<ReportDocument> doc = RenderReport(*plan, ReportFormat::kHtml, *template_dir, report);
  if (!doc.ok()) return fail(doc.status());
  return std::move(doc->text);
}

}  // namespace sizer::service
