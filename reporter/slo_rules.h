// `sonde rules`: the [slo.*] tables as a Prometheus rule file — recording
// rules with Sloth's names (slo:sli_error:ratio_rate5m ... _rate3d, the
// period ratio, objective, error budget, burn rates, budget remaining, an
// info series) and multi-window multi-burn-rate alerts (page 14.4x over
// 1h/5m and 6x over 6h/30m; ticket 3x over 1d/2h and 1x over 3d/6h, the
// factors scaled by window / 30d), plus an alert when the SLI's series is
// absent — and promtool unit tests that exercise each alert.
//
// The SLIs count success, degraded and failed runs; infra_error runs and
// maintenance runs are outside sonde_journey_runs_total's denominators by
// construction (see reporter/metrics.h).
// Thread-safety: pure functions. YAML is written by hand: the shapes are
// fixed and every string is quoted, so no YAML library is needed.
#pragma once

#include <string>

#include "config/model.h"

namespace sonde {

std::string RenderSloRules(const Config& config);

// promtool `test rules` file for the rules in `rules_file` (a path relative
// to the test file, as promtool resolves it).
std::string RenderSloRuleTests(const Config& config, const std::string& rules_file);

// Shortest decimal for rule files: 0.999, never 0.9990000000000001.
std::string PromNumber(double v);

// A duration as Prometheus writes it: "30d", "6h", "5m", "90s".
std::string PromDuration(Duration d);

}  // namespace sonde
