// The HTML and Markdown renderers of the SLA report, over a report built by
// hand: both show the same formatted strings, escape what the model holds,
// and the HTML stays one self-contained file. Plus the SVG chart helpers.
//
// With SONDE_SAMPLE_REPORT_DIR set, the sample report is also written there
// (sample_report.html, sample_report.md) to be looked at.
#include "reporter/report_render.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "reporter/svg_chart.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kSec = 1'000'000, kMin = 60 * kSec, kHour = 60 * kMin, kDay = 24 * kHour;
constexpr int64_t kFrom = 1'793'491'200 * kSec;  // 2026-11-01T00:00:00Z

const std::string kNastyTarget = "https://rpc.example/?a=1&b=<2>|\"x\"";

size_t Occurrences(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

DailyRow Day(int i, int64_t good, int64_t bad, std::optional<int64_t> p50_us) {
  DailyRow d;
  d.day = "2026-11-0" + std::to_string(i + 1);
  d.good = good;
  d.bad = bad;
  d.total = good + bad;
  if (d.total > 0) d.sli = static_cast<double>(good) / static_cast<double>(d.total);
  if (p50_us) {
    d.latency.p50_us = *p50_us;
    d.latency.p90_us = *p50_us * 2 + 1'100;
    d.latency.p95_us = *p50_us * 3 + 2'200;
    d.latency.p99_us = *p50_us * 5 + 3'300;
  }
  return d;
}

SloReport Availability() {
  SloReport s;
  s.spec.name = "checkout & pay <eu>";
  s.spec.journey = "eth_transfer";
  s.spec.kind = SloSpec::Kind::kAvailability;
  s.spec.objective = 99.5;
  s.spec.window = 7 * 24h;
  s.spec.description = "Transfers confirm; targets with & and <tags>.";
  s.spec.runbook_url = "https://runbooks.example/checkout?x=1&y=2";
  s.good = 3990;
  s.bad = 27;
  s.total = 4017;
  s.excluded_infra = 11;
  s.excluded_maintenance = 23;
  s.excluded_drill = 31;
  s.sli = 3990.0 / 4017.0;  // 99.328%
  s.met = false;
  s.status = SloStatus::kBreached;
  s.budget.allowed_runs = 20.085;
  s.budget.consumed_runs = 27;
  s.budget.remaining_runs = -6.915;
  s.budget.remaining_ratio = -6.915 / 20.085;
  s.budget.period_minutes = 10080;
  s.budget.minutes_with_data = 10071;
  s.budget.allowed_down_minutes = 50.4;
  s.budget.down_minutes = 61;
  s.budget.remaining_down_minutes = -10.6;
  s.latency = {183'400, 412'700, 655'100, 12'345'678};

  Incident a;
  a.target = kNastyTarget;
  a.start_us = kFrom + 2 * kDay + 3 * kHour + 7 * kMin;
  a.end_us = a.start_us + 2 * kHour + 5 * kMin + 30 * kSec;
  a.runs = 14;
  a.reason = "connect";
  a.step = "send_tx";
  a.fault_windows = {0};
  Incident b;
  b.target = "wss://node-2.example/ws";
  b.start_us = kFrom + 6 * kDay + 20 * kHour + 13 * kMin;
  b.end_us = b.start_us + 47 * kMin + 9 * kSec;
  b.runs = 13;
  b.reason = "http_5xx";
  b.ongoing = true;
  b.fault_windows = {1};
  s.incidents = {a, b};

  // Day 4 has no runs at all: a gap in both charts.
  s.daily = {Day(0, 571, 2, 150'000),    Day(1, 577, 1, 151'000), Day(2, 560, 16, 190'000),
             Day(3, 0, 0, std::nullopt), Day(4, 578, 0, 149'000), Day(5, 1130, 3, 152'000),
             Day(6, 574, 5, 160'000)};
  return s;
}

SloReport Latency() {
  SloReport s;
  s.spec.name = "api latency | p99";
  s.spec.journey = "rpc_read";
  s.spec.kind = SloSpec::Kind::kLatency;
  s.spec.objective = 99.0;
  s.spec.threshold = 500ms;
  s.spec.target = kNastyTarget;
  s.spec.runbook_url = "javascript:alert(1)";
  s.good = 8001;
  s.bad = 99;
  s.total = 8100;
  s.sli = 8001.0 / 8100.0;  // 98.778%
  s.under_threshold = 0.98765;
  s.status = SloStatus::kBreached;
  s.budget.allowed_runs = 81;
  s.budget.consumed_runs = 99;
  s.budget.remaining_runs = -18;
  s.budget.remaining_ratio = -18.0 / 81.0;
  s.budget.period_minutes = 10080;
  s.budget.minutes_with_data = 10079;
  s.budget.allowed_down_minutes = 100.8;
  s.budget.down_minutes = 37;
  s.budget.remaining_down_minutes = 63.8;
  s.latency = {97'300, 288'800, 431'900, 1'702'400};
  Incident slow;
  slow.target = kNastyTarget;
  slow.start_us = kFrom + 4 * kDay + 9 * kHour;
  slow.end_us = slow.start_us + 3 * kHour + 33 * kSec;
  slow.runs = 58;
  slow.reason = "slow";
  s.incidents = {slow};
  s.daily = {Day(0, 1150, 9, 95'000),  Day(1, 1140, 12, 96'000), Day(2, 1160, 3, 97'000),
             Day(3, 1120, 40, 99'000), Day(4, 1145, 20, 98'000), Day(5, 1142, 10, 96'500),
             Day(6, 1144, 5, 94'000)};
  return s;
}

SloReport NoData() {
  SloReport s;
  s.spec.name = "bridge";
  s.spec.journey = "bridge_deposit";
  s.spec.objective = 99.9;
  s.status = SloStatus::kNoData;
  s.budget.period_minutes = 10080;
  for (int i = 0; i < 7; ++i) s.daily.push_back(Day(i, 0, 0, std::nullopt));
  return s;
}

SlaReport Sample(bool drills_excluded) {
  SlaReport r;
  r.generated_us = kFrom + 7 * kDay + 5 * kMin + 17 * kSec;
  r.period = {kFrom, kFrom + 7 * kDay};
  r.config_source = "/etc/sonde/prod & <eu>.toml";
  r.location = "eu-west|1";
  r.drills_excluded = drills_excluded;
  r.slos = {Availability(), Latency(), NoData()};
  r.fault_windows = {
      {"game-day <1>", "kill-node", "kill", "node-1 & co", kFrom + 2 * kDay + 3 * kHour,
       kFrom + 2 * kDay + 4 * kHour + 30 * kMin},
      {"", "slow|link", "latency", "rpc<2>", kFrom + 6 * kDay + 20 * kHour, std::nullopt}};
  r.drills = {{"game-day <1>", kFrom + 2 * kDay + 2 * kHour + 55 * kMin,
               kFrom + 2 * kDay + 5 * kHour, "pass", 9'007'199'254'740'993}};
  return r;
}

// Every number the brief says both forms show, as report_format.h prints it.
std::vector<std::string> ExpectedStrings(const SlaReport& r) {
  std::vector<std::string> out;
  for (const SloReport& s : r.slos) {
    const ErrorBudget& b = s.budget;
    out.push_back(FormatPercent(s.sli));
    out.push_back(FormatPercent(s.spec.objective / 100.0));
    out.push_back(FormatAmount(b.allowed_runs));
    out.push_back(FormatAmount(static_cast<double>(b.consumed_runs)));
    out.push_back(FormatAmount(b.remaining_runs));
    out.push_back(FormatPercent(b.remaining_ratio));
    out.push_back(FormatAmount(b.allowed_down_minutes));
    out.push_back(FormatAmount(static_cast<double>(b.down_minutes)));
    out.push_back(FormatAmount(b.remaining_down_minutes));
    out.push_back(FormatAmount(static_cast<double>(b.period_minutes)));
    out.push_back(FormatAmount(static_cast<double>(b.minutes_with_data)));
    out.push_back(FormatLatency(s.latency.p50_us));
    out.push_back(FormatLatency(s.latency.p90_us));
    out.push_back(FormatLatency(s.latency.p99_us));
    if (s.under_threshold) out.push_back(FormatPercent(s.under_threshold));
    for (const Incident& inc : s.incidents) {
      out.push_back(FormatTimestamp(inc.start_us));
      out.push_back(FormatTimestamp(inc.end_us));
      out.push_back(FormatSpan(inc.end_us - inc.start_us));
    }
  }
  return out;
}

void MaybeWriteSample(const std::string& html, const std::string& md) {
  const char* dir = std::getenv("SONDE_SAMPLE_REPORT_DIR");
  if (!dir) return;
  std::ofstream(std::string(dir) + "/sample_report.html") << html;
  std::ofstream(std::string(dir) + "/sample_report.md") << md;
}

TEST(ReportRender, SameFormattedNumbersInHtmlAndMarkdown) {
  const SlaReport r = Sample(true);
  const std::string html = RenderHtml(r), md = RenderMarkdown(r);
  MaybeWriteSample(html, md);
  const std::vector<std::string> expected = ExpectedStrings(r);
  // The sample's numbers are chosen to be told apart; spot-check a few
  // against literal spellings, so that a change in the helpers shows here.
  EXPECT_THAT(expected, testing::IsSupersetOf({"99.328%", "99.500%", "20.09", "-6.92", "-34.429%",
                                               "12.35 s", "183.4 ms", "98.765%", "2h 5m 30s",
                                               "2026-11-03T03:07:00Z", "n/a"}));
  for (const std::string& s : expected) {
    // A cell of its own in both: bounded by tags in HTML, by pipes in Markdown.
    EXPECT_NE(html.find(">" + s + "<"), std::string::npos) << "HTML lacks " << s;
    EXPECT_NE(md.find("| " + s + " |"), std::string::npos) << "Markdown lacks " << s;
  }
  // The latency SLO's threshold, and its spelled-out status.
  EXPECT_NE(html.find(">500.0 ms<"), std::string::npos);
  EXPECT_NE(md.find("| 500.0 ms |"), std::string::npos);
  EXPECT_EQ(Occurrences(html, ">BREACHED<"), 4u);  // summary and section, for two SLOs
  EXPECT_EQ(Occurrences(html, ">NO_DATA<"), 2u);
  EXPECT_NE(md.find("| **NO_DATA** |"), std::string::npos);
  // A seed past 2^53 keeps all its digits.
  EXPECT_NE(html.find(">9007199254740993<"), std::string::npos);
  EXPECT_NE(md.find("| 9007199254740993 |"), std::string::npos);
}

TEST(ReportRender, HtmlIsOneSelfContainedFile) {
  const std::string html = RenderHtml(Sample(false));
  const std::string lower = Lower(html);
  EXPECT_EQ(lower.rfind("<!doctype html>", 0), 0u);
  EXPECT_EQ(lower.find("<script"), std::string::npos);
  EXPECT_EQ(lower.find("<link"), std::string::npos);
  EXPECT_EQ(lower.find("src="), std::string::npos);
  EXPECT_EQ(lower.find("url("), std::string::npos);
  EXPECT_EQ(lower.find("@import"), std::string::npos);
  // The one kind of outside reference: a plain link to an http(s) runbook.
  EXPECT_EQ(Occurrences(lower, "href=\"http"), 1u);
  EXPECT_NE(html.find("href=\"https://runbooks.example/checkout?x=1&amp;y=2\""), std::string::npos);
  EXPECT_EQ(lower.find("href=\"javascript"), std::string::npos);
  EXPECT_NE(html.find(">javascript:alert(1)<"), std::string::npos);  // shown, not linked

  // Every <svg closed before the next opens: two charts per SLO and the timeline.
  EXPECT_EQ(Occurrences(html, "<svg"), 3u * 2 + 1);
  EXPECT_EQ(Occurrences(html, "<svg"), Occurrences(html, "</svg>"));
  size_t at = 0;
  while ((at = html.find("<svg", at)) != std::string::npos) {
    const size_t close = html.find("</svg>", at);
    ASSERT_NE(close, std::string::npos);
    const size_t next = html.find("<svg", at + 1);
    EXPECT_TRUE(next == std::string::npos || next > close) << "nested or unclosed <svg at " << at;
    at = close;
  }
  for (const char* tag : {"table", "section", "figure", "main", "html", "body", "style"}) {
    EXPECT_EQ(Occurrences(html, std::string("<") + tag + (std::string(tag) == "html" ? " " : "")),
              Occurrences(html, std::string("</") + tag + ">"))
        << tag;
  }
}

TEST(ReportRender, HtmlEscapesEveryStringFromTheModel) {
  const std::string html = RenderHtml(Sample(true));
  EXPECT_NE(html.find("https://rpc.example/?a=1&amp;b=&lt;2&gt;|&quot;x&quot;"), std::string::npos);
  EXPECT_NE(html.find("checkout &amp; pay &lt;eu&gt;"), std::string::npos);
  EXPECT_NE(html.find("/etc/sonde/prod &amp; &lt;eu&gt;.toml"), std::string::npos);
  EXPECT_NE(html.find("game-day &lt;1&gt;"), std::string::npos);
  EXPECT_NE(html.find("rpc&lt;2&gt;"), std::string::npos);
  for (const char* raw : {"<2>", "<eu>", "<1>", "rpc<2", "<tags>", "& co", "\"x\""}) {
    EXPECT_EQ(html.find(raw), std::string::npos) << raw;
  }
}

TEST(ReportRender, MarkdownEscapesPipesSoEveryRowKeepsItsCells) {
  const std::string md = RenderMarkdown(Sample(true));
  EXPECT_NE(md.find("https://rpc.example/?a=1\\&b=\\<2\\>\\|\"x\""), std::string::npos);
  EXPECT_NE(md.find("api latency \\| p99"), std::string::npos);
  EXPECT_NE(md.find("eu-west\\|1"), std::string::npos);
  EXPECT_NE(md.find("slow\\|link"), std::string::npos);
  EXPECT_EQ(md.find("<2>"), std::string::npos);
  EXPECT_NE(md.find("eth_transfer"), std::string::npos);  // a word's underscore stays

  // Count unescaped pipes per line: every row of a table as many as its header.
  auto pipes = [](const std::string& line) {
    size_t n = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++n;
    }
    return n;
  };
  size_t tables = 0, width = 0;
  std::istringstream in(md);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] != '|') {
      width = 0;
      continue;
    }
    if (width == 0) {
      width = pipes(line);
      ++tables;
    }
    EXPECT_EQ(pipes(line), width) << line;
  }
  EXPECT_GE(tables, 20u);
}

TEST(ReportRender, DrillExclusionStatedExactlyWhenSet) {
  const std::string phrase = "exclude runs that overlap a drill window";
  EXPECT_NE(RenderHtml(Sample(true)).find(phrase), std::string::npos);
  EXPECT_NE(RenderMarkdown(Sample(true)).find(phrase), std::string::npos);
  EXPECT_EQ(RenderHtml(Sample(false)).find(phrase), std::string::npos);
  EXPECT_EQ(RenderMarkdown(Sample(false)).find(phrase), std::string::npos);
}

TEST(ReportRender, EmptyReportRenders) {
  SlaReport r;
  r.period = {kFrom, kFrom + kDay};
  const std::string html = RenderHtml(r), md = RenderMarkdown(r);
  EXPECT_NE(html.find("No SLOs are configured."), std::string::npos);
  EXPECT_NE(html.find("No incidents, fault windows or drills in the period"), std::string::npos);
  EXPECT_EQ(Occurrences(html, "<svg"), 1u);
  EXPECT_EQ(Occurrences(html, "</svg>"), 1u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_NE(md.find("No SLOs are configured."), std::string::npos);
  // Not even a period.
  EXPECT_NE(RenderHtml(SlaReport{}).find("</html>"), std::string::npos);
  EXPECT_FALSE(RenderMarkdown(SlaReport{}).empty());
}

// The chart helpers.

TEST(ReportRenderSvg, XmlEscape) {
  EXPECT_EQ(svg::XmlEscape("a&b<c>\"d'"), "a&amp;b&lt;c&gt;&quot;d&#39;");
}

svg::LineChart Chart(std::vector<std::optional<double>> values) {
  svg::LineChart c;
  c.title = "t";
  for (size_t i = 0; i < values.size(); ++i) c.categories.push_back("d" + std::to_string(i));
  c.series.push_back({"s", "#000", std::move(values), false});
  return c;
}

TEST(ReportRenderSvg, GapsBreakTheLine) {
  EXPECT_EQ(Occurrences(svg::RenderLineChart(Chart({1, 2, std::nullopt, 4, 5})), "<path"), 2u);
  EXPECT_EQ(Occurrences(svg::RenderLineChart(Chart({1, 2, 3, 4, 5})), "<path"), 1u);
  // A lone point between gaps has no line, but is still drawn.
  const std::string lone = svg::RenderLineChart(Chart({std::nullopt, 3, std::nullopt}));
  EXPECT_EQ(Occurrences(lone, "<path"), 0u);
  EXPECT_EQ(Occurrences(lone, "<circle"), 1u);
  // Without per-point markers (many points), too.
  std::vector<std::optional<double>> many(60, std::nullopt);
  many[30] = 1;
  many[40] = 2;
  many[41] = 3;
  const std::string sparse = svg::RenderLineChart(Chart(many));
  EXPECT_EQ(Occurrences(sparse, "<path"), 1u);
  EXPECT_EQ(Occurrences(sparse, "<circle"), 1u);
}

TEST(ReportRenderSvg, EmptyChartsDrawTheFrameAndSaySo) {
  svg::LineChart none = Chart({std::nullopt, std::nullopt});
  none.empty_label = "nothing <here>";
  const std::string out = svg::RenderLineChart(none);
  EXPECT_NE(out.find(">nothing &lt;here&gt;<"), std::string::npos);
  EXPECT_NE(out.find("<rect"), std::string::npos);
  EXPECT_NE(svg::RenderLineChart(svg::LineChart{}).find(">no data<"), std::string::npos);
  EXPECT_NE(svg::RenderTimeline(svg::TimelineChart{}).find(">no data<"), std::string::npos);
}

TEST(ReportRenderSvg, ReferenceLineAndTicksUseTheFormatter) {
  svg::LineChart c = Chart({0.9991, 0.9999, 1.0});
  c.reference = 0.999;
  c.reference_label = "objective";
  c.y_max = 1.0;
  c.format_y = [](double v) { return FormatPercent(v); };
  const std::string out = svg::RenderLineChart(c);
  EXPECT_NE(out.find(">99.900%<"), std::string::npos);   // the lowest tick, at the objective
  EXPECT_NE(out.find(">100.000%<"), std::string::npos);  // the top
  EXPECT_NE(out.find("stroke-dasharray=\"6 4\""), std::string::npos);
  EXPECT_EQ(out, svg::RenderLineChart(c));  // deterministic
}

TEST(ReportRenderSvg, TimeTicksAlignToTheStep) {
  int64_t step = 0;
  const std::vector<int64_t> ticks = svg::TimeTicks(kFrom + 10 * kMin, kFrom + kDay, 8, &step);
  EXPECT_EQ(step, 3 * kHour);
  ASSERT_FALSE(ticks.empty());
  EXPECT_EQ(ticks.front(), kFrom + 3 * kHour);
  EXPECT_EQ(ticks.back(), kFrom + kDay);
  EXPECT_LE(ticks.size(), 8u);
  svg::TimeTicks(kFrom, kFrom + 30 * kDay, 10, &step);
  EXPECT_EQ(step, 7 * kDay);
}

TEST(ReportRenderSvg, TimelineClipsBarsAndMarksOpenEnds) {
  svg::TimelineChart c;
  c.from_us = kFrom;
  c.to_us = kFrom + kDay;
  c.lanes = {{"a very long lane label that cannot fit in the column of labels & more", {}}};
  c.lanes[0].bars = {{kFrom - kHour, kFrom + kHour, "#f00", "before <start>", false},
                     {kFrom + 2 * kDay, kFrom + 3 * kDay, "#f00", "after the end", false},
                     {kFrom + 12 * kHour, kFrom + 12 * kHour, "#f00", "instant", true}};
  const std::string out = svg::RenderTimeline(c);
  EXPECT_NE(out.find("before &lt;start&gt;"), std::string::npos);
  EXPECT_EQ(out.find("after the end"), std::string::npos);
  EXPECT_NE(out.find("instant"), std::string::npos);
  EXPECT_NE(out.find("width=\"2\""), std::string::npos);                   // an instant still shows
  EXPECT_NE(out.find("\u2026"), std::string::npos);                        // the label shortened...
  EXPECT_NE(out.find("of labels &amp; more</title>"), std::string::npos);  // ...not its tooltip
}

}  // namespace
}  // namespace sonde
