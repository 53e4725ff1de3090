// Reading one number from the chain: a poll's height, a wallet's balance or
// nonce. The source (config/model.h HeightSource) is a GET on the run's
// target or a JSON-RPC call to it (eth_blockNumber, eth_getBalance,
// eth_getTransactionCount); the value at its JSON pointer may be a JSON
// integer, a hex quantity ("0x1a") or a decimal string ("9"), read exactly.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/integer.h"
#include "probes/probe.h"

namespace sonde {

// `failure` is set when the call fails (its transport reason, or rpc_error)
// or the answer has no integer at the pointer (invalid_response); `what`
// names the value in the detail.
struct IntegerRead {
  std::optional<Int256> value;
  Reason failure = Reason::kNone;
  std::string detail;
};

boost::asio::awaitable<IntegerRead> ReadChainInteger(ProbeEnv& env, const ProbeRequest& request,
                                                     const HeightSource& source,
                                                     std::string_view what);

}  // namespace sonde
