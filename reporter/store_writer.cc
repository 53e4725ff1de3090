#include "reporter/store_writer.h"

#include <spdlog/spdlog.h>

#include "core/unix_time.h"
#include "reporter/result_store.h"
#include "reporter/run_record.h"

namespace sonde {
namespace {

constexpr auto kPruneEvery = std::chrono::hours(1);
constexpr auto kRetryAfterFailure = std::chrono::seconds(1);
// On Stop, a store that keeps failing gets this many more tries before the
// rest of the queue is given up (and counted).
constexpr int kTriesAtStop = 3;

}  // namespace

StoreWriter::StoreWriter(Options options, Hooks hooks)
    : options_(std::move(options)),
      hooks_(std::move(hooks)),
      store_(std::make_unique<ResultStore>(options_.dir, ResultStore::Mode::kReadWrite)) {
  // Loaded now: a bad key fails the start, not the first prune an hour later.
  if (options_.keep) checkpoint_key_.emplace(LoadOrCreateStoreKey(options_.dir));
  thread_ = std::thread([this] { Loop(); });
}

StoreWriter::~StoreWriter() { Stop(); }

void StoreWriter::OnRunFinished(const JourneyResult& result) {
  Enqueue(ToRunRecord(result, options_.location));
}

bool StoreWriter::Enqueue(RunRecord run) { return Push(std::move(run)); }
bool StoreWriter::Enqueue(FaultEvent event) { return Push(std::move(event)); }
bool StoreWriter::Enqueue(DrillEvent event) { return Push(std::move(event)); }

bool StoreWriter::Push(Item item) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_ && queue_.size() < options_.queue_capacity) {
      queue_.push_back(std::move(item));
      wake_.notify_one();
      return true;
    }
    ++dropped_;
    ++burst_dropped_;
    if (!dropping_) {
      dropping_ = true;
      spdlog::warn("result store: queue full ({} waiting) or stopping; dropping results until it "
                   "drains",
                   queue_.size());
    }
  }
  if (hooks_.dropped) hooks_.dropped();
  return false;
}

void StoreWriter::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

uint64_t StoreWriter::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

uint64_t StoreWriter::written() const {
  std::lock_guard lock(mu_);
  return written_;
}

void StoreWriter::Loop() {
  auto next_prune = std::chrono::steady_clock::now();
  std::vector<RunRecord> runs;
  std::vector<Item> events;
  int failures_at_stop = 0;
  // Failed attempts in a row, and when the first of them was: a full disk
  // or a lost volume is logged once, not every second, and its end once.
  uint64_t failing = 0;
  auto failing_since = std::chrono::steady_clock::now();
  for (;;) {
    bool stopping;
    {
      std::unique_lock lock(mu_);
      if (runs.empty() && events.empty()) {
        wake_.wait_until(lock, next_prune, [&] { return stopping_ || !queue_.empty(); });
        while (!queue_.empty() && runs.size() + events.size() < options_.batch_size) {
          Item& item = queue_.front();
          if (auto* run = std::get_if<RunRecord>(&item)) {
            runs.push_back(std::move(*run));
          } else {
            events.push_back(std::move(item));
          }
          queue_.pop_front();
        }
        if (dropping_ && queue_.size() < options_.queue_capacity / 2) {
          spdlog::warn("result store: queue draining again; {} result(s) were dropped",
                       burst_dropped_);
          dropping_ = false;
          burst_dropped_ = 0;
        }
      }
      stopping = stopping_;
      if (stopping && queue_.empty() && runs.empty() && events.empty()) return;
    }
    const size_t batch = runs.size() + events.size();
    try {
      if (options_.keep && std::chrono::steady_clock::now() >= next_prune) {
        const int64_t cutoff = NowUnixMicros() - std::chrono::duration_cast<std::chrono::microseconds>(
                                                 *options_.keep)
                                                 .count();
        const PruneReport pruned = store_->Prune(cutoff, *checkpoint_key_);
        if (pruned.runs + pruned.fault_events + pruned.drill_events > 0) {
          spdlog::info("result store: pruned {} run(s), {} fault and {} drill event(s) older "
                       "than {}",
                       pruned.runs, pruned.fault_events, pruned.drill_events,
                       FormatDuration(*options_.keep));
        }
        next_prune = std::chrono::steady_clock::now() + kPruneEvery;
      } else if (!options_.keep) {
        next_prune = std::chrono::steady_clock::now() + kPruneEvery;
      }
      // Each part leaves the batch as soon as its transaction commits, so a
      // retry never writes anything twice.
      if (!runs.empty()) {
        store_->AppendRuns(runs);
        Written(runs.size());
        runs.clear();
      }
      while (!events.empty()) {
        if (auto* f = std::get_if<FaultEvent>(&events.front())) store_->AppendFaultEvent(*f);
        if (auto* d = std::get_if<DrillEvent>(&events.front())) store_->AppendDrillEvent(*d);
        events.erase(events.begin());
        Written(1);
      }
      if (failing > 0) {
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::steady_clock::now() - failing_since)
                                 .count();
        spdlog::info("result store: writing again after {} failed attempt(s) over {} s; {} "
                     "result(s) were dropped meanwhile (sonde_store_dropped_total)",
                     failing, seconds, dropped());
        failing = 0;
      }
    } catch (const StoreError& e) {
      // Keep the batch and try again: the queue stays bounded meanwhile,
      // so what cannot wait is dropped (and counted) at the door. Said
      // once; sonde_store_write_errors_total counts every attempt.
      if (failing++ == 0) {
        failing_since = std::chrono::steady_clock::now();
        spdlog::error("result store: write failed, retrying every second (said once until it "
                      "works again): {}",
                      e.what());
      }
      if (hooks_.write_failed) hooks_.write_failed();
      if (stopping && ++failures_at_stop >= kTriesAtStop) {
        std::lock_guard lock(mu_);
        const size_t lost = batch + queue_.size();
        dropped_ += lost;
        queue_.clear();
        spdlog::error("result store: giving up at shutdown; {} result(s) not written", lost);
        return;
      }
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, kRetryAfterFailure);
      continue;
    }
  }
}

void StoreWriter::Written(size_t rows) {
  {
    std::lock_guard lock(mu_);
    written_ += rows;
  }
  if (hooks_.written) hooks_.written(rows);
}

}  // namespace sonde
