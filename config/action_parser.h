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

// Whether a kind has a response that expect/extract/poll can look at.
bool HasResponse(const std::string& kind);

}  // namespace sonde
