#include "reporter/burn_windows.h"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace sonde {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr Duration kWorkbookPeriod = hours(24 * 30);

struct WorkbookAlert {
  const char* severity;
  double budget_share;
  Duration long_window;
  Duration short_window;
};

constexpr WorkbookAlert kWorkbook[] = {
    {"page", 0.02, hours(1), minutes(5)},
    {"page", 0.05, hours(6), minutes(30)},
    {"ticket", 0.10, hours(24), hours(2)},
    {"ticket", 0.10, hours(72), hours(6)},
};

// `d` scaled by period / 30d, to whole seconds, at least `floor`.
Duration Scaled(Duration d, Duration period, Duration floor) {
  const double k = std::chrono::duration<double>(period) / kWorkbookPeriod;
  const auto seconds =
      std::chrono::seconds(std::llround(std::chrono::duration<double>(d).count() * k));
  return std::max<Duration>(std::chrono::duration_cast<Duration>(seconds), floor);
}

}  // namespace

std::vector<BurnAlertWindow> BurnAlertWindows(const SloSpec& slo, const AlertingConfig& alerting) {
  std::vector<BurnAlertWindow> out;
  for (const WorkbookAlert& w : kWorkbook) {
    BurnAlertWindow a;
    a.severity = w.severity;
    a.budget_share = w.budget_share;
    // For 30 days Scaled() is the identity but for the floor.
    a.short_window = Scaled(w.short_window, slo.window, alerting.min_window);
    a.long_window =
        std::max(Scaled(w.long_window, slo.window, alerting.min_window), a.short_window);
    a.factor = w.budget_share * (std::chrono::duration<double>(slo.window) /
                                 std::chrono::duration<double>(a.long_window));
    // Two alerts the floor made the same (a 10m period's tickets) are one.
    const bool same = std::any_of(out.begin(), out.end(), [&](const BurnAlertWindow& b) {
      return std::string_view(b.severity) == a.severity && b.long_window == a.long_window &&
             b.short_window == a.short_window && std::abs(b.factor - a.factor) < 1e-9;
    });
    if (!same) out.push_back(a);
  }
  return out;
}

Duration AbsentFor(const SloSpec& slo, const AlertingConfig& alerting) {
  if (alerting.absent_for) return *alerting.absent_for;
  // 10m scaled down for shorter periods (never up), at least min_window.
  return std::max<Duration>(
      std::min<Duration>(Scaled(minutes(10), slo.window, Duration::zero()), minutes(10)),
      alerting.min_window);
}

}  // namespace sonde
