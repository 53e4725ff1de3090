#pragma once

namespace sonde {
inline constexpr const char* kVersion = "0.1.0";
}
