// The CSV form of an SLA report (RFC 4180): one `slo` row per SLO with the
// period's totals, then one `day` row per SLO and day, then one `incident`
// row per SLO and incident (every one, as in the JSON form) in the
// incident_* columns, its evidence as the JSON form's compact JSON. Exact
// values, as in the JSON form: ratios as fractions, latencies in seconds.
#include <boost/json.hpp>
#include <vector>

#include "reporter/report_render.h"

namespace sonde {
namespace {

std::string Cell(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Number(std::optional<double> v) { return v ? ShortestNumber(*v) : ""; }

std::string Seconds(std::optional<int64_t> us) {
  return us ? ShortestNumber(static_cast<double>(*us) / 1e6) : "";
}

// The columns after the per-SLO and per-day ones, set on `incident` rows only.
constexpr size_t kIncidentColumns = 8;

// A row: `cells`, then `tail` (the incident_* columns; empty cells when absent).
void Row(std::string& out, std::initializer_list<std::string> cells,
         const std::vector<std::string>& tail = {}) {
  bool first = true;
  for (const std::string& c : cells) {
    if (!first) out += ',';
    first = false;
    out += c;
  }
  for (size_t i = 0; i < kIncidentColumns; ++i) {
    out += ',';
    if (i < tail.size()) out += tail[i];
  }
  out += "\r\n";
}

}  // namespace

std::string RenderCsv(const SlaReport& r) {
  std::string out;
  Row(out, {"record", "slo", "journey", "kind", "period_from", "period_to", "day", "good", "bad",
            "total", "sli", "objective", "met", "status", "budget_allowed_runs",
            "budget_consumed_runs", "budget_remaining_runs", "budget_remaining_ratio",
            "period_minutes", "down_minutes", "allowed_down_minutes", "p50_seconds",
            "p90_seconds", "p95_seconds", "p99_seconds", "incidents", "drills_excluded"},
      {"incident_target", "incident_start", "incident_end", "incident_runs", "incident_reason",
       "incident_step", "incident_ongoing", "incident_evidence"});
  const std::string from = FormatTimestamp(r.period.from_us);
  const std::string to = FormatTimestamp(r.period.to_us);
  for (const SloReport& s : r.slos) {
    const std::string kind(KindName(s.spec.kind));
    const std::string objective = ShortestNumber(ObjectiveRatio(s.spec));
    const ErrorBudget& b = s.budget;
    Row(out, {"slo", Cell(s.spec.name), Cell(s.spec.journey), kind, from, to, "",
              std::to_string(s.good), std::to_string(s.bad), std::to_string(s.total),
              Number(s.sli), objective, s.met ? "true" : "false", std::string(ToString(s.status)),
              ShortestNumber(b.allowed_runs), std::to_string(b.consumed_runs),
              ShortestNumber(b.remaining_runs), Number(b.remaining_ratio),
              std::to_string(b.period_minutes), std::to_string(b.down_minutes),
              ShortestNumber(b.allowed_down_minutes), Seconds(s.latency.p50_us),
              Seconds(s.latency.p90_us), Seconds(s.latency.p95_us), Seconds(s.latency.p99_us),
              std::to_string(s.incidents.size()), r.drills_excluded ? "true" : "false"});
  }
  for (const SloReport& s : r.slos) {
    const std::string kind(KindName(s.spec.kind));
    for (const DailyRow& d : s.daily) {
      Row(out, {"day", Cell(s.spec.name), Cell(s.spec.journey), kind, from, to, d.day,
                std::to_string(d.good), std::to_string(d.bad), std::to_string(d.total),
                Number(d.sli), ShortestNumber(ObjectiveRatio(s.spec)), "", "", "", "", "", "",
                "", "", "", Seconds(d.latency.p50_us), Seconds(d.latency.p90_us),
                Seconds(d.latency.p95_us), Seconds(d.latency.p99_us), "",
                r.drills_excluded ? "true" : "false"});
    }
  }
  for (const SloReport& s : r.slos) {
    const std::string kind(KindName(s.spec.kind));
    for (const Incident& i : s.incidents) {
      Row(out,
          {"incident", Cell(s.spec.name), Cell(s.spec.journey), kind, from, to, "", "", "", "", "",
           ShortestNumber(ObjectiveRatio(s.spec)), "", "", "", "", "", "", "", "", "", "", "", "",
           "", "", r.drills_excluded ? "true" : "false"},
          {Cell(i.target), FormatTimestamp(i.start_us), FormatTimestamp(i.end_us),
           std::to_string(i.runs), Cell(i.reason), Cell(i.step), i.ongoing ? "true" : "false",
           Cell(boost::json::serialize(IncidentEvidenceJson(i)))});
    }
  }
  return out;
}

}  // namespace sonde
