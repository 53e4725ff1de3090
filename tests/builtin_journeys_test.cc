// The four built-in journeys, as `sonde-devnet up` writes them into its
// sonde.toml, against a real devnet: they succeed run after run, and the
// faults they exist to catch come out with the right outcome, reason and
// culprit.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <fstream>
#include <sstream>

#include "probes/http_client.h"
#include "reporter/metrics.h"
#include "scenarios/runner.h"
#include "service/load.h"
#include "tests/support/devnet_harness.h"
#include "tests/support/journey_harness.h"
#include "tests/support/prom_text.h"

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

// What an auditor looks a run up by: the transfer's hash and nonce, the
// MPC round's signature and the message it signed (the frost step verified
// the signature before keeping it; here, that both are kept, in hex).
TEST_F(BuiltinJourneys, RunsKeepTheirEvidence) {
  JourneyResult tx = Run("tx_submit_confirm");
  ASSERT_EQ(tx.outcome, Outcome::kSuccess) << tx.detail;
  ASSERT_EQ(tx.evidence.size(), 2u);
  EXPECT_EQ(tx.evidence[0].first, "tx");
  EXPECT_EQ(tx.evidence[0].second.size(), 64u) << tx.evidence[0].second;
  EXPECT_EQ(tx.evidence[1], std::make_pair(std::string("nonce"), std::string("0")));

  JourneyResult mpc = Run("mpc_signing_round");
  ASSERT_EQ(mpc.outcome, Outcome::kSuccess) << mpc.detail;
  ASSERT_EQ(mpc.evidence.size(), 2u);
  EXPECT_EQ(mpc.evidence[0].first, "signature");
  EXPECT_EQ(mpc.evidence[0].second.size(), 128u);
  EXPECT_EQ(mpc.evidence[1].first, "message");
  EXPECT_EQ(mpc.evidence[1].second.size(), 64u);
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

// The devnet's sonde.toml with one line changed, loaded.
LoadedConfig WithChange(const std::string& path, const std::string& from, const std::string& to) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  const std::string changed = path + ".changed.toml";
  std::ofstream(changed) << s;
  return LoadWithKeys(changed);
}

TEST_F(BuiltinJourneys, WalletTracksItsNonceAndRereadsAfterAFailure) {
  Wallets wallets;
  for (int i = 0; i < 3; ++i) {
    JourneyResult r = testing::RunOnce(*setup_.config, "tx_submit_confirm", setup_.keys, &wallets);
    ASSERT_EQ(r.outcome, Outcome::kSuccess) << r.detail;
  }
  // Reserved locally (concurrent runs never share one), and never behind the chain.
  EXPECT_EQ(wallets.Of("probe").next_nonce, 3u);
  EXPECT_EQ(wallets.Of("probe").spent_today, 3u);
  // A run that fails after reserving forgets the nonce; the next re-reads it.
  ASSERT_EQ(net_->Post(1, "/v1/admin/faults", R"({"stop_proposing":true})").status, 200);
  JourneyResult stalled =
      testing::RunOnce(*setup_.config, "tx_submit_confirm", setup_.keys, &wallets);
  EXPECT_EQ(stalled.reason, Reason::kNotConfirmed);
  EXPECT_FALSE(wallets.Of("probe").next_nonce);
  ASSERT_EQ(net_->Post(1, "/v1/admin/faults", R"({"stop_proposing":false})").status, 200);
  JourneyResult again =
      testing::RunOnce(*setup_.config, "tx_submit_confirm", setup_.keys, &wallets);
  EXPECT_EQ(again.outcome, Outcome::kSuccess) << again.detail;
}

TEST_F(BuiltinJourneys, EmptyWalletIsInfraErrorAndLeavesTheSlisAlone) {
  LoadedConfig poor =
      WithChange(net_->dir() + "/sonde.toml", "floor = 1000000", "floor = 100000000000000");
  ASSERT_TRUE(poor.ok()) << poor.errors.at(0).ToString();
  Metrics metrics(*poor.config);
  JourneyResult r = testing::RunOnce(*poor.config, "tx_submit_confirm", poor.keys);
  EXPECT_EQ(r.outcome, Outcome::kInfraError);
  EXPECT_EQ(r.reason, Reason::kWallet);
  EXPECT_EQ(r.failing_step, "reserve");
  EXPECT_NE(r.detail.find("below its floor of 100000000000000"), std::string::npos) << r.detail;
  metrics.OnRunFinished(r);
  auto samples = testing::ParsePromText(metrics.Serialize());
  const std::map<std::string, std::string> tx{{"journey", "tx_submit_confirm"}};
  auto runs = [&](const char* outcome) {
    auto labels = tx;
    labels["outcome"] = outcome;
    return testing::FindSample(samples, "sonde_journey_runs_total", labels).value_or(-1);
  };
  EXPECT_EQ(runs("infra_error"), 1);
  EXPECT_EQ(runs("success"), 0);
  EXPECT_EQ(runs("failed"), 0);
  EXPECT_FALSE(testing::FindSample(samples, "sonde_journey_duration_seconds_count", tx));
  EXPECT_FALSE(testing::FindSample(samples, "sonde_journey_success", tx));
  EXPECT_EQ(testing::FindSample(samples, "sonde_wallet_balance", {{"wallet", "probe"}}), 1e12);
}

TEST_F(BuiltinJourneys, DailySpendCapIsInfraError) {
  LoadedConfig capped =
      WithChange(net_->dir() + "/sonde.toml", "daily_spend_cap = 100000", "daily_spend_cap = 2");
  ASSERT_TRUE(capped.ok());
  Wallets wallets;
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(testing::RunOnce(*capped.config, "tx_submit_confirm", capped.keys, &wallets).outcome,
              Outcome::kSuccess);
  }
  JourneyResult third =
      testing::RunOnce(*capped.config, "tx_submit_confirm", capped.keys, &wallets);
  EXPECT_EQ(third.outcome, Outcome::kInfraError);
  EXPECT_EQ(third.reason, Reason::kWallet);
  EXPECT_NE(third.detail.find("passes its daily cap of 2"), std::string::npos) << third.detail;
}

TEST_F(BuiltinJourneys, AStuckNodeIsNamedByTheDivergenceCheck) {
  // Sampled back to back here (not an interval apart), so a tight tolerance.
  const std::string generated = "tolerance = " + std::to_string(2 * 5000 / net_->block_ms());
  LoadedConfig tight = WithChange(net_->dir() + "/sonde.toml", generated, "tolerance = 5");
  ASSERT_TRUE(tight.ok());
  ASSERT_EQ(net_->Post(4, "/v1/admin/faults", R"({"stop_syncing":true})").status, 200);
  ASSERT_TRUE(testing::WaitFor([&] { return net_->Committed(1) - net_->Committed(4) > 15; }, 10s));

  const Journey& journey = *tight.config->FindJourney("devnet_chain_head");
  const TargetGroup& group = *tight.config->FindTargets("devnet");
  boost::asio::io_context io;
  HttpClient http(io.get_executor());
  JourneyRunner runner(ProbeEnv{http});
  std::vector<JourneyResult> results;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        for (const std::string& url : group.urls)
          results.push_back(co_await runner.Run(journey, group, url));
        // Node 4 again, now that every node has a value to compare with.
        results.push_back(co_await runner.Run(journey, group, group.urls[3]));
      },
      boost::asio::detached);
  io.run();
  ASSERT_EQ(results.size(), 6u);
  for (size_t i : {0u, 1u, 2u, 4u})
    EXPECT_EQ(results[i].outcome, Outcome::kSuccess) << results[i].detail;
  EXPECT_EQ(results[5].outcome, Outcome::kFailed);
  EXPECT_EQ(results[5].reason, Reason::kDivergence);
  EXPECT_EQ(results[5].detail.rfind(net_->url(4) + " is at ", 0), 0u) << results[5].detail;
  ASSERT_EQ(net_->Post(4, "/v1/admin/faults", R"({"stop_syncing":false})").status, 200);
}

}  // namespace
}  // namespace sonde
