#include "reporter/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <map>

#include "core/version.h"
#include "probes/probe.h"

namespace sonde {
namespace {

using prometheus::Labels;

// Journey and step latencies: from a fast local call to a slow confirmation.
const prometheus::Histogram::BucketBoundaries kLatencyBuckets = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60};

// Scheduler lag is expected in the sub-millisecond range; the p99 target is
// 2 ms, so the buckets are dense there.
const prometheus::Histogram::BucketBoundaries kLagBuckets = {
    0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};

// Confirmation depth in blocks: a fast chain confirms in 1-3.
const prometheus::Histogram::BucketBoundaries kBlockBuckets = {0, 1,  2,  3,  4,  5, 6,
                                                               8, 10, 15, 20, 30, 50};

constexpr std::string_view kPhases[] = {"resolve", "connect", "tls", "processing", "transfer"};

Labels WithReason(Labels labels, Reason reason) {
  labels.emplace("reason", std::string(ToString(reason)));
  return labels;
}

double Seconds(std::chrono::microseconds us) { return static_cast<double>(us.count()) / 1e6; }

}  // namespace

class Metrics::Impl {
 public:
  explicit Impl(const Config& config)
      : registry(std::make_shared<prometheus::Registry>()),
        common(config.service.location.empty() ? Labels{}
                                               : Labels{{"location", config.service.location}}),
        runs(Counter("sonde_journey_runs_total",
                     "Journey runs, by outcome (success, degraded, failed, infra_error).")),
        duration(Histogram("sonde_journey_duration_seconds",
                           "Wall time of a journey run, monotonic clock.")),
        success(Gauge("sonde_journey_success",
                      "1 if the last run of the journey succeeded (or was degraded), else 0.")),
        step_duration(Histogram("sonde_step_duration_seconds", "Wall time of a step.")),
        step_failures(Counter("sonde_step_failures_total", "Step failures, by reason.")),
        phase(
            Gauge("sonde_http_phase_seconds", "Duration of each HTTP phase of a step's last run.")),
        lag(Histogram("sonde_scheduler_lag_seconds",
                      "Delay between a run's scheduled instant and its start.")),
        confirmation_blocks(Histogram("sonde_tx_confirmation_blocks",
                                      "Chain blocks a polling step waited for its condition.")),
        cert_expiry(Gauge("sonde_tls_cert_expiry_timestamp_seconds",
                          "Unix time at which the target's TLS certificate expires (tls steps).")),
        mpc_seconds(Histogram("sonde_mpc_participant_seconds",
                              "Time each FROST participant took over the round's requests.")),
        mpc_failures(
            Counter("sonde_mpc_participant_failures_total",
                    "FROST participants that were absent, late or sent an invalid share.")),
        wallet_balance(Gauge("sonde_wallet_balance", "The probe wallet's balance, last read.")),
        paused(Counter("sonde_journey_paused_total",
                       "Runs not started because a maintenance window paused the journey.")),
        maintenance_runs(
            Counter("sonde_journey_maintenance_runs_total",
                    "Runs inside a maintenance window in mark mode, kept out of SLIs.")),
        retries(Counter("sonde_step_retries_total",
                        "Attempts of a step that were retried (only the last attempt counts).")),
        skipped(Counter("sonde_journey_skipped_total",
                        "Runs not started because the previous one was still going.")),
        build_info(Gauge("sonde_build_info", "Always 1; labels carry the build's version.")),
        reload_ok(Gauge("sonde_config_last_reload_successful",
                        "1 if the last config reload succeeded (or none was tried), else 0.")
                      .Add({})),
        reload_time(Gauge("sonde_config_last_reload_success_timestamp_seconds",
                          "Unix time of the last successful config load.")
                        .Add({})),
        lag_histogram(lag.Add({}, kLagBuckets)),
        store_written(Counter("sonde_store_rows_written_total",
                              "Rows (runs, fault and drill events) written to the result store.")
                          .Add({})),
        store_dropped(Counter("sonde_store_dropped_total",
                              "Results not stored because the store's write queue was full.")
                          .Add({})),
        store_errors(Counter("sonde_store_write_errors_total",
                             "Failed result store writes (each batch is retried).")
                         .Add({})),
        fault_active(Gauge("sonde_chaos_fault_active",
                           "1 while a fault holds (drill, fault, kind, target), else 0.")),
        injections(Counter("sonde_chaos_injections_total",
                           "Fault injections tried, by kind and outcome (ok, failed).")),
        drill_verdict(Gauge("sonde_drill_last_verdict",
                            "The last verdict of a drill: 1 pass, 0 fail, -1 aborted.")),
        drill_recovery(Gauge("sonde_drill_recovery_seconds",
                             "Time from a drill's last revert until every watched journey "
                             "succeeded again.")) {
    build_info.Add({{"version", kVersion}}).Set(1);
    reload_ok.Set(1);
    reload_time.SetToCurrentTime();
    Prepare(config);
  }

  // Zero series for every (journey, target) and step of `config`, so that
  // ratios and increase() work from the first run. Adding is idempotent.
  // Also the journey-duration buckets: the defaults plus every latency SLO
  // threshold on the journey, so each threshold is a bucket boundary the
  // generated rules can read (a reload's new thresholds apply to series
  // created after it).
  void Prepare(const Config& config) {
    for (const SloSpec& slo : config.slos) {
      if (slo.kind != SloSpec::Kind::kLatency || !slo.threshold) continue;
      auto& buckets = journey_buckets[slo.journey];
      if (buckets.empty()) buckets = kLatencyBuckets;
      const double t = ToSeconds(*slo.threshold);
      if (std::find(buckets.begin(), buckets.end(), t) == buckets.end()) {
        buckets.push_back(t);
        std::sort(buckets.begin(), buckets.end());
      }
    }
    for (const Journey& j : config.journeys) {
      const TargetGroup* group = config.FindTargets(j.target_group);
      if (!group) continue;
      for (const std::string& url : group->urls) {
        for (Outcome o : kAllOutcomes) {
          runs.Add({{"journey", j.name}, {"target", url}, {"outcome", std::string(ToString(o))}});
          maintenance_runs.Add(
              {{"journey", j.name}, {"target", url}, {"outcome", std::string(ToString(o))}});
        }
        // At 0 from the start, so rate() and dashboards show "none" rather
        // than "no data" for a journey that was never skipped or paused.
        skipped.Add({{"journey", j.name}, {"target", url}});
        paused.Add({{"journey", j.name}, {"target", url}});
        for (const Step& step : j.steps) {
          const Labels step_labels{{"journey", j.name}, {"step", step.name}, {"target", url}};
          retries.Add(step_labels);
          for (Reason reason : PossibleFailures(step.action)) {
            step_failures.Add(WithReason(step_labels, reason));
          }
          if (step.fail_after) step_failures.Add(WithReason(step_labels, Reason::kSlow));
        }
      }
    }
  }

  prometheus::Family<prometheus::Counter>& Counter(const std::string& name,
                                                   const std::string& help) {
    return prometheus::BuildCounter().Name(name).Help(help).Labels(common).Register(*registry);
  }
  prometheus::Family<prometheus::Gauge>& Gauge(const std::string& name, const std::string& help) {
    return prometheus::BuildGauge().Name(name).Help(help).Labels(common).Register(*registry);
  }
  prometheus::Family<prometheus::Histogram>& Histogram(const std::string& name,
                                                       const std::string& help) {
    return prometheus::BuildHistogram().Name(name).Help(help).Labels(common).Register(*registry);
  }

  std::shared_ptr<prometheus::Registry> registry;
  Labels common;
  std::map<std::string, prometheus::Histogram::BucketBoundaries> journey_buckets;
  prometheus::Family<prometheus::Counter>& runs;
  prometheus::Family<prometheus::Histogram>& duration;
  prometheus::Family<prometheus::Gauge>& success;
  prometheus::Family<prometheus::Histogram>& step_duration;
  prometheus::Family<prometheus::Counter>& step_failures;
  prometheus::Family<prometheus::Gauge>& phase;
  prometheus::Family<prometheus::Histogram>& lag;
  prometheus::Family<prometheus::Histogram>& confirmation_blocks;
  prometheus::Family<prometheus::Gauge>& cert_expiry;
  prometheus::Family<prometheus::Histogram>& mpc_seconds;
  prometheus::Family<prometheus::Counter>& mpc_failures;
  prometheus::Family<prometheus::Gauge>& wallet_balance;
  prometheus::Family<prometheus::Counter>& paused;
  prometheus::Family<prometheus::Counter>& maintenance_runs;
  prometheus::Family<prometheus::Counter>& retries;
  prometheus::Family<prometheus::Counter>& skipped;
  prometheus::Family<prometheus::Gauge>& build_info;
  prometheus::Gauge& reload_ok;
  prometheus::Gauge& reload_time;
  prometheus::Histogram& lag_histogram;
  prometheus::Counter& store_written;
  prometheus::Counter& store_dropped;
  prometheus::Counter& store_errors;
  prometheus::Family<prometheus::Gauge>& fault_active;
  prometheus::Family<prometheus::Counter>& injections;
  prometheus::Family<prometheus::Gauge>& drill_verdict;
  prometheus::Family<prometheus::Gauge>& drill_recovery;
};

Metrics::Metrics(const Config& config) : impl_(std::make_unique<Impl>(config)) {}
Metrics::~Metrics() = default;

void Metrics::OnRunFinished(const JourneyResult& r) {
  Impl& m = *impl_;
  const Labels journey_labels{{"journey", r.journey}, {"target", r.target}};
  if (r.maintenance) {
    // Counted, but apart: no SLI ratio or latency series sees these runs.
    m.maintenance_runs
        .Add({{"journey", r.journey},
              {"target", r.target},
              {"outcome", std::string(ToString(r.outcome))}})
        .Increment();
    return;
  }
  m.runs
      .Add({{"journey", r.journey},
            {"target", r.target},
            {"outcome", std::string(ToString(r.outcome))}})
      .Increment();
  // The wallet balance is sonde's own state: exported whatever the outcome.
  for (const StepResult& s : r.steps) {
    if (s.wallet_balance) m.wallet_balance.Add({{"wallet", s.wallet_name}}).Set(*s.wallet_balance);
  }
  // infra_error runs say nothing about the target: they stay out of the
  // latency and last-result series as well as the SLIs.
  if (r.outcome == Outcome::kInfraError) return;
  auto buckets = m.journey_buckets.find(r.journey);
  m.duration
      .Add(journey_labels, buckets == m.journey_buckets.end() ? kLatencyBuckets : buckets->second)
      .Observe(ToSeconds(r.duration));
  const bool ok = r.outcome == Outcome::kSuccess || r.outcome == Outcome::kDegraded;
  m.success.Add(journey_labels).Set(ok ? 1 : 0);
  for (const StepResult& s : r.steps) {
    const Labels step_labels{{"journey", r.journey}, {"step", s.name}, {"target", r.target}};
    m.step_duration.Add(step_labels, kLatencyBuckets).Observe(ToSeconds(s.duration));
    if (s.failure != Reason::kNone)
      m.step_failures.Add(WithReason(step_labels, s.failure)).Increment();
    if (s.retries > 0) m.retries.Add(step_labels).Increment(s.retries);
    for (const ProbeResult::Participant& p : s.participants) {
      // The identifier when known; a signer never seen up is named by URL.
      const std::string who = p.id ? std::to_string(p.id) : p.url;
      if (p.failure.empty()) {
        m.mpc_seconds.Add({{"journey", r.journey}, {"participant", who}}, kLatencyBuckets)
            .Observe(ToSeconds(p.elapsed));
      } else {
        m.mpc_failures.Add({{"journey", r.journey}, {"participant", who}, {"reason", p.failure}})
            .Increment();
      }
    }
    if (s.cert_not_after) {
      m.cert_expiry.Add({{"target", r.target}})
          .Set(std::chrono::duration<double>(s.cert_not_after->time_since_epoch()).count());
    }
    if (s.blocks && s.failure == Reason::kNone) {
      m.confirmation_blocks.Add(journey_labels, kBlockBuckets)
          .Observe(static_cast<double>(*s.blocks));
    }
    if (s.has_phases) {
      const std::chrono::microseconds values[] = {s.phases.resolve, s.phases.connect, s.phases.tls,
                                                  s.phases.processing, s.phases.transfer};
      for (size_t i = 0; i < std::size(kPhases); ++i) {
        m.phase
            .Add({{"journey", r.journey},
                  {"step", s.name},
                  {"target", r.target},
                  {"phase", std::string(kPhases[i])}})
            .Set(Seconds(values[i]));
      }
    }
  }
}

void Metrics::OnRunSkipped(const std::string& journey, const std::string& target) {
  impl_->skipped.Add({{"journey", journey}, {"target", target}}).Increment();
}

void Metrics::OnFaultActive(const std::string& drill, const std::string& fault,
                            const std::string& kind, const std::string& target, bool active) {
  impl_->fault_active
      .Add({{"drill", drill}, {"fault", fault}, {"kind", kind}, {"target", target}})
      .Set(active ? 1 : 0);
}

void Metrics::OnInjection(const std::string& kind, bool ok) {
  impl_->injections.Add({{"kind", kind}, {"outcome", ok ? "ok" : "failed"}}).Increment();
}

void Metrics::OnDrillDone(const std::string& drill, std::string_view verdict,
                          std::optional<double> recovery_seconds) {
  impl_->drill_verdict.Add({{"drill", drill}}).Set(verdict == "pass" ? 1 : verdict == "fail" ? 0 : -1);
  if (recovery_seconds) impl_->drill_recovery.Add({{"drill", drill}}).Set(*recovery_seconds);
}

void Metrics::OnStoreWritten(size_t rows) { impl_->store_written.Increment(static_cast<double>(rows)); }
void Metrics::OnStoreDropped() { impl_->store_dropped.Increment(); }
void Metrics::OnStoreWriteFailed() { impl_->store_errors.Increment(); }

void Metrics::OnReload(const Config* config) {
  if (!config) {
    impl_->reload_ok.Set(0);
    return;
  }
  impl_->Prepare(*config);
  impl_->reload_ok.Set(1);
  impl_->reload_time.SetToCurrentTime();
}

void Metrics::OnRunPaused(const std::string& journey, const std::string& target) {
  impl_->paused.Add({{"journey", journey}, {"target", target}}).Increment();
}

void Metrics::OnSchedulerLag(Duration lag) { impl_->lag_histogram.Observe(ToSeconds(lag)); }

std::string Metrics::Serialize() const {
  return prometheus::TextSerializer().Serialize(impl_->registry->Collect());
}

}  // namespace sonde
