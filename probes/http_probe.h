// The `http` step kind: one HTTP(S) request to target_url + path, with the
// group's headers, then the step's own (a step header overrides a group one
// of the same name).
#pragma once

#include "probes/probe.h"

namespace sonde {

boost::asio::awaitable<ProbeResult> ProbeHttp(ProbeEnv& env, const ProbeRequest& request);

}  // namespace sonde
