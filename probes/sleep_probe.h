// The `sleep` step kind: waits for its duration, within the step's deadline
// (a sleep that would outlast it ends at the deadline as a timeout).
#pragma once

#include "probes/probe.h"

namespace sonde {

boost::asio::awaitable<ProbeResult> ProbeSleep(ProbeEnv& env, const ProbeRequest& request);

}  // namespace sonde
