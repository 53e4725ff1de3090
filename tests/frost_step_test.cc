// The frost step against a real 3-of-5 devnet: a verified round, a node
// that sends invalid shares named as such, and a lost quorum naming the
// absent participants — and the metrics each leaves behind.
#include <gtest/gtest.h>

#include "reporter/metrics.h"
#include "tests/support/devnet_harness.h"
#include "tests/support/journey_harness.h"
#include "tests/support/prom_text.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;

std::string MpcConfig(const testing::Devnet& net) {
  std::string urls;
  for (int i = 1; i <= net.nodes(); ++i) urls += (i > 1 ? ", \"" : "\"") + net.url(i) + "\"";
  return "[targets.coordinator]\nurls = [\"" + net.url(1) + "\"]\n[targets.signers]\nurls = [" +
         urls + "]\n" + R"(
[journey.mpc]
interval = "10s"
timeout = "5s"
targets = "coordinator"
[[journey.mpc.step]]
name = "round"
frost = { signers = "signers", deadline = "1s" }
extract = { sig = "/signature" }
)";
}

const ProbeResult::Participant* Find(const StepResult& s, uint16_t id) {
  for (const auto& p : s.participants) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

TEST(FrostStep, SignsBlamesAndCountsQuorum) {
  auto net = testing::Devnet::Up();
  ASSERT_TRUE(net);
  auto config = testing::MustLoad(MpcConfig(*net));
  ASSERT_TRUE(config);
  Metrics metrics(*config);

  // 1. All five answer: a verified signature.
  JourneyResult ok = testing::RunOnce(*config, "mpc");
  ASSERT_EQ(ok.outcome, Outcome::kSuccess) << ok.detail;
  ASSERT_EQ(ok.steps.at(0).participants.size(), 5u);
  for (const auto& p : ok.steps[0].participants) EXPECT_EQ(p.failure, "") << p.url;
  metrics.OnRunFinished(ok);

  // 2. Node 2 sends invalid shares: signature_invalid, participant 2 named.
  auto set = net->Post(2, "/v1/admin/faults", R"({"invalid_shares":true})");
  ASSERT_EQ(set.status, 200) << set.raw;
  JourneyResult blamed = testing::RunOnce(*config, "mpc");
  EXPECT_EQ(blamed.outcome, Outcome::kFailed);
  EXPECT_EQ(blamed.reason, Reason::kSignatureInvalid);
  EXPECT_NE(blamed.detail.find("invalid signature share from participant 2 (" + net->url(2) + ")"),
            std::string::npos)
      << blamed.detail;
  ASSERT_TRUE(Find(blamed.steps.at(0), 2));
  EXPECT_EQ(Find(blamed.steps[0], 2)->failure, "invalid_share");
  EXPECT_EQ(Find(blamed.steps[0], 1)->failure, "");
  metrics.OnRunFinished(blamed);
  ASSERT_EQ(net->Post(2, "/v1/admin/faults", R"({"invalid_shares":false})").status, 200);

  // 3. Three signers down: quorum_not_reached, the absent ones named by id
  // (learned while they were up).
  for (int id : {3, 4, 5}) net->Kill(id);
  JourneyResult lost = testing::RunOnce(*config, "mpc");
  EXPECT_EQ(lost.outcome, Outcome::kFailed);
  EXPECT_EQ(lost.reason, Reason::kQuorumNotReached);
  for (int id : {3, 4, 5}) {
    EXPECT_NE(lost.detail.find("participant " + std::to_string(id) + " (" + net->url(id) + ")"),
              std::string::npos)
        << lost.detail;
    ASSERT_TRUE(Find(lost.steps.at(0), static_cast<uint16_t>(id)));
    EXPECT_EQ(Find(lost.steps[0], static_cast<uint16_t>(id))->failure, "absent");
  }
  metrics.OnRunFinished(lost);

  auto samples = testing::ParsePromText(metrics.Serialize());
  auto count = [&](const std::map<std::string, std::string>& labels) {
    return testing::FindSample(samples, "sonde_mpc_participant_failures_total", labels)
        .value_or(-1);
  };
  EXPECT_EQ(count({{"journey", "mpc"}, {"participant", "2"}, {"reason", "invalid_share"}}), 1);
  EXPECT_EQ(count({{"journey", "mpc"}, {"participant", "4"}, {"reason", "absent"}}), 1);
  EXPECT_EQ(testing::FindSample(samples, "sonde_mpc_participant_seconds_count",
                                {{"journey", "mpc"}, {"participant", "1"}}),
            3);  // node 1 answered in all three runs
}

}  // namespace
}  // namespace sonde
