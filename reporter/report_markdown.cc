// RenderMarkdown: the SLA report as GitHub-flavoured Markdown tables, the
// same content as the HTML form without its charts. Numbers and times come
// from report_format.h; strings from the model are escaped so that a `|`
// cannot split a table cell and a `<` cannot open an HTML tag.
#include <chrono>
#include <cstdio>
#include <initializer_list>

#include "reporter/report_render.h"
#include "reporter/run_evidence.h"

namespace sonde {

namespace {

std::string Count(int64_t v) { return FormatCount(v); }

std::string Md(std::string_view s) { return MarkdownText(s); }

bool IsWebUrl(std::string_view url) {
  auto starts = [&](std::string_view p) {
    if (url.size() < p.size()) return false;
    for (size_t i = 0; i < p.size(); ++i) {
      const char c =
          url[i] >= 'A' && url[i] <= 'Z' ? static_cast<char>(url[i] - 'A' + 'a') : url[i];
      if (c != p[i]) return false;
    }
    return true;
  };
  return starts("http://") || starts("https://");
}

// A link destination that Markdown cannot misread: the characters that
// would end it, or split a table cell, percent-encoded.
std::string LinkDestination(std::string_view url) {
  std::string out;
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '(' || c == ')' || c == '<' || c == '>' || c == '|' ||
        c == '\\' || c == '`') {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", u);
      out += hex;
    } else {
      out += c;
    }
  }
  return out;
}

// A table row of cells that are already Markdown.
std::string Row(std::initializer_list<std::string> cells) {
  std::string out = "|";
  for (const std::string& c : cells) out += " " + c + " |";
  return out + "\n";
}

// The header row and its delimiter; `align` holds 'l' or 'r' per column.
std::string TableHead(std::initializer_list<std::string_view> cols, std::string_view align) {
  std::string head = "|", sep = "|";
  size_t i = 0;
  for (std::string_view c : cols) {
    head += " " + Md(c) + " |";
    sep += i < align.size() && align[i] == 'r' ? " ---: |" : " --- |";
    ++i;
  }
  return head + "\n" + sep + "\n";
}

std::string FaultLabel(const FaultWindow& f) {
  std::string s = f.fault + " (" + f.kind + ")";
  if (!f.target.empty()) s += " on " + f.target;
  return s;
}

void Spec(const SloSpec& spec, std::string* out) {
  *out += TableHead({"Setting", "Value"}, "ll");
  *out += Row({"Journey", Md(spec.journey)});
  *out += Row({"Kind", Md(KindName(spec.kind))});
  *out += Row({"Objective", Md(FormatPercent(ObjectiveRatio(spec)))});
  if (spec.kind == SloSpec::Kind::kLatency) {
    *out += Row({"Threshold", Md(FormatLatency(ThresholdUs(spec)))});
  }
  *out += Row(
      {"Window",
       Md(FormatSpan(std::chrono::duration_cast<std::chrono::microseconds>(spec.window).count()))});
  if (!spec.target.empty()) *out += Row({"Target", Md(spec.target)});
  if (!spec.location.empty()) *out += Row({"Location", Md(spec.location)});
  if (!spec.runbook_url.empty()) {
    *out += Row({"Runbook", IsWebUrl(spec.runbook_url) ? "[" + Md(spec.runbook_url) + "](" +
                                                             LinkDestination(spec.runbook_url) + ")"
                                                       : Md(spec.runbook_url)});
  }
  *out += "\n";
}

void Slo(const SlaReport& r, const SloReport& s, std::string* out) {
  const ErrorBudget& b = s.budget;
  *out += "## SLO " + Md(s.spec.name) + ": " + Md(ToString(s.status)) + "\n\n";
  if (!s.spec.description.empty()) *out += Md(s.spec.description) + "\n\n";
  Spec(s.spec, out);

  *out += "### Runs\n\n";
  *out += TableHead({"Good", "Bad", "Total", "Excluded: infra error", "Excluded: maintenance",
                     "Excluded: drill", "SLI"},
                    "rrrrrrr");
  *out += Row({Count(s.good), Count(s.bad), Count(s.total), Count(s.excluded_infra),
               Count(s.excluded_maintenance), Count(s.excluded_drill), Md(FormatPercent(s.sli))});
  *out += "\n### Error budget\n\n";
  *out += TableHead({"Budget", "Allowed", "Consumed", "Remaining", "Remaining share"}, "lrrrr");
  *out += Row({"runs", Md(FormatAmount(b.allowed_runs)), Count(b.consumed_runs),
               Md(FormatAmount(b.remaining_runs)), Md(FormatPercent(b.remaining_ratio))});
  *out += "\n";
  *out +=
      TableHead({"Downtime", "Allowed", "Down", "Remaining", "In period", "With data"}, "lrrrrr");
  *out += Row({"minutes", Md(FormatAmount(b.allowed_down_minutes)), Count(b.down_minutes),
               Md(FormatAmount(b.remaining_down_minutes)), Count(b.period_minutes),
               Count(b.minutes_with_data)});

  *out += "\n### Latency\n\n";
  if (s.spec.kind == SloSpec::Kind::kLatency) {
    *out += TableHead({"p50", "p90", "p95", "p99", "Threshold", "Under threshold"}, "rrrrrr");
    *out += Row({Md(FormatLatency(s.latency.p50_us)), Md(FormatLatency(s.latency.p90_us)),
                 Md(FormatLatency(s.latency.p95_us)), Md(FormatLatency(s.latency.p99_us)),
                 Md(FormatLatency(ThresholdUs(s.spec))), Md(FormatPercent(s.under_threshold))});
  } else {
    *out += TableHead({"p50", "p90", "p95", "p99"}, "rrrr");
    *out += Row({Md(FormatLatency(s.latency.p50_us)), Md(FormatLatency(s.latency.p90_us)),
                 Md(FormatLatency(s.latency.p95_us)), Md(FormatLatency(s.latency.p99_us))});
  }

  *out += "\n### Incidents\n\n";
  if (s.incidents.empty()) {
    *out += "No incidents in the period.\n";
  } else {
    *out += TableHead({"Target", "Start", "End", "Duration", "Runs", "Reason", "Step", "Ongoing",
                       "Fault windows", "Evidence"},
                      "lllrrlllll");
    const auto listed = ListedIncidents(s);
    for (const Incident* listed_incident : listed) {
      const Incident& inc = *listed_incident;
      std::string faults;
      for (size_t idx : inc.fault_windows) {
        if (idx >= r.fault_windows.size()) continue;
        if (!faults.empty()) faults += "; ";
        faults += Md(FaultLabel(r.fault_windows[idx]));
      }
      // Per bad run that kept some: its start, then the values as `sonde
      // once` prints them.
      std::string evidence;
      for (const IncidentEvidence& e : inc.evidence) {
        if (e.values.empty()) continue;
        if (!evidence.empty()) evidence += "; ";
        evidence += Md(FormatTimestamp(e.started_us)) + ": " + Md(EvidenceText(e.values));
      }
      *out +=
          Row({Md(inc.target), Md(FormatTimestamp(inc.start_us)), Md(FormatTimestamp(inc.end_us)),
               Md(FormatSpan(inc.end_us - inc.start_us)), Count(inc.runs), Md(inc.reason),
               Md(inc.step), inc.ongoing ? "**ongoing**" : "", faults, evidence});
    }
    if (listed.size() < s.incidents.size()) {
      *out += "\nThe " + std::to_string(listed.size()) + " longest of " +
              std::to_string(s.incidents.size()) +
              " incidents; the JSON form of this report lists every one.\n";
    }
  }

  *out += "\n### Daily history\n\n";
  if (s.daily.empty()) {
    *out += "No days in the period.\n";
  } else {
    *out +=
        TableHead({"Day", "Good", "Bad", "Total", "SLI", "p50", "p90", "p95", "p99"}, "lrrrrrrrr");
    for (const DailyRow& d : s.daily) {
      *out += Row({Md(d.day), Count(d.good), Count(d.bad), Count(d.total), Md(FormatPercent(d.sli)),
                   Md(FormatLatency(d.latency.p50_us)), Md(FormatLatency(d.latency.p90_us)),
                   Md(FormatLatency(d.latency.p95_us)), Md(FormatLatency(d.latency.p99_us))});
    }
  }
  *out += "\n";
}

}  // namespace

std::string RenderMarkdown(const SlaReport& r) {
  std::string out = "# SLA report\n\n";
  out += "**Period:** " + Md(FormatTimestamp(r.period.from_us)) + " to " +
         Md(FormatTimestamp(r.period.to_us)) + " (" +
         Md(FormatSpan(r.period.to_us - r.period.from_us)) + ", end exclusive, UTC)\n\n";
  out += TableHead({"Generated", "Config", "Location", "Drill runs"}, "llll");
  out += Row({Md(FormatTimestamp(r.generated_us)), Md(r.config_source),
              r.location.empty() ? "not set" : Md(r.location),
              r.drills_excluded ? "**excluded**" : "counted"});
  out += "\n";
  if (r.drills_excluded) {
    out +=
        "> **Drill runs excluded.** The numbers in this report exclude runs that overlap a "
        "drill window (see Drills below).\n\n";
  }

  out += "## Summary\n\n";
  if (r.slos.empty()) {
    out += "No SLOs are configured.\n\n";
  } else {
    out += TableHead({"SLO", "Journey", "Kind", "Objective", "SLI", "Status", "Budget remaining"},
                     "lllrrlr");
    for (const SloReport& s : r.slos) {
      out +=
          Row({Md(s.spec.name), Md(s.spec.journey), Md(KindName(s.spec.kind)),
               Md(FormatPercent(ObjectiveRatio(s.spec))), Md(FormatPercent(s.sli)),
               "**" + Md(ToString(s.status)) + "**", Md(FormatPercent(s.budget.remaining_ratio))});
    }
    out += "\n";
  }
  for (const SloReport& s : r.slos) Slo(r, s, &out);

  out += "## Fault windows\n\n";
  if (r.fault_windows.empty()) {
    out += "No fault windows in the period.\n\n";
  } else {
    out += TableHead({"Fault", "Kind", "Target", "Drill", "Start", "End", "Duration"}, "llllllr");
    for (const FaultWindow& f : r.fault_windows) {
      out +=
          Row({Md(f.fault), Md(f.kind), Md(f.target), Md(f.drill), Md(FormatTimestamp(f.start_us)),
               f.end_us ? Md(FormatTimestamp(*f.end_us)) : "**not reverted**",
               f.end_us ? Md(FormatSpan(*f.end_us - f.start_us)) : ""});
    }
    out += "\n";
  }

  out += "## Drills\n\n";
  if (r.drills.empty()) {
    out += "No drills in the period.\n";
  } else {
    out += TableHead({"Drill", "Start", "End", "Duration", "Verdict", "Seed"}, "lllrlr");
    for (const DrillWindow& d : r.drills) {
      out += Row({Md(d.drill), Md(FormatTimestamp(d.start_us)),
                  d.end_us ? Md(FormatTimestamp(*d.end_us)) : "**not ended**",
                  d.end_us ? Md(FormatSpan(*d.end_us - d.start_us)) : "", Md(d.verdict),
                  // A seed is an identifier, not an amount: all its digits.
                  d.seed ? std::to_string(*d.seed) : ""});
    }
  }
  return out;
}

}  // namespace sonde
