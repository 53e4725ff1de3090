// The ledger's rules, one by one: what each kind of tx needs, what a refusal
// leaves unchanged, and when rewards start.
#include "devnet/ledger.h"

#include <gtest/gtest.h>

namespace sonde::devnet {
namespace {

constexpr char kChain[] = "test-chain";

struct Keys {
  signer::KeyPair wallet = signer::KeyPair::Generate();
  signer::KeyPair node = signer::KeyPair::Generate();
  signer::PublicKey other = signer::KeyPair::Generate().public_key();
};

Tx Transfer(const signer::KeyPair& from, const signer::PublicKey& to, uint64_t amount,
            uint64_t nonce) {
  signer::Transfer t{kChain, from.public_key(), to, amount, nonce, {}};
  return MakeTx(t, from.Sign(signer::Encode(t).value())).value();
}

Tx Activation(const signer::KeyPair& node, std::vector<uint8_t> challenge,
              signer::NodeType type = signer::NodeType::kFull) {
  signer::ActivationProof a{kChain, node.public_key(), type, std::move(challenge)};
  return MakeTx(a, node.Sign(signer::Encode(a).value())).value();
}

Tx Claim(const signer::KeyPair& node, const signer::PublicKey& to, uint64_t amount,
         uint64_t nonce) {
  signer::RewardClaim c{kChain, node.public_key(), to, amount, nonce};
  return MakeTx(c, node.Sign(signer::Encode(c).value())).value();
}

TEST(Ledger, TransfersNeedTheNextNonceAndTheFunds) {
  Keys k;
  Ledger l({{k.wallet.public_key(), 100}});
  EXPECT_EQ(l.Apply(Transfer(k.wallet, k.other, 30, 1), 1), Reason::kBadNonce);
  EXPECT_EQ(l.Apply(Transfer(k.wallet, k.other, 101, 0), 1), Reason::kInsufficientFunds);
  // A refusal changes nothing.
  EXPECT_EQ(l.account(k.wallet.public_key()).balance, 100u);
  EXPECT_EQ(l.account(k.wallet.public_key()).nonce, 0u);
  EXPECT_EQ(l.Apply(Transfer(k.wallet, k.other, 30, 0), 1), std::nullopt);
  EXPECT_EQ(l.Apply(Transfer(k.wallet, k.other, 30, 0), 1), Reason::kBadNonce);  // replay
  EXPECT_EQ(l.Apply(Transfer(k.wallet, k.wallet.public_key(), 70, 1), 1), std::nullopt);
  EXPECT_EQ(l.account(k.wallet.public_key()).balance, 70u);
  EXPECT_EQ(l.account(k.wallet.public_key()).nonce, 2u);
  EXPECT_EQ(l.account(k.other).balance, 30u);
}

TEST(Ledger, AChallengeActivatesOnceAndRewardsStartTheBlockAfter) {
  Keys k;
  Ledger l({});
  EXPECT_EQ(l.Apply(Activation(k.node, {1, 2, 3}), 5), std::nullopt);
  EXPECT_TRUE(l.ChallengeUsed(std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(l.Apply(Activation(k.node, {1, 2, 3}, signer::NodeType::kLight), 6),
            Reason::kChallengeUsed);
  ASSERT_NE(l.node(k.node.public_key()), nullptr);
  EXPECT_EQ(l.node(k.node.public_key())->type, signer::NodeType::kFull);
  l.FinishBlock(5, 10);  // the activation's own block earns nothing
  EXPECT_EQ(l.rewards(k.node.public_key()).accrued, 0u);
  l.FinishBlock(6, 10);
  l.FinishBlock(7, 10);
  EXPECT_EQ(l.rewards(k.node.public_key()).claimable(), 20u);
  // Re-activation with a fresh challenge keeps the height, changes the type.
  EXPECT_EQ(l.Apply(Activation(k.node, {9}, signer::NodeType::kSuper), 8), std::nullopt);
  EXPECT_EQ(l.node(k.node.public_key())->activated_height, 5u);
  EXPECT_EQ(l.node(k.node.public_key())->type, signer::NodeType::kSuper);
}

TEST(Ledger, ClaimsNeedTheClaimNonceAndAccruedRewards) {
  Keys k;
  Ledger l({});
  EXPECT_EQ(l.Apply(Claim(k.node, k.other, 1, 0), 1), Reason::kClaimExceedsAccrued);
  ASSERT_EQ(l.Apply(Activation(k.node, {4}), 1), std::nullopt);
  for (uint64_t h = 2; h <= 4; ++h) l.FinishBlock(h, 10);
  EXPECT_EQ(l.Apply(Claim(k.node, k.other, 31, 0), 5), Reason::kClaimExceedsAccrued);
  EXPECT_EQ(l.Apply(Claim(k.node, k.other, 0, 0), 5), Reason::kClaimExceedsAccrued);
  EXPECT_EQ(l.Apply(Claim(k.node, k.other, 20, 1), 5), Reason::kBadClaimNonce);
  EXPECT_EQ(l.Apply(Claim(k.node, k.other, 20, 0), 5), std::nullopt);
  EXPECT_EQ(l.account(k.other).balance, 20u);
  // The same claim again: its nonce is used.
  EXPECT_EQ(l.Apply(Claim(k.node, k.other, 20, 0), 5), Reason::kBadClaimNonce);
  // The next nonce, for more than is left: refused.
  EXPECT_EQ(l.Apply(Claim(k.node, k.other, 20, 1), 5), Reason::kClaimExceedsAccrued);
  const RewardRecord r = l.rewards(k.node.public_key());
  EXPECT_EQ(r.accrued, 30u);
  EXPECT_EQ(r.claimed, 20u);
  EXPECT_EQ(r.claim_nonce, 1u);
}

TEST(Tx, HashesAndSignaturesCoverTheWholeMessage) {
  Keys k;
  Tx a = Transfer(k.wallet, k.other, 1, 0);
  Tx b = Transfer(k.wallet, k.other, 2, 0);
  EXPECT_TRUE(SignatureValid(a));
  EXPECT_NE(a.hash, b.hash);
  Tx forged = a;
  forged.signature = b.signature;
  EXPECT_FALSE(SignatureValid(forged));
  // JSON round trip, and a tampered hash is refused.
  auto json = TxToJson(a);
  auto back = TxFromJson(json, kChain, std::nullopt);
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->hash, a.hash);
  json["hash"] = HashHex(b.hash);
  EXPECT_FALSE(TxFromJson(json, kChain, std::nullopt).ok());
  // Read on another chain, the same fields are another message: the
  // signature is worthless there.
  json.erase("hash");
  auto elsewhere = TxFromJson(json, "another-chain", std::nullopt);
  ASSERT_TRUE(elsewhere.ok()) << elsewhere.error();
  EXPECT_NE(elsewhere->hash, a.hash);
  EXPECT_FALSE(SignatureValid(elsewhere.value()));
}

}  // namespace
}  // namespace sonde::devnet
