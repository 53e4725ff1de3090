// Retries, latency thresholds and sleep steps, end to end on loopback.
#include <gtest/gtest.h>

#include <atomic>

#include "tests/support/journey_harness.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;
using testing::MustLoad;
using testing::RunOnce;
using testing::TestRequest;
using testing::TestResponse;
using testing::TestServer;

// One journey "j" (timeout 3s) against `url` with the given step lines.
std::string OneStep(const std::string& url, const std::string& step,
                    const std::string& journey = "") {
  return "[targets.t]\nurls = [\"" + url +
         "\"]\n[journey.j]\ninterval = \"10s\"\ntimeout = \"3s\"\n"
         "targets = \"t\"\n" +
         journey + "[[journey.j.step]]\nname = \"s\"\n" + step;
}

// Answers {} after `delay`.
TestServer::Handler AnswerAfter(std::chrono::milliseconds delay) {
  return [delay](const TestRequest&) {
    TestResponse r;
    r.body = "{}";
    r.delay = delay;
    return r;
  };
}

// Fails the first `failures` requests with `status`, then answers 200.
TestServer::Handler FailFirst(int failures, int status, std::atomic<int>& seen) {
  return [failures, status, &seen](const TestRequest&) {
    TestResponse r;
    r.body = "{}";
    if (seen.fetch_add(1) < failures) r.status = status;
    return r;
  };
}

TEST(Retry, RecoversAndCountsTheRetries) {
  TestServer server;
  std::atomic<int> seen{0};
  server.SetHandler(FailFirst(2, 503, seen));
  auto config = MustLoad(OneStep(server.base_url(), R"(http = { path = "/" }
retry = { policy = "fixed", attempts = 3, delay = "20ms", on = ["http_status"] }
)"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << r.detail;
  EXPECT_EQ(r.steps.at(0).retries, 2);
  EXPECT_EQ(seen.load(), 3);
  EXPECT_GE(r.duration, 40ms);  // two waits of 20 ms
}

TEST(Retry, OnlyTheLastAttemptCounts) {
  TestServer server;
  std::atomic<int> seen{0};
  server.SetHandler(FailFirst(10, 503, seen));
  auto config = MustLoad(OneStep(server.base_url(), R"(http = { path = "/" }
retry = { policy = "exponential", attempts = 3, delay = "10ms", on = ["http_status"] }
)"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kHttpStatus);
  EXPECT_EQ(r.steps.at(0).retries, 2);
  EXPECT_EQ(seen.load(), 3);
  EXPECT_GE(r.duration, 30ms);  // 10 ms, then 20 ms
}

TEST(Retry, NotForReasonsOutsideTheList) {
  TestServer server;
  std::atomic<int> seen{0};
  server.SetHandler(FailFirst(10, 500, seen));
  // The default list is transport failures; a 500 is an answer, not retried.
  auto config = MustLoad(OneStep(server.base_url(), R"(http = { path = "/" }
retry = { policy = "fixed", attempts = 5, delay = "10ms" }
)"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.reason, Reason::kHttpStatus);
  EXPECT_EQ(r.steps.at(0).retries, 0);
  EXPECT_EQ(seen.load(), 1);
}

TEST(Retry, StopsAtItsDeadline) {
  TestServer server;
  std::atomic<int> seen{0};
  server.SetHandler(FailFirst(100, 503, seen));
  auto config = MustLoad(OneStep(server.base_url(), R"(http = { path = "/" }
retry = { policy = "fixed", attempts = 50, delay = "40ms", deadline = "150ms", on = ["http_status"] }
)"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.reason, Reason::kHttpStatus);
  // Attempts at ~0, 40, 80, 120 ms; a fifth would start past 150 ms.
  EXPECT_GE(seen.load(), 3);
  EXPECT_LE(seen.load(), 4);
  EXPECT_LT(r.duration, 300ms);
}

TEST(Thresholds, StepFailAfterFailsASlowCorrectAnswer) {
  TestServer server;
  server.SetHandler(AnswerAfter(120ms));
  auto config =
      MustLoad(OneStep(server.base_url(), "http = { path = \"/\" }\nfail_after = \"50ms\"\n"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kSlow);
  EXPECT_EQ(r.failing_step, "s");
  EXPECT_NE(r.detail.find("fail_after 50ms"), std::string::npos) << r.detail;
}

TEST(Thresholds, StepDegradedAfterNamesTheSlowStep) {
  TestServer server;
  server.SetHandler(AnswerAfter(80ms));
  auto config =
      MustLoad(OneStep(server.base_url(), "http = { path = \"/\" }\ndegraded_after = \"30ms\"\n"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.outcome, Outcome::kDegraded);
  EXPECT_EQ(r.reason, Reason::kSlow);
  EXPECT_EQ(r.failing_step, "s");
}

TEST(Thresholds, JourneyFailAfter) {
  TestServer server;
  server.SetHandler(AnswerAfter(80ms));
  auto config =
      MustLoad(OneStep(server.base_url(), "http = { path = \"/\" }\n", "fail_after = \"30ms\"\n"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kSlow);
  EXPECT_EQ(r.failing_step, "");
}

TEST(Sleep, WaitsItsDuration) {
  auto config = MustLoad(OneStep("http://127.0.0.1:1", "sleep = \"60ms\"\n"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << r.detail;
  EXPECT_GE(r.steps.at(0).duration, 60ms);
  EXPECT_FALSE(r.steps.at(0).has_phases);
}

TEST(Sleep, LongerThanTheStepTimeoutIsATimeout) {
  auto config = MustLoad(OneStep("http://127.0.0.1:1", "sleep = \"2s\"\ntimeout = \"50ms\"\n"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.reason, Reason::kTimeout);
  EXPECT_LT(r.duration, 1s);
}

}  // namespace
}  // namespace sonde
