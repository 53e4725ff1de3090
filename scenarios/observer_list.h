// Hands every scheduler event to several observers in order (metrics, the
// result store's queue, the recent-runs view). Same threading as
// RunObserver: all calls on the scheduler's executor.
#pragma once

#include <vector>

#include "scenarios/run_observer.h"

namespace sonde {

class ObserverList : public RunObserver {
 public:
  void Add(RunObserver& observer) { observers_.push_back(&observer); }

  void OnRunFinished(const JourneyResult& result) override {
    for (RunObserver* o : observers_) o->OnRunFinished(result);
  }
  void OnRunSkipped(const std::string& journey, const std::string& target) override {
    for (RunObserver* o : observers_) o->OnRunSkipped(journey, target);
  }
  void OnSchedulerLag(Duration lag) override {
    for (RunObserver* o : observers_) o->OnSchedulerLag(lag);
  }
  void OnRunPaused(const std::string& journey, const std::string& target) override {
    for (RunObserver* o : observers_) o->OnRunPaused(journey, target);
  }

 private:
  std::vector<RunObserver*> observers_;
};

}  // namespace sonde
