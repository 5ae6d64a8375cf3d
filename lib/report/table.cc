#include "report/table.h"

#include <algorithm>

namespace sizer {
namespace {

std::string EscapeMarkdownCell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (c == ' ' || c == '\n') {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

// The column widths: each column's widest cell.
std::vector<size_t> ColumnWidths(const std::vector<std::string>& header,
                                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  return widths;
}

}  // namespace

size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string Wrap(const std::string& text, size_t width, const std::string& first,
                 const std::string& rest) {
  std::string out;
  std::string line = first;
  bool empty = true;  // no word on `line` yet
  for (const std::string& word : Words(text)) {
    if (!empty && DisplayWidth(line) + 1 + DisplayWidth(word) > width) {
      out += line + "\n";
      line = rest;
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return out + line + "\n";
}

size_t Table::TextWidth(int indent) const {
  std::vector<size_t> widths = ColumnWidths(header_, rows_);
  size_t total = static_cast<size_t>(indent);
  for (size_t i = 0; i < widths.size(); ++i) total += widths[i] + (i + 1 < widths.size() ? 2 : 0);
  return total;
}

Table Table::WithoutColumn(size_t index) const {
  auto drop = [index](std::vector<std::string> row) {
    if (index < row.size()) row.erase(row.begin() + static_cast<std::ptrdiff_t>(index));
    return row;
  };
  Table t(drop(header_));
  for (const auto& row : rows_) t.AddRow(drop(row));
  return t;
}

std::string Table::RenderText(int indent, size_t max_width) const {
  std::vector<size_t> widths = ColumnWidths(header_, rows_);
  // Where the last column starts; it wraps into what is left of max_width. With less than
  // kMinRoom left, it goes under its row instead (indented), so that a narrow terminal gets
  // neither long lines nor a column one word wide.
  constexpr size_t kMinRoom = 24;
  size_t last_start = static_cast<size_t>(indent);
  for (size_t i = 0; i + 1 < widths.size(); ++i) last_start += widths[i] + 2;
  const bool stacked = max_width > 0 && max_width < last_start + kMinRoom;
  const size_t room = max_width > last_start ? max_width - last_start : 0;
  const std::string under(static_cast<size_t>(indent) + 4, ' ');
  std::string out;
  auto emit = [&](const std::vector<std::string>& row, bool header) {
    std::string line(static_cast<size_t>(indent), ' ');
    for (size_t i = 0; i + 1 < widths.size(); ++i) {
      std::string cell = i < row.size() ? row[i] : "";
      line += cell + std::string(widths[i] - DisplayWidth(cell) + 2, ' ');
    }
    std::string last = widths.size() <= row.size() && !widths.empty() ? row[widths.size() - 1] : "";
    if (stacked || max_width == 0 || DisplayWidth(last) <= room) {
      if (!stacked) line += last;
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
      if (stacked && !header && !last.empty()) out += Wrap(last, max_width, under, under);
      return;
    }
    out += Wrap(last, last_start + room, line, std::string(last_start, ' '));
  };
  emit(header_, true);
  for (const auto& row : rows_) emit(row, false);
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

}  // namespace sizer
