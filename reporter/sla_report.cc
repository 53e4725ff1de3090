#include "reporter/sla_report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "reporter/report_format.h"

namespace sonde {
namespace {

constexpr int64_t kMinuteUs = 60'000'000;
constexpr int64_t kDayUs = 86'400'000'000;
// Status WARNING once this share of the error budget is spent.
constexpr double kWarnBudgetSpent = 0.75;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// One counted run, reduced to what the arithmetic needs.
struct Counted {
  const RunFact* run;
  bool bad;
};

Percentiles PercentilesOf(std::vector<int64_t> durations) {
  std::sort(durations.begin(), durations.end());
  return {NearestRank(durations, 50), NearestRank(durations, 90), NearestRank(durations, 95),
          NearestRank(durations, 99)};
}

// "bad share above 1 - objective", without the rounding of 100 - 99.9.
bool OverBudget(int64_t bad, int64_t total, double objective_percent) {
  if (total == 0 || bad == 0) return false;
  const double allowed = static_cast<double>(total) * (100.0 - objective_percent) / 100.0;
  return static_cast<double>(bad) > allowed * (1 + 1e-12) + 1e-12;
}

bool Overlaps(int64_t a_start, int64_t a_end, int64_t b_start, std::optional<int64_t> b_end) {
  return a_start <= b_end.value_or(INT64_MAX) && b_start <= a_end;
}

bool InDrill(const RunFact& r, const std::vector<DrillWindow>& drills) {
  for (const DrillWindow& d : drills) {
    if (Overlaps(r.started_us, r.finished_us, d.start_us, d.end_us)) return true;
  }
  return false;
}

// The most frequent value, the earliest on ties.
std::string MostFrequent(const std::vector<std::string>& values) {
  std::map<std::string, int> counts;
  std::string best;
  int best_count = 0;
  for (const std::string& v : values) {
    const int c = ++counts[v];
    if (c > best_count) {
      best = v;
      best_count = c;
    }
  }
  return best;
}

IncidentEvidence EvidenceOf(const RunFact& r) {
  return {.run_id = r.id, .started_us = r.started_us, .values = {}};
}

std::vector<Incident> IncidentsOf(const std::vector<Counted>& counted,
                                  const std::vector<FaultWindow>& faults) {
  std::map<std::string, std::vector<const Counted*>> by_target;
  for (const Counted& c : counted) by_target[*c.run->target].push_back(&c);
  std::vector<Incident> out;
  for (auto& [target, runs] : by_target) {
    std::stable_sort(runs.begin(), runs.end(), [](const Counted* a, const Counted* b) {
      return a->run->finished_us < b->run->finished_us;
    });
    std::optional<Incident> open;
    std::vector<std::string> reasons, steps;
    const RunFact* first_evidence = nullptr;
    const RunFact* last_evidence = nullptr;
    auto close = [&](bool ongoing) {
      open->ongoing = ongoing;
      open->reason = MostFrequent(reasons);
      open->step = MostFrequent(steps);
      if (first_evidence) open->evidence.push_back(EvidenceOf(*first_evidence));
      if (last_evidence != first_evidence) open->evidence.push_back(EvidenceOf(*last_evidence));
      first_evidence = last_evidence = nullptr;
      for (size_t i = 0; i < faults.size(); ++i) {
        if (Overlaps(open->start_us, open->end_us, faults[i].start_us, faults[i].end_us))
          open->fault_windows.push_back(i);
      }
      out.push_back(std::move(*open));
      open.reset();
      reasons.clear();
      steps.clear();
    };
    for (const Counted* c : runs) {
      if (!c->bad) {
        if (open) close(false);
        continue;
      }
      if (!open) {
        open.emplace();
        open->target = target;
        open->start_us = c->run->started_us;
      }
      open->start_us = std::min(open->start_us, c->run->started_us);
      open->end_us = std::max(open->end_us, c->run->finished_us);
      ++open->runs;
      // A latency SLO's slow run that otherwise succeeded is bad for being slow.
      reasons.emplace_back(c->run->reason == Reason::kNone ? "slow" : ToString(c->run->reason));
      steps.push_back(*c->run->failing_step);
      if (c->run->has_evidence) {
        if (!first_evidence) first_evidence = c->run;
        last_evidence = c->run;
      }
    }
    if (open) close(true);
  }
  std::sort(out.begin(), out.end(), [](const Incident& a, const Incident& b) {
    return a.start_us != b.start_us ? a.start_us < b.start_us : a.target < b.target;
  });
  return out;
}

}  // namespace

double ObjectiveRatio(const SloSpec& spec) { return TidyDecimal(spec.objective / 100.0); }

std::optional<int64_t> ThresholdUs(const SloSpec& spec) {
  if (!spec.threshold) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::microseconds>(*spec.threshold).count();
}

std::optional<int64_t> NearestRank(const std::vector<int64_t>& sorted, int percent) {
  if (sorted.empty()) return std::nullopt;
  // ceil(n * p / 100), in integers.
  const size_t rank = (sorted.size() * static_cast<size_t>(percent) + 99) / 100;
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

std::string_view ToString(SloStatus s) {
  switch (s) {
    case SloStatus::kOk: return "OK";
    case SloStatus::kWarning: return "WARNING";
    case SloStatus::kBreached: return "BREACHED";
    case SloStatus::kNoData: return "NO_DATA";
  }
  return "?";
}

void JudgeCounts(const ReportPeriod& period, SloReport& out) {
  const SloSpec& slo = out.spec;
  out.total = out.good + out.bad;
  if (out.total > 0) out.sli = static_cast<double>(out.good) / static_cast<double>(out.total);
  if (slo.kind == SloSpec::Kind::kLatency && slo.threshold && out.total > 0) {
    out.under_threshold = out.sli;
  }

  // Error budget, in runs and in minutes.
  const double budget_share = (100.0 - slo.objective) / 100.0;
  ErrorBudget& b = out.budget;
  // Budgets derive from a decimal percentage: tidied, so 1000 runs at 99.9 %
  // allow 1 run, not 0.999999999999943.
  b.allowed_runs = TidyDecimal(static_cast<double>(out.total) * budget_share);
  b.consumed_runs = out.bad;
  b.remaining_runs = TidyDecimal(b.allowed_runs - static_cast<double>(b.consumed_runs));
  if (b.allowed_runs > 0) b.remaining_ratio = TidyDecimal(b.remaining_runs / b.allowed_runs);
  b.period_minutes = std::max<int64_t>(0, (period.to_us - period.from_us + kMinuteUs - 1) / kMinuteUs);
  b.allowed_down_minutes = TidyDecimal(static_cast<double>(b.period_minutes) * budget_share);
  // Down minutes need the runs' times: BuildSloReport counts them.
  b.remaining_down_minutes = b.allowed_down_minutes;

  // Met, and the status.
  out.met = out.total > 0 && !OverBudget(out.bad, out.total, slo.objective);
  if (out.total == 0) {
    out.status = SloStatus::kNoData;
  } else if (!out.met) {
    out.status = SloStatus::kBreached;
  } else if (out.bad > 0 &&
             (b.allowed_runs <= 0 ||
              static_cast<double>(out.bad) > b.allowed_runs * kWarnBudgetSpent)) {
    out.status = SloStatus::kWarning;
  } else {
    out.status = SloStatus::kOk;
  }
}

SloReport BuildSloReport(const SloSpec& slo, const ReportPeriod& period,
                         const std::vector<RunFact>& runs, const std::vector<FaultWindow>& faults,
                         const std::vector<DrillWindow>* exclude_drills) {
  SloReport out;
  out.spec = slo;
  const bool latency = slo.kind == SloSpec::Kind::kLatency && slo.threshold.has_value();
  const int64_t threshold_us = ThresholdUs(slo).value_or(0);

  std::vector<Counted> counted;
  for (const RunFact& r : runs) {
    if (*r.journey != slo.journey) continue;
    if (!slo.target.empty() && *r.target != slo.target) continue;
    if (!slo.location.empty() && *r.location != slo.location) continue;
    if (r.finished_us < period.from_us || r.finished_us >= period.to_us) continue;
    if (r.maintenance) {
      ++out.excluded_maintenance;
    } else if (r.outcome == Outcome::kInfraError) {
      ++out.excluded_infra;
    } else if (exclude_drills && InDrill(r, *exclude_drills)) {
      ++out.excluded_drill;
    } else {
      const bool bad = latency ? r.duration_us > threshold_us : r.outcome == Outcome::kFailed;
      counted.push_back({&r, bad});
    }
  }

  std::vector<int64_t> durations;
  durations.reserve(counted.size());
  std::map<int64_t, std::pair<int64_t, int64_t>> minutes;  // slice -> (total, bad)
  struct Day {
    int64_t good = 0, bad = 0;
    std::vector<int64_t> durations;
  };
  std::map<int64_t, Day> days;
  for (const Counted& c : counted) {
    (c.bad ? out.bad : out.good) += 1;
    durations.push_back(c.run->duration_us);
    auto& m = minutes[FloorDiv(c.run->finished_us - period.from_us, kMinuteUs)];
    m.first += 1;
    m.second += c.bad ? 1 : 0;
    Day& d = days[FloorDiv(c.run->finished_us, kDayUs)];
    (c.bad ? d.bad : d.good) += 1;
    d.durations.push_back(c.run->duration_us);
  }
  out.latency = PercentilesOf(durations);
  JudgeCounts(period, out);
  ErrorBudget& b = out.budget;
  b.minutes_with_data = static_cast<int64_t>(minutes.size());
  for (const auto& [slice, m] : minutes) {
    if (OverBudget(m.second, m.first, slo.objective)) ++b.down_minutes;
  }
  b.remaining_down_minutes =
      TidyDecimal(b.allowed_down_minutes - static_cast<double>(b.down_minutes));

  out.incidents = IncidentsOf(counted, faults);

  // Daily history: every UTC day the period touches, with or without runs.
  if (period.to_us > period.from_us) {
    for (int64_t day = FloorDiv(period.from_us, kDayUs); day <= FloorDiv(period.to_us - 1, kDayUs);
         ++day) {
      DailyRow row;
      row.day = FormatDay(day * kDayUs);
      if (auto it = days.find(day); it != days.end()) {
        row.good = it->second.good;
        row.bad = it->second.bad;
        row.total = row.good + row.bad;
        row.sli = static_cast<double>(row.good) / static_cast<double>(row.total);
        row.latency = PercentilesOf(std::move(it->second.durations));
      }
      out.daily.push_back(std::move(row));
    }
  }
  return out;
}

std::vector<const Incident*> ListedIncidents(const SloReport& slo, size_t max) {
  std::vector<const Incident*> out;
  for (const Incident& i : slo.incidents) out.push_back(&i);
  if (out.size() > max) {
    std::stable_sort(out.begin(), out.end(), [](const Incident* a, const Incident* b) {
      return a->end_us - a->start_us > b->end_us - b->start_us;
    });
    out.resize(max);
    std::sort(out.begin(), out.end(), [](const Incident* a, const Incident* b) {
      return a->start_us != b->start_us ? a->start_us < b->start_us : a->target < b->target;
    });
  }
  return out;
}

SlaReport BuildSlaReport(const SlaInputs& in) {
  SlaReport report;
  report.generated_us = in.generated_us;
  report.period = in.period;
  report.config_source = in.config->source;
  report.location = in.config->service.location;
  report.drills_excluded = in.exclude_drills;
  report.fault_windows = in.fault_windows;
  report.drills = in.drills;
  auto by_start = [](const auto& a, const auto& b) { return a.start_us < b.start_us; };
  std::stable_sort(report.fault_windows.begin(), report.fault_windows.end(), by_start);
  std::stable_sort(report.drills.begin(), report.drills.end(), by_start);
  static const std::vector<RunFact> kNone;
  const std::vector<RunFact>& runs = in.runs ? *in.runs : kNone;
  for (const SloSpec& slo : in.config->slos) {
    report.slos.push_back(BuildSloReport(slo, in.period, runs, report.fault_windows,
                                         in.exclude_drills ? &report.drills : nullptr));
  }
  return report;
}

}  // namespace sonde
