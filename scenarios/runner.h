// Runs one journey against one target: its steps in order, sharing
// variables, each step bounded by min(step timeout, what is left of the
// journey's timeout). The first step that fails ends the run.
//
// Outcome rules:
//   - a step failed with kInternal (sonde's own fault, e.g. aborted at
//     shutdown)                        -> infra_error
//   - any other step failure           -> failed, with that reason and step
//   - a step's correct answer came after its fail_after
//                                      -> failed, reason slow, that step
//   - all steps passed, but the run took longer than the journey's
//     fail_after                       -> failed, reason slow
//   - all steps passed, but a step took longer than its degraded_after
//     (named), or the run longer than the journey's
//                                      -> degraded, reason slow
//   - otherwise                        -> success
//
// A step with a retry policy repeats on the listed reasons, within its
// attempts, its retry deadline and the journey's; only the last attempt
// counts, the others are counted in StepResult::retries.
//
// A journey with `divergence` that succeeded is then compared with the
// other targets' latest values: an outlier fails with reason divergence.
//
// Thread-safety: Run may be called concurrently on one executor; the runner
// holds no per-run state.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>

#include "config/model.h"
#include "probes/probe.h"
#include "scenarios/divergence.h"
#include "scenarios/journey_result.h"
#include "scenarios/key_ring.h"
#include "scenarios/variables.h"

namespace sonde {

class JourneyRunner {
 public:
  explicit JourneyRunner(ProbeEnv env, std::shared_ptr<const KeyRing> keys = nullptr)
      : env_(env), keys_(std::move(keys)) {}

  // Cross-target comparisons of journeys with `divergence`.
  DivergenceBook& divergence() { return divergence_; }

  // The keys sign steps use from now on (at a reload); runs in flight keep
  // the ones they started with.
  void SetKeys(std::shared_ptr<const KeyRing> keys) { keys_ = std::move(keys); }

  boost::asio::awaitable<JourneyResult> Run(const Journey& journey, const TargetGroup& group,
                                            const std::string& target_url);

 private:
  boost::asio::awaitable<void> RunStep(const Step& step, const TargetGroup& group,
                                       const std::string& target_url,
                                       std::chrono::steady_clock::time_point journey_deadline,
                                       Variables& vars, const KeyLookup& keys, StepResult& out);

  ProbeEnv env_;
  std::shared_ptr<const KeyRing> keys_;
  DivergenceBook divergence_;
};

}  // namespace sonde
