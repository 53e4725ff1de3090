#include "reporter/slo_rules.h"

#include <cstdio>
#include <sstream>
#include <vector>

#include "reporter/report_format.h"

namespace sonde {
namespace {

struct BurnWindow {
  const char* severity;
  const char* long_window;
  const char* short_window;
  double factor;  // for a 30-day period
};

// Google's SRE workbook thresholds, as Sloth uses them.
constexpr BurnWindow kBurnWindows[] = {
    {"page", "1h", "5m", 14.4},
    {"page", "6h", "30m", 6},
    {"ticket", "1d", "2h", 3},
    {"ticket", "3d", "6h", 1},
};
constexpr const char* kRateWindows[] = {"5m", "30m", "1h", "2h", "6h", "1d", "3d"};

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The label selector for a SLO's runs (PromQL inside a YAML block scalar).
std::string Selector(const SloSpec& slo, const std::string& extra = "") {
  std::string s = "journey=\"" + slo.journey + "\"";
  if (!slo.target.empty()) s += ",target=\"" + slo.target + "\"";
  if (!slo.location.empty()) s += ",location=\"" + slo.location + "\"";
  if (!extra.empty()) s += "," + extra;
  return "{" + s + "}";
}

double ErrorBudget(const SloSpec& slo) { return (100.0 - slo.objective) / 100.0; }

// The burn factor for `w`, scaled to the SLO's period.
double Factor(const SloSpec& slo, const BurnWindow& w) {
  const double days = std::chrono::duration<double>(slo.window).count() / 86400.0;
  return w.factor * days / 30.0;
}

// The SLI's error ratio over `window`, one PromQL line per entry.
std::vector<std::string> ErrorRatioExpr(const SloSpec& slo, const std::string& window) {
  if (slo.kind == SloSpec::Kind::kAvailability) {
    return {"(sum(rate(sonde_journey_runs_total" + Selector(slo, "outcome=\"failed\"") + "[" +
                window + "])))",
            "/",
            // "> 0": a window without runs has no ratio (absent), not NaN —
            // one NaN would poison the period's sum_over_time for a whole period.
            "(sum(rate(sonde_journey_runs_total" +
                Selector(slo, "outcome=~\"success|degraded|failed\"") + "[" + window + "])) > 0)"};
  }
  const std::string le = PromNumber(ToSeconds(*slo.threshold));
  return {"1 - (",
          "  sum(rate(sonde_journey_duration_seconds_bucket" + Selector(slo, "le=\"" + le + "\"") +
              "[" + window + "]))",
          "  /",
          "  (sum(rate(sonde_journey_duration_seconds_count" + Selector(slo) + "[" + window +
              "])) > 0)",
          ")"};
}

// A YAML block scalar's lines, indented under its key.
std::string Block(const std::vector<std::string>& lines, const std::string& indent) {
  std::string out;
  for (const std::string& line : lines) out += indent + line + "\n";
  return out;
}

std::string Labels(const SloSpec& slo, const std::string& indent) {
  return indent + "labels:\n" + indent + "  slo: " + Quote(slo.name) + "\n" + indent +
         "  journey: " + Quote(slo.journey) + "\n";
}

std::string Describe(const SloSpec& slo) {
  if (!slo.description.empty()) return slo.description;
  if (slo.kind == SloSpec::Kind::kLatency) {
    return PromNumber(slo.objective) + "% of " + slo.journey + " runs complete within " +
           FormatDuration(*slo.threshold);
  }
  return PromNumber(slo.objective) + "% of " + slo.journey + " runs succeed";
}

std::string BurnSummary(const SloSpec& slo) {
  return "SLO " + slo.name + " burns its error budget too fast";
}

std::string BurnDescription(const SloSpec& slo, const BurnWindow& w) {
  return Describe(slo) + " over " + PromDuration(slo.window) + "; the error rate over " +
         w.long_window + " and " + w.short_window + " is above " + PromNumber(Factor(slo, w)) +
         "x the budget.";
}

void RenderSlo(std::ostringstream& o, const SloSpec& slo) {
  const std::string period = PromDuration(slo.window);
  const std::string sel = "{slo=" + Quote(slo.name) + "}";
  o << "  - name: " << Quote("sonde-slo-" + slo.name + "-sli-recordings") << "\n    rules:\n";
  for (const char* w : kRateWindows) {
    o << "      - record: slo:sli_error:ratio_rate" << w << "\n        expr: |\n"
      << Block(ErrorRatioExpr(slo, w), "          ") << Labels(slo, "        ");
  }
  o << "      - record: slo:sli_error:ratio_rate" << period << "\n        expr: |\n"
    << "          sum_over_time(slo:sli_error:ratio_rate5m" << sel << "[" << period << "])\n"
    << "          / ignoring ()\n"
    << "          count_over_time(slo:sli_error:ratio_rate5m" << sel << "[" << period << "])\n"
    << Labels(slo, "        ");

  o << "  - name: " << Quote("sonde-slo-" + slo.name + "-meta-recordings") << "\n    rules:\n";
  auto rule = [&](const std::string& record, const std::string& expr) {
    o << "      - record: " << record << "\n        expr: " << expr << "\n"
      << Labels(slo, "        ");
  };
  rule("slo:objective:ratio", "vector(" + PromNumber(slo.objective / 100.0) + ")");
  rule("slo:error_budget:ratio", "vector(" + PromNumber(ErrorBudget(slo)) + ")");
  rule("slo:time_period:days",
       "vector(" + PromNumber(std::chrono::duration<double>(slo.window).count() / 86400.0) + ")");
  rule("slo:current_burn_rate:ratio", "slo:sli_error:ratio_rate5m" + sel +
                                          " / on(slo, journey) group_left slo:error_budget:ratio" +
                                          sel);
  rule("slo:period_burn_rate:ratio", "slo:sli_error:ratio_rate" + period + sel +
                                         " / on(slo, journey) group_left slo:error_budget:ratio" +
                                         sel);
  rule("slo:period_error_budget_remaining:ratio", "1 - slo:period_burn_rate:ratio" + sel);
  o << "      - record: sonde_slo_info\n        expr: vector(1)\n"
    << Labels(slo, "        ")
    << "          kind: " << Quote(std::string(KindName(slo.kind)))
    << "\n"
    << "          objective: " << Quote(PromNumber(slo.objective)) << "\n"
    << "          window: " << Quote(period) << "\n";

  o << "  - name: " << Quote("sonde-slo-" + slo.name + "-alerts") << "\n    rules:\n";
  for (const BurnWindow& w : kBurnWindows) {
    const std::string threshold =
        "(" + PromNumber(Factor(slo, w)) + " * " + PromNumber(ErrorBudget(slo)) + ")";
    o << "      - alert: SondeSLOErrorBudgetBurn\n        expr: |\n"
      << "          (slo:sli_error:ratio_rate" << w.long_window << sel << " > " << threshold
      << ")\n"
      << "          and\n"
      << "          (slo:sli_error:ratio_rate" << w.short_window << sel << " > " << threshold
      << ")\n"
      << "        labels:\n"
      << "          severity: " << Quote(w.severity) << "\n"
      << "          slo: " << Quote(slo.name) << "\n"
      << "          journey: " << Quote(slo.journey) << "\n"
      << "          long: " << Quote(w.long_window) << "\n"
      << "          short: " << Quote(w.short_window) << "\n"
      << "          burn_rate: " << Quote(PromNumber(Factor(slo, w))) << "\n"
      << "        annotations:\n"
      << "          summary: " << Quote(BurnSummary(slo)) << "\n"
      << "          description: " << Quote(BurnDescription(slo, w)) << "\n"
      << "          runbook_url: " << Quote(slo.runbook_url) << "\n";
  }
  o << "      - alert: SondeSLISeriesAbsent\n"
    << "        expr: absent(sonde_journey_runs_total" << Selector(slo) << ")\n"
    << "        for: 10m\n"
    << "        labels:\n"
    << "          severity: \"ticket\"\n"
    << "          slo: " << Quote(slo.name) << "\n"
    << "          journey: " << Quote(slo.journey) << "\n"
    << "        annotations:\n"
    << "          summary: " << Quote("No runs of " + slo.journey + " for SLO " + slo.name) << "\n"
    << "          description: "
    << Quote("sonde exports no runs of journey " + slo.journey +
             ": the SLI cannot be computed (is sonde scraped?).")
    << "\n"
    << "          runbook_url: " << Quote(slo.runbook_url) << "\n";
}

// One promtool input series.
std::string Series(const std::string& name, const std::string& labels, double per_minute,
                   int minutes) {
  return "      - series: '" + name + "{" + labels + "}'\n        values: '0+" +
         PromNumber(per_minute) + "x" + std::to_string(minutes) + "'\n";
}

// Input series where a fraction `error_ratio` of the runs are bad.
std::string Inputs(const SloSpec& slo, double error_ratio, int minutes) {
  std::string base = "journey=\"" + slo.journey + "\",target=\"" +
                     (slo.target.empty() ? std::string("http://127.0.0.1:1") : slo.target) + "\"";
  if (!slo.location.empty()) base += ",location=\"" + slo.location + "\"";
  const double per_minute = 1000;
  std::string out;
  if (slo.kind == SloSpec::Kind::kAvailability) {
    out += Series("sonde_journey_runs_total", base + ",outcome=\"success\"",
                  per_minute * (1 - error_ratio), minutes);
    out += Series("sonde_journey_runs_total", base + ",outcome=\"failed\"",
                  per_minute * error_ratio, minutes);
  } else {
    const std::string le = PromNumber(ToSeconds(*slo.threshold));
    out += Series("sonde_journey_runs_total", base + ",outcome=\"success\"", per_minute, minutes);
    out += Series("sonde_journey_duration_seconds_count", base, per_minute, minutes);
    out += Series("sonde_journey_duration_seconds_bucket", base + ",le=\"" + le + "\"",
                  per_minute * (1 - error_ratio), minutes);
  }
  return out;
}

std::string ExpectedBurnAlerts(const SloSpec& slo, const char* severity) {
  std::string out;
  for (const BurnWindow& w : kBurnWindows) {
    if (std::string(w.severity) != severity) continue;
    out += "          - exp_labels:\n              severity: " + Quote(w.severity) +
           "\n              slo: " + Quote(slo.name) +
           "\n              journey: " + Quote(slo.journey) +
           "\n              long: " + Quote(w.long_window) +
           "\n              short: " + Quote(w.short_window) +
           "\n              burn_rate: " + Quote(PromNumber(Factor(slo, w))) +
           "\n            exp_annotations:\n              summary: " + Quote(BurnSummary(slo)) +
           "\n              description: " + Quote(BurnDescription(slo, w)) +
           "\n              runbook_url: " + Quote(slo.runbook_url) + "\n";
  }
  return out;
}

}  // namespace

std::string PromNumber(double v) { return ShortestNumber(TidyDecimal(v)); }

std::string PromDuration(Duration d) {
  using namespace std::chrono;
  const int64_t s = duration_cast<seconds>(d).count();
  if (s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

std::string RenderSloRules(const Config& config) {
  std::ostringstream o;
  o << "# Generated by `sonde rules` from " << config.source << "; do not edit.\n"
    << "groups:\n";
  if (config.slos.empty()) return o.str() + "  []\n";
  for (const SloSpec& slo : config.slos) RenderSlo(o, slo);
  return o.str();
}

std::string RenderSloRuleTests(const Config& config, const std::string& rules_file) {
  std::ostringstream o;
  o << "# Generated by `sonde rules --tests` from " << config.source << "; run with\n"
    << "# `promtool test rules` on this file.\n"
    << "rule_files:\n  - " << Quote(rules_file) << "\n"
    << "evaluation_interval: 1m\n"
    << "tests:\n";
  for (const SloSpec& slo : config.slos) {
    const double budget = ErrorBudget(slo);
    const double k = std::chrono::duration<double>(slo.window).count() / (86400.0 * 30);
    // A slow burn: over both ticket factors, under both page factors.
    const double slow = std::min(0.9, budget * 4.5 * k);
    // 1. Healthy: nothing fires.
    o << "  - name: " << Quote(slo.name + ": healthy") << "\n    interval: 1m\n    input_series:\n"
      << Inputs(slo, 0, 240) << "    alert_rule_test:\n"
      << "      - eval_time: 3h\n        alertname: SondeSLOErrorBudgetBurn\n        exp_alerts: "
         "[]\n"
      << "      - eval_time: 3h\n        alertname: SondeSLISeriesAbsent\n        exp_alerts: []\n";
    // 2. Full outage: both page (and both ticket) alerts fire.
    o << "  - name: " << Quote(slo.name + ": full outage pages")
      << "\n    interval: 1m\n    input_series:\n"
      << Inputs(slo, 1, 240) << "    alert_rule_test:\n"
      << "      - eval_time: 90m\n        alertname: SondeSLOErrorBudgetBurn\n        exp_alerts:\n"
      << ExpectedBurnAlerts(slo, "page") << ExpectedBurnAlerts(slo, "ticket");
    // 3. Slow burn: a ticket, no page.
    o << "  - name: " << Quote(slo.name + ": slow burn tickets without paging")
      << "\n    interval: 1m\n    input_series:\n"
      << Inputs(slo, slow, 1600) << "    alert_rule_test:\n"
      << "      - eval_time: 25h\n        alertname: SondeSLOErrorBudgetBurn\n        exp_alerts:\n"
      << ExpectedBurnAlerts(slo, "ticket");
    // 4. No series at all: the absent alert fires after its 10 minutes — for
    // every SLO that watches the same runs.
    o << "  - name: " << Quote(slo.name + ": absent series") << "\n    interval: 1m\n"
      << "    input_series:\n      - series: 'unrelated_metric'\n        values: '0x30'\n"
      << "    alert_rule_test:\n      - eval_time: 15m\n        alertname: SondeSLISeriesAbsent\n"
      << "        exp_alerts:\n";
    for (const SloSpec& other : config.slos) {
      if (Selector(other) != Selector(slo)) continue;
      o << "          - exp_labels:\n              severity: \"ticket\"\n"
        << "              slo: " << Quote(other.name)
        << "\n              journey: " << Quote(other.journey)
        << "\n            exp_annotations:\n              summary: "
        << Quote("No runs of " + other.journey + " for SLO " + other.name)
        << "\n              description: "
        << Quote("sonde exports no runs of journey " + other.journey +
                 ": the SLI cannot be computed (is sonde scraped?).")
        << "\n              runbook_url: " << Quote(other.runbook_url) << "\n";
    }
  }
  return o.str();
}

}  // namespace sonde
