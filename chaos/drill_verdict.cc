#include "chaos/drill_verdict.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "reporter/report_format.h"
#include "reporter/sla_report.h"

namespace sonde::chaos {
namespace {

using Pair = std::pair<std::string, std::string>;  // (journey, target)

bool Succeeded(const DrillRun& run) {
  return run.outcome == Outcome::kSuccess || run.outcome == Outcome::kDegraded;
}

// When `journey` first succeeded, on `target` (any target when empty), in a
// run started at or after `since`.
std::optional<int64_t> FirstSuccess(const DrillRecord& r, const std::string& journey,
                                     const std::string& target, int64_t since) {
  std::optional<int64_t> best;
  for (const DrillRun& run : r.runs) {
    if (run.journey != journey || run.started_us < since || !Succeeded(run)) continue;
    if (!target.empty() && run.target != target) continue;
    if (!best || run.finished_us < *best) best = run.finished_us;
  }
  return best;
}

// The latest of `pairs`' first successes after `since`; nullopt unless
// every one has succeeded.
std::optional<int64_t> AllSucceededAfter(const DrillRecord& r, const std::set<Pair>& pairs,
                                         int64_t since) {
  std::optional<int64_t> latest;
  for (const auto& [journey, target] : pairs) {
    const auto at = FirstSuccess(r, journey, target, since);
    if (!at) return std::nullopt;
    latest = std::max(latest.value_or(0), *at);
  }
  return latest;
}

struct Tally {
  int64_t ok = 0, total = 0;
  std::vector<int64_t> durations;
};

// Runs of watched journeys started in [from, to), infra errors aside, by
// (journey, target) and by (journey, "") for the pooled form.
std::map<Pair, Tally> TallyWindow(const DrillRecord& r, int64_t from, int64_t to) {
  std::map<Pair, Tally> out;
  for (const DrillRun& run : r.runs) {
    if (run.started_us < from || run.started_us >= to || run.outcome == Outcome::kInfraError) continue;
    for (Tally* t : {&out[{run.journey, run.target}], &out[{run.journey, ""}]}) {
      ++t->total;
      if (run.outcome != Outcome::kFailed) ++t->ok;
      t->durations.push_back(run.finished_us - run.started_us);
    }
  }
  return out;
}

std::string SecondsAfter(int64_t us, const char* what) {
  char out[64];
  std::snprintf(out, sizeof out, "%.3f s after %s", static_cast<double>(us) / 1e6, what);
  return out;
}

}  // namespace

std::optional<int64_t> RecoveredAt(const std::vector<DrillRun>& runs, int64_t since) {
  std::set<Pair> answered;
  std::map<Pair, int64_t> first_success;
  for (const DrillRun& run : runs) {
    if (run.outcome == Outcome::kInfraError) continue;
    const Pair pair{run.journey, run.target};
    answered.insert(pair);
    if (run.started_us < since || !Succeeded(run)) continue;
    auto [it, added] = first_success.emplace(pair, run.finished_us);
    if (!added) it->second = std::min(it->second, run.finished_us);
  }
  if (answered.empty() || first_success.size() != answered.size()) return std::nullopt;
  int64_t latest = 0;
  for (const auto& [pair, at] : first_success) latest = std::max(latest, at);
  return latest;
}

void JudgeDrill(const DrillSpec& spec, DrillRecord& r) {
  // The (journey, target) pairs the drill saw, each watched journey's targets
  // in order.
  std::map<std::string, std::vector<std::string>> targets_of;
  std::set<Pair> seen;
  for (const DrillRun& run : r.runs) {
    if (seen.insert({run.journey, run.target}).second) targets_of[run.journey].push_back(run.target);
  }
  for (auto& [journey, targets] : targets_of) std::sort(targets.begin(), targets.end());

  // Recovery is measured from the last actual revert, not from the end of
  // the hold (which comes a tick later); a fault whose revert failed never
  // lets the drill count as recovered.
  if (!r.faults.empty() &&
      std::all_of(r.faults.begin(), r.faults.end(), [](const DrillFaultRecord& f) { return f.revert_us.has_value(); })) {
    for (const DrillFaultRecord& f : r.faults) r.last_revert_us = std::max(r.last_revert_us.value_or(0), *f.revert_us);
  }
  if (r.last_revert_us) r.recovered_us = RecoveredAt(r.runs, *r.last_revert_us);

  // Each fault: what it affected, when that was first seen, and when all of
  // that (and only that) succeeded again after its own revert.
  for (DrillFaultRecord& f : r.faults) {
    const int64_t until = f.revert_us.value_or(r.ended_us ? r.ended_us : INT64_MAX);
    std::set<Pair> affected;
    for (const DrillRun& run : r.runs) {
      if (run.outcome != Outcome::kFailed || run.finished_us < f.inject_us || run.started_us >= until) continue;
      affected.insert({run.journey, run.target});
      if (!f.detect_us || run.finished_us < *f.detect_us) f.detect_us = run.finished_us;
    }
    f.affected.clear();
    for (const auto& [journey, target] : affected) f.affected.push_back(journey + " @ " + target);
    if (f.revert_us && !affected.empty()) f.recovered_us = AllSucceededAfter(r, affected, *f.revert_us);
  }

  // While the faults held: up to the last actual revert (the hold loop
  // notices a tick later), or the end of the hold when a revert failed.
  const std::map<Pair, Tally> during =
      TallyWindow(r, r.hold_start_us, r.last_revert_us.value_or(r.hold_end_us));
  const std::map<Pair, Tally> settled = r.settle_end_us
                                            ? TallyWindow(r, r.settle_start_us, r.settle_end_us)
                                            : std::map<Pair, Tally>{};
  for (const DrillExpectation& x : spec.expect) {
    const bool settle = x.during == DrillExpectation::Window::kSettle;
    const std::string prefix = settle ? "settle." : "";
    const std::string none = settle ? (r.settle_end_us ? "no runs started in the settle window"
                                                       : "the drill ended before its settle window")
                                    : "no runs started while the faults held";
    // The targets judged: each seen on its own, or all pooled under "".
    std::vector<std::string> subjects = x.pooled ? std::vector<std::string>{""} : targets_of[x.journey];
    if (subjects.empty()) subjects.push_back("");
    for (const std::string& target : subjects) {
      const std::map<Pair, Tally>& window = settle ? settled : during;
      const auto found = window.find({x.journey, target});
      const Tally empty;
      const Tally& t = found == window.end() ? empty : found->second;
      auto ratio_check = [&](const char* name, const char* sign, double bound, bool at_least) {
        DrillCheck c{x.journey, target, prefix + name, std::string(sign) + " " + FormatPercent(bound), "", false};
        if (t.total == 0) {
          c.observed = none;
        } else {
          const double ratio = static_cast<double>(t.ok) / static_cast<double>(t.total);
          c.observed = FormatPercent(ratio) + " (" + std::to_string(t.ok) + " of " + std::to_string(t.total) + " runs)";
          c.passed = at_least ? ratio + 1e-12 >= bound : ratio <= bound + 1e-12;
        }
        r.checks.push_back(std::move(c));
      };
      if (x.min_success) ratio_check("min_success", "≥", *x.min_success, true);
      if (x.max_success) ratio_check("max_success", "≤", *x.max_success, false);
      if (x.max_p95) {
        DrillCheck c{x.journey, target, prefix + "max_p95", "≤ " + FormatDuration(*x.max_p95), "", false};
        if (t.durations.empty()) {
          c.observed = none;
        } else {
          std::vector<int64_t> d = t.durations;
          std::sort(d.begin(), d.end());
          const int64_t p95 = *NearestRank(d, 95);
          c.observed = FormatLatency(p95) + " over " + std::to_string(d.size()) + " runs";
          c.passed = p95 <= ToMicros(*x.max_p95);
        }
        r.checks.push_back(std::move(c));
      }
      if (x.recover_within && !settle) {
        DrillCheck c{x.journey, target, "recover_within", "≤ " + FormatDuration(*x.recover_within), "", false};
        const std::optional<int64_t> at =
            r.last_revert_us ? FirstSuccess(r, x.journey, target, *r.last_revert_us) : std::nullopt;
        if (!r.last_revert_us) {
          c.observed = r.faults.empty() ? "nothing was injected" : "a fault was never reverted";
        } else if (!at) {
          c.observed = "did not recover";
        } else {
          const int64_t took = *at - *r.last_revert_us;
          c.observed = SecondsAfter(took, "the last revert");
          c.passed = took <= ToMicros(*x.recover_within);
        }
        r.checks.push_back(std::move(c));
      }
    }
  }
  if (r.verdict != DrillVerdict::kAborted) {
    const bool pass = std::all_of(r.checks.begin(), r.checks.end(),
                                  [](const DrillCheck& c) { return c.passed; });
    r.verdict = pass ? DrillVerdict::kPass : DrillVerdict::kFail;
  }
}

}  // namespace sonde::chaos
