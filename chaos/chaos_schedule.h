// Scheduled chaos in the daemon ([chaos.schedule]): at random gaps around
// `every`, inside the allowed hours, one fault from the menu — only while
// the SLO's error budget left over its window (read from the result store,
// as `sonde report` computes it) is at least the floor, and reverted early
// when the SLO burns faster than `abort_burn_rate` over `burn_window`. One
// fault at a time; all through the journal (heal undoes what a crash left).
//
// A coroutine on the daemon's loop: its waits are timers; reading the budget
// from the store, injects and reverts run on a worker pool of its own.
//
// Thread-safety: Start, RequestStop and Busy from any thread; Tap() is fed
// by the scheduler.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <deque>
#include <memory>
#include <mutex>

#include "config/model.h"
#include "reporter/metrics.h"
#include "scenarios/run_observer.h"

namespace sonde {
class StoreWriter;
}

namespace sonde::chaos {

class ChaosScheduler {
 public:
  // Runs on `loop`, which must be running while it does.
  ChaosScheduler(std::shared_ptr<const Config> config, Metrics& metrics, StoreWriter* store,
                 boost::asio::any_io_executor loop);
  // Asks it to stop and waits for its workers; stop it first (RequestStop,
  // then run the loop until !Busy()) so a fault that holds is reverted.
  ~ChaosScheduler();

  RunObserver& Tap() { return tap_; }
  void Start();  // no-op without [chaos.schedule]
  // A fault that holds is reverted and the schedule ends, at its next tick;
  // does not wait.
  void RequestStop() { stop_ = true; }
  bool Busy() const { return busy_; }

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

  boost::asio::awaitable<void> Loop();

  std::shared_ptr<const Config> config_;
  Metrics& metrics_;
  StoreWriter* store_;
  BurnTap tap_;
  boost::asio::any_io_executor loop_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> busy_{false};
  // The store's reads, injects and reverts: never on the loop. Last, so it
  // is joined first.
  boost::asio::thread_pool blocking_{1};
};

}  // namespace sonde::chaos
