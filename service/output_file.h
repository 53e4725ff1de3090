// Where a command's output goes: stdout for an empty path, else a file
// replaced atomically (written beside it, then renamed), so a reader never
// sees half a report or rule file. Returns the reason, naming the path,
// when it cannot.
#pragma once

#include <optional>
#include <string>

namespace sonde {

std::optional<std::string> WriteOutput(const std::string& path, const std::string& text);

}  // namespace sonde
