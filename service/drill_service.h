// Drills and the halt button inside the daemon:
//   POST /api/v1/drills/NAME/run[?arm=1][&seed=N]  starts a drill (202, with
//                                         its run number), one at a time (409)
//   GET  /api/v1/drills                   the running drill with its run number
//                                         and progress line, the runs started
//                                         since the daemon started, the last
//                                         verdicts (each with its run number)
//   GET  /api/v1/drills/NAME/record?run=N the whole record of that run
//                                         (drill_record_json.h): what
//                                         `sonde drill --daemon` writes its
//                                         JUnit file and report from; the
//                                         last run of each drill is kept
//   POST /api/v1/heal                     stops a running drill (its faults
//                                         reverted) and reverts the journal
// The POSTs need `Authorization: Bearer TOKEN` with the token from
// [service] api_token_file. A drill runs as a coroutine on the daemon's
// loop (chaos/drill_runner.h), its injects and reverts on a worker pool of
// its own, and watches the daemon's own runs (Tap() is an observer for the
// scheduler's list); chaos metrics go to Metrics.
//
// Thread-safety: every method may be called from any thread; the ones that
// wait for a drill to finish (Heal, StopRunning) never from the loop's.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "config/model.h"
#include "service/api_token.h"
#include "reporter/metrics.h"
#include "scenarios/run_observer.h"

namespace sonde {

class StoreWriter;
namespace chaos {
class DrillRunLog;
}

class DrillService {
 public:
  struct Reply {
    int status = 200;
    std::string body;  // JSON
  };

  // Drills run on `loop`, which must be running while one does.
  DrillService(std::shared_ptr<const Config> config, Metrics& metrics, StoreWriter* store,
               boost::asio::any_io_executor loop);
  // Asks a running drill to stop and waits for its workers; a drill still
  // on the loop by then goes with the loop (its faults stay in the journal,
  // for the next start or `sonde heal`): stop it first (RequestStop, Busy).
  ~DrillService();

  void SetConfig(std::shared_ptr<const Config> config);
  RunObserver& Tap() { return tap_; }

  // `authorization` is the request's Authorization header.
  Reply Run(const std::string& drill, bool arm, std::optional<uint64_t> seed,
            const std::string& authorization);
  Reply Status() const;
  Reply Record(const std::string& drill, uint64_t run) const;
  Reply Heal(const std::string& authorization);
  // Why a request with this Authorization header may not mutate (drills,
  // heal, and the daemon's POST /-/reload), against the token file of the
  // config in force; nullopt when it may.
  std::optional<Refusal> Authorize(const std::string& authorization) const;
  // A running drill reverts its faults and ends at its next tick; does not
  // wait (the loop's thread may call it).
  void RequestStop(int reason);
  // A drill started and not yet finished.
  bool Busy() const;

 private:
  class TapObserver : public RunObserver {
   public:
    void OnRunFinished(const JourneyResult& r) override;
    void OnRunSkipped(const std::string&, const std::string&) override {}
    void OnSchedulerLag(Duration) override {}
    void Attach(std::shared_ptr<chaos::DrillRunLog> log);

   private:
    std::mutex mu_;
    std::shared_ptr<chaos::DrillRunLog> log_;
  };

  std::optional<Reply> Unauthorized(const std::string& authorization) const;
  // A chaos::kStop* code: stops a running drill and waits for it to end.
  void StopRunning(int reason);

  mutable std::mutex mu_;
  std::shared_ptr<const Config> config_;
  Metrics& metrics_;
  StoreWriter* store_;
  TapObserver tap_;
  boost::asio::any_io_executor loop_;
  std::atomic<int> stop_{0};
  std::shared_future<void> finished_;    // of the drill started last
  std::string running_;                  // the drill on the loop, or empty
  uint64_t run_number_ = 0;              // of the latest drill started
  std::string progress_;                 // the running drill's progress line
  std::string last_json_ = "{}";         // by drill: verdict, why, checks (JSON object text)
  // By drill: the run number and the record of its last run, as JSON text.
  std::map<std::string, std::pair<uint64_t, std::string>> records_;
  // Injects and reverts (commands, HTTP calls, fsyncs): never on the loop,
  // and not on the daemon's workers either, which may be waiting in Heal
  // for this very drill. Last, so it is joined first.
  boost::asio::thread_pool blocking_{1};
};

}  // namespace sonde
