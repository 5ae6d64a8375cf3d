// A neutral table (columns, cells) rendered as aligned text or as a Markdown table, and the
// one place that turns a Quantity's value into display text.
#ifndef SIZER_REPORT_TABLE_H_
#define SIZER_REPORT_TABLE_H_

#include <string>
#include <vector>

#include "plan/quantity.h"

namespace sizer {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }

  // Columns padded to their widest cell, two spaces apart; `indent` spaces before each line.
  std::string RenderText(int indent = 0) const;
  // GitHub-flavoured Markdown; '|' in cells is escaped.
  std::string RenderMarkdown() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// "15.0 GB", "52.6 tokens/s", "$900.00", "59%", "131,072 tokens" by the quantity's unit.
std::string FormatQuantityValue(const Quantity& q);

}  // namespace sizer

#endif  // SIZER_REPORT_TABLE_H_
