#include "reporter/slo_rules.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "reporter/burn_windows.h"
#include "reporter/report_format.h"

namespace sonde {
namespace {

// Error ratios recorded for every SLO whatever its alerts use, so dashboards
// find the same series everywhere (Sloth's names).
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

// The rate windows recorded for `slo`: the dashboards' set, then each
// window its alerts use that the set lacks.
std::vector<std::string> RateWindows(const std::vector<BurnAlertWindow>& alerts) {
  std::vector<std::string> out(std::begin(kRateWindows), std::end(kRateWindows));
  for (const BurnAlertWindow& a : alerts) {
    for (Duration d : {a.short_window, a.long_window}) {
      const std::string w = PromDuration(d);
      if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
    }
  }
  return out;
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

std::string BurnDescription(const SloSpec& slo, const BurnAlertWindow& w) {
  return Describe(slo) + " over " + PromDuration(slo.window) + "; the error rate over " +
         PromDuration(w.long_window) + " and " + PromDuration(w.short_window) + " is above " +
         PromNumber(w.factor) + "x the budget (" + PromNumber(w.budget_share * 100) +
         "% of it gone within " + PromDuration(w.long_window) + ").";
}

void RenderSlo(std::ostringstream& o, const SloSpec& slo, const AlertingConfig& alerting) {
  const std::vector<BurnAlertWindow> alerts = BurnAlertWindows(slo, alerting);
  const std::string period = PromDuration(slo.window);
  const std::string sel = "{slo=" + Quote(slo.name) + "}";
  const std::vector<std::string> windows = RateWindows(alerts);
  o << "  - name: " << Quote("sonde-slo-" + slo.name + "-sli-recordings") << "\n    rules:\n";
  for (const std::string& w : windows) {
    o << "      - record: slo:sli_error:ratio_rate" << w << "\n        expr: |\n"
      << Block(ErrorRatioExpr(slo, w), "          ") << Labels(slo, "        ");
  }
  // The period's error ratio as Sloth writes it: the mean of the 5m ratios.
  // When the period is itself one of the rate windows (a 6h SLO, say), that
  // window's record already is the period's ratio, under the same name.
  if (std::find(windows.begin(), windows.end(), period) == windows.end()) {
    o << "      - record: slo:sli_error:ratio_rate" << period << "\n        expr: |\n"
      << "          sum_over_time(slo:sli_error:ratio_rate5m" << sel << "[" << period << "])\n"
      << "          / ignoring ()\n"
      << "          count_over_time(slo:sli_error:ratio_rate5m" << sel << "[" << period << "])\n"
      << Labels(slo, "        ");
  }

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
    << Labels(slo, "        ") << "          kind: " << Quote(std::string(KindName(slo.kind)))
    << "\n"
    << "          objective: " << Quote(PromNumber(slo.objective)) << "\n"
    << "          window: " << Quote(period) << "\n";

  o << "  - name: " << Quote("sonde-slo-" + slo.name + "-alerts") << "\n    rules:\n";
  for (const BurnAlertWindow& w : alerts) {
    const std::string threshold =
        "(" + PromNumber(w.factor) + " * " + PromNumber(ErrorBudget(slo)) + ")";
    o << "      - alert: SondeSLOErrorBudgetBurn\n        expr: |\n"
      << "          (slo:sli_error:ratio_rate" << PromDuration(w.long_window) << sel << " > "
      << threshold << ")\n"
      << "          and\n"
      << "          (slo:sli_error:ratio_rate" << PromDuration(w.short_window) << sel << " > "
      << threshold << ")\n";
    if (alerting.burn_for > Duration::zero()) {
      o << "        for: " << PromDuration(alerting.burn_for) << "\n";
    }
    o << "        labels:\n"
      << "          severity: " << Quote(w.severity) << "\n"
      << "          slo: " << Quote(slo.name) << "\n"
      << "          journey: " << Quote(slo.journey) << "\n"
      << "          long: " << Quote(PromDuration(w.long_window)) << "\n"
      << "          short: " << Quote(PromDuration(w.short_window)) << "\n"
      << "          burn_rate: " << Quote(PromNumber(w.factor)) << "\n"
      << "        annotations:\n"
      << "          summary: " << Quote(BurnSummary(slo)) << "\n"
      << "          description: " << Quote(BurnDescription(slo, w)) << "\n"
      << "          runbook_url: " << Quote(slo.runbook_url) << "\n";
  }
  o << "      - alert: SondeSLISeriesAbsent\n"
    << "        expr: absent(sonde_journey_runs_total" << Selector(slo) << ")\n"
    << "        for: " << PromDuration(AbsentFor(slo, alerting)) << "\n"
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

// The input series of one promtool test, and what each SLO's rules will
// make of them — so a test lists exactly the alerts that fire, however the
// config's SLOs overlap (several on one journey, with or without target or
// location filters, of either kind).
class TestInputs {
 public:
  // `slo`'s runs where a fraction `error_ratio` of them are bad: 1000 a
  // step, at the SLO's own target and location (a made-up target when it
  // has no filter).
  void AddRuns(const SloSpec& slo, double error_ratio) {
    Labels base{{"journey", slo.journey},
                {"target", slo.target.empty() ? "http://127.0.0.1:1" : slo.target}};
    if (!slo.location.empty()) base["location"] = slo.location;
    const double n = 1000;
    auto with = [&](const char* key, const std::string& value) {
      Labels l = base;
      l[key] = value;
      return l;
    };
    if (slo.kind == SloSpec::Kind::kAvailability) {
      Add("sonde_journey_runs_total", with("outcome", "success"), n * (1 - error_ratio));
      Add("sonde_journey_runs_total", with("outcome", "failed"), n * error_ratio);
    } else {
      Add("sonde_journey_runs_total", with("outcome", "success"), n);
      Add("sonde_journey_duration_seconds_count", base, n);
      Add("sonde_journey_duration_seconds_bucket", with("le", Le(slo)), n * (1 - error_ratio));
    }
  }

  // Whether any run series matches `slo`'s selector (else its absent alert fires).
  bool HasRuns(const SloSpec& slo) const {
    for (const auto& [key, s] : series_) {
      if (s.name == "sonde_journey_runs_total" && Matches(slo, s.labels)) return true;
    }
    return false;
  }

  // The error ratio `slo`'s rules compute over these series, as in
  // ErrorRatioExpr; nullopt where the expression has no value.
  std::optional<double> ErrorRatio(const SloSpec& slo) const {
    double bad = 0, total = 0;
    bool numerator = false;
    for (const auto& [key, s] : series_) {
      if (!Matches(slo, s.labels)) continue;
      if (slo.kind == SloSpec::Kind::kAvailability && s.name == "sonde_journey_runs_total") {
        const std::string& outcome = s.labels.at("outcome");
        if (outcome == "failed") {
          bad += s.per_step;
          numerator = true;
        }
        if (outcome == "success" || outcome == "degraded" || outcome == "failed")
          total += s.per_step;
      } else if (slo.kind == SloSpec::Kind::kLatency) {
        if (s.name == "sonde_journey_duration_seconds_count") total += s.per_step;
        if (s.name == "sonde_journey_duration_seconds_bucket" && s.labels.at("le") == Le(slo)) {
          bad += s.per_step;  // the good ones, for now
          numerator = true;
        }
      }
    }
    if (!numerator || total <= 0) return std::nullopt;
    return slo.kind == SloSpec::Kind::kAvailability ? bad / total : 1 - bad / total;
  }

  std::string Yaml(int64_t samples) const {
    std::string out;
    for (const auto& [key, s] : series_) {
      out += "      - series: '" + key + "'\n        values: '0+" + PromNumber(s.per_step) + "x" +
             std::to_string(samples) + "'\n";
    }
    return out;
  }

 private:
  using Labels = std::map<std::string, std::string>;
  struct Series {
    std::string name;
    Labels labels;
    double per_step;
  };

  static std::string Le(const SloSpec& slo) { return PromNumber(ToSeconds(*slo.threshold)); }

  static bool Matches(const SloSpec& slo, const Labels& labels) {
    auto is = [&](const char* key, const std::string& want) {
      auto it = labels.find(key);
      return it != labels.end() && it->second == want;
    };
    return is("journey", slo.journey) && (slo.target.empty() || is("target", slo.target)) &&
           (slo.location.empty() || is("location", slo.location));
  }

  void Add(const std::string& name, const Labels& labels, double per_step) {
    std::string key = name + "{";
    for (const auto& [k, v] : labels) key += (key.back() == '{' ? "" : ",") + k + "=\"" + v + "\"";
    key += "}";
    series_[key] = {name, labels, per_step};
  }

  std::map<std::string, Series> series_;  // by selector text: one entry per series
};

// Healthy runs for every SLO that sees no runs yet, so no absent alert
// fires where the test is not about it.
void AddHealthyRunsForTheRest(const Config& config, TestInputs& inputs) {
  for (const SloSpec& other : config.slos) {
    if (!inputs.HasRuns(other)) inputs.AddRuns(other, 0);
  }
}

// The burn-rate alerts of every SLO that the inputs make fire, as
// promtool's exp_alerts entries.
std::string ExpectedBurnAlerts(const Config& config, const TestInputs& inputs) {
  std::string out;
  for (const SloSpec& slo : config.slos) {
    const std::optional<double> ratio = inputs.ErrorRatio(slo);
    if (!ratio) continue;
    for (const BurnAlertWindow& w : BurnAlertWindows(slo, config.alerting)) {
      // Both windows see the same ratio; a margin keeps rounding in the
      // rates from deciding a case that sits on the threshold.
      if (*ratio <= w.factor * ErrorBudget(slo) * (1 + 1e-6)) continue;
      out += "          - exp_labels:\n              severity: " + Quote(w.severity) +
             "\n              slo: " + Quote(slo.name) +
             "\n              journey: " + Quote(slo.journey) +
             "\n              long: " + Quote(PromDuration(w.long_window)) +
             "\n              short: " + Quote(PromDuration(w.short_window)) +
             "\n              burn_rate: " + Quote(PromNumber(w.factor)) +
             "\n            exp_annotations:\n              summary: " + Quote(BurnSummary(slo)) +
             "\n              description: " + Quote(BurnDescription(slo, w)) +
             "\n              runbook_url: " + Quote(slo.runbook_url) + "\n";
    }
  }
  return out;
}

// The burn-rate alert test at `eval` over `inputs`.
std::string BurnTest(const Config& config, const TestInputs& inputs, const std::string& eval) {
  const std::string expected = ExpectedBurnAlerts(config, inputs);
  return "      - eval_time: " + eval + "\n        alertname: SondeSLOErrorBudgetBurn\n" +
         (expected.empty() ? "        exp_alerts: []\n" : "        exp_alerts:\n" + expected);
}

// promtool's test timing for one SLO: a sample interval fine enough for its
// shortest window, and an evaluation time by which every window holds
// enough samples and the burn alerts' `for` has passed.
struct TestClock {
  Duration interval;
  Duration eval;
  int64_t samples;  // input series length, a little past `eval`
};

TestClock ClockFor(const Config& config) {
  using std::chrono::seconds;
  // The finest any SLO needs: the tests of one SLO see the others' alerts too.
  Duration shortest = std::chrono::minutes(4);
  for (const SloSpec& slo : config.slos) {
    for (const BurnAlertWindow& a : BurnAlertWindows(slo, config.alerting))
      shortest = std::min(shortest, a.short_window);
  }
  // Whole seconds, at most a minute, and at least 4 samples in the shortest
  // window (min_window is at least 4s).
  const Duration interval = std::clamp<Duration>(std::chrono::duration_cast<seconds>(shortest / 4),
                                                 seconds(1), std::chrono::minutes(1));
  // Both counters of a ratio are sampled at the same instants, so rate()'s
  // extrapolation cancels out and a constant error ratio shows in every
  // window, however long, once it holds a couple of samples: 20 suffice.
  const Duration eval = interval * 20 + config.alerting.burn_for;
  return {interval, eval, static_cast<int64_t>(eval / interval) + 10};
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
  for (const SloSpec& slo : config.slos) RenderSlo(o, slo, config.alerting);
  return o.str();
}

std::string RenderSloRuleTests(const Config& config, const std::string& rules_file) {
  const TestClock clock = ClockFor(config);  // one for the whole file
  std::ostringstream o;
  o << "# Generated by `sonde rules --tests` from " << config.source << "; run with\n"
    << "# `promtool test rules` on this file.\n"
    << "rule_files:\n  - " << Quote(rules_file) << "\n"
    << "evaluation_interval: " << PromDuration(clock.interval) << "\n"
    << "tests:\n";
  for (const SloSpec& slo : config.slos) {
    const std::vector<BurnAlertWindow> alerts = BurnAlertWindows(slo, config.alerting);
    const std::string interval = PromDuration(clock.interval);
    const std::string eval = PromDuration(clock.eval);
    auto header = [&](const std::string& name, const TestInputs& inputs, int64_t samples,
                      const std::string& extra_series = "") {
      o << "  - name: " << Quote(slo.name + ": " + name) << "\n    interval: " << interval
        << "\n    input_series:\n"
        << extra_series << inputs.Yaml(samples) << "    alert_rule_test:\n";
    };
    // 1. Healthy: nothing fires.
    TestInputs healthy;
    healthy.AddRuns(slo, 0);
    AddHealthyRunsForTheRest(config, healthy);
    header("healthy", healthy, clock.samples);
    o << BurnTest(config, healthy, eval) << "      - eval_time: " << eval
      << "\n        alertname: SondeSLISeriesAbsent\n        exp_alerts: []\n";
    // 2. Full outage: the pages and tickets fire (every one whose threshold
    // is below a 100% error ratio), for this SLO and any other that sees
    // the same runs.
    TestInputs outage;
    outage.AddRuns(slo, 1);
    AddHealthyRunsForTheRest(config, outage);
    header("full outage pages", outage, clock.samples);
    o << BurnTest(config, outage, eval);
    // 3. Slow burn: a ticket, no page — between the highest ticket factor
    // and the lowest page factor. A period whose windows were raised to
    // min_window may have no such gap (or none below a 100% error ratio);
    // then there is nothing to test.
    double max_ticket = 0, min_page = 1e300;
    for (const BurnAlertWindow& a : alerts) {
      if (std::string(a.severity) == "page")
        min_page = std::min(min_page, a.factor);
      else
        max_ticket = std::max(max_ticket, a.factor);
    }
    const double budget = ErrorBudget(slo);
    const double slow = std::min(0.9, budget * (max_ticket + min_page) / 2);
    if (max_ticket < min_page && slow > budget * max_ticket * (1 + 1e-3)) {
      TestInputs slow_burn;
      slow_burn.AddRuns(slo, slow);
      AddHealthyRunsForTheRest(config, slow_burn);
      header("slow burn tickets without paging", slow_burn, clock.samples);
      o << BurnTest(config, slow_burn, eval);
    }
    // 4. No runs of the journey: every SLO on it has its absent alert
    // firing once the longest of their `for`s has passed.
    Duration absent_for = Duration::zero();
    for (const SloSpec& other : config.slos) {
      if (other.journey == slo.journey)
        absent_for = std::max(absent_for, AbsentFor(other, config.alerting));
    }
    TestInputs others;
    for (const SloSpec& other : config.slos) {
      if (other.journey != slo.journey) others.AddRuns(other, 0);
    }
    const int64_t samples = (absent_for + clock.interval * 10) / clock.interval;
    header("absent series", others, samples,
           "      - series: 'unrelated_metric'\n        values: '0x" + std::to_string(samples) +
               "'\n");
    o << "      - eval_time: " << PromDuration(absent_for + clock.interval * 5)
      << "\n        alertname: SondeSLISeriesAbsent\n        exp_alerts:\n";
    for (const SloSpec& other : config.slos) {
      if (others.HasRuns(other)) continue;
      o << "          - exp_labels:\n              severity: \"ticket\"\n"
        << "              slo: " << Quote(other.name)
        << "\n              journey: " << Quote(other.journey) << "\n";
      // absent() keeps the selector's equality matchers as labels.
      if (!other.target.empty()) o << "              target: " << Quote(other.target) << "\n";
      if (!other.location.empty()) o << "              location: " << Quote(other.location) << "\n";
      o << "            exp_annotations:\n              summary: "
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
