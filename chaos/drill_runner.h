// The drill's own clock: links checked at the proxy -> steady state ->
// inject (at offsets) -> hold -> revert -> recovery (every (journey, target)
// seen succeeding again after the last actual revert) -> settle window. A
// coroutine on the event loop that runs the journeys: its waits are timers,
// and what blocks (asking the proxy, an inject, a revert, the journal's
// fsync) runs on a worker pool while the loop goes on probing. It reads the
// watched journeys' runs from a DrillRunLog that the scheduler feeds.
// Faults go through the journal (injector.h); `stop` (a signal, the halt
// button) reverts everything at the next tick (100 ms). Used by `sonde
// drill` and by the daemon's POST /api/v1/drills/NAME/run.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

#include "chaos/drill_plan.h"
#include "config/model.h"
#include "chaos/drill_report.h"
#include "scenarios/run_observer.h"

namespace boost::asio {
class thread_pool;
}

namespace sonde {
class StoreWriter;
}

namespace sonde::chaos {

// The runs of the watched journeys (others are ignored), as they finish.
// Thread-safe.
class DrillRunLog : public RunObserver {
 public:
  explicit DrillRunLog(std::vector<std::string> journeys) : journeys_(std::move(journeys)) {}
  void OnRunFinished(const JourneyResult& r) override;
  void OnRunSkipped(const std::string&, const std::string&) override {}
  void OnSchedulerLag(Duration) override {}
  std::vector<DrillRun> Snapshot() const;

 private:
  std::vector<std::string> journeys_;
  mutable std::mutex mu_;
  std::vector<DrillRun> runs_;
};

// What a non-zero `stop` means: a signal number, or one of these.
inline constexpr int kStopHalt = -1;      // POST /api/v1/heal
inline constexpr int kStopShutdown = -2;  // the daemon is stopping

struct DrillHooks {
  StoreWriter* store = nullptr;  // drill and fault events, when set
  // A fault started (true) or stopped (false) holding: sonde_chaos_fault_active.
  std::function<void(const DrillFaultRecord&, bool active)> fault_active;
  // An inject was tried: sonde_chaos_injections_total{kind,outcome}.
  std::function<void(const std::string& kind, bool ok)> injected;
  // The live progress line ("[hold 5s/30s]  tx_submit_confirm 1/1 ..."),
  // at every tick, whether or not it is shown on stderr.
  std::function<void(const std::string& line)> progress;
};

class DrillRunner {
 public:
  // `stop` != 0 ends the drill at the next tick (faults reverted, verdict
  // aborted); `progress` shows live progress on stderr.
  DrillRunner(const Config& config, const DrillSpec& spec, DrillPlan plan, const DrillRunLog& runs,
              DrillHooks hooks, std::atomic<int>& stop, bool progress);

  // Runs the drill on the awaiting coroutine's executor, the blocking acts
  // on `blocking` (which must not be what that executor waits on); the
  // record is judged (verdict set). The runner outlives the call.
  boost::asio::awaitable<DrillRecord> Run(boost::asio::thread_pool& blocking);

 private:
  // Ticks until `until`, a stop, or `done`; false on a stop. The functions
  // are taken by value: they must outlive the coroutine's suspensions.
  boost::asio::awaitable<bool> SleepUntil(std::chrono::steady_clock::time_point until,
                                          std::function<void()> each,
                                          std::function<bool()> done);

  const Config& config_;
  const DrillSpec& spec_;
  DrillPlan plan_;
  const DrillRunLog& runs_;
  DrillHooks hooks_;
  std::atomic<int>& stop_;
  bool progress_;
};

}  // namespace sonde::chaos
