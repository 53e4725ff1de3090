// sonde's Prometheus metric families (prometheus-cpp) and how runs update
// them. Names follow Prometheus conventions: prefix `sonde_`, base units,
// counters end in `_total`. Label values come from the config (journey, step,
// target URL) and the fixed enums (outcome, reason, phase) only — never from
// response text — so cardinality is bounded by the config.
//
// Thread-safety: prometheus-cpp metrics are thread-safe; Serialize may run
// on any thread while runs are being recorded.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "config/model.h"
#include "scenarios/run_observer.h"

namespace sonde {

class Metrics : public RunObserver {
 public:
  // Creates the registry and every family; pre-creates the per-outcome run
  // counters of every (journey, target) so that ratios exist from the start.
  explicit Metrics(const Config& config);
  ~Metrics() override;

  void OnRunFinished(const JourneyResult& result) override;
  void OnRunSkipped(const std::string& journey, const std::string& target) override;
  void OnSchedulerLag(Duration lag) override;
  void OnRunPaused(const std::string& journey, const std::string& target) override;

  // A reload: `config` is the new one (its series are pre-created), or
  // nullptr when the new file was rejected and the old config runs on.
  // (The `location` label is fixed at start; changing it needs a restart.)
  void OnReload(const Config* config);

  // Chaos (any thread): a fault starts (true) or stops holding; an inject
  // tried; a drill's verdict ("pass", "fail", "aborted") and its recovery.
  void OnFaultActive(const std::string& drill, const std::string& fault, const std::string& kind,
                     const std::string& target, bool active);
  void OnInjection(const std::string& kind, bool ok);
  void OnDrillDone(const std::string& drill, std::string_view verdict,
                   std::optional<double> recovery_seconds);

  // The result store's writer (any thread).
  void OnStoreWritten(size_t rows);
  void OnStoreDropped();
  void OnStoreWriteFailed();

  // The Prometheus text exposition format (version 0.0.4).
  std::string Serialize() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sonde
