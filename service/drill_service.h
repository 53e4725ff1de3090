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
// [service] api_token_file. A drill runs on a thread of its own and watches
// the daemon's own runs (Tap() is an observer for the scheduler's list);
// chaos metrics go to Metrics.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

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

  DrillService(std::shared_ptr<const Config> config, Metrics& metrics, StoreWriter* store);
  ~DrillService();  // stops a running drill, reverting its faults

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
  // Stops a running drill (its faults reverted) and waits for it.
  void Stop();

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
  void StopRunning(int reason);  // a chaos::kStop* code

  mutable std::mutex mu_;
  std::shared_ptr<const Config> config_;
  Metrics& metrics_;
  StoreWriter* store_;
  TapObserver tap_;
  std::atomic<int> stop_{0};
  std::thread thread_;
  std::string running_;                  // the drill on thread_, or empty
  uint64_t run_number_ = 0;              // of the latest drill started
  std::string progress_;                 // the running drill's progress line
  std::string last_json_ = "{}";         // by drill: verdict, why, checks (JSON object text)
  // By drill: the run number and the record of its last run, as JSON text.
  std::map<std::string, std::pair<uint64_t, std::string>> records_;
};

}  // namespace sonde
