// Parses a step's `expect` table: accepted statuses, JSON checks (eq, ne,
// lt, le, gt, ge, exists, absent, matches, type), header and body regexes.
// Internal to config/; not thread-safe.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>

#include "config/model.h"
#include "config/table_reader.h"

namespace sonde {

// `path` names the table in messages, e.g. "journey.tx.step[2].expect".
// Template variables that expected values use go to `uses`.
Expectations ParseExpect(ParseContext& ctx, const toml::table& table, const std::string& path,
                         std::vector<VariableUse>* uses);

// The JSON checks in the table at `key` of `r`'s table (`expect.json`, a
// poll's `until`): `"/ptr" = value` or `"/ptr" = { op = value, ... }`.
std::vector<JsonCheck> ParseJsonChecks(TableReader& r, std::string_view key,
                                       std::vector<VariableUse>* uses);

// Compiles the string at `node` as a regex; reports a wrong type or a bad
// pattern (naming `field`) and returns nullopt.
std::optional<Regex> ReadRegex(TableReader& r, const toml::node& node, std::string_view field);

}  // namespace sonde
