// Wall-clock instants as the store, reports and journals keep them: Unix
// microseconds (UTC). Durations are measured on the monotonic clock
// elsewhere; these are for "when", never for "how long".
#pragma once

#include <chrono>
#include <cstdint>

namespace sonde {

inline int64_t UnixMicros(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

inline int64_t NowUnixMicros() { return UnixMicros(std::chrono::system_clock::now()); }

}  // namespace sonde
