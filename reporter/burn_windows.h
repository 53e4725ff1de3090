// The multi-window multi-burn-rate alerts of one SLO, as numbers: which
// windows each alert compares and how fast the budget must burn to fire.
//
// Each alert means "this share of the period's error budget was spent within
// the long window (and is still being spent, per the short window)". For a
// 30-day period these are the SRE workbook's alerts, as Sloth writes them:
//   page   2% in 1h (short 5m)  -> burn factor 14.4
//   page   5% in 6h (short 30m) -> 6
//   ticket 10% in 1d (short 2h) -> 3
//   ticket 10% in 3d (short 6h) -> 1
// For another period every window scales by period / 30d (rounded to whole
// seconds, never below [alerting] min_window), and the factor follows from
// the share: factor = share * period / long window. So a 6h test SLO alerts
// on the same shares of its budget as a 30-day one, only faster; a window
// raised to min_window lowers its factor rather than changing the share.
//
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include "config/model.h"

namespace sonde {

struct BurnAlertWindow {
  const char* severity;  // "page" or "ticket"
  double budget_share;   // of the period's error budget, 0..1
  Duration long_window;
  Duration short_window;
  double factor;  // the error ratio must exceed factor * error budget
};

// In the workbook's order: the two page alerts, then the two tickets (an
// alert the min_window floor made identical to an earlier one is left out).
std::vector<BurnAlertWindow> BurnAlertWindows(const SloSpec& slo, const AlertingConfig& alerting);

// How long the SLI's series may be absent before SondeSLISeriesAbsent fires.
Duration AbsentFor(const SloSpec& slo, const AlertingConfig& alerting);

}  // namespace sonde
