// Writes runs (and fault and drill events) to the result store without ever
// blocking the scheduler: the event loop only appends to a bounded queue; a
// writer thread takes batches off it, one transaction per batch. When the
// queue is full a run is dropped, counted, and logged (once per burst, with
// the total when the queue drains). Stop() drains the queue before joining.
// The writer thread also prunes rows older than `keep`, at start and hourly.
//
// Thread-safety: the RunObserver calls and Enqueue may come from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>

#include "core/duration.h"
#include "reporter/store_records.h"
#include "scenarios/run_observer.h"
#include "signer/ed25519.h"

namespace sonde {

class ResultStore;

class StoreWriter : public RunObserver {
 public:
  struct Options {
    std::string dir;
    std::string location;  // stamped on every run
    size_t queue_capacity = 10000;
    size_t batch_size = 512;
    std::optional<Duration> keep;  // nullopt: keep everything
  };
  // Called on the writer thread (or the caller's, for dropped).
  struct Hooks {
    std::function<void(size_t rows)> written;
    std::function<void()> dropped;
    std::function<void()> write_failed;
  };

  // Opens the store (creating it) and its key; throws StoreError naming the
  // directory when it cannot. Starts the writer thread.
  StoreWriter(Options options, Hooks hooks = {});
  ~StoreWriter() override;

  void OnRunFinished(const JourneyResult& result) override;
  void OnRunSkipped(const std::string&, const std::string&) override {}
  void OnSchedulerLag(Duration) override {}

  // False (and counted as dropped) when the queue is full.
  bool Enqueue(RunRecord run);
  bool Enqueue(FaultEvent event);
  bool Enqueue(DrillEvent event);

  // Writes what is queued, then stops the thread. Idempotent.
  void Stop();

  uint64_t dropped() const;
  uint64_t written() const;

 private:
  using Item = std::variant<RunRecord, FaultEvent, DrillEvent>;
  bool Push(Item item);
  void Loop();
  void Written(size_t rows);

  Options options_;
  Hooks hooks_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  bool dropping_ = false;        // inside a burst of drops (logged once)
  uint64_t burst_dropped_ = 0;   // drops in the current burst
  uint64_t dropped_ = 0;
  uint64_t written_ = 0;
  std::optional<signer::KeyPair> checkpoint_key_;  // set when pruning (keep)
  std::unique_ptr<ResultStore> store_;  // used by the writer thread only, once started
  std::thread thread_;
};

}  // namespace sonde
