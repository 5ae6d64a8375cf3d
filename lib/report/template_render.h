// Renders the report view model (report_model.h) through Mustache templates (kainjow's
// header-only engine, Debian libkainjow-mustache-dev). Templates live in reports/templates/
// under the data root (or a directory the user names with --template): report.md.mustache,
// report.html.mustache, and any other NAME.mustache there is available as the partial
// {{> NAME}}. {{x}} escapes for the output format (HTML entities; Markdown: table pipes,
// newlines, and anything that could open an HTML tag or a link); {{{x}}} does not and is
// meant only for the SVG the library generates.
#ifndef SIZER_REPORT_TEMPLATE_RENDER_H_
#define SIZER_REPORT_TEMPLATE_RENDER_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace sizer {

enum class ReportFormat { kMarkdown, kHtml };

// "md"/"markdown" or "html"; kInvalidArgument otherwise.
StatusOr<ReportFormat> ParseReportFormat(const std::string& name);

// "report.md.mustache" / "report.html.mustache".
std::string TemplateFileName(ReportFormat format);

// The directory holding the template for `format`: `template_dir` when given (kNotFound when
// it lacks the file), else <data root>/reports/templates for the --db root, $SIZER_DATA_DIR
// and the source tree, in that order.
StatusOr<std::string> FindTemplateDir(const std::string& template_dir, const std::string& db_flag,
                                      ReportFormat format);

// kCorruption naming the template file when it does not parse or render.
StatusOr<std::string> RenderTemplate(const std::string& dir, ReportFormat format,
                                     const nlohmann::json& model);
// The same with another main template in `dir` ("recommend.html.mustache"); every other
// NAME.mustache there is a partial, as above.
StatusOr<std::string> RenderTemplateFile(const std::string& dir, const std::string& main_file,
                                         ReportFormat format, const nlohmann::json& model);
// The same from template text (tests, and the partials map given explicitly).
StatusOr<std::string> RenderTemplateText(const std::string& text, const std::string& name,
                                         ReportFormat format, const nlohmann::json& model);

// Markdown-safe text: '|' and '\' escaped, line breaks as spaces, '<' before a letter, '/',
// '!' or '?' and '&' before a letter or '#' as entities (no raw HTML or entity gets
// through), '[', ']', '*' and '`' escaped (no links, emphasis or code spans from input).
std::string EscapeMarkdown(std::string_view text);
// HTML-safe text: & < > " ' as entities.
std::string EscapeHtml(std::string_view text);

}  // namespace sizer

#endif  // SIZER_REPORT_TEMPLATE_RENDER_H_
