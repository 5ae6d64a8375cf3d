#include "release/check_render.h"

namespace sizer {
namespace {

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters even escaped.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') out += c;
    }
  }
  return out;
}

// GitHub workflow commands need %, CR and LF escaped in the message, and also : and , in
// the properties.
std::string GitHubEscape(const std::string& s, bool property) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

int Count(const CheckReport& r, CheckStatus status) {
  int n = 0;
  for (const CheckResult& c : r.checks) n += c.status == status ? 1 : 0;
  return n;
}

}  // namespace

std::string RenderCheckText(const CheckReport& r) {
  std::string out = "sizer check: " + r.subject;
  if (!r.model_version.empty()) out += " (" + r.model_version + ")";
  out += "\n";
  for (const CheckResult& c : r.checks) {
    std::string status = c.status == CheckStatus::kPass ? "PASS" : c.status == CheckStatus::kFail ? "FAIL" : "SKIP";
    out += "  " + status + "  " + c.name + ": " + c.message + "\n";
    for (const std::string& d : c.details) out += "          " + d + "\n";
  }
  for (const std::string& w : r.warnings) out += "  WARN  " + w + "\n";
  out += r.passed() ? "result: pass\n"
                    : "result: FAIL (" + std::to_string(Count(r, CheckStatus::kFail)) + " of " +
                          std::to_string(r.checks.size()) + " checks failed)\n";
  return out;
}

nlohmann::json CheckReportToJson(const CheckReport& r) {
  nlohmann::json checks = nlohmann::json::array();
  for (const CheckResult& c : r.checks) {
    checks.push_back({{"name", c.name}, {"status", std::string(CheckStatusName(c.status))},
                      {"message", c.message}, {"details", c.details}});
  }
  return {{"subject", r.subject}, {"model_version", r.model_version}, {"passed", r.passed()},
          {"failed", Count(r, CheckStatus::kFail)}, {"checks", checks}, {"warnings", r.warnings}};
}

std::string RenderCheckJUnit(const CheckReport& r) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"sizer check\" tests=\"" + std::to_string(r.checks.size()) +
         "\" failures=\"" + std::to_string(Count(r, CheckStatus::kFail)) + "\">\n";
  out += "  <testsuite name=\"" + XmlEscape(r.model_version.empty() ? r.subject : r.model_version) +
         "\" tests=\"" + std::to_string(r.checks.size()) + "\" failures=\"" +
         std::to_string(Count(r, CheckStatus::kFail)) + "\" skipped=\"" +
         std::to_string(Count(r, CheckStatus::kSkip)) + "\">\n";
  for (const CheckResult& c : r.checks) {
    out += "    <testcase classname=\"sizer.check\" name=\"" + XmlEscape(c.name) + "\"";
    std::string body;
    for (const std::string& d : c.details) body += d + "\n";
    if (c.status == CheckStatus::kFail) {
      out += ">\n      <failure message=\"" + XmlEscape(c.message) + "\">" + XmlEscape(body) +
             "</failure>\n    </testcase>\n";
    } else if (c.status == CheckStatus::kSkip) {
      out += ">\n      <skipped message=\"" + XmlEscape(c.message) + "\"/>\n    </testcase>\n";
    } else {
      out += ">\n      <system-out>" + XmlEscape(c.message + "\n" + body) + "</system-out>\n    </testcase>\n";
    }
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::string RenderCheckGitHub(const CheckReport& r) {
  std::string out;
  for (const CheckResult& c : r.checks) {
    if (c.status != CheckStatus::kFail) continue;
    std::string message = c.message;
    for (const std::string& d : c.details) message += "\n" + d;
    out += "::error file=" + GitHubEscape(r.subject, true) + ",title=" +
           GitHubEscape("sizer check " + c.name, true) + "::" + GitHubEscape(message, false) + "\n";
  }
  for (const std::string& w : r.warnings) {
    out += "::warning file=" + GitHubEscape(r.subject, true) + ",title=sizer check::" +
           GitHubEscape(w, false) + "\n";
  }
  return out;
}

}  // namespace sizer
