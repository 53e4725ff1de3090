// Runs one journey against one target: its steps in order, sharing
// variables, each step bounded by min(step timeout, what is left of the
// journey's timeout). The first step that fails ends the run.
//
// Outcome rules:
//   - a step failed with kInternal (sonde's own fault, e.g. aborted at
//     shutdown)                        -> infra_error
//   - any other step failure           -> failed, with that reason and step
//   - all steps passed, but the run took longer than degraded_after
//                                      -> degraded, reason slow
//   - otherwise                        -> success
//
// Thread-safety: Run may be called concurrently on one executor; the runner
// holds no per-run state.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "config/model.h"
#include "probes/probe.h"
#include "scenarios/journey_result.h"

namespace sonde {

class JourneyRunner {
 public:
  explicit JourneyRunner(ProbeEnv env) : env_(env) {}

  boost::asio::awaitable<JourneyResult> Run(const Journey& journey, const TargetGroup& group,
                                            const std::string& target_url);

 private:
  ProbeEnv env_;
};

}  // namespace sonde
