// Logging setup. Everything logs through spdlog's default logger to stderr;
// stdout is kept for command output (tables, `sonde check` diagnostics).
#pragma once

#include <string_view>

namespace sonde {

// level: trace|debug|info|warn|error|off. Returns false for an unknown level.
bool SetupLogging(std::string_view level);

}  // namespace sonde
