// The `wallet` step kind: reads the wallet's balance (exported), refuses to
// spend below its floor or past its daily cap — ending the run infra_error,
// reason wallet, since the network did nothing wrong — then reserves the
// next nonce (read from the chain when unknown) and the amount. Its result
// body is {"nonce", "balance", "address"} for `extract`.
#pragma once

#include "probes/probe.h"

namespace sonde {

boost::asio::awaitable<ProbeResult> ProbeWallet(ProbeEnv& env, const ProbeRequest& request);

}  // namespace sonde
