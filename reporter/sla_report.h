// The SLA compliance report: what each SLO's runs in a period add up to.
// BuildSlaReport computes it from plain rows (so the arithmetic is tested
// without a database); the renderers (JSON, Markdown, CSV, HTML) only format
// what is here and compute nothing of their own, so every format carries the
// same numbers.
//
// Definitions (they match the Prometheus rules that `sonde rules` writes):
// - A run belongs to the period it finished in (finished_us in [from, to)),
//   as a Prometheus counter counts it when it finishes.
// - Runs in maintenance, and infra_error runs, are excluded from every SLO;
//   with exclude_drills, so are runs that overlap a drill's window.
// - availability: bad = failed; good = success or degraded.
//   latency: bad = slower than the threshold, whatever the outcome (the
//   histogram's view); good = the rest.
// - SLI = good / total. Met when SLI >= objective. Status: NO_DATA without
//   runs, BREACHED when not met, WARNING when met but more than 75 % of the
//   error budget is spent, else OK.
// - Error budget in runs: allowed = total x (1 - objective); consumed = bad.
// - Downtime: the period cut into 1-minute slices (from `from`); a slice is
//   down when its own bad share exceeds 1 - objective. Allowed downtime =
//   slices x (1 - objective).
// - Incidents: per target, consecutive bad runs (by finish time) merged; an
//   incident ends with its last bad run; `ongoing` when no good run of that
//   target followed inside the period. Its reason and step are the most
//   frequent among its runs. Its evidence is that of its first and last bad
//   runs that kept some (two runs at most, however long it lasted).
// - Percentiles: nearest rank over the SLO's counted runs' durations.
// - Daily history: UTC days that overlap the period.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/model.h"
#include "reporter/run_evidence.h"
#include "reporter/run_facts.h"
#include "reporter/store_records.h"

namespace sonde {

// The SLO's facts as reports print them: the objective as a ratio (99.9 ->
// 0.999, tidied), the latency threshold in microseconds. (Its kind's name:
// KindName, config/model.h.)
double ObjectiveRatio(const SloSpec& spec);
std::optional<int64_t> ThresholdUs(const SloSpec& spec);

enum class SloStatus { kOk, kWarning, kBreached, kNoData };
std::string_view ToString(SloStatus s);  // "OK", "WARNING", "BREACHED", "NO_DATA"

struct ReportPeriod {
  int64_t from_us = 0;  // inclusive
  int64_t to_us = 0;    // exclusive
};

// The nearest-rank `percent`ile of ascending `sorted` values; nullopt when empty.
std::optional<int64_t> NearestRank(const std::vector<int64_t>& sorted, int percent);

struct Percentiles {
  std::optional<int64_t> p50_us, p90_us, p95_us, p99_us;  // nullopt without runs
};

// A bad run of an incident, with what an auditor looks it up by on chain.
struct IncidentEvidence {
  int64_t run_id = 0;  // the run's row in the store
  int64_t started_us = 0;
  // BuildSloReport leaves it empty (run facts do not carry it);
  // ReportFromStore fills it from the store.
  Evidence values;
};

struct Incident {
  std::string target;
  int64_t start_us = 0;  // the first bad run's start
  int64_t end_us = 0;    // the last bad run's finish
  int64_t runs = 0;      // bad runs merged into it
  std::string reason;    // e.g. "connect", or "slow" for a latency SLO's slow successes
  std::string step;      // the failing step, may be empty
  bool ongoing = false;
  std::vector<size_t> fault_windows;  // indexes into SlaReport::fault_windows that overlap it
  // The first and the last of its bad runs that kept evidence (one entry
  // when that is one run; none when no bad run kept any), by finish time.
  std::vector<IncidentEvidence> evidence;
};

struct DailyRow {
  std::string day;  // YYYY-MM-DD (UTC)
  int64_t good = 0, bad = 0, total = 0;
  std::optional<double> sli;  // nullopt without runs
  Percentiles latency;
};

struct ErrorBudget {
  double allowed_runs = 0;    // total x (1 - objective)
  int64_t consumed_runs = 0;  // = bad
  double remaining_runs = 0;  // allowed - consumed (negative when overspent)
  // remaining / allowed; nullopt when nothing is allowed (objective 100 %
  // or no runs).
  std::optional<double> remaining_ratio;
  int64_t period_minutes = 0;      // 1-minute slices in the period
  int64_t minutes_with_data = 0;   // slices with at least one counted run
  double allowed_down_minutes = 0; // period_minutes x (1 - objective)
  int64_t down_minutes = 0;
  double remaining_down_minutes = 0;
};

struct SloReport {
  SloSpec spec;
  int64_t good = 0, bad = 0, total = 0;
  int64_t excluded_infra = 0, excluded_maintenance = 0, excluded_drill = 0;
  std::optional<double> sli;  // good / total; nullopt without runs
  bool met = false;
  SloStatus status = SloStatus::kNoData;
  ErrorBudget budget;
  Percentiles latency;
  // Latency SLOs: the share of counted runs at or under the threshold.
  std::optional<double> under_threshold;
  std::vector<Incident> incidents;  // by start
  std::vector<DailyRow> daily;      // by day
};

struct SlaReport {
  int64_t generated_us = 0;
  ReportPeriod period;
  std::string config_source;
  std::string location;  // the [service] location, if any
  bool drills_excluded = false;
  std::vector<SloReport> slos;            // in config order
  std::vector<FaultWindow> fault_windows; // overlapping the period, by start
  std::vector<DrillWindow> drills;        // overlapping the period, by start
};

struct SlaInputs {
  const Config* config = nullptr;
  ReportPeriod period;
  bool exclude_drills = false;
  int64_t generated_us = 0;
  // Every run that finished in the period, of any journey (the SLO filters).
  const std::vector<RunFact>* runs = nullptr;
  std::vector<FaultWindow> fault_windows;
  std::vector<DrillWindow> drills;
};

SlaReport BuildSlaReport(const SlaInputs& in);

// What the HTML and Markdown forms list of an SLO's incidents: all of them
// up to `max`, else the `max` longest; in start order either way. (Random
// one-run failures over a month are thousands of incidents; the JSON form
// keeps every one.)
inline constexpr size_t kListedIncidents = 100;
std::vector<const Incident*> ListedIncidents(const SloReport& slo, size_t max = kListedIncidents);

// One SLO over `runs` (already restricted to the period).
SloReport BuildSloReport(const SloSpec& slo, const ReportPeriod& period,
                         const std::vector<RunFact>& runs, const std::vector<FaultWindow>& faults,
                         const std::vector<DrillWindow>* exclude_drills);

// The judgement of `out.good` and `out.bad` runs of `out.spec` over
// `period`: the total, SLI, the budget in runs, the period's minutes and
// those allowed down, met and the status. (Down minutes need each run's
// time: BuildSloReport counts them; here none are.)
void JudgeCounts(const ReportPeriod& period, SloReport& out);

}  // namespace sonde
