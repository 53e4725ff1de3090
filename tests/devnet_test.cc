// The devnet as drills see it: real `sonde-devnet` processes on loopback,
// short blocks (100 ms), killed and restarted for real, their peer links
// through a real fault proxy (unless a test asks for --no-proxies). Each test
// starts its own devnet on free ports and always takes it down
// (tests/support/devnet_harness.h).
#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "devnet/process.h"
#include "signer/encoding.h"
#include "signer/frost/coordinator.h"
#include "signer/frost/wire.h"
#include "tests/support/devnet_harness.h"
#include "tests/support/files.h"

namespace sonde {
namespace {

using testing::ReadFile;

namespace json = boost::json;
namespace frost = signer::frost;
using namespace std::chrono_literals;
using testing::Devnet;
using testing::JsonReply;
using testing::ProcessResult;
using testing::WaitFor;

// Polls GET /v1/tx/HASH on node `id` until its status is `want` (or `within` passes).
JsonReply WaitTxStatus(const Devnet& d, int id, const std::string& hash, const std::string& want,
                       std::chrono::milliseconds within) {
  JsonReply last;
  WaitFor(
      [&] {
        last = d.Get(id, "/v1/tx/" + hash);
        return last.Str("status") == want;
      },
      within);
  return last;
}

signer::PublicKey FreshAddress() { return signer::KeyPair::Generate().public_key(); }

std::string LinkName(int from, int to) {
  return "node" + std::to_string(from) + "_to_node" + std::to_string(to);
}

// The peer URLs the leader replicates to, by follower id, from its /v1/status.
std::map<int, std::string> LeaderPeerUrls(const Devnet& d) {
  std::map<int, std::string> out;
  JsonReply st = d.Get(1, "/v1/status");
  if (!st.body.is_object() || !st.body.get_object().contains("peers")) return out;
  for (const json::value& p : st.body.at("peers").as_array()) {
    out[static_cast<int>(p.at("id").to_number<int64_t>())] = std::string(p.at("url").as_string());
  }
  return out;
}

TEST(Devnet, SignedTransferConfirmsWithinThreeBlocksAndBadOnesAreRejected) {
  auto d = Devnet::Up();
  ASSERT_TRUE(d);
  const signer::KeyPair wallet = d->Wallet();
  const signer::PublicKey to = FreshAddress();

  // Submitted to a follower, which forwards it to the leader.
  const int64_t head_before = d->Head(1);
  ASSERT_GE(head_before, 1);
  JsonReply submit = d->Post(3, "/v1/tx", testing::TransferJson(wallet, to, 25, 0, d->chain_id()));
  ASSERT_EQ(submit.status, 202) << submit.raw;
  EXPECT_EQ(submit.Str("status"), "pending");
  const std::string hash = submit.Str("hash");
  ASSERT_EQ(hash.size(), 64u);

  JsonReply confirmed = WaitTxStatus(*d, 2, hash, "confirmed", 5s);
  ASSERT_EQ(confirmed.Str("status"), "confirmed") << confirmed.raw;
  EXPECT_LE(confirmed.Int("height"), head_before + 3) << "not within 3 blocks: " << confirmed.raw;
  EXPECT_GE(confirmed.Int("confirmations"), 1);
  EXPECT_TRUE(WaitFor([&] { return d->Get(2, "/v1/tx/" + hash).Int("confirmations") >= 2; }, 3s));
  const std::string to_hex = signer::ToHex(to);
  EXPECT_TRUE(
      WaitFor([&] { return d->Get(4, "/v1/accounts/" + to_hex).Int("balance") == 25; }, 3s));
  JsonReply account = d->Get(1, "/v1/accounts/" + signer::ToHex(wallet.public_key()));
  EXPECT_EQ(account.Int("nonce"), 1);
  EXPECT_EQ(account.Int("next_nonce"), 1);
  EXPECT_EQ(account.Int("balance"), 1'000'000'000'000 - 25);

  // Signed by another key: bad_signature, at submission and on a later GET
  // through a follower.
  const signer::KeyPair mallory = signer::KeyPair::Generate();
  JsonReply forged =
      d->Post(2, "/v1/tx", testing::TransferJson(wallet, to, 5, 1, d->chain_id(), &mallory));
  EXPECT_EQ(forged.status, 422) << forged.raw;
  EXPECT_EQ(forged.Str("status"), "rejected");
  EXPECT_EQ(forged.Str("reason"), "bad_signature");
  JsonReply forged_later = d->Get(5, "/v1/tx/" + forged.Str("hash"));
  EXPECT_EQ(forged_later.Str("status"), "rejected") << forged_later.raw;
  EXPECT_EQ(forged_later.Str("reason"), "bad_signature");

  // Nonce 0 again (a different transfer, so a different hash): bad_nonce.
  JsonReply reused = d->Post(1, "/v1/tx", testing::TransferJson(wallet, to, 7, 0, d->chain_id()));
  EXPECT_EQ(reused.status, 422) << reused.raw;
  EXPECT_EQ(reused.Str("reason"), "bad_nonce");
  // An unfunded sender: insufficient_funds.
  const signer::KeyPair empty = signer::KeyPair::Generate();
  JsonReply poor = d->Post(1, "/v1/tx", testing::TransferJson(empty, to, 1, 0, d->chain_id()));
  EXPECT_EQ(poor.Str("reason"), "insufficient_funds") << poor.raw;
  // The same signed transfer again is the same tx: its status, not a refusal.
  JsonReply again = d->Post(1, "/v1/tx", testing::TransferJson(wallet, to, 25, 0, d->chain_id()));
  EXPECT_EQ(again.status, 200) << again.raw;
  EXPECT_EQ(again.Str("hash"), hash);
  EXPECT_EQ(again.Str("status"), "confirmed");
}

TEST(Devnet, MalformedRequestsGetJsonErrorsAndNeverCrashANode) {
  auto d = Devnet::Up({.nodes = 3, .threshold = 2, .block_ms = 100});
  ASSERT_TRUE(d);
  struct Case {
    int node;
    std::string method, target, body;
    int status;
    std::string error;
  };
  const std::vector<Case> cases = {
      {1, "POST", "/v1/tx", "{not json", 400, "malformed"},
      {1, "POST", "/v1/tx", "[1,2]", 400, "malformed"},
      {1, "POST", "/v1/tx", R"({"from":"zz","to":"00","amount":1,"nonce":0,"signature":"00"})", 400,
       "malformed"},
      {1, "POST", "/v1/tx", R"({"amount":-1})", 400, "malformed"},
      {2, "POST", "/v1/tx", "{}", 400, "malformed"},  // forwarded: the leader's answer
      {1, "GET", "/v1/tx/xyz", "", 400, "malformed"},
      {1, "GET", "/v1/tx/" + std::string(64, 'a'), "", 404, "unknown_tx"},
      {2, "GET", "/v1/blocks/99999999", "", 404, "unknown_block"},
      {2, "GET", "/v1/blocks/-1", "", 400, "malformed"},
      {2, "GET", "/v1/accounts/nothex", "", 400, "malformed"},
      {2, "POST", "/v1/health", "", 405, "method_not_allowed"},
      {2, "GET", "/v1/nowhere", "", 404, "not_found"},
      {3, "POST", "/v1/mpc/round2", R"({"session":"x"})", 400, "malformed"},
      {3, "POST", "/v1/mpc/round1", R"({"session":7})", 400, "malformed"},
      {3, "POST", "/v1/admin/faults", R"({"invalid_shares":"yes"})", 400, "malformed"},
      {1, "POST", "/v1/peer/append", "{}", 409, "not_a_follower"},
      {2, "POST", "/v1/peer/append", R"({"prev_height":0})", 400, "malformed"},
      {1, "POST", "/v1/activation", R"({"node_type":"giant"})", 400, "malformed"},
      {1, "POST", "/v1/tx", std::string(9 * 1024 * 1024, ' '), 413, "too_large"},
  };
  for (const Case& c : cases) {
    JsonReply r = testing::HttpJson(d->url(c.node), c.method, c.target, c.body);
    EXPECT_EQ(r.status, c.status) << c.method << " " << c.target << ": " << r.raw << r.error;
    EXPECT_EQ(r.Str("error"), c.error) << c.method << " " << c.target << ": " << r.raw;
    EXPECT_FALSE(r.Str("message").empty()) << c.target;
  }
  for (int id = 1; id <= 3; ++id) {
    EXPECT_EQ(d->Get(id, "/v1/health").Str("status"), "ok") << "node " << id;
  }
  // And the chain still moves.
  const int64_t committed = d->Committed(1);
  EXPECT_TRUE(WaitFor([&] { return d->Committed(3) > committed + 2; }, 3s));
}

TEST(Devnet, MinorityDownStillConfirmsMajorityDownStallsAndRestartedNodesCatchUp) {
  auto d = Devnet::Up();
  ASSERT_TRUE(d);
  const signer::KeyPair wallet = d->Wallet();

  // Two of five followers down: 3 of 5 remain, a majority.
  d->Kill(4);
  d->Kill(5);
  JsonReply t1 =
      d->Post(2, "/v1/tx", testing::TransferJson(wallet, FreshAddress(), 1, 0, d->chain_id()));
  ASSERT_EQ(t1.status, 202) << t1.raw;
  EXPECT_EQ(WaitTxStatus(*d, 2, t1.Str("hash"), "confirmed", 5s).Str("status"), "confirmed");

  // A third: 2 of 5, no majority. Nothing commits; the tx stays pending.
  d->Kill(3);
  const int64_t committed_at_loss = d->Committed(1);
  JsonReply t2 =
      d->Post(1, "/v1/tx", testing::TransferJson(wallet, FreshAddress(), 1, 1, d->chain_id()));
  ASSERT_EQ(t2.status, 202) << t2.raw;
  std::this_thread::sleep_for(std::chrono::milliseconds(15 * d->block_ms()));  // 15 blocks' time
  EXPECT_EQ(d->Get(1, "/v1/tx/" + t2.Str("hash")).Str("status"), "pending");
  // At most the block in flight at the moment of loss can still commit.
  EXPECT_LE(d->Committed(1), committed_at_loss + 1);
  EXPECT_LE(d->Committed(2), committed_at_loss + 1);

  // Back up: confirmations resume and every node reaches the same head.
  for (int id : {3, 4, 5}) {
    auto r = d->Start(id);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  EXPECT_EQ(WaitTxStatus(*d, 1, t2.Str("hash"), "confirmed", 10s).Str("status"), "confirmed");
  const int64_t target = d->Committed(1);
  for (int id = 2; id <= 5; ++id) {
    EXPECT_TRUE(WaitFor([&] { return d->Committed(id) >= target; }, 10s)) << "node " << id;
  }
  // Same block at `target` on every node, and the restarted ones know t2.
  const std::string block_hash = d->Get(1, "/v1/blocks/" + std::to_string(target)).Str("hash");
  ASSERT_EQ(block_hash.size(), 64u);
  for (int id = 2; id <= 5; ++id) {
    EXPECT_EQ(d->Get(id, "/v1/blocks/" + std::to_string(target)).Str("hash"), block_hash) << id;
    EXPECT_EQ(d->Get(id, "/v1/tx/" + t2.Str("hash")).Str("status"), "confirmed") << id;
  }
}

TEST(Devnet, LeaderKilledAndRestartedKeepsItsChainAndFollowersSayWhyTheyCannotForward) {
  auto d = Devnet::Up({.nodes = 3, .threshold = 2, .block_ms = 100});
  ASSERT_TRUE(d);
  const signer::KeyPair wallet = d->Wallet();
  JsonReply t1 =
      d->Post(2, "/v1/tx", testing::TransferJson(wallet, FreshAddress(), 3, 0, d->chain_id()));
  ASSERT_EQ(WaitTxStatus(*d, 2, t1.Str("hash"), "confirmed", 5s).Str("status"), "confirmed");

  d->Kill(1);
  const int64_t committed = d->Committed(2);
  JsonReply refused =
      d->Post(2, "/v1/tx", testing::TransferJson(wallet, FreshAddress(), 3, 1, d->chain_id()));
  EXPECT_EQ(refused.status, 503) << refused.raw;
  EXPECT_EQ(refused.Str("error"), "leader_unreachable");
  // Reads still work on a follower, from its own copy.
  EXPECT_EQ(d->Get(3, "/v1/tx/" + t1.Str("hash")).Str("status"), "confirmed");

  auto r = d->Start(1);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_GE(d->Committed(1), committed - 1);  // at most the last commit line was in flight
  JsonReply t2 =
      d->Post(3, "/v1/tx", testing::TransferJson(wallet, FreshAddress(), 3, 1, d->chain_id()));
  ASSERT_EQ(t2.status, 202) << t2.raw;
  EXPECT_EQ(WaitTxStatus(*d, 3, t2.Str("hash"), "confirmed", 5s).Str("status"), "confirmed");
  const int64_t target = d->Committed(1);
  EXPECT_TRUE(WaitFor([&] { return d->Committed(2) >= target && d->Committed(3) >= target; }, 5s));
  const std::string hash = d->Get(1, "/v1/blocks/" + std::to_string(target)).Str("hash");
  EXPECT_EQ(d->Get(2, "/v1/blocks/" + std::to_string(target)).Str("hash"), hash);
  EXPECT_EQ(d->Get(3, "/v1/blocks/" + std::to_string(target)).Str("hash"), hash);
}

TEST(Devnet, ActivationAndRewardClaimRoundTrips) {
  auto d = Devnet::Up();
  ASSERT_TRUE(d);
  const signer::KeyPair node = d->NodeKey(3);
  const std::string node_hex = signer::ToHex(node.public_key());
  auto challenge = [&] {
    JsonReply c = d->Get(2, "/v1/activation/challenge");  // forwarded to the leader
    EXPECT_EQ(c.status, 200) << c.raw;
    return signer::FromHex(c.Str("challenge"), "challenge").value();
  };
  EXPECT_EQ(d->Get(4, "/v1/nodes/" + node_hex).Str("status"), "inactive");

  const std::vector<uint8_t> first = challenge();
  JsonReply act =
      d->Post(4, "/v1/activation",
              testing::ActivationJson(node, signer::NodeType::kFull, first, d->chain_id()));
  ASSERT_EQ(act.status, 202) << act.raw;
  ASSERT_TRUE(
      WaitFor([&] { return d->Get(5, "/v1/nodes/" + node_hex).Str("status") == "active"; }, 5s));
  JsonReply record = d->Get(5, "/v1/nodes/" + node_hex);
  EXPECT_EQ(record.Str("node_type"), "full");
  EXPECT_EQ(WaitTxStatus(*d, 5, act.Str("hash"), "confirmed", 2s).Int("height"),
            record.Int("activated_height"));

  // The same challenge again (a different proof: another type): challenge_used.
  JsonReply replay =
      d->Post(1, "/v1/activation",
              testing::ActivationJson(node, signer::NodeType::kSuper, first, d->chain_id()));
  EXPECT_EQ(replay.status, 422) << replay.raw;
  EXPECT_EQ(replay.Str("reason"), "challenge_used");
  // A proof signed by another key: bad_signature.
  const signer::KeyPair other = signer::KeyPair::Generate();
  JsonReply forged = d->Post(
      1, "/v1/activation",
      testing::ActivationJson(node, signer::NodeType::kLight, challenge(), d->chain_id(), &other));
  EXPECT_EQ(forged.Str("reason"), "bad_signature") << forged.raw;
  // A challenge the network never issued: unknown_challenge.
  JsonReply invented = d->Post(1, "/v1/activation",
                               testing::ActivationJson(node, signer::NodeType::kLight,
                                                       std::vector<uint8_t>(32, 7), d->chain_id()));
  EXPECT_EQ(invented.Str("reason"), "unknown_challenge") << invented.raw;
  // Re-activation with a fresh challenge is allowed and changes the type.
  JsonReply again =
      d->Post(1, "/v1/activation",
              testing::ActivationJson(node, signer::NodeType::kSuper, challenge(), d->chain_id()));
  EXPECT_EQ(again.status, 202) << again.raw;
  EXPECT_TRUE(
      WaitFor([&] { return d->Get(1, "/v1/nodes/" + node_hex).Str("node_type") == "super"; }, 5s));

  // Rewards accrue per committed block while active.
  ASSERT_TRUE(
      WaitFor([&] { return d->Get(2, "/v1/rewards/" + node_hex).Int("claimable") >= 30; }, 5s));
  JsonReply rewards = d->Get(1, "/v1/rewards/" + node_hex);
  const int64_t amount = rewards.Int("claimable");
  ASSERT_EQ(rewards.Int("claim_nonce"), 0);
  const signer::PublicKey beneficiary = FreshAddress();
  JsonReply claim = d->Post(3, "/v1/rewards/claim",
                            testing::ClaimJson(node, beneficiary, amount, 0, d->chain_id()));
  ASSERT_EQ(claim.status, 202) << claim.raw;
  EXPECT_EQ(WaitTxStatus(*d, 3, claim.Str("hash"), "confirmed", 5s).Str("status"), "confirmed");
  const std::string beneficiary_hex = signer::ToHex(beneficiary);
  EXPECT_TRUE(WaitFor(
      [&] { return d->Get(2, "/v1/accounts/" + beneficiary_hex).Int("balance") == amount; }, 3s));
  JsonReply after = d->Get(1, "/v1/rewards/" + node_hex);
  EXPECT_EQ(after.Int("claimed"), amount);
  EXPECT_EQ(after.Int("claim_nonce"), 1);

  // Claiming the same amount twice is impossible: with the used nonce it is
  // bad_claim_nonce; with the next nonce, more than accrued is refused.
  JsonReply twice = d->Post(1, "/v1/rewards/claim",
                            testing::ClaimJson(node, FreshAddress(), amount, 0, d->chain_id()));
  EXPECT_EQ(twice.Str("reason"), "bad_claim_nonce") << twice.raw;
  JsonReply greedy =
      d->Post(1, "/v1/rewards/claim",
              testing::ClaimJson(node, beneficiary, 1'000'000'000, 1, d->chain_id()));
  EXPECT_EQ(greedy.Str("reason"), "claim_exceeds_accrued") << greedy.raw;
  // A node that was never activated has nothing to claim.
  const signer::KeyPair stranger = signer::KeyPair::Generate();
  JsonReply none = d->Post(1, "/v1/rewards/claim",
                           testing::ClaimJson(stranger, beneficiary, 1, 0, d->chain_id()));
  EXPECT_EQ(none.Str("reason"), "claim_exceeds_accrued") << none.raw;
}

// The coordinator's side of one FROST round through the nodes' endpoints.
struct FrostOutcome {
  std::optional<signer::Signature> signature;
  std::optional<signer::Error> error;
  std::vector<frost::Identifier> absent;  // did not answer round 1
};

FrostOutcome RunFrostRound(const Devnet& d, const frost::PublicKeyPackage& keys,
                           const std::vector<uint8_t>& message, const std::string& session) {
  FrostOutcome out;
  std::vector<frost::SigningCommitment> commitments;
  std::map<frost::Identifier, int> node_of;
  for (int id = 1; id <= d.nodes(); ++id) {
    JsonReply r = d.Post(id, "/v1/mpc/round1", json::serialize(json::object{{"session", session}}));
    if (r.status != 200) {
      out.absent.push_back(static_cast<frost::Identifier>(id));
      continue;
    }
    auto m = frost::ParseRound1Message(r.raw);
    EXPECT_TRUE(m.ok()) << r.raw;
    if (!m.ok()) continue;
    EXPECT_EQ(m->session, session);
    node_of[m->commitment.identifier] = id;
    if (commitments.size() < keys.min_signers) commitments.push_back(m->commitment);
  }
  if (commitments.size() < keys.min_signers) {
    // What sonde's MPC journey reports: quorum not reached, and who was absent.
    auto list = frost::CommitmentList::Make(commitments);
    if (!list.ok()) {
      out.error = list.error();
      return out;
    }
    auto agg = frost::Aggregate(keys, frost::SigningPackage{list.value(), message}, {});
    EXPECT_FALSE(agg.ok());
    if (!agg.ok()) out.error = agg.error();
    return out;
  }
  frost::SigningPackage package{frost::CommitmentList::Make(commitments).value(), message};
  const std::string request = frost::ToJson(frost::Round2Request{session, package});
  std::vector<frost::SignatureShare> shares;
  for (const auto& c : commitments) {
    JsonReply r = d.Post(node_of[c.identifier], "/v1/mpc/round2", request);
    EXPECT_EQ(r.status, 200) << r.raw;
    auto m = frost::ParseRound2Response(r.raw);
    EXPECT_TRUE(m.ok()) << r.raw;
    if (m.ok()) shares.push_back(m->share);
  }
  auto sig = frost::Aggregate(keys, package, shares);
  if (sig.ok()) {
    out.signature = sig.value();
  } else {
    out.error = sig.error();
  }
  return out;
}

frost::PublicKeyPackage GroupFrom(const JsonReply& group) {
  frost::PublicKeyPackage keys;
  const json::object& o = group.body.get_object();
  keys.min_signers = static_cast<uint16_t>(o.at("threshold").to_number<int64_t>());
  auto gk = signer::FromHex(std::string(o.at("group_public_key").get_string()), "gk").value();
  keys.group_public_key = frost::Point::Decode(gk, "group_public_key").value();
  for (const auto& kv : o.at("verifying_shares").get_object()) {
    auto b = signer::FromHex(std::string(kv.value().get_string()), "share").value();
    keys.verifying_shares[static_cast<frost::Identifier>(std::stoi(std::string(kv.key())))] =
        frost::Point::Decode(b, "verifying share").value();
  }
  return keys;
}

TEST(Devnet, FrostThreeOfFiveThroughTheNodesNamesABadSignerAndAbsentOnes) {
  auto d = Devnet::Up();
  ASSERT_TRUE(d);
  JsonReply group = d->Get(4, "/v1/mpc/group");
  ASSERT_EQ(group.status, 200) << group.raw;
  EXPECT_EQ(group.Int("threshold"), 3);
  EXPECT_EQ(group.Int("identifier"), 4);
  const frost::PublicKeyPackage keys = GroupFrom(group);
  ASSERT_EQ(keys.verifying_shares.size(), 5u);
  for (int id = 1; id <= 5; ++id) {  // every node holds the same group
    EXPECT_EQ(d->Get(id, "/v1/mpc/group").Str("group_public_key"), group.Str("group_public_key"));
  }
  const std::vector<uint8_t> message = {'s', 'o', 'n', 'd', 'e', '-', 'm', 'p', 'c'};

  FrostOutcome good = RunFrostRound(*d, keys, message, "session-good");
  ASSERT_TRUE(good.signature.has_value()) << (good.error ? good.error->message : "");
  EXPECT_EQ(crypto_sign_verify_detached(good.signature->data(), message.data(), message.size(),
                                        keys.group_public_key.bytes().data()),
            0);
  // The nonces are gone after round 2: the same session again is refused.
  JsonReply reuse = d->Post(1, "/v1/mpc/round2",
                            R"({"ciphersuite":"FROST-ED25519-SHA512-v1","session":"session-good",)"
                            R"("message":"00","commitments":[]})");
  EXPECT_GE(reuse.status, 400) << reuse.raw;
  EXPECT_LT(reuse.status, 500) << reuse.raw;
  // Round 1 twice for one session is refused, so nonces are never replaced.
  EXPECT_EQ(d->Post(5, "/v1/mpc/round1", R"({"session":"session-dup"})").status, 200);
  EXPECT_EQ(d->Post(5, "/v1/mpc/round1", R"({"session":"session-dup"})").Str("error"),
            "session_exists");

  // Node 2 sends invalid shares: the coordinator names it.
  ASSERT_EQ(d->Post(2, "/v1/admin/faults", R"({"invalid_shares":true})").status, 200);
  FrostOutcome bad = RunFrostRound(*d, keys, message, "session-bad");
  ASSERT_TRUE(bad.error.has_value());
  EXPECT_EQ(bad.error->code, signer::ErrorCode::kInvalidShare) << bad.error->message;
  EXPECT_EQ(bad.error->participants, std::vector<frost::Identifier>{2});
  ASSERT_EQ(d->Post(2, "/v1/admin/faults", R"({"invalid_shares":false})").status, 200);
  EXPECT_TRUE(RunFrostRound(*d, keys, message, "session-healed").signature.has_value());

  // Three nodes down: below the threshold, and the absent ones are known.
  d->Kill(3);
  d->Kill(4);
  d->Kill(5);
  FrostOutcome quorum = RunFrostRound(*d, keys, message, "session-quorum");
  EXPECT_FALSE(quorum.signature.has_value());
  ASSERT_TRUE(quorum.error.has_value());
  EXPECT_EQ(quorum.error->code, signer::ErrorCode::kTooFewParticipants) << quorum.error->message;
  EXPECT_EQ(quorum.absent, (std::vector<frost::Identifier>{3, 4, 5}));
}

TEST(Devnet, StopProposingHookStopsBlocksAndIsReversible) {
  auto d = Devnet::Up({.nodes = 3, .threshold = 2, .block_ms = 100});
  ASSERT_TRUE(d);
  ASSERT_EQ(d->Post(1, "/v1/admin/faults", R"({"stop_proposing":true})").status, 200);
  std::this_thread::sleep_for(300ms);  // let a block in flight commit
  const int64_t stopped_at = d->Head(1);
  std::this_thread::sleep_for(1000ms);  // ten blocks' time
  EXPECT_EQ(d->Head(1), stopped_at);
  EXPECT_EQ(d->Get(1, "/v1/admin/faults").body.at("stop_proposing").as_bool(), true);
  ASSERT_EQ(d->Post(1, "/v1/admin/faults", R"({"stop_proposing":false})").status, 200);
  EXPECT_TRUE(WaitFor([&] { return d->Committed(2) >= stopped_at + 3; }, 3s));
}

// Every peer link through the fault proxy: node i calls node j on the proxy
// node{i}_to_node{j}. Cutting {1,2,3} from {4,5} there (timeout-0 toxics on
// both streams, as sonde's partition fault does) leaves the majority
// committing while 4 and 5 stand still; removing the toxics lets them catch
// up. Killing the proxy cuts every link; `start --proxy` heals them.
TEST(Devnet, ProxyOnEveryLinkCarriesTheChainAndACutMinorityCatchesUpWhenHealed) {
  auto d = Devnet::Up();
  ASSERT_TRUE(d);
  const int n = d->nodes();
  const uint16_t base = d->base_port();

  JsonReply version = testing::HttpJson(d->proxy_api(), "GET", "/version");
  EXPECT_EQ(version.status, 200) << version.raw << version.error;
  JsonReply proxies = testing::HttpJson(d->proxy_api(), "GET", "/proxies");
  ASSERT_EQ(proxies.status, 200) << proxies.raw << proxies.error;
  ASSERT_TRUE(proxies.body.is_object());
  EXPECT_EQ(proxies.body.as_object().size(), static_cast<size_t>(n * (n - 1))) << proxies.raw;
  for (int from = 1; from <= n; ++from) {
    for (int to = 1; to <= n; ++to) {
      if (from == to) continue;
      const json::value* p = proxies.body.as_object().if_contains(LinkName(from, to));
      ASSERT_NE(p, nullptr) << LinkName(from, to) << " missing: " << proxies.raw;
      EXPECT_EQ(p->at("listen").as_string(),
                "127.0.0.1:" + std::to_string(base + 100 + (from - 1) * n + (to - 1)));
      EXPECT_EQ(p->at("upstream").as_string(), "127.0.0.1:" + std::to_string(base + to));
      EXPECT_TRUE(p->at("enabled").as_bool());
      EXPECT_TRUE(p->at("toxics").as_array().empty());
    }
  }
  // The leader replicates over the links' proxies, not straight to the nodes.
  const std::map<int, std::string> peers = LeaderPeerUrls(*d);
  ASSERT_EQ(peers.size(), static_cast<size_t>(n - 1));
  for (const auto& [id, url] : peers) EXPECT_EQ(url, d->link_url(1, id)) << "peer " << id;

  const signer::KeyPair wallet = d->Wallet();
  JsonReply t1 =
      d->Post(4, "/v1/tx", testing::TransferJson(wallet, FreshAddress(), 1, 0, d->chain_id()));
  ASSERT_EQ(t1.status, 202) << t1.raw;  // forwarded over node4_to_node1
  EXPECT_EQ(WaitTxStatus(*d, 5, t1.Str("hash"), "confirmed", 5s).Str("status"), "confirmed");

  // The cut: both streams of every link between the groups.
  std::vector<std::pair<std::string, std::string>> toxics;  // proxy, toxic
  for (int a : {1, 2, 3}) {
    for (int b : {4, 5}) {
      for (const std::string& link : {LinkName(a, b), LinkName(b, a)}) {
        for (const char* stream : {"upstream", "downstream"}) {
          const std::string name = std::string("cut_") + stream;
          json::object body{{"name", name},
                            {"type", "timeout"},
                            {"stream", stream},
                            {"toxicity", 1},
                            {"attributes", {{"timeout", 0}}}};
          JsonReply r = testing::HttpJson(d->proxy_api(), "POST", "/proxies/" + link + "/toxics",
                                          json::serialize(body));
          ASSERT_EQ(r.status, 200) << link << " " << stream << ": " << r.raw << r.error;
          toxics.emplace_back(link, name);
        }
      }
    }
  }
  ASSERT_EQ(toxics.size(), 24u);
  // An append already delivered when the cut came may still land; then nothing.
  std::this_thread::sleep_for(std::chrono::milliseconds(5 * d->block_ms()));
  const int64_t c4 = d->Committed(4), c5 = d->Committed(5);
  ASSERT_GE(c4, 1);
  ASSERT_GE(c5, 1);

  ProcessResult status = d->Cli({"status"});
  EXPECT_NE(status.out.find("20 of 20 links, 24 toxics active"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("node1_to_node4: cut_upstream (timeout, upstream), cut_downstream "
                            "(timeout, downstream)"),
            std::string::npos)
      << status.out;

  // The majority still confirms (a write through node 2) and moves on by 20
  // blocks; the minority does not move at all and has not seen the transfer.
  JsonReply t2 =
      d->Post(2, "/v1/tx", testing::TransferJson(wallet, FreshAddress(), 1, 1, d->chain_id()));
  ASSERT_EQ(t2.status, 202) << t2.raw;
  EXPECT_EQ(WaitTxStatus(*d, 3, t2.Str("hash"), "confirmed", 5s).Str("status"), "confirmed");
  const int64_t moved_to = std::max(c4, c5) + 20;
  EXPECT_TRUE(WaitFor([&] { return d->Committed(3) >= moved_to; }, 10s))
      << "the majority stalled at " << d->Committed(3);
  EXPECT_EQ(d->Committed(4), c4);
  EXPECT_EQ(d->Committed(5), c5);
  // The leader says why: its appends to 4 and 5 time out at the proxy.
  JsonReply leader = d->Get(1, "/v1/status");
  ASSERT_TRUE(leader.body.is_object()) << leader.raw;
  ASSERT_EQ(leader.body.at("peers").as_array().size(), 4u) << leader.raw;  // nodes 2..5
  for (const json::value& p : leader.body.at("peers").as_array()) {
    const int64_t id = p.at("id").to_number<int64_t>();
    EXPECT_EQ(p.at("reachable").as_bool(), id <= 3) << p;
    if (id > 3) {
      EXPECT_LE(p.at("match_height").to_number<int64_t>(), id == 4 ? c4 + 1 : c5 + 1) << p;
      EXPECT_NE(json::serialize(p).find("timed out"), std::string::npos) << p;
    }
  }

  // Healed: the minority catches up to the same chain.
  for (const auto& [link, name] : toxics) {
    JsonReply r =
        testing::HttpJson(d->proxy_api(), "DELETE", "/proxies/" + link + "/toxics/" + name);
    EXPECT_EQ(r.status, 204) << link << "/" << name << ": " << r.raw << r.error;
  }
  const int64_t target = d->Committed(1);
  for (int id : {4, 5}) {
    EXPECT_TRUE(WaitFor([&] { return d->Committed(id) >= target; }, 10s))
        << "node " << id << " stuck at " << d->Committed(id) << " of " << target;
  }
  const std::string block_hash = d->Get(1, "/v1/blocks/" + std::to_string(target)).Str("hash");
  ASSERT_EQ(block_hash.size(), 64u);
  for (int id : {4, 5}) {
    EXPECT_EQ(d->Get(id, "/v1/blocks/" + std::to_string(target)).Str("hash"), block_hash) << id;
    EXPECT_EQ(d->Get(id, "/v1/tx/" + t2.Str("hash")).Str("status"), "confirmed") << id;
  }

  // The proxy as a chaos target: killed, no link carries anything and the
  // leader cannot commit; its restart command brings every link back.
  auto proxy = d->ProxyPid();
  ASSERT_TRUE(proxy.has_value());
  ::kill(*proxy, SIGKILL);
  ASSERT_TRUE(WaitFor([&] { return !d->ProxyPid().has_value(); }, 5s));
  std::this_thread::sleep_for(std::chrono::milliseconds(3 * d->block_ms()));
  const int64_t at_kill = d->Committed(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(10 * d->block_ms()));
  EXPECT_EQ(d->Committed(1), at_kill);
  ProcessResult restart = d->Cli({"start", "--proxy"});
  ASSERT_EQ(restart.exit_code, 0) << restart.out << restart.err;
  EXPECT_NE(restart.out.find("proxy: started"), std::string::npos) << restart.out;
  for (int id = 1; id <= n; ++id) {
    EXPECT_TRUE(WaitFor([&] { return d->Committed(id) >= at_kill + 3; }, 10s)) << "node " << id;
  }
}

TEST(Devnet, WithoutProxiesPeersCallEachOtherDirectly) {
  auto d = Devnet::Up({.nodes = 3, .threshold = 2, .block_ms = 100, .proxies = false});
  ASSERT_TRUE(d);
  EXPECT_FALSE(std::filesystem::exists(d->dir() + "/proxies.json"));
  EXPECT_FALSE(std::filesystem::exists(d->dir() + "/proxy/proxy.pid"));
  EXPECT_FALSE(d->ProxyPid().has_value());
  EXPECT_NE(ReadFile(d->dir() + "/devnet.toml").find("proxies = false"), std::string::npos);
  const std::map<int, std::string> peers = LeaderPeerUrls(*d);
  ASSERT_EQ(peers.size(), 2u);
  for (const auto& [id, url] : peers) EXPECT_EQ(url, d->url(id)) << "peer " << id;

  const std::string sonde_toml = d->dir() + "/sonde.toml";
  const std::string config = ReadFile(sonde_toml);
  EXPECT_EQ(config.find("proxy_api"), std::string::npos);
  EXPECT_EQ(config.find("[chaos.targets.proxy]"), std::string::npos);
  ProcessResult check = testing::RunProcess({SONDE_BINARY, "check", "-c", sonde_toml});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;

  const signer::KeyPair wallet = d->Wallet();
  JsonReply t =
      d->Post(3, "/v1/tx", testing::TransferJson(wallet, FreshAddress(), 2, 0, d->chain_id()));
  ASSERT_EQ(t.status, 202) << t.raw;
  EXPECT_EQ(WaitTxStatus(*d, 2, t.Str("hash"), "confirmed", 5s).Str("status"), "confirmed");

  ProcessResult status = d->Cli({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_NE(status.out.find("fault proxy: none"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("3 of 3 nodes healthy\n"), std::string::npos) << status.out;
  ProcessResult start = d->Cli({"start", "--proxy"});
  EXPECT_NE(start.exit_code, 0);
  EXPECT_NE(start.err.find("no fault proxy"), std::string::npos) << start.err;
  ProcessResult down = d->Cli({"down"});
  EXPECT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_EQ(down.out.find("proxy"), std::string::npos) << down.out;
}

TEST(Devnet, UpRefusesABasePortWithoutRoomForTheLinkProxies) {
  char tmpl[] = "/tmp/sonde-devnet-test-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string dir = std::string(tmpl) + "/d";
  // 100 + 5*5 ports above 65420 do not fit; without proxies they are not needed.
  ProcessResult r = testing::RunProcess(
      {testing::DevnetBinary(), "up", "--dir", dir, "--base-port", "65420"}, 10s);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--base-port 65420 leaves no room for the 20 link proxies"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--base-port <= 65410"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/devnet.toml"));
  ProcessResult many = testing::RunProcess(
      {testing::DevnetBinary(), "up", "--dir", dir, "--nodes", "60", "--base-port", "20000"}, 10s);
  EXPECT_NE(many.exit_code, 0);
  EXPECT_NE(many.err.find("with proxies, --nodes must be at most 49"), std::string::npos)
      << many.err;
  std::filesystem::remove_all(tmpl);
}

TEST(Devnet, DownLeavesNoProcessChainSurvivesRestartAndSondeAcceptsTheConfig) {
  auto d = Devnet::Up({.nodes = 3, .threshold = 2, .block_ms = 100});
  ASSERT_TRUE(d);

  // The generated sonde config passes today's `sonde check`.
  const std::string sonde_toml = d->dir() + "/sonde.toml";
  ProcessResult check = testing::RunProcess({SONDE_BINARY, "check", "-c", sonde_toml});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("2 target groups, 5 journeys, 9 journey/target pairs"),
            std::string::npos)
      << check.out;
  // With the fault proxy: its API for partitions and link faults, and the
  // proxy itself as a chaos target that drills may kill and restart.
  const std::string config = ReadFile(sonde_toml);
  EXPECT_NE(config.find("proxy_api = \"" + d->proxy_api() + "\"\n"), std::string::npos) << config;
  EXPECT_NE(config.find("[chaos.targets.proxy]\nurl = \"" + d->proxy_api() + "\"\npidfile = \"" +
                        d->dir() + "/proxy/proxy.pid\"\nrestart = \""),
            std::string::npos)
      << config;
  EXPECT_NE(config.find("start --dir " + d->dir() + " --proxy\"\n"), std::string::npos) << config;
  EXPECT_NE(config.find("#   node1_to_node2 node1_to_node3\n"), std::string::npos) << config;

  ProcessResult status = d->Cli({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_NE(status.out.find("3 of 3 nodes healthy; fault proxy up"), std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("6 of 6 links, 0 toxics active"), std::string::npos) << status.out;

  // A transfer, so there is state to survive.
  const signer::KeyPair wallet = d->Wallet();
  const signer::PublicKey to = FreshAddress();
  JsonReply t = d->Post(1, "/v1/tx", testing::TransferJson(wallet, to, 9, 0, d->chain_id()));
  ASSERT_EQ(WaitTxStatus(*d, 1, t.Str("hash"), "confirmed", 5s).Str("status"), "confirmed");
  ASSERT_TRUE(
      WaitFor([&] { return d->Committed(3) >= d->Committed(1) - 1 && d->Committed(3) > 3; }, 3s));

  std::vector<pid_t> pids;
  for (int id = 1; id <= 3; ++id) {
    auto pid = d->Pid(id);
    ASSERT_TRUE(pid.has_value());
    pids.push_back(*pid);
  }
  auto proxy_pid = d->ProxyPid();
  ASSERT_TRUE(proxy_pid.has_value());
  const int64_t committed_before = d->Committed(3);
  ProcessResult down = d->Cli({"down"});
  EXPECT_EQ(down.exit_code, 0) << down.out << down.err;
  for (int id = 1; id <= 3; ++id) {
    const std::string pidfile = d->dir() + "/node" + std::to_string(id) + "/node.pid";
    EXPECT_FALSE(std::filesystem::exists(pidfile)) << pidfile;
    // Gone, or at most a zombie waiting for init: never running node code.
    EXPECT_TRUE(devnet::ProcessArgs(pids[id - 1]).empty()) << "pid " << pids[id - 1];
  }
  // The proxy goes last, and goes too.
  const size_t proxy_line =
      down.out.find("proxy: stopped (pid " + std::to_string(*proxy_pid) + ")");
  const size_t node_line = down.out.find("node 3: stopped");
  ASSERT_NE(proxy_line, std::string::npos) << down.out;
  ASSERT_NE(node_line, std::string::npos) << down.out;
  EXPECT_GT(proxy_line, node_line) << down.out;
  EXPECT_FALSE(std::filesystem::exists(d->dir() + "/proxy/proxy.pid"));
  EXPECT_TRUE(devnet::ProcessArgs(*proxy_pid).empty()) << "proxy pid " << *proxy_pid;
  // A stale proxy pidfile naming another process (this test) is recognised
  // as not the proxy, and that process is left alone.
  ASSERT_TRUE(devnet::WritePidFile(d->dir() + "/proxy/proxy.pid", ::getpid()).ok());
  ProcessResult stale = d->Cli({"status"});
  EXPECT_NE(stale.exit_code, 0);
  EXPECT_NE(stale.out.find("0 of 3 nodes healthy; fault proxy DOWN"), std::string::npos)
      << stale.out;
  EXPECT_NE(stale.out.find("fault proxy: pid " + std::to_string(::getpid()) + ", alive no"),
            std::string::npos)
      << stale.out;
  ProcessResult stale_down = d->Cli({"down"});
  EXPECT_EQ(stale_down.exit_code, 0) << stale_down.out << stale_down.err;
  EXPECT_NE(stale_down.out.find("proxy: not running (stale pidfile"), std::string::npos)
      << stale_down.out;
  EXPECT_FALSE(std::filesystem::exists(d->dir() + "/proxy/proxy.pid"));

  // Up again on the same directory: the chain and its state are still there.
  ProcessResult up = d->UpAgain();
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_NE(up.out.find("restarted 3 nodes"), std::string::npos) << up.out;
  // The manifest kept the proxies: the links go through a new proxy process.
  auto new_proxy = d->ProxyPid();
  ASSERT_TRUE(new_proxy.has_value());
  EXPECT_NE(*new_proxy, *proxy_pid);
  EXPECT_EQ(LeaderPeerUrls(*d).at(3), d->link_url(1, 3));
  EXPECT_GE(d->Committed(3), committed_before);
  EXPECT_EQ(d->Get(2, "/v1/accounts/" + signer::ToHex(to)).Int("balance"), 9);
  EXPECT_EQ(d->Get(2, "/v1/tx/" + t.Str("hash")).Str("status"), "confirmed");
  // And `up` refuses to start a second copy of a running devnet.
  ProcessResult twice = d->UpAgain();
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_NE(twice.err.find("already running"), std::string::npos) << twice.err;
}

}  // namespace
}  // namespace sonde
