// Durations as people write them in config: "250ms", "15s", "1h", "1m30s",
// "1.5s". Units: ns, us (or µs), ms, s, m, h, d. A bare number is rejected,
// because "5" could mean seconds or milliseconds and guessing is how outages
// start. Thread-safe: pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sonde {

using Duration = std::chrono::nanoseconds;

// Parses `text`; on failure returns nullopt and, if `error` is set, a
// sentence saying what is wrong (e.g. `unknown unit "sec"`).
std::optional<Duration> ParseDuration(std::string_view text, std::string* error = nullptr);

// Shortest exact spelling in the same syntax: 1500ms -> "1.5s", 90s -> "1m30s".
std::string FormatDuration(Duration d);

// Seconds as a double, the base unit of every exported metric.
inline double ToSeconds(Duration d) { return std::chrono::duration<double>(d).count(); }
// Whole microseconds (truncated), as the store and reports keep durations.
inline int64_t ToMicros(Duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

}  // namespace sonde
