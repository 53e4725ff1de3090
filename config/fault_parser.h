// Parses one [[...fault]] table (a drill's faults, the chaos schedule's
// menu): the kind first, then only that kind's keys (config/fault_kinds.h);
// a key of another kind is reported at its line and column. Every target
// must be declared under [chaos.targets].
// Internal to config/; not thread-safe.
#pragma once

#include <toml++/toml.h>

#include <string>

#include "config/model.h"
#include "config/table_reader.h"

namespace sonde {

DrillFault ParseDrillFault(ParseContext& ctx, const toml::table& table, const std::string& path,
                           const ChaosConfig& chaos);

}  // namespace sonde
