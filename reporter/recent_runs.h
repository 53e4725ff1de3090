// The last runs of every journey and target, in memory, with their step
// details: what /api/v1/runs serves and where the status page's "last
// outcome" comes from. Failures are kept longer than successes (separate
// rings per journey and target), because they are what someone comes
// looking for.
//
// Thread-safety: none; the scheduler's executor records and the admin
// server (on the same executor) reads.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reporter/store_records.h"
#include "scenarios/run_observer.h"

namespace sonde {

class RecentRuns : public RunObserver {
 public:
  struct Limits {
    size_t successes = 20;  // per journey and target
    size_t failures = 200;  // per journey and target (failed, degraded, infra_error)
  };
  RecentRuns(std::string location, Limits limits);

  void OnRunFinished(const JourneyResult& result) override;
  void OnRunSkipped(const std::string&, const std::string&) override {}
  void OnSchedulerLag(Duration) override {}

  // Newest first (by finish); only `journey`'s when not empty; only those
  // that finished before `before_us` when set; at most `limit`. Copies, so
  // that they can be turned into JSON off the recording thread.
  std::vector<RunRecord> Latest(const std::string& journey, size_t limit,
                                std::optional<int64_t> before_us = std::nullopt) const;
  // The last run of each journey and target.
  std::vector<const RunRecord*> LastOfEach() const;

 private:
  struct Rings {
    std::deque<RunRecord> successes, failures;
    const RunRecord* last = nullptr;
  };
  std::string location_;
  Limits limits_;
  std::map<std::pair<std::string, std::string>, Rings> runs_;  // (journey, target)
};

// JSON for /api/v1/runs, one page: {"runs": [ {journey, target, outcome,
// reason, failing_step, detail, started, started_us, finished_us,
// duration_seconds, maintenance, blocks, evidence: {"tx_hash": "0x..", ...}
// (in declared order; {} when none), steps: [...]} ], "next_before_us": N}.
// `runs` are newest first. The page ends after `limit` runs or once the
// runs in it reach `max_bytes` of JSON, whichever comes first;
// "next_before_us" (the last run's finished_us, for ?before_us=) is there
// when runs were left off, null when the page holds the rest.
std::string RecentRunsJson(const std::vector<RunRecord>& runs, size_t limit,
                           size_t max_bytes = 4 * 1024 * 1024);

}  // namespace sonde
