// `sizer recommend ... --format md|html`: the recommendation as a document for people,
// rendered through the report's Mustache machinery (report/template_render.h) from
// reports/templates/recommend.{md,html}.mustache. The view model carries display strings:
// what was asked and searched, the ranking table with why each machine is there, the Pareto
// front, the hosted-API line, the memory stack of the top three, price warnings and notes;
// for HTML also the two charts as inline SVG (search/recommend_charts.h), so the page is one
// self-contained file.
#ifndef SIZER_SEARCH_RECOMMEND_REPORT_H_
#define SIZER_SEARCH_RECOMMEND_REPORT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "report/template_render.h"
#include "search/ranking.h"
#include "search/search.h"

namespace sizer {

// "recommend.md.mustache" / "recommend.html.mustache".
std::string RecommendTemplateFileName(ReportFormat format);

// The view model; `today` is "YYYY-MM-DD" (the date printed and the price-age warnings).
// The charts ("pareto_svg", "stack_svg") are present only for HTML.
nlohmann::json RecommendationReportModel(const SearchResult& result, const Ranking& ranking,
                                         const std::string& today, ReportFormat format);

// The document, from RecommendTemplateFileName(format) in `template_dir`.
StatusOr<std::string> RenderRecommendationReport(const SearchResult& result, const Ranking& ranking,
                                                 const std::string& today, ReportFormat format,
                                                 const std::string& template_dir);

}  // namespace sizer

#endif  // SIZER_SEARCH_RECOMMEND_REPORT_H_
