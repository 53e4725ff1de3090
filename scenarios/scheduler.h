// Runs every journey against every target of its group, forever, on one
// executor (one io_context; journeys are coroutines, no thread per run).
//
// Each (journey, target) pair has a slot: runs start at wall-clock instants
// k * interval + offset, where offset is a stable hash of the pair spread
// over the interval — restarts keep the same phase and pairs don't bunch up.
// A slot whose previous run is still going skips its turn (counted). The
// delay between a slot's instant and the run actually starting is reported
// as scheduler lag.
//
// Thread-safety: all methods must be called on the executor's thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/model.h"
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

  size_t in_flight() const;
  // True once every slot has finished at least one run.
  bool first_round_done() const;
  size_t slot_count() const;

 private:
  struct Slot;
  boost::asio::any_io_executor executor_;
  std::shared_ptr<const Config> config_;
  JourneyRunner& runner_;
  RunObserver& observer_;
  std::vector<std::shared_ptr<Slot>> slots_;
  size_t in_flight_ = 0;
  size_t slots_done_first_ = 0;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace sonde
