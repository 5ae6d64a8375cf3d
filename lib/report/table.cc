#include "report/table.h"

#include <algorithm>

#include "base/format.h"
#include "report/quantity_text.h"

namespace sizer {
namespace {

// Display width: count UTF-8 code points, not bytes, so "×" or "—" align.
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string EscapeMarkdownCell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

std::string Table::RenderText(int indent) const {
  std::vector<size_t> widths(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  };
  measure(header_);
  for (const auto& row : rows_) measure(row);
  std::string out;
  auto emit = [&](const std::vector<std::string>& row) {
    std::string line(static_cast<size_t>(indent), ' ');
    for (size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < row.size() ? row[i] : "";
      line += cell;
      if (i + 1 < widths.size()) line += std::string(widths[i] - Width(cell) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  emit(header_);
  for (const auto& row : rows_) emit(row);
  return out;
}

std::string Table::RenderMarkdown() const {
  std::string out = "|";
  for (const auto& h : header_) out += " " + EscapeMarkdownCell(h) + " |";
  out += "\n|";
  for (size_t i = 0; i < header_.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& row : rows_) {
    out += "|";
    for (size_t i = 0; i < header_.size(); ++i) {
      out += " " + EscapeMarkdownCell(i < row.size() ? row[i] : "") + " |";
    }
    out += "\n";
  }
  return out;
}

std::string FormatQuantityValue(const Quantity& q) { return QuantityValueText(q); }

}  // namespace sizer
