// A small SVG builder for the report's charts: shapes, text (always XML-escaped), hatch and
// dot patterns, linear scales, "nice" axis ticks and labelled axes. No JavaScript, no
// external references: the output is a self-contained <svg> element that can be inlined in
// HTML or saved as a file. Several charts share one HTML document, so every id (patterns,
// title) carries the chart's own prefix.
#ifndef SIZER_REPORT_SVG_CHART_H_
#define SIZER_REPORT_SVG_CHART_H_

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sizer::svg {

// & < > " ' as entities: safe in text nodes and in quoted attributes.
std::string EscapeXml(std::string_view text);

// A coordinate or length with at most two decimals and no trailing zeros ("12.5", "40").
std::string Num(double value);

struct Style {
  std::string fill = "none";
  std::string stroke = "none";
  double stroke_width = 1;
  std::string dash;  // stroke-dasharray, e.g. "6 3"; empty for solid
};

enum class Anchor { kStart, kMiddle, kEnd };

struct TextStyle {
  Anchor anchor = Anchor::kStart;
  double size = 12;
  bool bold = false;
  std::string fill = "#222222";
  double rotate = 0;  // degrees about (x, y)
};

// Pattern kinds for fills that must stay distinct in grey-scale print.
enum class Pattern { kDiagonal, kDots, kCrossHatch };

class Canvas {
 public:
  // `id` prefixes every id in the chart; `title` and `description` become <title>/<desc>
  // (screen readers, hover) and aria-labelledby.
  Canvas(double width, double height, std::string id, std::string title, std::string description);

  double width() const { return width_; }
  double height() const { return height_; }

  // Defines a pattern of `ink` on `background` and returns the fill value "url(#...)".
  std::string DefinePattern(const std::string& name, Pattern kind, const std::string& background,
                            const std::string& ink);

  void Rect(double x, double y, double w, double h, const Style& style);
  void Line(double x1, double y1, double x2, double y2, const Style& style);
  void Polyline(const std::vector<std::pair<double, double>>& points, const Style& style);
  void Circle(double cx, double cy, double r, const Style& style);
  void Diamond(double cx, double cy, double r, const Style& style);
  void Square(double cx, double cy, double r, const Style& style);
  void Triangle(double cx, double cy, double r, const Style& style);
  void Text(double x, double y, std::string_view text, const TextStyle& style = {});
  // A group with a tooltip-like <title> (browsers show it on hover; harmless in print).
  void BeginGroup(std::string_view tooltip);
  void EndGroup();

  std::string Finish() const;

 private:
  void Shape(const std::string& element, const std::string& geometry, const Style& style);

  double width_;
  double height_;
  std::string id_;
  std::string title_;
  std::string description_;
  std::string defs_;
  std::string body_;
};

// Maps the domain [d0, d1] linearly onto the range [r0, r1].
struct Scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const { return d1 == d0 ? r0 : r0 + (v - d0) / (d1 - d0) * (r1 - r0); }
};

// Ticks from 0 to the first "nice" value >= max_value (steps 1, 2, 2.5, 5 x 10^k), about
// `target` of them. max_value <= 0 gives {0, 1}.
std::vector<double> NiceTicks(double max_value, int target = 5);
// The same with steps that are powers of two times `unit` (context lengths: 1k, 2k, 4k...).
std::vector<double> PowerOfTwoTicks(double max_value, double unit, int target = 6);

// Tick labels with their unit.
std::string TickGigabytes(double bytes);      // "0", "8 GB", "1.5 GB"
std::string TickGibibytes(double bytes);      // "0", "8 GiB", "1.5 GiB", "512 MiB"
// NiceTicks over bytes in GiB, so memory axes step by round binary sizes.
std::vector<double> GibibyteTicks(double max_bytes, int target = 5);
std::string TickCount(double value);          // "0", "500", "200k", "1.5M"
std::string TickUsd(double usd);              // "$0", "$500", "$1.5k"
std::string TickContextTokens(double tokens); // "0", "8k", "128k", "1M" (k = 1024)

struct Plot {
  double left = 0, top = 0, right = 0, bottom = 0;  // the plotting area in canvas pixels
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

// A horizontal axis along the bottom of `plot` with vertical grid lines at each tick and an
// axis title centred below; a vertical axis along the left with horizontal grid lines.
void XAxis(Canvas& canvas, const Plot& plot, const Scale& x, const std::vector<double>& ticks,
           const std::function<std::string(double)>& label, const std::string& title);
void YAxis(Canvas& canvas, const Plot& plot, const Scale& y, const std::vector<double>& ticks,
           const std::function<std::string(double)>& label, const std::string& title);

enum class Marker { kCircle, kSquare, kTriangle, kDiamond };
void DrawMarker(Canvas& canvas, Marker marker, double cx, double cy, double r, const Style& style);

// A legend laid out left to right from (x, y), wrapping before `max_x`: a filled swatch, a
// line sample, or a marker, each followed by its text.
class Legend {
 public:
  Legend(Canvas& canvas, double x, double y, double max_x) : canvas_(canvas), left_(x), x_(x), y_(y), max_x_(max_x) {}
  void Swatch(const Style& swatch, const std::string& text);
  void LineSample(const Style& line, const std::string& text);
  void MarkerSample(Marker marker, const Style& style, const std::string& text);
  // The y below the last row.
  double bottom() const { return y_ + 8; }

 private:
  void Place(double sample_width, const std::string& text);
  Canvas& canvas_;
  double left_, x_, y_, max_x_;
  double sample_x_ = 0;
};

// Rough width of `text` at `size` px in a sans-serif face (average glyph 0.56 em): enough
// to keep labels from overlapping without measuring fonts.
double TextWidth(std::string_view text, double size);

// `text` cut (at a code point) and ended with "..." so that it fits `max_width` at `size`.
std::string Truncate(const std::string& text, double max_width, double size);

}  // namespace sizer::svg

#endif  // SIZER_REPORT_SVG_CHART_H_
