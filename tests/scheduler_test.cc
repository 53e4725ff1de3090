// The scheduler on a real io_context against a real server: cadence,
// skipping of overlapping runs, lag measurement, readiness.
#include "scenarios/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>

#include "probes/http_client.h"
#include "reporter/metrics.h"
#include "tests/support/journey_harness.h"
#include "tests/support/prom_text.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;

std::string JourneyToml(const std::string& url, const std::string& interval,
                        const std::string& timeout) {
  return R"(
[targets.t]
urls = [")" +
         url + R"(", ")" + url + R"(/second"]
[journey.tick]
interval = ")" +
         interval + R"("
timeout = ")" +
         timeout + R"("
targets = "t"
[[journey.tick.step]]
name = "get"
http = { path = "/" }
)";
}

struct Harness {
  explicit Harness(std::shared_ptr<const Config> config)
      : http(io.get_executor()),
        runner(ProbeEnv{http}),
        scheduler(io.get_executor(), config, runner, observer) {}
  void RunFor(std::chrono::milliseconds d) {
    scheduler.Start();
    io.run_for(d);
    scheduler.Stop();
    io.run_for(500ms);  // let in-flight runs finish
  }
  boost::asio::io_context io;
  HttpClient http;
  JourneyRunner runner;
  testing::RecordingObserver observer;
  Scheduler scheduler;
};

TEST(Scheduler, RunsEveryTargetOnItsIntervalWithLowLag) {
  testing::TestServer server;
  auto config = testing::MustLoad(JourneyToml(server.base_url(), "100ms", "80ms"));
  ASSERT_TRUE(config);
  Harness h(config);
  EXPECT_FALSE(h.scheduler.first_round_done());
  h.RunFor(1050ms);
  EXPECT_EQ(h.scheduler.slot_count(), 2u);
  EXPECT_TRUE(h.scheduler.first_round_done());
  EXPECT_EQ(h.scheduler.in_flight(), 0u);
  // 2 targets x ~10 slots in 1.05 s (the first slot lands anywhere in the
  // first interval).
  EXPECT_GE(h.observer.results.size(), 18u);
  EXPECT_LE(h.observer.results.size(), 22u);
  EXPECT_EQ(h.observer.skipped, 0u);
  EXPECT_EQ(h.observer.lags.size(), h.observer.results.size());
  for (const JourneyResult& r : h.observer.results)
    EXPECT_EQ(r.outcome, Outcome::kSuccess) << r.detail;
  // Lag is non-negative and, on an idle loop, well under one interval.
  std::vector<Duration> lags = h.observer.lags;
  std::sort(lags.begin(), lags.end());
  EXPECT_GE(lags.front(), Duration(0));
  EXPECT_LT(lags[lags.size() / 2], 20ms);
}

TEST(Scheduler, SkipsARunThatWouldOverlapThePreviousOne) {
  testing::TestServer server;
  server.SetHandler([](const testing::TestRequest&) {
    testing::TestResponse r;
    r.body = "{}";
    r.delay = 250ms;
    return r;
  });
  auto loaded = testing::MustLoad(JourneyToml(server.base_url(), "1s", "500ms"));
  ASSERT_TRUE(loaded);
  // The loader insists timeout < interval; a run can still outlast its slot
  // (e.g. a slow shutdown path), which is what this models.
  auto config = std::make_shared<Config>(*loaded);
  config->journeys[0].interval = 100ms;
  Harness h(config);
  h.RunFor(1000ms);
  // Each run takes ~250 ms, so of every ~3 slots one runs and two skip.
  const size_t runs = h.observer.results.size();
  EXPECT_GE(runs, 4u);
  EXPECT_LE(runs, 10u);
  EXPECT_GE(h.observer.skipped, runs);
  EXPECT_EQ(h.observer.lags.size(), runs + h.observer.skipped);
}

}  // namespace
}  // namespace sonde

namespace sonde {
namespace {

using namespace std::chrono_literals;

std::string Group(const std::string& url, int n) {
  std::string urls;
  for (int i = 0; i < n; ++i) urls += (i ? ", \"" : "\"") + url + "/t" + std::to_string(i) + "\"";
  return "[targets.t]\nurls = [" + urls + "]\n";
}

TEST(SchedulerLimits, ConcurrencyLimitSerialisesRunsAndShowsAsLag) {
  testing::TestServer server;
  server.SetHandler([](const testing::TestRequest&) {
    testing::TestResponse r;
    r.body = "{}";
    r.delay = 300ms;
    return r;
  });
  // Three targets; one run at a time; each run ~300 ms, so runs whose slots
  // fall within 300 ms of each other (likely, with three offsets in 1 s)
  // would overlap without the limit.
  auto config =
      testing::MustLoad("[service]\nmax_concurrent_runs = 1\n" + Group(server.base_url(), 3) + R"(
[journey.j]
interval = "1s"
timeout = "900ms"
targets = "t"
[[journey.j.step]]
name = "get"
http = { path = "/" }
)");
  ASSERT_TRUE(config);
  Harness h(config);
  h.RunFor(2100ms);
  // Each target's slot lands twice (maybe three times) in 2.1 s; runs still
  // waiting for the place when the scheduler stops never start.
  ASSERT_GE(h.observer.results.size(), 3u);
  ASSERT_LE(h.observer.results.size(), 9u);
  EXPECT_EQ(h.observer.skipped, 0u);
  EXPECT_EQ(server.requests().size(), h.observer.results.size());
  // The limit's invariant: no two runs were in flight at once.
  std::vector<std::pair<std::chrono::system_clock::time_point, Duration>> spans;
  for (const JourneyResult& r : h.observer.results) spans.emplace_back(r.started_at, r.duration);
  std::sort(spans.begin(), spans.end());
  for (size_t i = 1; i < spans.size(); ++i) {
    const auto previous_end =
        spans[i - 1].first +
        std::chrono::duration_cast<std::chrono::system_clock::duration>(spans[i - 1].second);
    EXPECT_GE(spans[i].first + std::chrono::milliseconds(1), previous_end)
        << "runs " << i - 1 << " and " << i << " overlap";
  }
  // A run waits at most for the two others' ~300 ms each.
  std::vector<Duration> lags = h.observer.lags;
  std::sort(lags.begin(), lags.end());
  EXPECT_LT(lags.back(), 900ms);
}

TEST(SchedulerFailing, FailingIntervalLooksSoonerThenRejoinsTheGrid) {
  testing::TestServer server;
  std::atomic<bool> broken{true};
  server.SetHandler([&broken](const testing::TestRequest&) {
    testing::TestResponse r;
    r.status = broken ? 503 : 200;
    r.body = "{}";
    return r;
  });
  auto config = testing::MustLoad(R"(
[targets.t]
urls = [")" + server.base_url() + R"("]
[journey.j]
interval = "1s"
failing_interval = "100ms"
timeout = "80ms"
targets = "t"
[[journey.j.step]]
name = "get"
http = { path = "/" }
)");
  ASSERT_TRUE(config);
  Harness h(config);
  h.scheduler.Start();
  h.io.run_for(1500ms);  // the first run lands within 1 s, then every 100 ms
  const size_t while_failing = h.observer.results.size();
  EXPECT_GE(while_failing, 4u);
  for (const JourneyResult& r : h.observer.results) EXPECT_EQ(r.outcome, Outcome::kFailed);
  broken = false;
  h.io.run_for(300ms);  // the next 100 ms run succeeds...
  const size_t at_recovery = h.observer.results.size();
  EXPECT_EQ(h.observer.results.back().outcome, Outcome::kSuccess);
  h.io.run_for(500ms);  // ...and then the 1 s grid applies again
  EXPECT_LE(h.observer.results.size(), at_recovery + 1);
  h.scheduler.Stop();
  h.io.run_for(200ms);
}

std::string ReloadConfig(const std::string& url, const std::string& a_path, bool with_c) {
  std::string s = "[targets.t]\nurls = [\"" + url + "\"]\n" +
                  "[journey.a]\ninterval = \"200ms\"\ntimeout = \"100ms\"\ntargets = \"t\"\n"
                  "[[journey.a.step]]\nname = \"get\"\nhttp = { path = \"" +
                  a_path + "\" }\n" +
                  "[journey.b]\ninterval = \"200ms\"\ntimeout = \"100ms\"\ntargets = \"t\"\n"
                  "[[journey.b.step]]\nname = \"get\"\nhttp = { path = \"/b\" }\n";
  if (with_c) {
    s += "[journey.c]\ninterval = \"200ms\"\ntimeout = \"100ms\"\ntargets = \"t\"\n"
         "[[journey.c.step]]\nname = \"get\"\nhttp = { path = \"/c\" }\n";
  }
  return s;
}

TEST(SchedulerReload, KeepsUnchangedSlotsReplacesChangedAndAddsNew) {
  testing::TestServer server;
  auto first = testing::MustLoad(ReloadConfig(server.base_url(), "/a", false));
  ASSERT_TRUE(first);
  Harness h(first);
  h.scheduler.Start();
  h.io.run_for(450ms);
  ASSERT_TRUE(h.scheduler.first_round_done());

  auto second = testing::MustLoad(ReloadConfig(server.base_url(), "/a2", true));
  ASSERT_TRUE(second);
  Scheduler::ReloadStats stats = h.scheduler.Reload(second);
  EXPECT_EQ(stats.kept, 1u);     // b
  EXPECT_EQ(stats.started, 2u);  // a (changed) and c (new)
  EXPECT_EQ(stats.retired, 1u);  // the old a
  EXPECT_EQ(h.scheduler.slot_count(), 3u);
  // b ran already; a and c have not run under the new config yet.
  EXPECT_FALSE(h.scheduler.first_round_done());
  const size_t before = server.requests().size();
  h.io.run_for(450ms);
  EXPECT_TRUE(h.scheduler.first_round_done());
  size_t a_old = 0, a_new = 0, c = 0;
  auto requests = server.requests();
  for (size_t i = before; i < requests.size(); ++i) {
    a_old += requests[i].target == "/a";
    a_new += requests[i].target == "/a2";
    c += requests[i].target == "/c";
  }
  EXPECT_EQ(a_old, 0u);  // the retired slot started nothing more
  EXPECT_GE(a_new, 1u);
  EXPECT_GE(c, 1u);
  h.scheduler.Stop();
  h.io.run_for(200ms);
}

std::string WithWindow(const std::string& url, const std::string& mode) {
  return "[targets.t]\nurls = [\"" + url + "\"]\n" + R"(
[journey.j]
interval = "100ms"
timeout = "80ms"
targets = "t"
[[journey.j.step]]
name = "get"
http = { path = "/" }
[[maintenance]]
journeys = ["j"]
start = 2000-01-01T00:00:00Z
end = 2100-01-01T00:00:00Z
mode = ")" +
         mode + "\"\n";
}

TEST(SchedulerMaintenance, PauseStartsNoRun) {
  testing::TestServer server;
  auto config = testing::MustLoad(WithWindow(server.base_url(), "pause"));
  ASSERT_TRUE(config);
  Harness h(config);
  h.RunFor(550ms);
  EXPECT_TRUE(h.observer.results.empty());
  EXPECT_GE(h.observer.paused, 4u);
  EXPECT_TRUE(server.requests().empty());
}

TEST(SchedulerMaintenance, MarkRunsButKeepsThemOutOfTheSlis) {
  testing::TestServer server;
  auto config = testing::MustLoad(WithWindow(server.base_url(), "mark"));
  ASSERT_TRUE(config);
  Harness h(config);
  h.RunFor(550ms);
  ASSERT_GE(h.observer.results.size(), 4u);
  for (const JourneyResult& r : h.observer.results) EXPECT_TRUE(r.maintenance);
  Metrics metrics(*config);
  for (const JourneyResult& r : h.observer.results) metrics.OnRunFinished(r);
  auto samples = testing::ParsePromText(metrics.Serialize());
  const std::map<std::string, std::string> ok{{"journey", "j"}, {"outcome", "success"}};
  EXPECT_EQ(testing::FindSample(samples, "sonde_journey_runs_total", ok), 0);
  EXPECT_EQ(testing::FindSample(samples, "sonde_journey_maintenance_runs_total", ok),
            static_cast<double>(h.observer.results.size()));
  EXPECT_FALSE(
      testing::FindSample(samples, "sonde_journey_duration_seconds_count", {{"journey", "j"}}));
}

}  // namespace
}  // namespace sonde
