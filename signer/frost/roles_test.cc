// The checks each role makes before it does any math: what a participant
// refuses to sign, what the coordinator refuses to aggregate, what a share
// holder can verify about the dealer.
#include <gtest/gtest.h>

#include <map>

#include "signer/frost/coordinator.h"
#include "signer/frost/dealer.h"
#include "signer/frost/participant.h"

namespace sonde::signer::frost {
namespace {

struct Fixture {
  DealerOutput d = TrustedDealerKeygen(2, 4).value();
  std::map<Identifier, SigningNonces> nonces;
  std::vector<SigningCommitment> commitments;

  explicit Fixture(std::vector<Identifier> signers) {
    for (Identifier id : signers) {
      SigningNonces n = Commit(d.key_packages[id - 1]);
      commitments.push_back(n.commitment);
      nonces.emplace(id, std::move(n));
    }
  }
  SigningPackage Package() const { return {CommitmentList::Make(commitments).value(), {42}}; }
  SignatureShare SignAs(Identifier id) {
    return Sign(d.key_packages[id - 1], std::move(nonces.at(id)), Package()).value();
  }
};

TEST(Dealer, RejectsBadThresholds) {
  for (auto [t, n] : {std::pair{1, 3}, {4, 3}, {0, 0}}) {
    auto r = TrustedDealerKeygen(static_cast<uint16_t>(t), static_cast<uint16_t>(n));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(Dealer, EveryShareVerifiesAgainstTheVssCommitmentAndATamperedOneDoesNot) {
  DealerOutput d = TrustedDealerKeygen(3, 5).value();
  ASSERT_EQ(d.vss_commitment.size(), 3u);
  EXPECT_EQ(d.vss_commitment[0], d.public_key_package.group_public_key);
  for (const KeyPackage& k : d.key_packages) {
    EXPECT_TRUE(VerifyShare(k.identifier, k.signing_share, d.vss_commitment).ok());
    EXPECT_EQ(Point::BaseMul(k.signing_share.Expose()), k.verifying_share);
  }
  SecretScalar bad(d.key_packages[1].signing_share.Expose() + Scalar::FromU64(1));
  Status s = VerifyShare(2, bad, d.vss_commitment);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidShare);
  EXPECT_EQ(s.error().participants, std::vector<Identifier>{2});
  // Participant 3's share is not participant 2's.
  EXPECT_FALSE(VerifyShare(2, d.key_packages[2].signing_share, d.vss_commitment).ok());
}

TEST(Participant, RefusesAListWithoutItsOwnCommitment) {
  Fixture f({1, 2, 3});
  // Replace participant 1's commitment with participant 3's points.
  f.commitments[0].hiding = f.commitments[2].hiding;
  auto r = Sign(f.d.key_packages[0], std::move(f.nonces.at(1)), f.Package());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);

  Fixture g({2, 3});
  SigningNonces foreign = Commit(g.d.key_packages[0]);  // participant 1, not in the list
  auto r2 = Sign(g.d.key_packages[0], std::move(foreign), g.Package());
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().code, ErrorCode::kInvalidArgument);
}

TEST(Coordinator, NamesMissingUnknownAndDuplicateSigners) {
  Fixture f({1, 2, 4});
  const SigningPackage package = f.Package();
  std::vector<SignatureShare> shares = {f.SignAs(1), f.SignAs(4)};

  auto missing = Aggregate(f.d.public_key_package, package, shares);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kMissingShare);
  EXPECT_EQ(missing.error().participants, std::vector<Identifier>{2});
  EXPECT_EQ(missing.error().message, "no signature share from participants 2");

  shares.push_back(shares[0]);
  auto dup = Aggregate(f.d.public_key_package, package, shares);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kDuplicateParticipant);
  EXPECT_EQ(dup.error().participants, std::vector<Identifier>{1});

  shares.back().identifier = 3;  // did not commit
  auto stranger = Aggregate(f.d.public_key_package, package, shares);
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, ErrorCode::kUnknownParticipant);
  EXPECT_EQ(stranger.error().participants, std::vector<Identifier>{3});

  shares.pop_back();
  shares.push_back(f.SignAs(2));
  EXPECT_TRUE(Aggregate(f.d.public_key_package, package, shares).ok());
}

TEST(Coordinator, RejectsCommitmentsFromParticipantsWithoutAKey) {
  Fixture f({1, 2});
  PublicKeyPackage keys = f.d.public_key_package;
  keys.verifying_shares.erase(2);
  auto r = Aggregate(keys, f.Package(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnknownParticipant);
  EXPECT_EQ(r.error().participants, std::vector<Identifier>{2});
}

TEST(Coordinator, ReportsEveryInvalidShareNotJustTheFirst) {
  Fixture f({1, 2, 3, 4});
  const SigningPackage package = f.Package();
  std::vector<SignatureShare> shares = {f.SignAs(1), f.SignAs(2), f.SignAs(3), f.SignAs(4)};
  shares[1].share = shares[1].share + Scalar::FromU64(1);
  shares[3].share = Scalar();
  auto r = Aggregate(f.d.public_key_package, package, shares);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidShare);
  EXPECT_EQ(r.error().participants, (std::vector<Identifier>{2, 4}));
  EXPECT_EQ(r.error().message, "the signature shares from participants 2, 4 are invalid");
}

}  // namespace
}  // namespace sonde::signer::frost
