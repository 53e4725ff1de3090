// Parses the [drill.*] tables: watched journeys, steady state, faults
// (kinds, declared targets, offsets and durations) and expectations. Every
// target must be declared under [chaos.targets]; every journey must exist.
// Internal to config/; not thread-safe.
#pragma once

#include <toml++/toml.h>

#include <vector>

#include "config/model.h"
#include "config/table_reader.h"

namespace sonde {

std::vector<DrillSpec> ParseDrills(ParseContext& ctx, const toml::table& drills,
                                   const std::vector<Journey>& journeys, const ChaosConfig& chaos);

}  // namespace sonde
