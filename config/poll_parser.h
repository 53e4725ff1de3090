// Parses a step's `poll` table and its `until` checks. Internal to config/;
// not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/model.h"
#include "config/table_reader.h"

namespace sonde {

// `step` reads the step table (for `poll` and `until`); template variables
// used by the height request are appended to `uses`.
// `{ path = "/v1/head", pointer = "/committed_height" }` (a GET on the run's
// target) or `{ jsonrpc = { method = "eth_blockNumber" }, pointer =
// "/result" }` (a JSON-RPC call to it), and the integer at a JSON pointer: a
// poll's height, a wallet's balance or nonce.
std::optional<HeightSource> ParseHeight(ParseContext& ctx, const toml::table& table,
                                        const std::string& path, std::vector<VariableUse>* uses);

std::optional<PollSpec> ParsePoll(TableReader& step, std::vector<VariableUse>* uses);

}  // namespace sonde
