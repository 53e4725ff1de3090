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
  if (promtool.empty()) {
    if (std::getenv("CI"))
      FAIL() << "promtool is missing in CI: scripts/setup.sh installs prometheus";
    GTEST_SKIP() << "\n\n*** promtool not installed (apt-get install prometheus): SLO rules NOT "
                    "checked ***\n";
  }
  LoadResult loaded = LoadConfigFile(std::string(SONDE_SOURCE_DIR) + "/config/examples/slo.toml");
  ASSERT_TRUE(loaded.ok()) << loaded.errors.at(0).ToString();
  char tmpl[] = "/tmp/sonde-rules-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  std::ofstream(dir + "/rules.yml") << RenderSloRules(*loaded.config);
  std::ofstream(dir + "/rules_test.yml") << RenderSloRuleTests(*loaded.config, "rules.yml");

  auto check = testing::RunProcess({promtool, "check", "rules", dir + "/rules.yml"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("SUCCESS: 40 rules found"), std::string::npos) << check.out;
  auto test = testing::RunProcess({promtool, "test", "rules", dir + "/rules_test.yml"}, 120s);
  EXPECT_EQ(test.exit_code, 0) << test.out << test.err;
  EXPECT_NE(test.out.find("SUCCESS"), std::string::npos) << test.out;

  // The scaled factors and the budgets, as written.
  std::ifstream in(dir + "/rules.yml");
  std::stringstream rules;
  rules << in.rdbuf();
  EXPECT_NE(rules.str().find("(14.4 * 0.005)"), std::string::npos);  // 30d, 99.5%
  EXPECT_NE(rules.str().find("(3.36 * 0.01)"), std::string::npos);   // 7d: 14.4 * 7 / 30, 99%
  EXPECT_NE(rules.str().find("le=\"0.5\""), std::string::npos);
  for (const char* f : {"/rules.yml", "/rules_test.yml"}) std::remove((dir + f).c_str());
  rmdir(dir.c_str());
}

TEST(SloRules, LatencyThresholdsBecomeBucketBoundaries) {
  auto config = testing::MustLoad(R"(
[targets.t]
urls = ["http://127.0.0.1:1"]
[journey.j]
interval = "10s"
timeout = "2s"
targets = "t"
[[journey.j.step]]
name = "s"
sleep = "1ms"
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
                       R"(t.toml:21:13: slo."c d": "threshold" is for latency SLOs)"));
}

}  // namespace
}  // namespace sonde
