// Loading a config for a command: on failure, every diagnostic is printed
// (one "FILE:LINE:COL: message" per line) to `out`, followed by a count.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "config/model.h"

namespace sonde {

std::shared_ptr<const Config> LoadOrReport(const std::string& path, std::FILE* out);

}  // namespace sonde
