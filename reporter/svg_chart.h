// Small inline-SVG charts for the HTML report: a line chart (several series
// over categorical or time x values, an optional horizontal reference line)
// and a timeline (lanes of bars over a time range).
//
// No dependencies beyond the standard library. Output is deterministic: the
// same chart gives the same bytes (coordinates are printed with fixed
// precision, independent of the C locale). Every piece of text is
// XML-escaped. The charts do not format numbers or times themselves: the
// caller passes the formatters (the report passes report_format.h's), so a
// chart shows the same strings as the tables around it.
//
// Pure functions over their arguments; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonde::svg {

// &, <, >, " and ' as entities: safe in text and in quoted attributes.
std::string XmlEscape(std::string_view s);

struct LegendEntry {
  std::string label;
  std::string color;  // a CSS color, e.g. "#2b6cb0"
};

struct Series {
  std::string name;
  std::string color;
  // One value per x (LineChart::categories or LineChart::times_us); nullopt
  // is a gap: the line breaks there. A point with no neighbour is drawn as
  // a dot.
  std::vector<std::optional<double>> values;
  bool dashed = false;
};

struct LineChart {
  std::string title;  // read by screen readers and shown as a tooltip
  // The x axis: either categories (equally spaced, e.g. days) or times in
  // Unix microseconds (placed by time). When both are set, times win.
  std::vector<std::string> categories;
  std::vector<int64_t> times_us;
  std::vector<Series> series;
  // A horizontal line across the plot, e.g. the objective.
  std::optional<double> reference;
  std::string reference_label;
  std::string reference_color = "#c53030";
  // The y range; without them it is taken from the data (and the reference)
  // and widened to round ticks.
  std::optional<double> y_min, y_max;
  // Tick labels. y: a value; x (time axis only): a time and the tick step,
  // both in microseconds. Without a formatter, the plain number.
  std::function<std::string(double)> format_y;
  std::function<std::string(int64_t at_us, int64_t step_us)> format_time;
  std::string empty_label = "no data";
  int width = 760;
  int height = 260;
};

std::string RenderLineChart(const LineChart& chart);

struct TimelineBar {
  int64_t start_us = 0;
  int64_t end_us = 0;  // clipped to the chart's range; drawn at least 2 px wide
  std::string color;
  std::string tooltip;
  // Still going at end_us (an ongoing incident, a fault never reverted):
  // drawn with an arrow head at its end.
  bool open_end = false;
};

struct TimelineLane {
  std::string label;  // shortened to fit the label column; the full text is the tooltip
  std::vector<TimelineBar> bars;
};

struct TimelineChart {
  std::string title;
  int64_t from_us = 0;
  int64_t to_us = 0;
  std::vector<TimelineLane> lanes;
  std::vector<LegendEntry> legend;
  std::function<std::string(int64_t at_us, int64_t step_us)> format_time;
  std::string empty_label = "no data";
  int width = 760;
};

std::string RenderTimeline(const TimelineChart& chart);

// Tick positions for a time axis over [from_us, to_us]: a step of 1 minute
// up to 30 days, the smallest that gives at most `max_ticks` ticks, aligned
// to multiples of the step since the epoch (so day ticks fall on UTC
// midnight). Sets `step_us` to the step chosen.
std::vector<int64_t> TimeTicks(int64_t from_us, int64_t to_us, int max_ticks, int64_t* step_us);

}  // namespace sonde::svg
