// A neutral table (columns, cells) rendered as aligned text or as a Markdown table, and the
// word wrapping that keeps terminal text within a width.
#ifndef SIZER_REPORT_TABLE_H_
#define SIZER_REPORT_TABLE_H_

#include <string>
#include <vector>


namespace sizer {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }

  // Columns padded to their widest cell, two spaces apart; `indent` spaces before each line.
  // With `max_width` > 0 the last column wraps (at spaces) so lines stay within it, its
  // continuation lines aligned under the column, or, when less than 24 columns are left for
  // it, on lines of its own under each row; a word longer than the room stays whole.
  std::string RenderText(int indent = 0, size_t max_width = 0) const;
  // The widest line RenderText(indent) would print (before any wrapping).
  size_t TextWidth(int indent = 0) const;
  // The same table without column `index` (for narrow terminals).
  Table WithoutColumn(size_t index) const;
  // GitHub-flavoured Markdown; '|' in cells is escaped.
  std::string RenderMarkdown() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Display width: UTF-8 code points, so "×" or "—" count as one column.
size_t DisplayWidth(const std::string& s);

// `text` broken at spaces into lines of at most `width` columns; the first line starts with
// `first`, the others with `rest` (both counted in the width). Every line ends in '\n'. A
// word wider than the room is left whole on its own line.
std::string Wrap(const std::string& text, size_t width, const std::string& first = "",
                 const std::string& rest = "");

}  // namespace sizer

#endif  // SIZER_REPORT_TABLE_H_
