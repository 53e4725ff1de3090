// What the scheduler tells the outside world. The reporter implements it;
// scenarios/ never depends on the reporter (data flows one way).
// Every call happens on the scheduler's executor; implementations must be
// quick and must not block (they run on the event loop).
#pragma once

#include <string>

#include "core/duration.h"
#include "scenarios/journey_result.h"

namespace sonde {

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void OnRunFinished(const JourneyResult& result) = 0;
  // A run was due while the previous run of the same journey and target was
  // still going, so it was not started.
  virtual void OnRunSkipped(const std::string& journey, const std::string& target) = 0;
  // How late a run started compared with its slot.
  virtual void OnSchedulerLag(Duration lag) = 0;
  // A run was due inside a maintenance window in pause mode, so it was not
  // started.
  virtual void OnRunPaused(const std::string& /*journey*/, const std::string& /*target*/) {}
};

}  // namespace sonde
