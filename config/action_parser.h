// Parses a step's action — the one key among http, jsonrpc, sleep, tcp and
// tls that says what the step does — into Step::kind and Step::action.
// Internal to config/; not thread-safe.
#pragma once

#include <string>

#include "config/step_parser.h"

namespace sonde {

// Finds the action key in `r`'s step table (exactly one, reported
// otherwise) and parses its value; template variables go to out.uses.
void ParseAction(TableReader& r, ParsedStep& out);

// TOML -> JsonTemplate (JSON-RPC params); strings compile as templates and
// their variables go to `uses`; `field` names the value in messages.
std::optional<JsonTemplate> ToJsonTemplate(TableReader& r, const toml::node& node,
                                           const std::string& field,
                                           std::vector<VariableUse>* uses);

// Whether a kind has a response that expect/extract/poll can look at.
bool HasResponse(const std::string& kind);

}  // namespace sonde
