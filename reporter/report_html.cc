// RenderHtml: the SLA report as one self-contained HTML5 file (inline CSS
// and SVG; no scripts, no fetches), readable on screen and on paper. Every
// number and time goes through report_format.h, so the Markdown form shows
// the same strings; every string from the model is escaped.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <map>

#include "reporter/report_render.h"
#include "reporter/run_evidence.h"
#include "reporter/svg_chart.h"

namespace sonde {

namespace {

using svg::XmlEscape;

constexpr int64_t kDayUs = 86'400'000'000;
constexpr const char* kIncidentColor = "#e53e3e";
constexpr const char* kFaultColor = "#dd6b20";
constexpr const char* kDrillColor = "#6b46c1";

constexpr const char* kStyle = R"css(
:root { --fg: #1a202c; --muted: #4a5568; --line: #e2e8f0; --head: #edf2f7; --accent: #2b6cb0; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #f7fafc; color: var(--fg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1140px; margin: 0 auto; padding: 28px 32px 48px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 0 0 10px; display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
h3 { font-size: 15px; margin: 22px 0 8px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.period { font-size: 16px; margin: 0 0 12px; }
.muted { color: var(--muted); }
dl.meta { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 8px 24px; margin: 0 0 16px; }
dl.meta div { min-width: 0; }
dl.meta dt, dl.spec dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
dl.meta dd, dl.spec dd { margin: 0; overflow-wrap: anywhere; }
dl.spec { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 8px 24px; margin: 0 0 12px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
.notice { border-left: 5px solid #d69e2e; background: #fffbeb; padding: 10px 14px; margin: 0 0 20px; }
section { margin: 0 0 36px; }
section.slo { border-top: 2px solid var(--line); padding-top: 22px; }
.desc { margin: 0 0 12px; color: var(--muted); }
.badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 12px; font-weight: 700;
  letter-spacing: .05em; color: #fff; white-space: nowrap; }
.badge.ok { background: #2f855a; } .badge.warning { background: #b7791f; }
.badge.breached { background: #c53030; } .badge.nodata { background: #718096; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 0 0 8px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; }
thead th { background: var(--head); font-size: 12px; text-transform: uppercase; letter-spacing: .03em;
  color: var(--muted); white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafcfe; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.wrap { overflow-wrap: anywhere; }
td.text { overflow-wrap: break-word; }
td.target { min-width: 18ch; }
table.incidents { font-size: 13px; }
table.incidents th, table.incidents td { padding: 4px 7px; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.evidence { min-width: 28ch; }
td.evidence div + div { margin-top: 4px; }
table.kv th { font-weight: 500; color: var(--muted); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 8px 24px; }
.grid h3 { margin-top: 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; margin: 4px 0 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.card .big { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.meter { height: 8px; background: #fed7d7; border-radius: 4px; overflow: hidden; margin-top: 6px; }
.meter span { display: block; height: 100%; background: #38a169; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 12px 24px; }
figure { margin: 0; }
figcaption { font-size: 13px; color: var(--muted); margin: 0 0 4px; }
svg.chart { max-width: 100%; height: auto; display: block; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; padding: 0; }
  .scroll { overflow: visible; }
  section.slo { break-before: page; }
  figure, .cards, tr { break-inside: avoid; }
  a { color: inherit; }
}
@page { margin: 14mm; }
)css";

std::string Count(int64_t v) { return FormatCount(v); }

std::string_view StatusClass(SloStatus s) {
  switch (s) {
    case SloStatus::kOk:
      return "ok";
    case SloStatus::kWarning:
      return "warning";
    case SloStatus::kBreached:
      return "breached";
    case SloStatus::kNoData:
      return "nodata";
  }
  return "nodata";
}

std::string Badge(SloStatus s) {
  return "<span class=\"badge " + std::string(StatusClass(s)) + "\">" + XmlEscape(ToString(s)) +
         "</span>";
}

bool IsWebUrl(std::string_view url) {
  auto starts = [&](std::string_view p) {
    if (url.size() < p.size()) return false;
    for (size_t i = 0; i < p.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != p[i]) return false;
    }
    return true;
  };
  return starts("http://") || starts("https://");
}

// Axis ticks: days for day steps; otherwise the time of day, and the date
// at midnight. With step 0 (a tooltip), the full timestamp.
std::string TimeTick(int64_t at_us, int64_t step_us) {
  if (step_us <= 0) return FormatTimestamp(at_us);
  if (step_us >= kDayUs) return FormatDay(at_us);
  const std::string ts = FormatTimestamp(at_us);  // 2026-11-21T12:34:56Z
  return at_us % kDayUs == 0 ? ts.substr(5, 5) : ts.substr(11, 5);
}

std::string Td(std::string_view escaped, std::string_view cls = "") {
  if (cls.empty()) return "<td>" + std::string(escaped) + "</td>";
  return "<td class=\"" + std::string(cls) + "\">" + std::string(escaped) + "</td>";
}
std::string Num(const std::string& formatted) { return Td(XmlEscape(formatted), "num"); }
std::string Text(std::string_view s) { return Td(XmlEscape(s), "text"); }
std::string Time(int64_t us) { return Td(XmlEscape(FormatTimestamp(us)), "time"); }

std::string Head(std::initializer_list<std::string_view> cols,
                 std::initializer_list<size_t> numeric = {}) {
  std::string out = "<thead><tr>";
  size_t i = 0;
  for (std::string_view c : cols) {
    const bool num = std::find(numeric.begin(), numeric.end(), i++) != numeric.end();
    out += num ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">";
    out += XmlEscape(c) + "</th>";
  }
  return out + "</tr></thead>";
}

// A two-column table of label and formatted value.
std::string KeyValues(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string out = "<table class=\"kv\"><tbody>";
  for (const auto& [k, v] : rows) {
    out += "<tr><th scope=\"row\">" + XmlEscape(k) + "</th>" + Num(v) + "</tr>";
  }
  return out + "</tbody></table>";
}

std::string FaultLabel(const FaultWindow& f) {
  std::string s = f.fault + " (" + f.kind + ")";
  if (!f.target.empty()) s += " on " + f.target;
  return s;
}

std::string PageHeader(const SlaReport& r) {
  std::string out = "<header>";
  out += "<h1>SLA report</h1>";
  out += "<p class=\"period\"><strong>" + XmlEscape(FormatTimestamp(r.period.from_us)) +
         "</strong> to <strong>" + XmlEscape(FormatTimestamp(r.period.to_us)) +
         "</strong> <span class=\"muted\">(" +
         XmlEscape(FormatSpan(r.period.to_us - r.period.from_us)) +
         ", end exclusive, UTC)</span></p>";
  out += "<dl class=\"meta\">";
  out += "<div><dt>Generated</dt><dd>" + XmlEscape(FormatTimestamp(r.generated_us)) + "</dd></div>";
  out += "<div><dt>Config</dt><dd><code>" + XmlEscape(r.config_source) + "</code></dd></div>";
  out += "<div><dt>Location</dt><dd>" +
         (r.location.empty() ? std::string("<span class=\"muted\">not set</span>")
                             : XmlEscape(r.location)) +
         "</dd></div>";
  out += "<div><dt>Drill runs</dt><dd>" +
         std::string(r.drills_excluded ? "<strong>excluded</strong>" : "counted") + "</dd></div>";
  out += "</dl></header>";
  if (r.drills_excluded) {
    out +=
        "<div class=\"notice\" role=\"note\"><strong>Drill runs excluded.</strong> "
        "The numbers in this report exclude runs that overlap a drill window "
        "(see Drills below).</div>";
  }
  return out;
}

std::string Summary(const SlaReport& r) {
  std::string out = "<section id=\"summary\"><h2>Summary</h2>";
  if (r.slos.empty()) {
    return out + "<p class=\"empty\">No SLOs are configured.</p></section>";
  }
  out += "<div class=\"scroll\"><table>";
  out +=
      Head({"SLO", "Journey", "Kind", "Objective", "SLI", "Status", "Budget remaining"}, {3, 4, 6});
  out += "<tbody>";
  for (size_t i = 0; i < r.slos.size(); ++i) {
    const SloReport& s = r.slos[i];
    out += "<tr>";
    out +=
        Td("<a href=\"#slo-" + std::to_string(i) + "\">" + XmlEscape(s.spec.name) + "</a>", "wrap");
    out += Text(s.spec.journey);
    out += Text(KindName(s.spec.kind));
    out += Num(FormatPercent(ObjectiveRatio(s.spec)));
    out += Num(FormatPercent(s.sli));
    out += Td(Badge(s.status));
    out += Num(FormatPercent(s.budget.remaining_ratio));
    out += "</tr>";
  }
  return out + "</tbody></table></div></section>";
}

std::string Spec(const SloSpec& spec) {
  std::string out = "<dl class=\"spec\">";
  auto item = [&](std::string_view k, const std::string& escaped) {
    out += "<div><dt>" + XmlEscape(k) + "</dt><dd>" + escaped + "</dd></div>";
  };
  item("Journey", XmlEscape(spec.journey));
  item("Kind", XmlEscape(KindName(spec.kind)));
  item("Objective", XmlEscape(FormatPercent(ObjectiveRatio(spec))));
  if (spec.kind == SloSpec::Kind::kLatency)
    item("Threshold", XmlEscape(FormatLatency(ThresholdUs(spec))));
  item("Window", XmlEscape(FormatSpan(
                     std::chrono::duration_cast<std::chrono::microseconds>(spec.window).count())));
  if (!spec.target.empty()) item("Target", XmlEscape(spec.target));
  if (!spec.location.empty()) item("Location", XmlEscape(spec.location));
  if (!spec.runbook_url.empty()) {
    item("Runbook", IsWebUrl(spec.runbook_url) ? "<a href=\"" + XmlEscape(spec.runbook_url) +
                                                     "\" rel=\"noopener noreferrer\">" +
                                                     XmlEscape(spec.runbook_url) + "</a>"
                                               : XmlEscape(spec.runbook_url));
  }
  return out + "</dl>";
}

std::string Cards(const SloReport& s) {
  const ErrorBudget& b = s.budget;
  std::string out = "<div class=\"cards\">";
  auto card = [&](std::string_view label, const std::string& big, const std::string& extra) {
    out += "<div class=\"card\"><div class=\"label\">" + XmlEscape(label) +
           "</div><div class=\"big\">" + XmlEscape(big) + "</div>" + extra + "</div>";
  };
  card("SLI", FormatPercent(s.sli),
       "<div class=\"muted\">objective <span>" + XmlEscape(FormatPercent(ObjectiveRatio(s.spec))) +
           "</span></div>");
  std::string meter;
  if (b.remaining_ratio) {
    const double clamped = std::clamp(*b.remaining_ratio, 0.0, 1.0);
    meter = "<div class=\"meter\" aria-hidden=\"true\"><span style=\"width:" +
            XmlEscape(FormatPercent(clamped)) + "\"></span></div>";
  }
  card("Error budget remaining", FormatPercent(b.remaining_ratio), meter);
  card("Down minutes", Count(b.down_minutes),
       "<div class=\"muted\">allowed <span>" + XmlEscape(FormatAmount(b.allowed_down_minutes)) +
           "</span></div>");
  card("Incidents", Count(static_cast<int64_t>(s.incidents.size())), "");
  return out + "</div>";
}

std::string Tables(const SloReport& s) {
  const ErrorBudget& b = s.budget;
  std::string out = "<div class=\"grid\">";
  out += "<div><h3>Runs</h3>" +
         KeyValues({{"Good", Count(s.good)},
                    {"Bad", Count(s.bad)},
                    {"Total", Count(s.total)},
                    {"Excluded: infra error", Count(s.excluded_infra)},
                    {"Excluded: maintenance", Count(s.excluded_maintenance)},
                    {"Excluded: drill", Count(s.excluded_drill)}}) +
         "</div>";
  out += "<div><h3>Error budget (runs)</h3>" +
         KeyValues({{"Allowed", FormatAmount(b.allowed_runs)},
                    {"Consumed", Count(b.consumed_runs)},
                    {"Remaining", FormatAmount(b.remaining_runs)},
                    {"Remaining share", FormatPercent(b.remaining_ratio)}}) +
         "</div>";
  out += "<div><h3>Downtime (minutes)</h3>" +
         KeyValues({{"Allowed", FormatAmount(b.allowed_down_minutes)},
                    {"Down", Count(b.down_minutes)},
                    {"Remaining", FormatAmount(b.remaining_down_minutes)},
                    {"In period", Count(b.period_minutes)},
                    {"With data", Count(b.minutes_with_data)}}) +
         "</div>";
  std::vector<std::pair<std::string, std::string>> latency = {
      {"p50", FormatLatency(s.latency.p50_us)},
      {"p90", FormatLatency(s.latency.p90_us)},
      {"p95", FormatLatency(s.latency.p95_us)},
      {"p99", FormatLatency(s.latency.p99_us)}};
  if (s.spec.kind == SloSpec::Kind::kLatency) {
    latency.push_back({"Threshold", FormatLatency(ThresholdUs(s.spec))});
    latency.push_back({"Under threshold", FormatPercent(s.under_threshold)});
  }
  out += "<div><h3>Latency</h3>" + KeyValues(latency) + "</div>";
  return out + "</div>";
}

std::string Charts(const SloReport& s) {
  svg::LineChart sli;
  sli.title = "Daily SLI of " + s.spec.name + " against its objective";
  sli.width = 540;
  sli.height = 250;
  svg::Series sli_series{"SLI", "#2b6cb0", {}, false};
  svg::LineChart lat;
  lat.title = "Daily latency percentiles of " + s.spec.name;
  lat.width = 540;
  lat.height = 250;
  svg::Series p50{"p50", "#3182ce", {}, false}, p90{"p90", "#805ad5", {}, false},
      p99{"p99", "#dd6b20", {}, false};
  auto as_double = [](const std::optional<int64_t>& v) -> std::optional<double> {
    if (!v) return std::nullopt;
    return static_cast<double>(*v);
  };
  for (const DailyRow& d : s.daily) {
    sli.categories.push_back(d.day);
    lat.categories.push_back(d.day);
    sli_series.values.push_back(d.sli);
    p50.values.push_back(as_double(d.latency.p50_us));
    p90.values.push_back(as_double(d.latency.p90_us));
    p99.values.push_back(as_double(d.latency.p99_us));
  }
  sli.series.push_back(std::move(sli_series));
  sli.reference = ObjectiveRatio(s.spec);
  sli.reference_label = "objective " + FormatPercent(ObjectiveRatio(s.spec));
  sli.y_max = 1.0;
  sli.format_y = [](double v) { return FormatPercent(v); };
  lat.series = {std::move(p50), std::move(p90), std::move(p99)};
  lat.y_min = 0;
  lat.format_y = [](double v) { return FormatLatency(std::llround(v)); };
  if (s.spec.kind == SloSpec::Kind::kLatency && ThresholdUs(s.spec)) {
    lat.reference = static_cast<double>(*ThresholdUs(s.spec));
    lat.reference_label = "threshold " + FormatLatency(ThresholdUs(s.spec));
  }
  std::string out = "<div class=\"charts\">";
  out += "<figure><figcaption>Daily SLI (UTC days)</figcaption>" + svg::RenderLineChart(sli) +
         "</figure>";
  out += "<figure><figcaption>Daily latency percentiles</figcaption>" + svg::RenderLineChart(lat) +
         "</figure>";
  return out + "</div>";
}

// One line per bad run that kept evidence: its start, then the values as
// `sonde once` prints them.
std::string EvidenceCell(const Incident& inc) {
  std::string out;
  for (const IncidentEvidence& e : inc.evidence) {
    if (e.values.empty()) continue;
    out += "<div><span class=\"muted\">" + XmlEscape(FormatTimestamp(e.started_us)) +
           "</span> <code>" + XmlEscape(EvidenceText(e.values)) + "</code></div>";
  }
  return out;
}

std::string Incidents(const SlaReport& r, const SloReport& s) {
  std::string out = "<h3>Incidents</h3>";
  if (s.incidents.empty()) return out + "<p class=\"empty\">No incidents in the period.</p>";
  out += "<div class=\"scroll\"><table class=\"incidents\">";
  out += Head(
      {"Target", "Start", "End", "Duration", "Runs", "Reason", "Step", "Ongoing", "Fault windows",
       "Evidence"},
      {3, 4});
  out += "<tbody>";
  const std::vector<const Incident*> listed = ListedIncidents(s);
  for (const Incident* listed_incident : listed) {
    const Incident& inc = *listed_incident;
    out += "<tr>" + Td(XmlEscape(inc.target), "wrap target") + Time(inc.start_us) +
           Time(inc.end_us) + Num(FormatSpan(inc.end_us - inc.start_us)) + Num(Count(inc.runs)) +
           Text(inc.reason) + Text(inc.step) + Td(inc.ongoing ? "<strong>ongoing</strong>" : "");
    std::string faults;
    for (size_t idx : inc.fault_windows) {
      if (idx >= r.fault_windows.size()) continue;
      if (!faults.empty()) faults += "<br>";
      faults += XmlEscape(FaultLabel(r.fault_windows[idx]));
    }
    out += Td(faults, "wrap") + Td(EvidenceCell(inc), "wrap evidence") + "</tr>";
  }
  out += "</tbody></table></div>";
  if (listed.size() < s.incidents.size()) {
    out += "<p class=\"note\">The " + Count(static_cast<int64_t>(listed.size())) +
           " longest of " + Count(static_cast<int64_t>(s.incidents.size())) +
           " incidents; the JSON form of this report lists every one.</p>";
  }
  return out;
}

std::string Daily(const SloReport& s) {
  std::string out = "<h3>Daily history</h3>";
  if (s.daily.empty()) return out + "<p class=\"empty\">No days in the period.</p>";
  out += "<div class=\"scroll\"><table>";
  out += Head({"Day", "Good", "Bad", "Total", "SLI", "p50", "p90", "p95", "p99"},
              {1, 2, 3, 4, 5, 6, 7, 8});
  out += "<tbody>";
  for (const DailyRow& d : s.daily) {
    out += "<tr>" + Td(XmlEscape(d.day), "time") + Num(Count(d.good)) + Num(Count(d.bad)) +
           Num(Count(d.total)) + Num(FormatPercent(d.sli)) + Num(FormatLatency(d.latency.p50_us)) +
           Num(FormatLatency(d.latency.p90_us)) + Num(FormatLatency(d.latency.p95_us)) +
           Num(FormatLatency(d.latency.p99_us)) + "</tr>";
  }
  return out + "</tbody></table></div>";
}

std::string SloSection(const SlaReport& r, size_t i) {
  const SloReport& s = r.slos[i];
  std::string out = "<section class=\"slo\" id=\"slo-" + std::to_string(i) + "\">";
  out += "<h2>" + XmlEscape(s.spec.name) + " " + Badge(s.status) + "</h2>";
  if (!s.spec.description.empty())
    out += "<p class=\"desc\">" + XmlEscape(s.spec.description) + "</p>";
  out += Spec(s.spec) + Cards(s) + Tables(s) + Charts(s) + Incidents(r, s) + Daily(s);
  return out + "</section>";
}

std::string Timeline(const SlaReport& r) {
  svg::TimelineChart c;
  c.title = "Incidents, fault windows and drills over the period";
  c.from_us = r.period.from_us;
  c.to_us = r.period.to_us;
  c.width = 1076;
  c.format_time = TimeTick;
  c.empty_label = "No incidents, fault windows or drills in the period";
  c.legend = {{"Incident", kIncidentColor}, {"Fault window", kFaultColor}, {"Drill", kDrillColor}};
  for (const SloReport& s : r.slos) {
    std::map<std::string, size_t> lane_of;  // target -> lane, lanes in order of first incident
    for (const Incident* listed_incident : ListedIncidents(s)) {
      const Incident& inc = *listed_incident;
      auto [it, added] = lane_of.emplace(inc.target, c.lanes.size());
      if (added) c.lanes.push_back({s.spec.name + " \u00b7 " + inc.target, {}});
      c.lanes[it->second].bars.push_back(
          {inc.start_us, inc.end_us, kIncidentColor,
           s.spec.name + ": " + inc.target + ", " + FormatTimestamp(inc.start_us) + " to " +
               FormatTimestamp(inc.end_us) + " (" + FormatSpan(inc.end_us - inc.start_us) + "), " +
               Count(inc.runs) + " runs, " + inc.reason + (inc.ongoing ? ", ongoing" : ""),
           inc.ongoing});
    }
  }
  std::map<std::string, size_t> fault_lane;
  for (const FaultWindow& f : r.fault_windows) {
    auto [it, added] = fault_lane.emplace(f.target, c.lanes.size());
    if (added) c.lanes.push_back({"fault \u00b7 " + f.target, {}});
    c.lanes[it->second].bars.push_back(
        {f.start_us, f.end_us.value_or(r.period.to_us), kFaultColor,
         FaultLabel(f) + ", " + FormatTimestamp(f.start_us) + " to " +
             (f.end_us ? FormatTimestamp(*f.end_us) : std::string("not reverted")),
         !f.end_us});
  }
  std::map<std::string, size_t> drill_lane;
  for (const DrillWindow& d : r.drills) {
    auto [it, added] = drill_lane.emplace(d.drill, c.lanes.size());
    if (added) c.lanes.push_back({"drill \u00b7 " + d.drill, {}});
    c.lanes[it->second].bars.push_back(
        {d.start_us, d.end_us.value_or(r.period.to_us), kDrillColor,
         d.drill + ", " + FormatTimestamp(d.start_us) + " to " +
             (d.end_us ? FormatTimestamp(*d.end_us) : std::string("not ended")) +
             (d.verdict.empty() ? "" : ", " + d.verdict),
         !d.end_us});
  }
  return "<section id=\"timeline\"><h2>Timeline</h2><figure><figcaption>Incidents of every SLO, "
         "fault windows and drills (UTC); an arrow marks one still going at its end</figcaption>" +
         svg::RenderTimeline(c) + "</figure></section>";
}

std::string Faults(const SlaReport& r) {
  std::string out = "<section id=\"faults\"><h2>Fault windows</h2>";
  if (r.fault_windows.empty()) {
    return out + "<p class=\"empty\">No fault windows in the period.</p></section>";
  }
  out += "<div class=\"scroll\"><table>";
  out += Head({"Fault", "Kind", "Target", "Drill", "Start", "End", "Duration"}, {6});
  out += "<tbody>";
  for (const FaultWindow& f : r.fault_windows) {
    out += "<tr>" + Text(f.fault) + Text(f.kind) + Text(f.target) + Text(f.drill) +
           Time(f.start_us) + (f.end_us ? Time(*f.end_us) : Td("<strong>not reverted</strong>")) +
           (f.end_us ? Num(FormatSpan(*f.end_us - f.start_us)) : Td("")) + "</tr>";
  }
  return out + "</tbody></table></div></section>";
}

std::string Drills(const SlaReport& r) {
  std::string out = "<section id=\"drills\"><h2>Drills</h2>";
  if (r.drills.empty()) return out + "<p class=\"empty\">No drills in the period.</p></section>";
  out += "<div class=\"scroll\"><table>";
  out += Head({"Drill", "Start", "End", "Duration", "Verdict", "Seed"}, {3, 5});
  out += "<tbody>";
  for (const DrillWindow& d : r.drills) {
    out += "<tr>" + Text(d.drill) + Time(d.start_us) +
           (d.end_us ? Time(*d.end_us) : Td("<strong>not ended</strong>")) +
           (d.end_us ? Num(FormatSpan(*d.end_us - d.start_us)) : Td("")) + Text(d.verdict) +
           // A seed is an identifier, not an amount: all its digits.
           Num(d.seed ? std::to_string(*d.seed) : "") + "</tr>";
  }
  return out + "</tbody></table></div></section>";
}

}  // namespace

std::string RenderHtml(const SlaReport& r) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>SLA report " + XmlEscape(FormatTimestamp(r.period.from_us)) + " to " +
         XmlEscape(FormatTimestamp(r.period.to_us)) + "</title>\n";
  out += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n<main>\n";
  out += PageHeader(r) + "\n" + Summary(r) + "\n";
  for (size_t i = 0; i < r.slos.size(); ++i) out += SloSection(r, i) + "\n";
  out += Timeline(r) + "\n" + Faults(r) + "\n" + Drills(r) + "\n";
  out += "<footer>Generated by sonde at " + XmlEscape(FormatTimestamp(r.generated_us)) +
         ". Times are UTC; a run counts in the period it finished in.</footer>\n";
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace sonde
