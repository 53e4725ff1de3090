// The HTTP routes of DrillService: method and target in, status and JSON
// out. Kept apart from the admin server so it stays free of chaos.
#pragma once

#include <string>
#include <utility>

#include "service/drill_service.h"

namespace sonde {

std::pair<int, std::string> RouteDrillRequest(DrillService& drills, const std::string& method,
                                              const std::string& target,
                                              const std::string& authorization);

}  // namespace sonde
