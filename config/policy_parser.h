// Parses what bounds a step or a journey beyond its action: the retry policy
// and the latency thresholds. Internal to config/; not thread-safe.
#pragma once

#include <optional>
#include <string>

#include "config/model.h"
#include "config/table_reader.h"

namespace sonde {

// `retry = { policy = "exponential", attempts = 4, delay = "100ms",
//            max_delay = "1s", deadline = "5s", on = ["connect", "timeout"] }`
RetryPolicy ParseRetry(ParseContext& ctx, const toml::table& table, const std::string& path);

struct Thresholds {
  std::optional<Duration> degraded_after;
  std::optional<Duration> fail_after;
};

// Reads `degraded_after` and `fail_after` from `r`'s table and checks
// degraded_after < fail_after, and both < `timeout` when it is known.
Thresholds ParseThresholds(TableReader& r, std::optional<Duration> timeout);

}  // namespace sonde
