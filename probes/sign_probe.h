// The `sign` step kind: renders a canonical message (a transfer, an
// activation proof or a reward claim, laid out as signer/ENCODING.md says)
// or a raw payload, and signs it with a named key. Its result body is
// {"signature", "public_key", "message"} in hex, so `extract` works on it as
// on any response. A rendered field that does not parse (a nonce that is not
// a number, a challenge that is not hex) is invalid_response: such values
// come from the network's earlier answers.
#pragma once

#include "probes/probe.h"

namespace sonde {

boost::asio::awaitable<ProbeResult> ProbeSign(ProbeEnv& env, const ProbeRequest& request);

}  // namespace sonde
