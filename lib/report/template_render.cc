#include "report/template_render.h"

#include <cctype>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "base/file.h"
#include "base/data_dir.h"

namespace sizer {
namespace {

namespace mustache = kainjow::mustache;
using nlohmann::json;

constexpr const char* kTemplateSuffix = ".mustache";

// The view model as Mustache data. Numbers become text (the model carries display strings
// for everything a template should print; raw numbers under "plan" print as JSON writes
// them); null is false, so {{#key}} skips it.
mustache::data ToData(const json& j) {
  switch (j.type()) {
    case json::value_t::object: {
      mustache::data out{mustache::data::type::object};
      for (auto it = j.begin(); it != j.end(); ++it) out.set(it.key(), ToData(it.value()));
      return out;
    }
    case json::value_t::array: {
      mustache::data out{mustache::data::type::list};
      for (const json& item : j) out.push_back(ToData(item));
      return out;
    }
    case json::value_t::string:
      return mustache::data(j.get<std::string>());
    case json::value_t::boolean:
      return mustache::data(j.get<bool>());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return mustache::data(j.dump());
    default:
      return mustache::data(false);
  }
}

bool StartsTag(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '/' || c == '!' || c == '?'; }

StatusOr<std::string> RenderWithPartials(const std::string& text, const std::string& name,
                                         ReportFormat format, const nlohmann::json& model,
                                         const std::map<std::string, std::string>& partials) {
  try {
    mustache::mustache tmpl(text);
    if (!tmpl.is_valid()) return Status::Corruption(name + ": " + tmpl.error_message());
    if (format == ReportFormat::kHtml) {
      tmpl.set_custom_escape([](const std::string& s) { return EscapeHtml(s); });
    } else {
      tmpl.set_custom_escape([](const std::string& s) { return EscapeMarkdown(s); });
    }
    mustache::data data = ToData(model);
    for (const auto& [partial_name, body] : partials) {
      std::string copy = body;
      data.set(partial_name, mustache::partial([copy] { return copy; }));
    }
    std::string out = tmpl.render(data);
    if (!tmpl.is_valid()) return Status::Corruption(name + ": " + tmpl.error_message());
    return out;
  } catch (const std::exception& e) {
    // The engine reports template errors through error_message(); anything thrown is a
    // resource problem (bad_alloc) and is reported, never let out of the library.
    return Status::Internal(name + ": rendering failed: " + e.what());
  }
}

}  // namespace

StatusOr<ReportFormat> ParseReportFormat(const std::string& name) {
  if (name == "md" || name == "markdown") return ReportFormat::kMarkdown;
  if (name == "html") return ReportFormat::kHtml;
  return Status::InvalidArgument("unknown report format '" + name + "' (expected md or html)");
}

std::string TemplateFileName(ReportFormat format) {
  return format == ReportFormat::kHtml ? "report.html.mustache" : "report.md.mustache";
}

StatusOr<std::string> FindTemplateDir(const std::string& template_dir, const std::string& db_flag,
                                      ReportFormat format) {
  namespace fs = std::filesystem;
  const std::string file = TemplateFileName(format);
  if (!template_dir.empty()) {
    std::error_code ec;
    if (!fs::is_directory(template_dir, ec)) {
      return Status::NotFound("--template " + template_dir + ": not a directory");
    }
    if (!fs::is_regular_file(template_dir + "/" + file, ec)) {
      return Status::NotFound("--template " + template_dir + ": no " + file + " there");
    }
    return template_dir;
  }
  std::vector<std::string> tried;
  for (const std::string& root : {ResolveDataDir(db_flag).path, ResolveDataDir("").path}) {
    std::string dir = root + "/reports/templates";
    std::error_code ec;
    if (fs::is_regular_file(dir + "/" + file, ec)) return dir;
    if (tried.empty() || tried.back() != dir) tried.push_back(dir);
  }
  std::string list;
  for (const std::string& t : tried) list += (list.empty() ? "" : ", ") + t;
  return Status::NotFound("no report template " + file + " in " + list + " (use --template DIR)");
}

StatusOr<std::string> RenderTemplateText(const std::string& text, const std::string& name,
                                         ReportFormat format, const nlohmann::json& model) {
  return RenderWithPartials(text, name, format, model, {});
}

StatusOr<std::string> RenderTemplate(const std::string& dir, ReportFormat format,
                                     const nlohmann::json& model) {
  return RenderTemplateFile(dir, TemplateFileName(format), format, model);
}

StatusOr<std::string> RenderTemplateFile(const std::string& dir, const std::string& main_file,
                                         ReportFormat format, const nlohmann::json& model) {
  SIZER_ASSIGN_OR_RETURN(std::string text, ReadFileToString(dir + "/" + main_file, 4u << 20));
  SIZER_ASSIGN_OR_RETURN(std::vector<std::string> files, ListFiles(dir, kTemplateSuffix));
  std::map<std::string, std::string> partials;
  for (const std::string& path : files) {
    std::string base = std::filesystem::path(path).filename().string();
    if (base == main_file) continue;
    SIZER_ASSIGN_OR_RETURN(std::string partial, ReadFileToString(path, 4u << 20));
    partials[base.substr(0, base.size() - std::string(kTemplateSuffix).size())] = std::move(partial);
  }
  return RenderWithPartials(text, dir + "/" + main_file, format, model, partials);
}

std::string EscapeMarkdown(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    switch (c) {
      case '|': out += "\\|"; break;
      case '\\': out += "\\\\"; break;
      case '[': out += "\\["; break;
      case ']': out += "\\]"; break;
      case '*': out += "\\*"; break;
      case '`': out += "\\`"; break;
      case '\r': break;
      case '\n': out += ' '; break;
      case '<': out += StartsTag(next) ? "&lt;" : "<"; break;
      case '&':
        out += std::isalpha(static_cast<unsigned char>(next)) || next == '#' ? "&amp;" : "&";
        break;
      default: out += c;
    }
  }
  return out;
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace sizer
