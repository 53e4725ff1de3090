// SLO rules: what `sonde rules` writes is accepted by promtool, and the
// promtool unit tests it writes pass (no alert when healthy, pages on a full
// outage, tickets without paging on a slow burn, absent series). promtool
// comes from Debian's prometheus package, which scripts/setup.sh installs.
#include "reporter/slo_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "config/loader.h"
#include "reporter/burn_windows.h"
#include "reporter/metrics.h"
#include "tests/support/journey_harness.h"
#include "tests/support/prom_text.h"
#include "tests/support/subprocess.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;

std::string Promtool() {
  for (const char* p : {"/usr/bin/promtool", "/usr/local/bin/promtool"}) {
    if (access(p, X_OK) == 0) return p;
  }
  return "";
}

// Fails in CI and skips elsewhere when promtool is not installed.
#define REQUIRE_PROMTOOL(promtool)                                                              \
  if ((promtool).empty()) {                                                                     \
    if (std::getenv("CI")) FAIL() << "promtool is missing in CI: scripts/setup.sh installs it"; \
    GTEST_SKIP() << "\n\n*** promtool not installed (apt-get install prometheus): SLO rules "   \
                    "NOT checked ***\n";                                                        \
  }

// One journey `j` on one target: what every SLO below watches.
constexpr const char* kOneJourney = R"(
[targets.t]
urls = ["http://127.0.0.1:1"]
[journey.j]
interval = "10s"
timeout = "2s"
targets = "t"
[[journey.j.step]]
name = "s"
sleep = "1ms"
)";

// `sonde rules` and `sonde rules --tests` for `config`, then promtool's
// check and test of them.
struct PromtoolRun {
  std::string rules, tests;
  testing::ProcessResult check, test;
};
PromtoolRun RunPromtool(const std::string& promtool, const Config& config) {
  PromtoolRun run{RenderSloRules(config), RenderSloRuleTests(config, "rules.yml"), {}, {}};
  char tmpl[] = "/tmp/sonde-rules-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  std::ofstream(dir + "/rules.yml") << run.rules;
  std::ofstream(dir + "/rules_test.yml") << run.tests;
  run.check = testing::RunProcess({promtool, "check", "rules", dir + "/rules.yml"});
  run.test = testing::RunProcess({promtool, "test", "rules", dir + "/rules_test.yml"}, 120s);
  for (const char* f : {"/rules.yml", "/rules_test.yml"}) std::remove((dir + f).c_str());
  rmdir(dir.c_str());
  return run;
}

void ExpectPromtoolPasses(const PromtoolRun& run) {
  EXPECT_EQ(run.check.exit_code, 0) << run.check.out << run.check.err;
  EXPECT_EQ(run.test.exit_code, 0) << run.test.out << run.test.err;
  EXPECT_NE(run.test.out.find("SUCCESS"), std::string::npos) << run.test.out;
}

TEST(SloRules, NumbersAndDurationsInShortestForm) {
  EXPECT_EQ(PromNumber(0.999), "0.999");
  EXPECT_EQ(PromNumber(1 - 0.999), "0.001");  // 0.0010000000000000009 as a double
  EXPECT_EQ(PromNumber(14.4 * 7 / 30), "3.36");
  EXPECT_EQ(PromNumber(30), "30");
  EXPECT_EQ(PromDuration(std::chrono::hours(24 * 30)), "30d");
  EXPECT_EQ(PromDuration(std::chrono::hours(6)), "6h");
  EXPECT_EQ(PromDuration(std::chrono::minutes(90)), "90m");
}

TEST(SloRules, PromtoolAcceptsAndTestsTheRulesOfTheExample) {
  const std::string promtool = Promtool();
  REQUIRE_PROMTOOL(promtool);
  LoadResult loaded = LoadConfigFile(std::string(SONDE_SOURCE_DIR) + "/config/examples/slo.toml");
  ASSERT_TRUE(loaded.ok()) << loaded.errors.at(0).ToString();
  const PromtoolRun run = RunPromtool(promtool, *loaded.config);
  EXPECT_EQ(run.check.exit_code, 0) << run.check.out << run.check.err;
  // Each SLO: 7 dashboard windows, the period ratio, 6 meta rules, the info
  // series, 4 burn alerts and the absent alert = 20. The 7d SLO adds the 7
  // scaled windows the dashboard set lacks (70s, 14m, 7m, 84m, 336m, 28m, 1008m).
  EXPECT_NE(run.check.out.find("SUCCESS: 47 rules found"), std::string::npos) << run.check.out;
  EXPECT_EQ(run.test.exit_code, 0) << run.test.out << run.test.err;
  EXPECT_NE(run.test.out.find("SUCCESS"), std::string::npos) << run.test.out;

  // The workbook's windows for 30 days, scaled ones for 7 days, and the budgets.
  EXPECT_NE(run.rules.find("(slo:sli_error:ratio_rate1h{slo=\"chain_head_availability\"} > "
                           "(14.4 * 0.005))"),
            std::string::npos);  // 30d, 99.5%
  EXPECT_NE(run.rules.find("(slo:sli_error:ratio_rate14m{slo=\"chain_head_latency\"} > "
                           "(14.4 * 0.01))"),
            std::string::npos);  // 7d: 1h * 7/30, 99%
  EXPECT_NE(run.rules.find("le=\"0.5\""), std::string::npos);
}

TEST(BurnWindows, ThirtyDaysAreTheWorkbooks) {
  SloSpec slo;  // 30d by default
  const std::vector<BurnAlertWindow> w = BurnAlertWindows(slo, AlertingConfig{});
  ASSERT_EQ(w.size(), 4u);
  const std::pair<Duration, Duration> windows[] = {{1h, 5min}, {6h, 30min}, {24h, 2h}, {72h, 6h}};
  const double factors[] = {14.4, 6, 3, 1};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_STREQ(w[i].severity, i < 2 ? "page" : "ticket");
    EXPECT_EQ(w[i].long_window, windows[i].first) << i;
    EXPECT_EQ(w[i].short_window, windows[i].second) << i;
    EXPECT_EQ(PromNumber(w[i].factor), PromNumber(factors[i])) << i;
  }
  EXPECT_EQ(AbsentFor(slo, AlertingConfig{}), 10min);
}

TEST(BurnWindows, ShortPeriodsScaleTheWindowsAndKeepTheShares) {
  SloSpec slo;
  slo.window = 6h;          // 1/120 of 30 days
  AlertingConfig alerting;  // min_window 1m
  const std::vector<BurnAlertWindow> w = BurnAlertWindows(slo, alerting);
  ASSERT_EQ(w.size(), 4u);
  // 1h/5m -> 30s/2.5s, both raised to 1m: 2% of 6h's budget in 1m is 7.2x.
  EXPECT_EQ(w[0].long_window, 1min);
  EXPECT_EQ(w[0].short_window, 1min);
  EXPECT_EQ(PromNumber(w[0].factor), "7.2");
  // 6h/30m -> 3m/15s (short raised to 1m): 5% in 3m of 6h is 6x, as for 30d.
  EXPECT_EQ(w[1].long_window, 3min);
  EXPECT_EQ(w[1].short_window, 1min);
  EXPECT_EQ(PromNumber(w[1].factor), "6");
  EXPECT_EQ(w[2].long_window, 12min);
  EXPECT_EQ(w[2].short_window, 1min);
  EXPECT_EQ(PromNumber(w[2].factor), "3");
  EXPECT_EQ(w[3].long_window, 36min);
  EXPECT_EQ(w[3].short_window, 3min);
  EXPECT_EQ(PromNumber(w[3].factor), "1");
  EXPECT_EQ(AbsentFor(slo, alerting), 1min);  // 10m / 120 = 5s, raised to min_window
  alerting.min_window = 10s;
  EXPECT_EQ(BurnAlertWindows(slo, alerting)[0].long_window, 30s);
  EXPECT_EQ(BurnAlertWindows(slo, alerting)[0].short_window, 10s);  // 2.5s raised
  EXPECT_EQ(PromNumber(BurnAlertWindows(slo, alerting)[0].factor), "14.4");
  alerting.absent_for = 2min;
  EXPECT_EQ(AbsentFor(slo, alerting), 2min);
}

// A config scaled for test time: a 6h period (as the end-to-end test uses),
// burn alerts that must hold 10s. promtool accepts the rules and its tests
// (written for these windows) pass; the rule file names the scaled windows.
TEST(SloRules, PromtoolAcceptsAndTestsRulesScaledToAShortPeriod) {
  const std::string promtool = Promtool();
  REQUIRE_PROMTOOL(promtool);
  LoadResult loaded = LoadConfigString(std::string(kOneJourney) + R"(
[alerting]
burn_for = "10s"
absent_for = "2m"
[slo.j_availability]
journey = "j"
objective = 99.5
window = "6h"
[slo.j_latency]
journey = "j"
kind = "latency"
threshold = "1s"
objective = 99
window = "30m"
)",
                                       "scaled.toml");
  ASSERT_TRUE(loaded.ok()) << loaded.errors.at(0).ToString();
  const PromtoolRun run = RunPromtool(promtool, *loaded.config);
  ExpectPromtoolPasses(run);
  const std::string& rules = run.rules;
  const std::string& tests = run.tests;

  EXPECT_NE(rules.find("(slo:sli_error:ratio_rate3m{slo=\"j_availability\"} > (6 * 0.005))"),
            std::string::npos);
  EXPECT_NE(rules.find("record: slo:sli_error:ratio_rate36m"), std::string::npos);
  EXPECT_NE(rules.find("        for: 10s\n"), std::string::npos);
  EXPECT_NE(rules.find("        for: 2m\n"), std::string::npos);  // absent
  // Every test the generator writes is there: the 6h SLO has a gap between
  // ticket (3x) and page (6x) factors, so its slow burn is tested; the 30m
  // SLO's windows all sit at min_window, so tickets outrank pages and it
  // has no slow-burn case.
  EXPECT_NE(tests.find("j_availability: slow burn tickets without paging"), std::string::npos);
  EXPECT_EQ(tests.find("j_latency: slow burn"), std::string::npos);
  EXPECT_NE(tests.find("j_latency: full outage pages"), std::string::npos);
}

// SLOs that watch the same runs: two availability SLOs of different periods
// on one journey, one filtered to a target, a latency one, a 90-day 90% SLO
// whose page can never fire (14.4x a 10% budget is over 100%) and a 10m
// one whose floored tickets coincide. The generated tests expect exactly
// what fires for each of them, so promtool passes them.
TEST(SloRules, PromtoolTestsHoldForSlosThatOverlap) {
  const std::string promtool = Promtool();
  REQUIRE_PROMTOOL(promtool);
  LoadResult loaded = LoadConfigString(std::string(kOneJourney) + R"(
[journey.k]
interval = "10s"
timeout = "2s"
targets = "t"
[[journey.k.step]]
name = "s"
sleep = "1ms"
[slo.a995]
journey = "j"
objective = 99.5
[slo.a999]
journey = "j"
objective = 99.9
window = "7d"
[slo.a_one_target]
journey = "j"
objective = 99
target = "http://127.0.0.1:1"
window = "10d"
[slo.lat]
journey = "j"
kind = "latency"
threshold = "1s"
objective = 99
window = "28d"
[slo.low]
journey = "k"
objective = 90
window = "90d"
[slo.tiny]
journey = "k"
objective = 99
window = "10m"
)",
                                       "overlap.toml");
  ASSERT_TRUE(loaded.ok()) << loaded.errors.at(0).ToString();
  const PromtoolRun run = RunPromtool(promtool, *loaded.config);
  ExpectPromtoolPasses(run);
  // a995's outage also fires a999's alerts (same runs); absent alerts of a
  // filtered SLO carry its target.
  const size_t outage = run.tests.find("a995: full outage pages");
  ASSERT_NE(outage, std::string::npos);
  const std::string outage_test =
      run.tests.substr(outage, run.tests.find("- name:", outage) - outage);
  EXPECT_NE(outage_test.find("slo: \"a999\""), std::string::npos) << outage_test;
  EXPECT_NE(run.tests.find("target: \"http://127.0.0.1:1\""), std::string::npos);
  // low's 14.4x page needs a 144% error ratio and cannot fire; its 6x page
  // (60%) can. tiny's two floored tickets are one alert: 3 in all.
  const size_t low = run.tests.find("low: full outage pages");
  ASSERT_NE(low, std::string::npos);
  const std::string low_test = run.tests.substr(low, run.tests.find("- name:", low) - low);
  EXPECT_EQ(low_test.find("burn_rate: \"14.4\""), std::string::npos) << low_test;
  EXPECT_NE(low_test.find("burn_rate: \"6\""), std::string::npos) << low_test;
  size_t tiny_alerts = 0;
  for (size_t at = run.rules.find("alert: SondeSLOErrorBudgetBurn"); at != std::string::npos;
       at = run.rules.find("alert: SondeSLOErrorBudgetBurn", at + 1)) {
    const std::string tiny = "slo: \"tiny\"";
    const size_t labels = run.rules.find("slo: ", run.rules.find("severity:", at));
    if (run.rules.compare(labels, tiny.size(), tiny) == 0) ++tiny_alerts;
  }
  EXPECT_EQ(tiny_alerts, 3u);
}

TEST(BurnWindows, TheFloorAppliesToThirtyDaysAndMergesWhatItMakesEqual) {
  SloSpec slo;  // 30d
  AlertingConfig alerting;
  alerting.min_window = 10min;
  const std::vector<BurnAlertWindow> w = BurnAlertWindows(slo, alerting);
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0].short_window, 10min);  // 5m raised
  EXPECT_EQ(AbsentFor(slo, alerting), 10min);
  alerting.min_window = 20min;
  EXPECT_EQ(AbsentFor(slo, alerting), 20min);  // never shorter than min_window
  slo.window = 10min;
  alerting.min_window = 1min;
  // Tickets: 1d/2h and 3d/6h scaled by 1/4320 are both under a minute: one 1m/1m alert at 1x.
  const std::vector<BurnAlertWindow> tiny = BurnAlertWindows(slo, alerting);
  ASSERT_EQ(tiny.size(), 3u);
  EXPECT_STREQ(tiny[2].severity, "ticket");
  EXPECT_EQ(PromNumber(tiny[2].factor), "1");
}

TEST(SloRules, LatencyThresholdsBecomeBucketBoundaries) {
  auto config = testing::MustLoad(std::string(kOneJourney) + R"(
[slo.fast]
journey = "j"
kind = "latency"
threshold = "300ms"
objective = 99
)");
  ASSERT_TRUE(config);
  Metrics metrics(*config);
  metrics.OnRunFinished(testing::RunOnce(*config, "j"));
  auto samples = testing::ParsePromText(metrics.Serialize());
  EXPECT_EQ(testing::FindSample(samples, "sonde_journey_duration_seconds_bucket",
                                {{"journey", "j"}, {"le", "0.3"}}),
            1);
}

TEST(SloRules, ValidationInTheStyleOfSloth) {
  LoadResult r = LoadConfigString(R"(
[targets.t]
urls = ["http://127.0.0.1:1"]
[journey.j]
interval = "10s"
timeout = "2s"
targets = "t"
[[journey.j.step]]
name = "s"
sleep = "1ms"
[slo.a]
journey = "jj"
objective = 100.5
[slo.b]
journey = "j"
kind = "latency"
objective = 0
[slo."c d"]
journey = "j"
objective = 99
threshold = "1s"
[slo.e]
journey = "j"
objective = 99
window = "5m"
[alerting]
min_window = "2h"
absent_for = "0s"
unknown = 1
)",
                                  "t.toml");
  std::vector<std::string> got;
  for (const Diagnostic& d : r.errors) got.push_back(d.ToString());
  EXPECT_THAT(got, ::testing::ElementsAre(
                       R"(t.toml:12:11: slo.a: unknown journey "jj" (did you mean "j"?))",
                       R"(t.toml:13:13: slo.a: "objective" must be in (0, 100], got 100.5)",
                       R"(t.toml:14:1: slo.b: a latency SLO needs "threshold" (e.g. "3s"))",
                       R"(t.toml:17:13: slo.b: "objective" must be in (0, 100], got 0)",
                       R"(t.toml:18:6: slo: bad SLO name "c d": use letters, digits, '_' and '-')",
                       R"(t.toml:21:13: slo."c d": "threshold" is for latency SLOs)",
                       R"(t.toml:25:10: slo.e: "window" must be at least 10m)",
                       R"(t.toml:27:14: alerting: "min_window" must be 4s..1h, got 2h)",
                       R"(t.toml:28:14: alerting: "absent_for" must be longer than zero)",
                       R"(t.toml:29:1: alerting: unknown key "unknown")"));
}

}  // namespace
}  // namespace sonde
