// Parses the [slo.*] tables, validated in the style of Sloth. Internal to
// config/; not thread-safe.
#pragma once

#include <toml++/toml.h>

#include <vector>

#include "config/model.h"
#include "config/table_reader.h"

namespace sonde {

std::vector<SloSpec> ParseSlos(ParseContext& ctx, const toml::table& slos,
                               const std::vector<Journey>& journeys);

}  // namespace sonde
