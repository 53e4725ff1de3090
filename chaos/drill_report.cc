#include "chaos/drill_report.h"

#include <map>

#include "reporter/report_format.h"
#include "reporter/svg_chart.h"

namespace sonde {
namespace {

using svg::XmlEscape;

std::string Seconds(int64_t us) {
  char out[32];
  std::snprintf(out, sizeof out, "%.3f", static_cast<double>(us) / 1e6);
  return out;
}

std::string Offset(const DrillRecord& r, std::optional<int64_t> at) {
  return at ? "+" + Seconds(*at - r.started_us) + " s" : "—";
}

std::string Since(std::optional<int64_t> from, std::optional<int64_t> to) {
  return from && to ? Seconds(*to - *from) + " s" : "—";
}

const char* ColorOf(Outcome o) {
  switch (o) {
    case Outcome::kSuccess: return "#2f855a";
    case Outcome::kDegraded: return "#b7791f";
    case Outcome::kFailed: return "#c53030";
    case Outcome::kInfraError: return "#718096";
  }
  return "#718096";
}

// The runs by "journey @ target": how many ended well, how many failed,
// and why ("connect at submit ×3, timeout at confirm ×1").
struct RunSummary {
  int ok = 0, failed = 0;
  std::map<std::string, int> why;
  std::string Why() const {
    std::string out;
    for (const auto& [what, n] : why) out += (out.empty() ? "" : ", ") + what + " ×" + std::to_string(n);
    return out;
  }
};

std::map<std::string, RunSummary> SummarizeRuns(const DrillRecord& r) {
  std::map<std::string, RunSummary> out;
  for (const DrillRun& run : r.runs) {
    RunSummary& s = out[run.journey + " @ " + run.target];
    if (run.outcome != Outcome::kFailed) {
      ++s.ok;
      continue;
    }
    ++s.failed;
    ++s.why[std::string(ToString(run.reason)) + (run.failing_step.empty() ? "" : " at " + run.failing_step)];
  }
  return out;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

std::string CheckSubject(const DrillCheck& c) {
  return c.target.empty() ? c.journey : c.journey + " @ " + c.target;
}

std::string_view VerdictName(DrillVerdict v) {
  switch (v) {
    case DrillVerdict::kPass: return "pass";
    case DrillVerdict::kFail: return "fail";
    case DrillVerdict::kAborted: return "aborted";
    case DrillVerdict::kPending: break;
  }
  return "";
}

std::optional<DrillVerdict> VerdictNamed(std::string_view name) {
  for (DrillVerdict v : {DrillVerdict::kPending, DrillVerdict::kPass, DrillVerdict::kFail,
                         DrillVerdict::kAborted}) {
    if (VerdictName(v) == name) return v;
  }
  return std::nullopt;
}

int VerdictExitCode(DrillVerdict v) {
  switch (v) {
    case DrillVerdict::kPass: return 0;
    case DrillVerdict::kFail: return 1;
    case DrillVerdict::kAborted:
    case DrillVerdict::kPending: break;
  }
  return 2;
}

std::string RenderDrillJUnit(const DrillRecord& r) {
  int failures = 0;
  for (const DrillCheck& c : r.checks) failures += c.passed ? 0 : 1;
  const bool aborted = r.verdict == DrillVerdict::kAborted;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"sonde drill\" tests=\"" + std::to_string(r.checks.size() + (aborted ? 1 : 0)) +
         "\" failures=\"" + std::to_string(failures) + "\" errors=\"" + (aborted ? "1" : "0") + "\">\n";
  out += "  <testsuite name=\"" + XmlEscape(r.drill) + "\" tests=\"" +
         std::to_string(r.checks.size() + (aborted ? 1 : 0)) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"" + (aborted ? "1" : "0") + "\" time=\"" +
         Seconds(r.ended_us - r.started_us) + "\" timestamp=\"" + FormatTimestamp(r.started_us) +
         "\">\n";
  out += "    <properties><property name=\"seed\" value=\"" + std::to_string(r.seed) +
         "\"/><property name=\"verdict\" value=\"" + std::string(VerdictName(r.verdict)) + "\"/></properties>\n";
  if (aborted) {
    out += "    <testcase classname=\"" + XmlEscape(r.drill) + "\" name=\"drill completes\">\n";
    out += "      <error message=\"" + XmlEscape(r.why) + "\"/>\n    </testcase>\n";
  }
  for (const DrillCheck& c : r.checks) {
    out += "    <testcase classname=\"" + XmlEscape(r.drill + "." + c.journey) + "\" name=\"" +
           XmlEscape((c.target.empty() ? "" : c.target + " ") + c.name + " " + c.expected) + "\">\n";
    if (!c.passed) {
      out += "      <failure message=\"" + XmlEscape(CheckSubject(c) + ": " + c.name + " expected " +
                                              c.expected + ", observed " + c.observed) +
             "\"/>\n";
    }
    out += "      <system-out>" + XmlEscape("observed " + c.observed) + "</system-out>\n";
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::string RenderDrillMarkdown(const DrillRecord& r) {
  std::string o = "# Drill " + MarkdownText(r.drill) + ": " + std::string(VerdictName(r.verdict)) + "\n\n";
  o += "- started: " + FormatTimestamp(r.started_us) + ", seed " + std::to_string(r.seed) + "\n";
  o += "- faults held: " + Offset(r, r.hold_start_us) + " to " + Offset(r, r.hold_end_us) + "\n";
  o += "- last revert: " + Offset(r, r.last_revert_us) + "; recovered: " + Offset(r, r.recovered_us) + "\n";
  if (r.settle_end_us) {
    o += "- settle window: " + Offset(r, r.settle_start_us) + " to " + Offset(r, r.settle_end_us) + "\n";
  }
  if (!r.why.empty()) o += "- " + MarkdownText(r.why) + "\n";
  o += "\n## Expectations\n\n| journey | check | expected | observed | result |\n|---|---|---|---|---|\n";
  for (const DrillCheck& c : r.checks) {
    o += "| " + MarkdownText(CheckSubject(c)) + " | " + MarkdownText(c.name) + " | " +
         MarkdownText(c.expected) + " | " + MarkdownText(c.observed) + " | " +
         (c.passed ? "pass" : "**FAIL**") + " |\n";
  }
  o += "\n## Faults\n\n| fault | kind | target | injected | reverted | time to detect | time to recover | affected | note |\n|---|---|---|---|---|---|---|---|---|\n";
  for (const DrillFaultRecord& f : r.faults) {
    o += "| " + MarkdownText(f.name) + " | " + MarkdownText(f.kind) + " | " + MarkdownText(f.target) +
         " | " + Offset(r, f.inject_us) + " | " + Offset(r, f.revert_us) + " | " +
         Since(f.inject_us, f.detect_us) + " | " + Since(f.revert_us, f.recovered_us) + " | " +
         (f.affected.empty() ? "—" : MarkdownText(Joined(f.affected))) + " | " + MarkdownText(f.error) +
         " |\n";
  }
  o += "\n## Runs\n\n| journey @ target | ok | failed | why |\n|---|---|---|---|\n";
  for (const auto& [who, t] : SummarizeRuns(r)) {
    o += "| " + MarkdownText(who) + " | " + std::to_string(t.ok) + " | " + std::to_string(t.failed) +
         " | " + MarkdownText(t.Why()) + " |\n";
  }
  return o;
}

std::string RenderDrillHtml(const DrillRecord& r) {
  svg::TimelineChart chart;
  chart.title = "Journey outcomes and fault windows";
  chart.from_us = r.started_us;
  chart.to_us = std::max(r.ended_us, r.started_us + 1);
  chart.legend = {{"success", ColorOf(Outcome::kSuccess)},
                  {"degraded", ColorOf(Outcome::kDegraded)},
                  {"failed", ColorOf(Outcome::kFailed)},
                  {"fault held", "#6b46c1"}};
  chart.format_time = [](int64_t at, int64_t) { return FormatTimestamp(at).substr(11, 8); };
  for (const DrillFaultRecord& f : r.faults) {
    chart.lanes.push_back({"fault " + f.name + " (" + f.kind + " " + f.target + ")",
                           {{f.inject_us, f.revert_us.value_or(r.ended_us), "#6b46c1",
                             f.description, !f.revert_us}}});
  }
  std::map<std::string, size_t> lane_of;
  for (const DrillRun& run : r.runs) {
    const std::string key = run.journey + " · " + run.target;
    auto [it, added] = lane_of.emplace(key, chart.lanes.size());
    if (added) chart.lanes.push_back({key, {}});
    chart.lanes[it->second].bars.push_back(
        {run.started_us, run.finished_us, ColorOf(run.outcome),
         std::string(ToString(run.outcome)) + (run.reason == Reason::kNone ? "" : " (" + std::string(ToString(run.reason)) + ")") +
             " at " + FormatTimestamp(run.started_us),
         false});
  }
  std::string o =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Drill " +
      XmlEscape(r.drill) +
      "</title><style>body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1a202c}"
      "table{border-collapse:collapse;margin:8px 0 20px}th,td{border-bottom:1px solid #e2e8f0;"
      "padding:4px 10px;text-align:left}th{font-size:12px;color:#4a5568}.pass{color:#2f855a}"
      ".fail,.aborted{color:#c53030}</style></head><body>";
  o += "<h1>Drill " + XmlEscape(r.drill) + ": <span class=\"" + XmlEscape(VerdictName(r.verdict)) + "\">" +
       XmlEscape(VerdictName(r.verdict)) + "</span></h1>";
  o += "<p>Started " + FormatTimestamp(r.started_us) + " · seed " + std::to_string(r.seed) +
       " · faults held " + Offset(r, r.hold_start_us) + " to " + Offset(r, r.hold_end_us) +
       " · recovered " + Offset(r, r.recovered_us) + "</p>";
  if (!r.why.empty()) o += "<p class=\"aborted\">" + XmlEscape(r.why) + "</p>";
  o += svg::RenderTimeline(chart);
  o += "<h2>Expectations</h2><table><tr><th>journey</th><th>check</th><th>expected</th><th>observed</th><th>result</th></tr>";
  for (const DrillCheck& c : r.checks) {
    o += "<tr><td>" + XmlEscape(CheckSubject(c)) + "</td><td>" + XmlEscape(c.name) + "</td><td>" +
         XmlEscape(c.expected) + "</td><td>" + XmlEscape(c.observed) + "</td><td class=\"" +
         (c.passed ? "pass\">pass" : "fail\">FAIL") + "</td></tr>";
  }
  o += "</table><h2>Faults</h2><table><tr><th>fault</th><th>kind</th><th>target</th><th>action</th><th>injected</th><th>reverted</th><th>time to detect</th><th>time to recover</th><th>affected</th><th>note</th></tr>";
  for (const DrillFaultRecord& f : r.faults) {
    o += "<tr><td>" + XmlEscape(f.name) + "</td><td>" + XmlEscape(f.kind) + "</td><td>" +
         XmlEscape(f.target) + "</td><td>" + XmlEscape(f.description) + "</td><td>" +
         Offset(r, f.inject_us) + "</td><td>" + Offset(r, f.revert_us) + "</td><td>" +
         Since(f.inject_us, f.detect_us) + "</td><td>" + Since(f.revert_us, f.recovered_us) +
         "</td><td>" + XmlEscape(f.affected.empty() ? "—" : Joined(f.affected)) + "</td><td>" +
         XmlEscape(f.error) + "</td></tr>";
  }
  o += "</table><h2>Runs</h2><table><tr><th>journey @ target</th><th>ok</th><th>failed</th><th>why</th></tr>";
  for (const auto& [who, t] : SummarizeRuns(r)) {
    o += "<tr><td>" + XmlEscape(who) + "</td><td>" + std::to_string(t.ok) + "</td><td>" +
         std::to_string(t.failed) + "</td><td>" + XmlEscape(t.Why()) + "</td></tr>";
  }
  o += "</table></body></html>\n";
  return o;
}

std::string RenderDrillReport(const DrillRecord& r, const std::string& path) {
  const bool html = path.size() > 5 && path.compare(path.size() - 5, 5, ".html") == 0;
  return html ? RenderDrillHtml(r) : RenderDrillMarkdown(r);
}

}  // namespace sonde
