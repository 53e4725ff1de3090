#include "reporter/report_source.h"

#include <cstdio>
#include <ctime>
#include <map>
#include <vector>

#include "core/duration.h"

namespace sonde {

SlaReport ReportFromStore(ResultStore& store, const Config& config, const ReportPeriod& period,
                          bool exclude_drills, int64_t now_us) {
  StringPool pool;
  const std::vector<RunFact> runs =
      store.RunFactsFinishedBetween(period.from_us, period.to_us, nullptr, pool);
  SlaInputs in;
  in.config = &config;
  in.period = period;
  in.exclude_drills = exclude_drills;
  in.generated_us = now_us;
  in.runs = &runs;
  in.fault_windows = FaultWindowsOf(store.FaultEvents(period.to_us), period.from_us, period.to_us);
  in.drills = DrillWindowsOf(store.DrillEvents(period.to_us), period.from_us, period.to_us);
  SlaReport report = BuildSlaReport(in);
  // The evidence of the incidents' runs: a few rows by id, not a column
  // of every run in the period.
  std::vector<int64_t> ids;
  for (const SloReport& slo : report.slos) {
    for (const Incident& incident : slo.incidents) {
      for (const IncidentEvidence& e : incident.evidence) ids.push_back(e.run_id);
    }
  }
  const std::map<int64_t, Evidence> evidence = store.EvidenceOfRuns(ids);
  for (SloReport& slo : report.slos) {
    for (Incident& incident : slo.incidents) {
      // A run pruned since the facts were read has none left to show.
      std::erase_if(incident.evidence, [&](IncidentEvidence& e) {
        auto it = evidence.find(e.run_id);
        if (it == evidence.end()) return true;
        e.values = it->second;
        return false;
      });
    }
  }
  return report;
}

SloReport CountSloInStore(ResultStore& store, const SloSpec& slo, const ReportPeriod& period) {
  SloReport out;
  out.spec = slo;
  const bool latency = slo.kind == SloSpec::Kind::kLatency && slo.threshold.has_value();
  const RunCounts counts =
      store.CountRuns({slo.journey, slo.target, slo.location}, period.from_us, period.to_us,
                      latency ? ThresholdUs(slo) : std::nullopt);
  out.good = counts.good;
  out.bad = counts.bad;
  out.excluded_maintenance = counts.excluded_maintenance;
  out.excluded_infra = counts.excluded_infra;
  JudgeCounts(period, out);
  return out;
}

std::optional<int64_t> ParseReportTime(std::string_view text, int64_t now_us, bool end_of_day,
                                       std::string* error) {
  auto fail = [&](std::string why) -> std::optional<int64_t> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  if (text == "now") return now_us;
  if (!text.empty() && text[0] == '-') {
    std::string why;
    auto d = ParseDuration(text.substr(1), &why);
    if (!d) return fail("bad offset \"" + std::string(text) + "\": " + why);
    return now_us - std::chrono::duration_cast<std::chrono::microseconds>(*d).count();
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  const std::string t(text);
  const bool date_only = t.size() == 10;
  if (std::sscanf(t.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10) {
    return fail("\"" + t + "\" is not a date (use 2026-11-21, 2026-11-21T10:00:00Z, now or -24h)");
  }
  int64_t offset_s = 0;
  if (!date_only) {
    int consumed_time = 0;
    if (std::sscanf(t.c_str() + 10, "T%2d:%2d:%2d%n", &h, &mi, &s, &consumed_time) != 3) {
      return fail("\"" + t + "\": expected a time as THH:MM:SS after the date");
    }
    std::string_view zone = std::string_view(t).substr(10 + static_cast<size_t>(consumed_time));
    if (zone == "Z" || zone == "z") {
      offset_s = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
      int zh = 0, zm = 0;
      if (std::sscanf(std::string(zone).c_str() + 1, "%2d:%2d", &zh, &zm) != 2) {
        return fail("\"" + t + "\": bad UTC offset");
      }
      offset_s = (zone[0] == '+' ? 1 : -1) * (zh * 3600 + zm * 60);
    } else {
      return fail("\"" + t + "\": give the zone as Z or +hh:mm");
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return fail("\"" + t + "\" is out of range");
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  const int64_t secs = static_cast<int64_t>(timegm(&tm)) - offset_s;
  // timegm normalises 2026-02-31 into March: refuse it instead.
  std::tm check{};
  const std::time_t back = static_cast<std::time_t>(secs + offset_s);
  gmtime_r(&back, &check);
  if (check.tm_mday != d || check.tm_mon != mo - 1) return fail("\"" + t + "\" is not a real date");
  int64_t us = secs * 1'000'000;
  if (date_only && end_of_day) us += 86'400'000'000;
  return us;
}

}  // namespace sonde
