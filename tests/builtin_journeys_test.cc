// The four built-in journeys, as `sonde-devnet up` writes them into its
// sonde.toml, against a real devnet: they succeed run after run, and the
// faults they exist to catch come out with the right outcome, reason and
// culprit.
#include <gtest/gtest.h>

#include "service/load.h"
#include "tests/support/devnet_harness.h"
#include "tests/support/journey_harness.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;

class BuiltinJourneys : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = testing::Devnet::Up({.nodes = 5, .threshold = 3, .block_ms = 100});
    ASSERT_TRUE(net_);
    setup_ = LoadWithKeys(net_->dir() + "/sonde.toml");
    ASSERT_TRUE(setup_.ok()) << setup_.errors.at(0).ToString();
  }
  JourneyResult Run(const std::string& journey) {
    return testing::RunOnce(*setup_.config, journey, setup_.keys);
  }

  std::unique_ptr<testing::Devnet> net_;
  LoadedConfig setup_;
};

TEST_F(BuiltinJourneys, AllFourSucceedFiftyRunsInARow) {
  for (const char* journey :
       {"node_activation", "tx_submit_confirm", "reward_claim", "mpc_signing_round"}) {
    for (int run = 1; run <= 50; ++run) {
      JourneyResult r = Run(journey);
      ASSERT_EQ(r.outcome, Outcome::kSuccess)
          << journey << " run " << run << ": " << ToString(r.reason) << " at " << r.failing_step
          << ": " << r.detail;
    }
  }
}

TEST_F(BuiltinJourneys, InvalidShareIsBlamedOnItsNode) {
  ASSERT_EQ(net_->Post(4, "/v1/admin/faults", R"({"invalid_shares":true})").status, 200);
  JourneyResult r = Run("mpc_signing_round");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kSignatureInvalid);
  EXPECT_NE(r.detail.find("participant 4 (" + net_->url(4) + ")"), std::string::npos) << r.detail;
}

TEST_F(BuiltinJourneys, LostSignerMajorityIsQuorumNotReached) {
  ASSERT_EQ(Run("mpc_signing_round").outcome, Outcome::kSuccess);  // learn who is who
  for (int id : {1, 3, 5}) net_->Kill(id);
  JourneyResult r = Run("mpc_signing_round");
  EXPECT_EQ(r.reason, Reason::kQuorumNotReached);
  for (int id : {1, 3, 5}) {
    EXPECT_NE(r.detail.find("participant " + std::to_string(id) + " ("), std::string::npos)
        << r.detail;
  }
}

TEST_F(BuiltinJourneys, StalledLeaderIsNotConfirmed) {
  ASSERT_EQ(net_->Post(1, "/v1/admin/faults", R"({"stop_proposing":true})").status, 200);
  JourneyResult r = Run("tx_submit_confirm");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kNotConfirmed) << r.detail;
  EXPECT_EQ(r.failing_step, "confirm");
  ASSERT_EQ(net_->Post(1, "/v1/admin/faults", R"({"stop_proposing":false})").status, 200);
  EXPECT_EQ(Run("tx_submit_confirm").outcome, Outcome::kSuccess);
}

}  // namespace
}  // namespace sonde
