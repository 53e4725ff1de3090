// Parses the [journey.*] tables into the model, checking each journey's
// timings, its target group and the variables its steps' templates use.
// Internal to config/; not thread-safe (one load at a time).
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "config/model.h"
#include "config/table_reader.h"

namespace sonde {

// `groups` are the names under [targets], which a journey's `targets` must
// name. Journeys are appended to `out` in file order.
void ParseJourneys(ParseContext& ctx, const toml::table& journeys,
                   const std::vector<std::string>& groups, std::vector<Journey>& out);

}  // namespace sonde
