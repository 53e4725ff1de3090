// The data behind the status page and /api/v1/status: for every journey and
// target, the last outcome and, from the result store, the success ratio
// over 1h and 24h and the latency p95 over 1h; for every SLO, the budget
// left over its window (the same computation as `sonde report` over the
// same period, which the JSON names so the two can be compared); the faults
// holding now.
//
// The store is read on a thread of its own, every `refresh`, so the admin
// server (on the event loop) never waits for SQLite; Json() merges the
// latest snapshot with the live last runs.
//
// Thread-safety: SetConfig and Json may be called from any thread.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <boost/json/value.hpp>

#include "config/model.h"
#include "core/duration.h"

namespace sonde {

class RecentRuns;

class StatusView {
 public:
  StatusView(std::shared_ptr<const Config> config, Duration refresh);
  ~StatusView();

  void SetConfig(std::shared_ptr<const Config> config);
  // Reads the store at once and then every `refresh`, on a thread of its
  // own (a big store does not hold up the daemon's start).
  void Start();
  void Stop();

  // /api/v1/status. `recent` supplies the last outcomes (call on the thread
  // that records into it).
  std::string Json(const RecentRuns& recent) const;

  // One snapshot from the store at `now_us`, synchronously (tests, Start).
  void RefreshNow(int64_t now_us);

 private:
  void Loop();

  Duration refresh_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::shared_ptr<const Config> config_;
  boost::json::value snapshot_;  // the store's part; null before the first refresh
  std::thread thread_;
};

}  // namespace sonde
