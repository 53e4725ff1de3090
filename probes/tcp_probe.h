// The `tcp` step kind: a timed TCP connect to the target's host and port,
// then a clean close. As blackbox_exporter's tcp prober without a dialogue.
#pragma once

#include "probes/probe.h"

namespace sonde {

boost::asio::awaitable<ProbeResult> ProbeTcp(ProbeEnv& env, const ProbeRequest& request);

}  // namespace sonde
