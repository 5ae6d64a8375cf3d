#include "report/svg_chart.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "base/units.h"

namespace sizer::svg {
namespace {

const char* AnchorName(Anchor a) {
  switch (a) {
    case Anchor::kMiddle: return "middle";
    case Anchor::kEnd: return "end";
    case Anchor::kStart: break;
  }
  return "start";
}

// "1.5" for 1.5, "2" for 2.0: one decimal at most, none when whole.
std::string Short(double v) {
  double r = std::round(v * 10) / 10;
  if (std::fabs(r - std::round(r)) < 1e-9) return fmt::format("{:.0f}", r);
  return fmt::format("{:.1f}", r);
}

}  // namespace

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters other than tab/newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string Num(double value) {
  if (!std::isfinite(value)) return "0";
  std::string s = fmt::format("{:.2f}", value);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

Canvas::Canvas(double width, double height, std::string id, std::string title, std::string description)
    : width_(width), height_(height), id_(std::move(id)), title_(std::move(title)),
      description_(std::move(description)) {}

std::string Canvas::DefinePattern(const std::string& name, Pattern kind, const std::string& background,
                                  const std::string& ink) {
  std::string pid = id_ + "-" + name;
  std::string shapes = "<rect width=\"6\" height=\"6\" fill=\"" + EscapeXml(background) + "\"/>";
  const std::string stroke = "stroke=\"" + EscapeXml(ink) + "\"";
  switch (kind) {
    case Pattern::kDiagonal:
      shapes += "<path d=\"M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2\" " + stroke + " stroke-width=\"1.2\"/>";
      break;
    case Pattern::kDots:
      shapes += "<circle cx=\"3\" cy=\"3\" r=\"1.1\" fill=\"" + EscapeXml(ink) + "\"/>";
      break;
    case Pattern::kCrossHatch:
      shapes += "<path d=\"M0,0 l6,6 M6,0 l-6,6\" " + stroke + " stroke-width=\"0.8\"/>";
      break;
  }
  defs_ += "<pattern id=\"" + EscapeXml(pid) +
           "\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\">" + shapes + "</pattern>";
  return "url(#" + pid + ")";
}

void Canvas::Shape(const std::string& element, const std::string& geometry, const Style& style) {
  body_ += "<" + element + " " + geometry + " fill=\"" + EscapeXml(style.fill) + "\"";
  if (style.stroke != "none") {
    body_ += " stroke=\"" + EscapeXml(style.stroke) + "\" stroke-width=\"" + Num(style.stroke_width) + "\"";
    if (!style.dash.empty()) body_ += " stroke-dasharray=\"" + EscapeXml(style.dash) + "\"";
  }
  body_ += "/>";
}

void Canvas::Rect(double x, double y, double w, double h, const Style& style) {
  Shape("rect", "x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(std::max(0.0, w)) +
                    "\" height=\"" + Num(std::max(0.0, h)) + "\"",
        style);
}

void Canvas::Line(double x1, double y1, double x2, double y2, const Style& style) {
  Style s = style;
  s.fill = "none";
  Shape("line", "x1=\"" + Num(x1) + "\" y1=\"" + Num(y1) + "\" x2=\"" + Num(x2) + "\" y2=\"" + Num(y2) + "\"", s);
}

void Canvas::Polyline(const std::vector<std::pair<double, double>>& points, const Style& style) {
  std::string pts;
  for (const auto& [x, y] : points) pts += (pts.empty() ? "" : " ") + Num(x) + "," + Num(y);
  Style s = style;
  s.fill = "none";
  Shape("polyline", "points=\"" + pts + "\" stroke-linejoin=\"round\"", s);
}

void Canvas::Circle(double cx, double cy, double r, const Style& style) {
  Shape("circle", "cx=\"" + Num(cx) + "\" cy=\"" + Num(cy) + "\" r=\"" + Num(r) + "\"", style);
}

void Canvas::Diamond(double cx, double cy, double r, const Style& style) {
  Shape("polygon",
        "points=\"" + Num(cx) + "," + Num(cy - r) + " " + Num(cx + r) + "," + Num(cy) + " " + Num(cx) +
            "," + Num(cy + r) + " " + Num(cx - r) + "," + Num(cy) + "\"",
        style);
}

void Canvas::Square(double cx, double cy, double r, const Style& style) {
  Rect(cx - r * 0.85, cy - r * 0.85, r * 1.7, r * 1.7, style);
}

void Canvas::Triangle(double cx, double cy, double r, const Style& style) {
  Shape("polygon",
        "points=\"" + Num(cx) + "," + Num(cy - r) + " " + Num(cx + r) + "," + Num(cy + r * 0.8) + " " +
            Num(cx - r) + "," + Num(cy + r * 0.8) + "\"",
        style);
}

void Canvas::Text(double x, double y, std::string_view text, const TextStyle& style) {
  body_ += "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\"";
  if (style.anchor != Anchor::kStart) body_ += std::string(" text-anchor=\"") + AnchorName(style.anchor) + "\"";
  if (style.size != 12) body_ += " font-size=\"" + Num(style.size) + "\"";
  if (style.bold) body_ += " font-weight=\"bold\"";
  if (style.fill != "#222222") body_ += " fill=\"" + EscapeXml(style.fill) + "\"";
  if (style.rotate != 0) {
    body_ += " transform=\"rotate(" + Num(style.rotate) + " " + Num(x) + " " + Num(y) + ")\"";
  }
  body_ += ">" + EscapeXml(text) + "</text>";
}

void Canvas::BeginGroup(std::string_view tooltip) {
  body_ += "<g><title>" + EscapeXml(tooltip) + "</title>";
}

void Canvas::EndGroup() { body_ += "</g>"; }

std::string Canvas::Finish() const {
  std::string tid = EscapeXml(id_ + "-title");
  std::string did = EscapeXml(id_ + "-desc");
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"" + EscapeXml(id_) +
                    "\" width=\"" + Num(width_) + "\" height=\"" + Num(height_) + "\" viewBox=\"0 0 " +
                    Num(width_) + " " + Num(height_) +
                    "\" role=\"img\" aria-labelledby=\"" + tid + " " + did +
                    "\" font-family=\"Helvetica, Arial, 'DejaVu Sans', sans-serif\" font-size=\"12\" "
                    "fill=\"#222222\">\n";
  out += "<title id=\"" + tid + "\">" + EscapeXml(title_) + "</title>\n";
  out += "<desc id=\"" + did + "\">" + EscapeXml(description_) + "</desc>\n";
  if (!defs_.empty()) out += "<defs>" + defs_ + "</defs>\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  out += body_ + "\n</svg>\n";
  return out;
}

std::vector<double> NiceTicks(double max_value, int target) {
  if (!(max_value > 0) || !std::isfinite(max_value)) return {0, 1};
  double raw = max_value / std::max(1, target);
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  std::vector<double> ticks;
  int n = static_cast<int>(std::ceil(max_value / step - 1e-9));
  for (int i = 0; i <= std::max(n, 1); ++i) ticks.push_back(step * i);
  return ticks;
}

std::vector<double> PowerOfTwoTicks(double max_value, double unit, int target) {
  if (!(max_value > 0) || !std::isfinite(max_value)) return {0, unit};
  double step = unit;
  while (max_value / step > target) step *= 2;
  std::vector<double> ticks;
  int n = static_cast<int>(std::ceil(max_value / step - 1e-9));
  for (int i = 0; i <= std::max(n, 1); ++i) ticks.push_back(step * i);
  return ticks;
}

std::string TickGigabytes(double bytes) {
  if (bytes == 0) return "0";
  if (std::fabs(bytes) < kGB) return Short(bytes / kMB) + " MB";
  return Short(bytes / kGB) + " GB";
}

std::string TickGibibytes(double bytes) {
  constexpr double kMiB = 1024.0 * 1024, kGiB = kMiB * 1024;
  if (bytes == 0) return "0";
  if (std::fabs(bytes) < kGiB) return Short(bytes / kMiB) + " MiB";
  return Short(bytes / kGiB) + " GiB";
}

std::vector<double> GibibyteTicks(double max_bytes, int target) {
  constexpr double kGiB = 1024.0 * 1024 * 1024;
  std::vector<double> ticks = NiceTicks(max_bytes / kGiB, target);
  for (double& t : ticks) t *= kGiB;
  return ticks;
}

std::string TickCount(double value) {
  double a = std::fabs(value);
  if (a >= 1e9) return Short(value / 1e9) + "B";
  if (a >= 1e6) return Short(value / 1e6) + "M";
  if (a >= 1e3) return Short(value / 1e3) + "k";
  return Short(value);
}

std::string TickUsd(double usd) {
  std::string sign = usd < 0 ? "-$" : "$";
  double a = std::fabs(usd);
  if (a >= 1e6) return sign + Short(a / 1e6) + "M";
  if (a >= 1e4) return sign + Short(a / 1e3) + "k";
  if (a >= 1e3) return sign + fmt::format("{:.0f},{:03.0f}", std::floor(a / 1000), std::fmod(a, 1000.0));
  return sign + Short(a);
}

std::string TickContextTokens(double tokens) {
  if (tokens == 0) return "0";
  if (tokens >= 1024.0 * 1024.0) return Short(tokens / (1024.0 * 1024.0)) + "M";
  if (tokens >= 1024.0) return Short(tokens / 1024.0) + "k";
  return Short(tokens);
}

void XAxis(Canvas& canvas, const Plot& plot, const Scale& x, const std::vector<double>& ticks,
           const std::function<std::string(double)>& label, const std::string& title) {
  const Style grid{"none", "#d9d9d9", 1, ""};
  const Style axis{"none", "#555555", 1, ""};
  TextStyle tick_text;
  tick_text.anchor = Anchor::kMiddle;
  tick_text.size = 11;
  tick_text.fill = "#444444";
  for (double t : ticks) {
    double px = x(t);
    canvas.Line(px, plot.top, px, plot.bottom, grid);
    canvas.Line(px, plot.bottom, px, plot.bottom + 4, axis);
    canvas.Text(px, plot.bottom + 17, label(t), tick_text);
  }
  canvas.Line(plot.left, plot.bottom, plot.right, plot.bottom, axis);
  TextStyle title_text;
  title_text.anchor = Anchor::kMiddle;
  title_text.fill = "#333333";
  canvas.Text((plot.left + plot.right) / 2, plot.bottom + 36, title, title_text);
}

void YAxis(Canvas& canvas, const Plot& plot, const Scale& y, const std::vector<double>& ticks,
           const std::function<std::string(double)>& label, const std::string& title) {
  const Style grid{"none", "#d9d9d9", 1, ""};
  const Style axis{"none", "#555555", 1, ""};
  TextStyle tick_text;
  tick_text.anchor = Anchor::kEnd;
  tick_text.size = 11;
  tick_text.fill = "#444444";
  for (double t : ticks) {
    double py = y(t);
    canvas.Line(plot.left, py, plot.right, py, grid);
    canvas.Line(plot.left - 4, py, plot.left, py, axis);
    canvas.Text(plot.left - 7, py + 4, label(t), tick_text);
  }
  canvas.Line(plot.left, plot.top, plot.left, plot.bottom, axis);
  TextStyle title_text;
  title_text.anchor = Anchor::kMiddle;
  title_text.fill = "#333333";
  title_text.rotate = -90;
  canvas.Text(16, (plot.top + plot.bottom) / 2, title, title_text);
}

void DrawMarker(Canvas& canvas, Marker marker, double cx, double cy, double r, const Style& style) {
  switch (marker) {
    case Marker::kCircle: canvas.Circle(cx, cy, r, style); break;
    case Marker::kSquare: canvas.Square(cx, cy, r, style); break;
    case Marker::kTriangle: canvas.Triangle(cx, cy, r, style); break;
    case Marker::kDiamond: canvas.Diamond(cx, cy, r * 1.2, style); break;
  }
}

void Legend::Place(double sample_width, const std::string& text) {
  double width = sample_width + 6 + TextWidth(text, 12);
  if (x_ > left_ && x_ + width > max_x_) {
    x_ = left_;
    y_ += 18;
  }
  sample_x_ = x_;
  canvas_.Text(x_ + sample_width + 6, y_, text);
  x_ += width + 18;
}

void Legend::Swatch(const Style& swatch, const std::string& text) {
  Place(14, text);
  Style s = swatch;
  if (s.stroke == "none") {
    s.stroke = "#444444";
    s.stroke_width = 0.6;
  }
  canvas_.Rect(sample_x_, y_ - 10, 14, 12, s);
}

void Legend::LineSample(const Style& line, const std::string& text) {
  Place(24, text);
  canvas_.Line(sample_x_, y_ - 4, sample_x_ + 24, y_ - 4, line);
}

void Legend::MarkerSample(Marker marker, const Style& style, const std::string& text) {
  Place(14, text);
  DrawMarker(canvas_, marker, sample_x_ + 7, y_ - 4, 5, style);
}

double TextWidth(std::string_view text, double size) {
  // Count UTF-8 code points, not bytes.
  size_t glyphs = 0;
  for (char c : text) glyphs += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return static_cast<double>(glyphs) * size * 0.56;
}

std::string Truncate(const std::string& text, double max_width, double size) {
  if (TextWidth(text, size) <= max_width) return text;
  std::string out;
  for (size_t i = 0; i < text.size();) {
    size_t len = 1;
    while (i + len < text.size() && (static_cast<unsigned char>(text[i + len]) & 0xC0) == 0x80) ++len;
    if (TextWidth(out + text.substr(i, len) + "...", size) > max_width) break;
    out += text.substr(i, len);
    i += len;
  }
  return out + "...";
}

}  // namespace sizer::svg
