// The `jsonrpc` step kind: a JSON-RPC 2.0 call over HTTP POST. Each call
// gets a fresh id; the answer must be a JSON-RPC 2.0 response with that id.
// An `error` member is reason rpc_error, its code kept in
// ProbeResult::rpc_error_code and the detail (logs, store), never in labels.
#pragma once

#include "probes/probe.h"

namespace sonde {

boost::asio::awaitable<ProbeResult> ProbeJsonRpc(ProbeEnv& env, const ProbeRequest& request);

}  // namespace sonde
