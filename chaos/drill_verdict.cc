#include "chaos/drill_verdict.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "reporter/report_format.h"
#include "reporter/sla_report.h"

namespace sonde::chaos {
namespace {

// When `journey` first succeeded in a run started at or after `since`.
std::optional<int64_t> FirstSuccess(const DrillRecord& r, const std::string& journey, int64_t since) {
  std::optional<int64_t> best;
  for (const DrillRun& run : r.runs) {
    if (run.journey != journey || run.started_us < since) continue;
    if (run.outcome != Outcome::kSuccess && run.outcome != Outcome::kDegraded) continue;
    if (!best || run.finished_us < *best) best = run.finished_us;
  }
  return best;
}

}  // namespace

void JudgeDrill(const DrillSpec& spec, DrillRecord& r) {
  // Per watched journey, during the faults.
  struct Tally {
    int64_t ok = 0, total = 0;
    std::vector<int64_t> durations;
  };
  std::map<std::string, Tally> during;
  for (const DrillRun& run : r.runs) {
    if (run.started_us < r.hold_start_us || run.started_us >= r.hold_end_us) continue;
    if (run.outcome == Outcome::kInfraError) continue;
    Tally& t = during[run.journey];
    ++t.total;
    if (run.outcome != Outcome::kFailed) ++t.ok;
    t.durations.push_back(run.finished_us - run.started_us);
  }
  // Recovery after the last revert (only when the faults were all reverted).
  std::map<std::string, std::optional<int64_t>> recovered;
  bool all_recovered = true;
  int64_t latest = r.hold_end_us;
  for (const std::string& j : spec.journeys) {
    recovered[j] = FirstSuccess(r, j, r.hold_end_us);
    if (!recovered[j]) all_recovered = false;
    else latest = std::max(latest, *recovered[j]);
  }
  if (all_recovered && r.hold_end_us > 0) r.recovered_us = latest;

  for (DrillFaultRecord& f : r.faults) {
    for (const DrillRun& run : r.runs) {
      if (run.outcome != Outcome::kFailed || run.finished_us < f.inject_us) continue;
      if (!f.detect_us || run.finished_us < *f.detect_us) f.detect_us = run.finished_us;
    }
    if (f.revert_us) {
      std::optional<int64_t> all;
      bool every = true;
      for (const std::string& j : spec.journeys) {
        auto s = FirstSuccess(r, j, *f.revert_us);
        if (!s) every = false;
        else all = std::max(all.value_or(0), *s);
      }
      if (every) f.recovered_us = all;
    }
  }

  for (const DrillExpectation& x : spec.expect) {
    const Tally& t = during[x.journey];
    if (x.min_success) {
      DrillCheck c{x.journey, "min_success", "≥ " + FormatPercent(*x.min_success), "", false};
      if (t.total == 0) {
        c.observed = "no runs started while the faults held";
      } else {
        const double ratio = static_cast<double>(t.ok) / static_cast<double>(t.total);
        c.observed = FormatPercent(ratio) + " (" + std::to_string(t.ok) + " of " + std::to_string(t.total) + " runs)";
        c.passed = ratio + 1e-12 >= *x.min_success;
      }
      r.checks.push_back(std::move(c));
    }
    if (x.max_p95) {
      DrillCheck c{x.journey, "max_p95", "≤ " + FormatDuration(*x.max_p95), "", false};
      if (t.durations.empty()) {
        c.observed = "no runs started while the faults held";
      } else {
        std::vector<int64_t> d = t.durations;
        std::sort(d.begin(), d.end());
        const int64_t p95 = *NearestRank(d, 95);
        c.observed = FormatLatency(p95) + " over " + std::to_string(d.size()) + " runs";
        c.passed = p95 <= ToMicros(*x.max_p95);
      }
      r.checks.push_back(std::move(c));
    }
    if (x.recover_within) {
      DrillCheck c{x.journey, "recover_within", "≤ " + FormatDuration(*x.recover_within), "", false};
      const auto& at = recovered[x.journey];
      if (r.hold_end_us == 0 || !at) {
        c.observed = "did not recover";
      } else {
        const int64_t took = *at - r.hold_end_us;
        char out[48];
        std::snprintf(out, sizeof out, "%.3f s after the last revert", static_cast<double>(took) / 1e6);
        c.observed = out;
        c.passed = took <= ToMicros(*x.recover_within);
      }
      r.checks.push_back(std::move(c));
    }
  }
  if (r.verdict != "aborted") {
    const bool pass = std::all_of(r.checks.begin(), r.checks.end(),
                                  [](const DrillCheck& c) { return c.passed; });
    r.verdict = pass ? "pass" : "fail";
  }
}

}  // namespace sonde::chaos
