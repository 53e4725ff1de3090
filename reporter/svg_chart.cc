#include "reporter/svg_chart.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace sonde::svg {

namespace {

constexpr const char* kFont =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
constexpr int kFontPx = 11;
// Average advance of a character at kFontPx, for laying out labels without
// measuring them: generous, so that estimates err towards more room.
constexpr double kCharPx = 6.4;
constexpr const char* kAxisColor = "#4a5568";
constexpr const char* kGridColor = "#e2e8f0";
constexpr const char* kFrameColor = "#cbd5e0";

// A coordinate with one decimal, locale-independent; "12" rather than "12.0".
std::string Num(double v) {
  if (!std::isfinite(v)) v = 0;
  char out[64];
  auto [end, ec] = std::to_chars(out, out + sizeof out, v, std::chars_format::fixed, 1);
  std::string s(out, ec == std::errc() ? end : out);
  if (s.size() >= 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

std::string PlainNumber(double v) {
  char out[64];
  auto [end, ec] = std::to_chars(out, out + sizeof out, v);
  return std::string(out, ec == std::errc() ? end : out);
}

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

double TextWidth(std::string_view s) { return static_cast<double>(CodePoints(s)) * kCharPx; }

// At most `max_chars` code points, the last one an ellipsis when cut.
std::string Shorten(std::string_view s, size_t max_chars) {
  if (CodePoints(s) <= max_chars || max_chars == 0) return std::string(s);
  size_t kept = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (kept == max_chars - 1) break;
      ++kept;
    }
  }
  return std::string(s.substr(0, i)) + "\u2026";
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::string OpenSvg(const std::string& title, int width, int height) {
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(height) + "\" width=\"" +
                    std::to_string(width) + "\" height=\"" + std::to_string(height) +
                    "\" role=\"img\" aria-label=\"" + XmlEscape(title) + "\" font-family=\"" +
                    kFont + "\" font-size=\"" + std::to_string(kFontPx) + "\">";
  out += "<title>" + XmlEscape(title) + "</title>";
  return out;
}

std::string Text(double x, double y, std::string_view text, std::string_view anchor = "start",
                 std::string_view extra = "") {
  std::string out = "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\"";
  if (anchor != "start") out += " text-anchor=\"" + std::string(anchor) + "\"";
  if (!extra.empty()) out += " " + std::string(extra);
  out += ">" + XmlEscape(text) + "</text>";
  return out;
}

std::string Line(double x1, double y1, double x2, double y2, std::string_view stroke,
                 std::string_view extra = "") {
  std::string out = "<line x1=\"" + Num(x1) + "\" y1=\"" + Num(y1) + "\" x2=\"" + Num(x2) +
                    "\" y2=\"" + Num(y2) + "\" stroke=\"" + XmlEscape(stroke) + "\"";
  if (!extra.empty()) out += " " + std::string(extra);
  return out + "/>";
}

std::string Rect(double x, double y, double w, double h, std::string_view fill,
                 std::string_view extra = "") {
  std::string out = "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(w) +
                    "\" height=\"" + Num(h) + "\" fill=\"" + XmlEscape(fill) + "\"";
  if (!extra.empty()) out += " " + std::string(extra);
  return out + "/>";
}

// A tick label centred under `x`, moved in from the chart's edges so that it
// is not cut off.
std::string TickLabel(double x, double y, std::string_view label, double width) {
  const double half = TextWidth(label) / 2;
  x = std::clamp(x, half + 2, std::max(half + 2, width - half - 2));
  return Text(x, y, label, "middle", std::string("fill=\"") + kAxisColor + "\"");
}

struct LegendItem {
  std::string label, color;
  bool dashed = false;
  bool block = false;  // a filled square (timeline bars) rather than a line
};

// Lays the legend out in rows from the top of the chart; returns the height
// it takes (0 without items).
double Legend(const std::vector<LegendItem>& items, double left, double right, std::string* out) {
  if (items.empty()) return 0;
  constexpr double kRow = 18, kSwatch = 16;
  double x = left, y = 4;
  for (const LegendItem& item : items) {
    const double w = kSwatch + 5 + TextWidth(item.label) + 16;
    if (x > left && x + w > right) {
      x = left;
      y += kRow;
    }
    const double mid = y + kRow / 2;
    if (item.block) {
      *out += Rect(x + 2, mid - 5, 12, 10, item.color, "rx=\"2\"");
    } else {
      *out += Line(
          x, mid, x + kSwatch, mid, item.color,
          item.dashed ? "stroke-width=\"2\" stroke-dasharray=\"5 3\"" : "stroke-width=\"2.5\"");
    }
    *out += Text(x + kSwatch + 5, mid + 4, item.label, "start", "fill=\"#2d3748\"");
    x += w;
  }
  return y + kRow + 6;
}

// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
double NiceStep(double raw) {
  if (!(raw > 0) || !std::isfinite(raw)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * p >= raw * (1 - 1e-9)) return m * p;
  }
  return 10 * p;
}

}  // namespace

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<int64_t> TimeTicks(int64_t from_us, int64_t to_us, int max_ticks, int64_t* step_us) {
  constexpr int64_t kMin = 60'000'000, kHour = 60 * kMin, kDay = 24 * kHour;
  static constexpr int64_t kSteps[] = {kMin,      5 * kMin,  15 * kMin,  30 * kMin, kHour,
                                       3 * kHour, 6 * kHour, 12 * kHour, kDay,      2 * kDay,
                                       7 * kDay,  14 * kDay, 30 * kDay,  91 * kDay, 365 * kDay};
  max_ticks = std::max(max_ticks, 2);
  int64_t step = kSteps[std::size(kSteps) - 1];
  if (to_us > from_us) {
    for (int64_t s : kSteps) {
      const int64_t n = FloorDiv(to_us, s) - FloorDiv(from_us - 1, s);
      if (n <= max_ticks) {
        step = s;
        break;
      }
    }
  }
  if (step_us) *step_us = step;
  std::vector<int64_t> ticks;
  if (to_us < from_us) return ticks;
  for (int64_t t = (FloorDiv(from_us - 1, step) + 1) * step; t <= to_us; t += step) {
    ticks.push_back(t);
  }
  return ticks;
}

std::string RenderLineChart(const LineChart& c) {
  const bool timed = !c.times_us.empty();
  const size_t n = timed ? c.times_us.size() : c.categories.size();
  auto fy = [&](double v) { return c.format_y ? c.format_y(v) : PlainNumber(v); };

  // The y range.
  double lo = INFINITY, hi = -INFINITY;
  size_t points = 0;
  for (const Series& s : c.series) {
    for (size_t i = 0; i < std::min(n, s.values.size()); ++i) {
      if (s.values[i] && std::isfinite(*s.values[i])) {
        lo = std::min(lo, *s.values[i]);
        hi = std::max(hi, *s.values[i]);
        ++points;
      }
    }
  }
  const bool empty = points == 0;
  if (!empty && c.reference && std::isfinite(*c.reference)) {
    lo = std::min(lo, *c.reference);
    hi = std::max(hi, *c.reference);
  }
  if (empty) {
    lo = 0;
    hi = 1;
  }
  if (c.y_min) lo = *c.y_min;
  if (c.y_max) hi = *c.y_max;
  if (hi - lo <= std::max(std::fabs(hi), std::fabs(lo)) * 1e-9) {
    const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.01;
    if (!c.y_min) lo -= pad;
    if (!c.y_max || c.y_min) hi += pad;
    if (hi <= lo) hi = lo + pad;
  }
  const double step = NiceStep((hi - lo) / 4);
  if (!c.y_min) lo = std::floor(lo / step + 1e-9) * step;
  if (!c.y_max) hi = std::ceil(hi / step - 1e-9) * step;
  std::vector<std::pair<double, std::string>> yticks;
  if (!empty) {
    for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-6; t += step) {
      std::string label = fy(t);
      if (yticks.empty() || yticks.back().second != label) yticks.emplace_back(t, label);
    }
  }

  // Layout: legend on top, y labels on the left, x labels below.
  double label_w = 0;
  for (const auto& [v, label] : yticks) label_w = std::max(label_w, TextWidth(label));
  const double left = std::max(40.0, label_w + 14), right = c.width - 14.0;
  std::vector<LegendItem> items;
  for (const Series& s : c.series) items.push_back({s.name, s.color, s.dashed, false});
  if (c.reference && !c.reference_label.empty()) {
    items.push_back({c.reference_label, c.reference_color, true, false});
  }
  std::string legend;
  const double top = std::max(12.0, Legend(items, left, right, &legend));
  const double bottom = c.height - 34.0;
  const double plot_w = right - left, plot_h = std::max(10.0, bottom - top);

  std::string out = OpenSvg(c.title, c.width, c.height);
  out += legend;
  out += Rect(left, top, plot_w, plot_h, "#ffffff", std::string("stroke=\"") + kFrameColor + "\"");
  if (empty) {
    out += Text(left + plot_w / 2, top + plot_h / 2 + 4, c.empty_label, "middle",
                "fill=\"#718096\" font-size=\"13\"");
    return out + "</svg>";
  }

  auto Y = [&](double v) { return bottom - (v - lo) / (hi - lo) * plot_h; };
  for (const auto& [v, label] : yticks) {
    const double y = Y(v);
    out += Line(left, y, right, y, kGridColor);
    out += Text(left - 6, y + 4, label, "end", std::string("fill=\"") + kAxisColor + "\"");
  }

  // The x axis.
  int64_t tmin = 0, tmax = 0;
  if (timed) {
    tmin = *std::min_element(c.times_us.begin(), c.times_us.end());
    tmax = *std::max_element(c.times_us.begin(), c.times_us.end());
  }
  auto X = [&](size_t i) {
    if (timed) {
      if (tmax == tmin) return left + plot_w / 2;
      return left +
             static_cast<double>(c.times_us[i] - tmin) / static_cast<double>(tmax - tmin) * plot_w;
    }
    return left + (static_cast<double>(i) + 0.5) * plot_w / static_cast<double>(n);
  };
  if (timed) {
    int64_t tstep = 0;
    for (int64_t t : TimeTicks(tmin, tmax, static_cast<int>(plot_w / 90), &tstep)) {
      const double x = tmax == tmin ? left + plot_w / 2
                                    : left + static_cast<double>(t - tmin) /
                                                 static_cast<double>(tmax - tmin) * plot_w;
      out += Line(x, bottom, x, bottom + 4, kAxisColor);
      out += TickLabel(x, bottom + 17, c.format_time ? c.format_time(t, tstep) : std::to_string(t),
                       c.width);
    }
  } else {
    double widest = 0;
    for (const std::string& label : c.categories) widest = std::max(widest, TextWidth(label));
    const double band = plot_w / static_cast<double>(n);
    const size_t stride = std::max<size_t>(1, static_cast<size_t>(std::ceil((widest + 10) / band)));
    for (size_t i = 0; i < n; i += stride) {
      out += Line(X(i), bottom, X(i), bottom + 4, kAxisColor);
      out += TickLabel(X(i), bottom + 17, c.categories[i], c.width);
    }
  }

  if (c.reference && *c.reference >= lo && *c.reference <= hi) {
    const double y = Y(*c.reference);
    out +=
        Line(left, y, right, y, c.reference_color, "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"");
  }

  // The series: one path per run of present values; a lone value is a dot.
  const bool markers = n <= 45;
  for (const Series& s : c.series) {
    const std::string dash = s.dashed ? " stroke-dasharray=\"5 3\"" : "";
    std::string path, dots;
    size_t run = 0;
    for (size_t i = 0; i <= n; ++i) {
      const bool present =
          i < n && i < s.values.size() && s.values[i] && std::isfinite(*s.values[i]);
      if (present) {
        const double x = X(i), y = Y(std::clamp(*s.values[i], lo, hi));
        path += (run == 0 ? "M" : " L") + Num(x) + " " + Num(y);
        ++run;
        if (markers) {
          const std::string where = timed ? std::to_string(c.times_us[i]) : c.categories[i];
          dots += "<circle cx=\"" + Num(x) + "\" cy=\"" + Num(y) + "\" r=\"2.5\" fill=\"" +
                  XmlEscape(s.color) + "\"><title>" +
                  XmlEscape(s.name + ", " +
                            (timed && c.format_time ? c.format_time(c.times_us[i], 0) : where) +
                            ": " + fy(*s.values[i])) +
                  "</title></circle>";
        }
        continue;
      }
      if (run == 1 && !markers) {
        // A lone value between gaps: no line to show it, so a dot.
        const size_t j = i - 1;
        dots += "<circle cx=\"" + Num(X(j)) + "\" cy=\"" +
                Num(Y(std::clamp(*s.values[j], lo, hi))) + "\" r=\"2.5\" fill=\"" +
                XmlEscape(s.color) + "\"/>";
      }
      if (run >= 2) {
        out += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + XmlEscape(s.color) +
               "\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"" + dash +
               "/>";
      }
      path.clear();
      run = 0;
    }
    out += dots;
  }
  return out + "</svg>";
}

std::string RenderTimeline(const TimelineChart& c) {
  constexpr double kLabelCol = 250, kLane = 24, kBar = 14;
  const double left = kLabelCol, right = c.width - 16.0;
  const double plot_w = right - left;

  std::vector<LegendItem> items;
  for (const LegendEntry& e : c.legend) items.push_back({e.label, e.color, false, true});
  std::string legend;
  const double top = std::max(8.0, Legend(items, left, right, &legend));
  const bool empty = c.lanes.empty() || c.to_us <= c.from_us;
  const double plot_h = empty ? 48 : kLane * static_cast<double>(c.lanes.size());
  const double bottom = top + plot_h;
  const int height = static_cast<int>(bottom + 30);

  std::string out = OpenSvg(c.title, c.width, height);
  out += legend;
  out += Rect(left, top, plot_w, plot_h, "#ffffff", std::string("stroke=\"") + kFrameColor + "\"");
  if (empty) {
    out += Text(left + plot_w / 2, top + plot_h / 2 + 4, c.empty_label, "middle",
                "fill=\"#718096\" font-size=\"13\"");
    return out + "</svg>";
  }

  const double span = static_cast<double>(c.to_us - c.from_us);
  auto X = [&](int64_t t) {
    t = std::clamp(t, c.from_us, c.to_us);
    return left + static_cast<double>(t - c.from_us) / span * plot_w;
  };
  for (size_t i = 0; i < c.lanes.size(); ++i) {
    if (i % 2 == 1)
      out += Rect(left, top + kLane * static_cast<double>(i), plot_w, kLane, "#f7fafc");
  }
  int64_t step = 0;
  for (int64_t t : TimeTicks(c.from_us, c.to_us, static_cast<int>(plot_w / 90), &step)) {
    const double x = X(t);
    out += Line(x, top, x, bottom, kGridColor);
    out += Line(x, bottom, x, bottom + 4, kAxisColor);
    out += TickLabel(x, bottom + 17, c.format_time ? c.format_time(t, step) : std::to_string(t),
                     c.width);
  }
  out += Rect(left, top, plot_w, plot_h, "none", std::string("stroke=\"") + kFrameColor + "\"");

  const size_t max_chars = static_cast<size_t>((kLabelCol - 14) / kCharPx);
  for (size_t i = 0; i < c.lanes.size(); ++i) {
    const TimelineLane& lane = c.lanes[i];
    const double y0 = top + kLane * static_cast<double>(i), mid = y0 + kLane / 2;
    out += "<text x=\"" + Num(left - 8) + "\" y=\"" + Num(mid + 4) +
           "\" text-anchor=\"end\" fill=\"#2d3748\"><title>" + XmlEscape(lane.label) + "</title>" +
           XmlEscape(Shorten(lane.label, max_chars)) + "</text>";
    for (const TimelineBar& bar : lane.bars) {
      const int64_t end = std::max(bar.start_us, bar.end_us);
      if (end < c.from_us || bar.start_us > c.to_us) continue;
      const double x = X(bar.start_us);
      const double w = std::max(2.0, X(end) - x);
      out += "<g><title>" + XmlEscape(bar.tooltip) + "</title>";
      out += Rect(x, mid - kBar / 2, w, kBar, bar.color, "fill-opacity=\"0.85\" rx=\"2\"");
      if (bar.open_end) {
        const double xe = std::min(x + w, right);
        out += "<path d=\"M" + Num(xe) + " " + Num(mid - kBar / 2 - 2) + " L" + Num(xe + 7) + " " +
               Num(mid) + " L" + Num(xe) + " " + Num(mid + kBar / 2 + 2) + " Z\" fill=\"" +
               XmlEscape(bar.color) + "\"/>";
      }
      out += "</g>";
    }
  }
  return out + "</svg>";
}

}  // namespace sonde::svg
