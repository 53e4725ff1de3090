// Scheduled chaos in the daemon ([chaos.schedule]): at random gaps around
// `every`, inside the allowed hours, one fault from the menu — only while
// the SLO's error budget left over its window (read from the result store,
// as `sonde report` computes it) is at least the floor, and reverted early
// when the SLO burns faster than `abort_burn_rate` over `burn_window`. One
// fault at a time; all through the journal (heal undoes what a crash left).
//
// Thread-safety: runs on a thread of its own; Tap() is fed by the scheduler.
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "config/model.h"
#include "reporter/metrics.h"
#include "scenarios/run_observer.h"

namespace sonde {
class StoreWriter;
}

namespace sonde::chaos {

class ChaosScheduler {
 public:
  ChaosScheduler(std::shared_ptr<const Config> config, Metrics& metrics, StoreWriter* store);
  ~ChaosScheduler();

  RunObserver& Tap() { return tap_; }
  void Start();  // no-op without [chaos.schedule]
  void Stop();   // reverts a fault that holds

 private:
  // The SLO journey's recent runs (bad or not), for the burn rate.
  class BurnTap : public RunObserver {
   public:
    void OnRunFinished(const JourneyResult& r) override;
    void OnRunSkipped(const std::string&, const std::string&) override {}
    void OnSchedulerLag(Duration) override {}
    void Watch(const SloSpec* slo, Duration keep);
    // bad / total over the runs that finished in the last `window`.
    std::pair<int64_t, int64_t> BadOfTotal(Duration window);

   private:
    std::mutex mu_;
    const SloSpec* slo_ = nullptr;
    Duration keep_{};
    std::deque<std::pair<std::chrono::steady_clock::time_point, bool>> runs_;
  };

  void Loop();

  std::shared_ptr<const Config> config_;
  Metrics& metrics_;
  StoreWriter* store_;
  BurnTap tap_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace sonde::chaos
