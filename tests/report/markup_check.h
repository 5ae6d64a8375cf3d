// A small well-formedness checker for the HTML report and its SVG: every element closed in
// order (HTML void elements excepted, "/>" self-closing allowed), attributes quoted, every
// '&' the start of a known or numeric entity, no raw '<' in text. It is not an HTML parser;
// it holds the report to a stricter, XML-like standard that it can check.
#ifndef SIZER_TESTS_REPORT_MARKUP_CHECK_H_
#define SIZER_TESTS_REPORT_MARKUP_CHECK_H_

#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace sizer::testing {

struct MarkupResult {
  bool ok = true;
  std::string error;                 // first problem, with its byte offset
  std::vector<std::string> elements; // opening tags in document order (lower case)
};

inline MarkupResult CheckMarkup(const std::string& text, bool html) {
  static const std::set<std::string> kVoid = {"area", "base", "br", "col", "embed", "hr", "img",
                                              "input", "link", "meta", "source", "track", "wbr"};
  static const std::set<std::string> kEntities = {"amp", "lt", "gt", "quot", "apos", "middot", "nbsp"};
  MarkupResult r;
  std::vector<std::string> stack;
  auto fail = [&](size_t at, const std::string& what) {
    if (r.ok) {
      r.ok = false;
      r.error = "offset " + std::to_string(at) + ": " + what + " near '" +
                text.substr(at > 40 ? at - 40 : 0, 100) + "'";
    }
  };
  size_t i = 0;
  const size_t n = text.size();
  while (i < n && r.ok) {
    char c = text[i];
    if (c == '&') {
      size_t semi = text.find(';', i);
      if (semi == std::string::npos || semi - i > 10) {
        fail(i, "bare '&'");
        break;
      }
      std::string name = text.substr(i + 1, semi - i - 1);
      bool numeric = name.size() > 1 && name[0] == '#';
      if (!numeric && !kEntities.count(name)) fail(i, "unknown entity &" + name + ";");
      i = semi + 1;
      continue;
    }
    if (c != '<') {
      ++i;
      continue;
    }
    if (text.compare(i, 4, "<!--") == 0) {
      size_t end = text.find("-->", i);
      if (end == std::string::npos) fail(i, "unclosed comment");
      i = end + 3;
      continue;
    }
    if (text.compare(i, 2, "<!") == 0) {  // <!DOCTYPE html>
      i = text.find('>', i) + 1;
      continue;
    }
    bool closing = i + 1 < n && text[i + 1] == '/';
    size_t p = i + (closing ? 2 : 1);
    size_t name_start = p;
    while (p < n && (std::isalnum(static_cast<unsigned char>(text[p])) || text[p] == '-' || text[p] == ':')) ++p;
    std::string name = text.substr(name_start, p - name_start);
    if (name.empty()) {
      fail(i, "raw '<' in text");
      break;
    }
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    // Attributes: name="value" or name='value' (or bare names in HTML).
    bool self_closing = false;
    while (p < n && r.ok) {
      while (p < n && std::isspace(static_cast<unsigned char>(text[p]))) ++p;
      if (p >= n) break;
      if (text[p] == '>') break;
      if (text.compare(p, 2, "/>") == 0) {
        self_closing = true;
        ++p;
        break;
      }
      size_t a = p;
      while (p < n && !std::isspace(static_cast<unsigned char>(text[p])) && text[p] != '=' && text[p] != '>' &&
             text[p] != '/') {
        if (text[p] == '"' || text[p] == '\'' || text[p] == '<') fail(p, "bad attribute name");
        ++p;
      }
      if (p == a) {
        fail(p, "bad attribute");
        break;
      }
      if (p < n && text[p] == '=') {
        ++p;
        if (p >= n || (text[p] != '"' && text[p] != '\'')) {
          fail(p, "unquoted attribute value");
          break;
        }
        char q = text[p];
        size_t end = text.find(q, p + 1);
        if (end == std::string::npos) {
          fail(p, "unterminated attribute value");
          break;
        }
        std::string value = text.substr(p + 1, end - p - 1);
        if (value.find('<') != std::string::npos) fail(p, "'<' inside an attribute value");
        p = end + 1;
      }
    }
    if (!r.ok) break;
    if (p >= n) {
      fail(i, "unterminated tag");
      break;
    }
    i = p + 1;  // past '>'
    if (closing) {
      if (stack.empty() || stack.back() != name) {
        fail(name_start, "</" + name + "> does not close <" + (stack.empty() ? "nothing" : stack.back()) + ">");
        break;
      }
      stack.pop_back();
      continue;
    }
    r.elements.push_back(name);
    if (self_closing || (html && kVoid.count(name))) continue;
    if (name == "style") {  // raw text up to </style>
      size_t end = text.find("</style>", i);
      if (end == std::string::npos) fail(i, "unclosed <style>");
      i = end;
    }
    stack.push_back(name);
  }
  if (r.ok && !stack.empty()) fail(n, "unclosed <" + stack.back() + ">");
  return r;
}

}  // namespace sizer::testing

#endif  // SIZER_TESTS_REPORT_MARKUP_CHECK_H_
