// The metric families after real runs: names, label sets and exact values.
#include "reporter/metrics.h"

#include <gtest/gtest.h>

#include "tests/support/journey_harness.h"
#include "tests/support/prom_text.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;
using testing::FindSample;
using testing::ParsePromText;

TEST(Metrics, FamiliesAndValuesAfterRuns) {
  testing::TestServer server;
  server.SetHandler([](const testing::TestRequest& req) {
    testing::TestResponse r;
    r.status = req.target == "/bad" ? 500 : 200;
    r.body = R"({"ok":true})";
    r.delay = 20ms;
    return r;
  });
  const std::string url = server.base_url();
  auto config = testing::MustLoad(R"(
[service]
location = "lab-1"
[targets.t]
urls = [")" + url + R"("]
[journey.good]
interval = "10s"
timeout = "2s"
targets = "t"
[[journey.good.step]]
name = "get"
http = { path = "/good" }
[journey.bad]
interval = "10s"
timeout = "2s"
targets = "t"
[[journey.bad.step]]
name = "get"
http = { path = "/bad" }
)");
  ASSERT_TRUE(config);
  Metrics metrics(*config);
  for (int i = 0; i < 3; ++i) metrics.OnRunFinished(testing::RunOnce(*config, "good"));
  metrics.OnRunFinished(testing::RunOnce(*config, "bad"));
  metrics.OnRunSkipped("good", url);
  metrics.OnSchedulerLag(1500us);
  metrics.OnSchedulerLag(3ms);

  const std::string text = metrics.Serialize();
  auto samples = ParsePromText(text);
  auto value = [&](const std::string& name, std::map<std::string, std::string> labels) {
    auto v = FindSample(samples, name, labels);
    EXPECT_TRUE(v) << name << " missing in:\n" << text;
    return v.value_or(-1);
  };
  const std::map<std::string, std::string> good{{"journey", "good"}, {"target", url}};
  const std::map<std::string, std::string> bad{{"journey", "bad"}, {"target", url}};
  auto with = [](std::map<std::string, std::string> m, std::string k, std::string v) {
    m[k] = v;
    return m;
  };

  EXPECT_EQ(value("sonde_journey_runs_total", with(good, "outcome", "success")), 3);
  EXPECT_EQ(value("sonde_journey_runs_total", with(good, "outcome", "failed")), 0);
  EXPECT_EQ(value("sonde_journey_runs_total", with(bad, "outcome", "failed")), 1);
  EXPECT_EQ(value("sonde_journey_runs_total", with(bad, "outcome", "infra_error")), 0);
  EXPECT_EQ(value("sonde_journey_duration_seconds_count", good), 3);
  EXPECT_GE(value("sonde_journey_duration_seconds_sum", good), 0.060);
  EXPECT_EQ(value("sonde_journey_duration_seconds_bucket", with(good, "le", "0.01")), 0);
  EXPECT_EQ(value("sonde_journey_duration_seconds_bucket", with(good, "le", "+Inf")), 3);
  EXPECT_EQ(value("sonde_journey_success", good), 1);
  EXPECT_EQ(value("sonde_journey_success", bad), 0);
  EXPECT_EQ(value("sonde_step_duration_seconds_count", with(good, "step", "get")), 3);
  EXPECT_EQ(
      value("sonde_step_failures_total", with(with(bad, "step", "get"), "reason", "http_status")),
      1);
  // Pre-created at zero for every reason an http step can fail with.
  EXPECT_EQ(
      value("sonde_step_failures_total", with(with(good, "step", "get"), "reason", "connect")), 0);
  EXPECT_EQ(testing::CountSamples(samples, "sonde_step_failures_total"), 14u);
  for (const char* phase : {"resolve", "connect", "tls", "processing", "transfer"}) {
    EXPECT_GE(value("sonde_http_phase_seconds", with(with(good, "step", "get"), "phase", phase)),
              0);
  }
  EXPECT_GE(
      value("sonde_http_phase_seconds", with(with(good, "step", "get"), "phase", "processing")),
      0.020);
  EXPECT_EQ(value("sonde_http_phase_seconds", with(with(good, "step", "get"), "phase", "tls")), 0);
  EXPECT_EQ(value("sonde_scheduler_lag_seconds_count", {}), 2);
  EXPECT_EQ(value("sonde_scheduler_lag_seconds_bucket", {{"le", "0.002"}}), 1);
  EXPECT_DOUBLE_EQ(value("sonde_scheduler_lag_seconds_sum", {}), 0.0045);
  EXPECT_EQ(value("sonde_step_retries_total", with(good, "step", "get")), 0);
  EXPECT_EQ(value("sonde_journey_skipped_total", good), 1);
  EXPECT_EQ(value("sonde_journey_skipped_total", bad), 0);
  EXPECT_EQ(value("sonde_build_info", {{"version", "0.1.0"}}), 1);
  // The configured location labels every series.
  for (const auto& s : samples) {
    EXPECT_EQ(s.labels.count("location"), 1u) << s.name;
  }
}

}  // namespace
}  // namespace sonde
