// Runs every journey against every target of its group, forever, on one
// executor (one io_context; journeys are coroutines, no thread per run).
//
// Each (journey, target) pair has a slot: runs start at wall-clock instants
// k * interval + offset, where offset is a stable hash of the pair spread
// over the interval — restarts keep the same phase and pairs don't bunch up.
// While a journey fails, a `failing_interval` (if set) takes over until a
// run succeeds, then the slot rejoins its grid. A slot whose previous run is
// still going skips its turn (counted). At most `max_concurrent_runs` runs
// are in flight; a due run waits for a place (this shows as lag) and is
// skipped if none frees up within its timeout. The delay between a slot's
// instant and the run actually starting is reported as scheduler lag.
//
// Reload swaps in a new config: slots whose journey fingerprint is unchanged
// keep their schedule and state; the others are retired (an in-flight run
// still finishes and reports) and new slots start.
//
// Thread-safety: all methods must be called on the executor's thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/model.h"
#include "scenarios/run_gate.h"
#include "scenarios/run_observer.h"
#include "scenarios/runner.h"

namespace sonde {

// The stable offset of a (journey, target) pair within its interval.
Duration StartOffset(const std::string& journey, const std::string& target, Duration interval);

// The first instant at or after `now` that is k * interval + offset since the
// Unix epoch.
std::chrono::system_clock::time_point FirstSlot(std::chrono::system_clock::time_point now,
                                                Duration interval, Duration offset);

class Scheduler {
 public:
  Scheduler(boost::asio::any_io_executor executor, std::shared_ptr<const Config> config,
            JourneyRunner& runner, RunObserver& observer);
  ~Scheduler();

  // Starts every slot. Call once.
  void Start();

  // Stops starting runs; runs in flight go on until they finish.
  void Stop();

  struct ReloadStats {
    size_t kept = 0, started = 0, retired = 0;
  };
  // Moves to `config` (already validated). Call after Start.
  ReloadStats Reload(std::shared_ptr<const Config> config);

  size_t in_flight() const;
  // True once every current slot has finished at least one run.
  bool first_round_done() const;
  size_t slot_count() const;

 private:
  struct Slot;
  void StartSlot(const std::shared_ptr<Slot>& slot);
  void OnFinished(const std::shared_ptr<Slot>& slot, const JourneyResult& result,
                  std::chrono::steady_clock::time_point started);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<const Config> config_;
  JourneyRunner& runner_;
  RunObserver& observer_;
  RunGate gate_;
  std::map<std::string, std::shared_ptr<Slot>> slots_;  // by journey '\0' target
  size_t in_flight_ = 0;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace sonde
