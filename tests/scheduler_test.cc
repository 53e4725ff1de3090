// The scheduler on a real io_context against a real server: cadence,
// skipping of overlapping runs, lag measurement, readiness.
#include "scenarios/scheduler.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "probes/http_client.h"
#include "tests/support/journey_harness.h"
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
