// Polling steps against a chain-like loopback server whose height grows on
// its own clock: confirmation in time and in blocks, and the failure modes.
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

// A chain with a block every `block` and a tx that confirms at `confirm_at`
// (height); /v1/tx answers 404 until `known_after` requests have been seen.
class FakeChain {
 public:
  FakeChain(std::chrono::milliseconds block, int64_t confirm_at, int known_after = 0)
      : block_(block), confirm_at_(confirm_at), known_after_(known_after) {
    server_.SetHandler([this](const TestRequest& req) { return Answer(req); });
  }
  std::string url() const { return server_.base_url(); }
  int tx_requests() const { return tx_requests_.load(); }

 private:
  int64_t Height() const { return 1 + (std::chrono::steady_clock::now() - start_) / block_; }
  TestResponse Answer(const TestRequest& req) {
    TestResponse r;
    const int64_t h = Height();
    if (req.target == "/v1/head") {
      r.body = R"({"committed_height":)" + std::to_string(h) + "}";
    } else if (req.target == "/v1/tx/abc") {
      if (tx_requests_.fetch_add(1) < known_after_) {
        r.status = 404;
        r.body = R"({"error":"unknown tx"})";
      } else if (h >= confirm_at_) {
        r.body =
            R"({"status":"confirmed","confirmations":)" + std::to_string(h - confirm_at_ + 1) + "}";
      } else {
        r.body = R"({"status":"pending"})";
      }
    } else {
      r.status = 404;
    }
    return r;
  }

  TestServer server_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::milliseconds block_;
  int64_t confirm_at_;
  int known_after_;
  std::atomic<int> tx_requests_{0};
};

std::string PollJourney(const std::string& url, const std::string& poll) {
  return "[targets.t]\nurls = [\"" + url + "\"]\n" + R"(
[journey.j]
interval = "10s"
timeout = "3s"
targets = "t"
[[journey.j.step]]
name = "confirm"
http = { path = "/v1/tx/abc" }
expect = { status = [200] }
)" + poll +
         "\nuntil = { \"/status\" = \"confirmed\", \"/confirmations\" = { ge = 2 } }\n";
}

TEST(Poll, ConfirmsAndCountsPollsAndBlocks) {
  FakeChain chain(50ms, 3);  // confirmed at height 3, 2 confirmations at height 4 (~150 ms)
  auto config = MustLoad(PollJourney(
      chain.url(),
      R"(poll = { every = "20ms", within = "2s", height = { path = "/v1/head", pointer = "/committed_height" } })"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  ASSERT_EQ(r.outcome, Outcome::kSuccess) << r.detail;
  const StepResult& s = r.steps.at(0);
  EXPECT_GE(s.polls, 3);
  EXPECT_EQ(s.polls, chain.tx_requests());
  ASSERT_TRUE(s.blocks);
  EXPECT_GE(*s.blocks, 2);  // from height 1 to at least 4... minus scheduling slack
  EXPECT_LE(*s.blocks, 5);
  EXPECT_GE(r.duration, 140ms);
}

TEST(Poll, NotYetKnownAnswersKeepPolling) {
  FakeChain chain(20ms, 1, /*known_after=*/3);
  auto config = MustLoad(PollJourney(chain.url(), R"(poll = { every = "10ms", within = "2s" })"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  ASSERT_EQ(r.outcome, Outcome::kSuccess) << r.detail;
  EXPECT_GE(r.steps.at(0).polls, 4);   // three 404s first
  EXPECT_FALSE(r.steps.at(0).blocks);  // no height source configured
}

TEST(Poll, OutOfTimeIsNotConfirmed) {
  FakeChain chain(1000ms, 1000);
  auto config =
      MustLoad(PollJourney(chain.url(), R"(poll = { every = "20ms", within = "150ms" })"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kNotConfirmed);
  EXPECT_EQ(r.failing_step, "confirm");
  EXPECT_NE(r.detail.find(R"("/status" is "pending", expected "confirmed")"), std::string::npos)
      << r.detail;
  EXPECT_GE(r.steps.at(0).polls, 4);
  EXPECT_LT(r.duration, 400ms);
}

TEST(Poll, OutOfBlocksIsNotConfirmed) {
  FakeChain chain(30ms, 1000);
  auto config = MustLoad(PollJourney(
      chain.url(),
      R"(poll = { every = "10ms", within_blocks = 3, height = { path = "/v1/head", pointer = "/committed_height" } })"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.reason, Reason::kNotConfirmed);
  ASSERT_TRUE(r.steps.at(0).blocks);
  EXPECT_EQ(*r.steps.at(0).blocks, 3);
  EXPECT_NE(r.detail.find("in 3 blocks"), std::string::npos) << r.detail;
  // Three blocks of 30 ms, not the journey's 3 s.
  EXPECT_LT(r.duration, 1s);
}

TEST(Poll, UnreachableTargetKeepsItsTransportReason) {
  const std::string url = "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort());
  auto config = MustLoad(PollJourney(url, R"(poll = { every = "20ms", within = "100ms" })"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.reason, Reason::kConnect) << r.detail;
  EXPECT_NE(r.detail.find("no answer in"), std::string::npos) << r.detail;
}

TEST(Poll, BadHeightSourceIsInvalidResponse) {
  FakeChain chain(30ms, 1);
  auto config = MustLoad(PollJourney(
      chain.url(),
      R"(poll = { every = "10ms", within_blocks = 3, height = { path = "/v1/head", pointer = "/height" } })"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.reason, Reason::kInvalidResponse);
  EXPECT_NE(r.detail.find("no integer at \"/height\""), std::string::npos) << r.detail;
}

}  // namespace
}  // namespace sonde
