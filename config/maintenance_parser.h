// Parses the [[maintenance]] windows. Internal to config/; not thread-safe.
#pragma once

#include <toml++/toml.h>

#include <vector>

#include "config/model.h"
#include "config/table_reader.h"

namespace sonde {

// Journeys named by a window must exist: `journeys` are the configured names.
std::vector<MaintenanceWindow> ParseMaintenance(ParseContext& ctx, const toml::node& node,
                                                const std::vector<std::string>& journeys);

}  // namespace sonde
