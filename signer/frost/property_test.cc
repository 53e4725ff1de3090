// Property tests over random t-of-n configurations (2 <= t <= n <= 7) and
// random signer subsets: honest rounds always verify, one corrupted share is
// always caught and pinned on its sender, and fewer than t signers always
// fail with kTooFewParticipants.
//
// All randomness (dealer polynomial, nonce randomness, subsets, messages)
// comes from one std::mt19937_64 per configuration, seeded with
// kBaseSeed + index, so a failure names the seed that reproduces it.
// SONDE_FROST_SEED overrides kBaseSeed to explore other configurations.
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>

#include "signer/frost/coordinator.h"
#include "signer/frost/dealer.h"
#include "signer/frost/participant.h"

namespace sonde::signer::frost {
namespace {

constexpr uint64_t kDefaultBaseSeed = 0x50d3f057;
constexpr int kMaxN = 7;

uint64_t BaseSeed() {
  const char* env = std::getenv("SONDE_FROST_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 0) : kDefaultBaseSeed;
}

class Config {
 public:
  explicit Config(uint64_t seed) : rng_(seed) {
    n_ = Uniform(2, kMaxN);
    t_ = Uniform(2, n_);
  }

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::array<uint8_t, 32> Bytes32() {
    std::array<uint8_t, 32> b;
    for (auto& x : b) x = static_cast<uint8_t>(rng_());
    return b;
  }

  Scalar NonZeroScalar() {
    for (;;) {
      std::array<uint8_t, 64> wide;
      for (auto& x : wide) x = static_cast<uint8_t>(rng_());
      Scalar s = Scalar::ReduceWide(wide);
      if (!s.IsZero()) return s;
    }
  }

  DealerOutput Deal() {
    SecretScalar secret(NonZeroScalar());
    std::vector<SecretScalar> coefficients;
    for (int i = 1; i < t_; ++i) coefficients.emplace_back(NonZeroScalar());
    return TrustedDealerKeygen(secret, coefficients, static_cast<uint16_t>(n_)).value();
  }

  // `k` distinct identifiers from 1..n, in random order.
  std::vector<Identifier> Subset(int k) {
    std::vector<Identifier> ids(n_);
    for (int i = 0; i < n_; ++i) ids[i] = static_cast<Identifier>(i + 1);
    std::shuffle(ids.begin(), ids.end(), rng_);
    ids.resize(k);
    return ids;
  }

  std::vector<uint8_t> Message() {
    std::vector<uint8_t> m(Uniform(0, 64));
    for (auto& x : m) x = static_cast<uint8_t>(rng_());
    return m;
  }

  int n() const { return n_; }
  int t() const { return t_; }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
  int n_;
  int t_;
};

// Round one for `signers`, in the order given (the package sorts them).
struct Round {
  std::map<Identifier, SigningNonces> nonces;
  std::vector<SigningCommitment> commitments;
};

Round CommitAll(Config& c, const DealerOutput& d, const std::vector<Identifier>& signers) {
  Round r;
  for (Identifier id : signers) {
    SigningNonces n = CommitWithRandomness(d.key_packages[id - 1], c.Bytes32(), c.Bytes32());
    r.commitments.push_back(n.commitment);
    r.nonces.emplace(id, std::move(n));
  }
  return r;
}

std::vector<SignatureShare> SignAll(const DealerOutput& d, Round& r,
                                    const SigningPackage& package) {
  std::vector<SignatureShare> shares;
  for (auto& [id, nonces] : r.nonces) {
    auto s = Sign(d.key_packages[id - 1], std::move(nonces), package);
    EXPECT_TRUE(s.ok()) << s.error().message;
    if (s.ok()) shares.push_back(s.value());
  }
  return shares;
}

// `offset` separates the tests' seed ranges; SONDE_FROST_SEED=seed-offset
// makes the failing configuration the test's first.
std::string Describe(uint64_t seed, uint64_t offset, const Config& c,
                     const std::vector<Identifier>& signers) {
  std::string s = "config seed " + std::to_string(seed) +
                  " (rerun with SONDE_FROST_SEED=" + std::to_string(seed - offset) +
                  " to make it the first): " + std::to_string(c.t()) + "-of-" +
                  std::to_string(c.n()) + ", signers";
  for (Identifier id : signers) s += " " + std::to_string(id);
  return s;
}

bool VerifiesAsEd25519(const Signature& sig, const Point& key, const std::vector<uint8_t>& msg) {
  return crypto_sign_verify_detached(sig.data(), msg.data(), msg.size(), key.bytes().data()) == 0;
}

TEST(FrostProperty, EveryHonestSubsetOfAtLeastTSignersVerifies) {
  constexpr int kConfigs = 450;
  constexpr uint64_t kOffset = 0;
  const uint64_t base = BaseSeed() + kOffset;
  for (int i = 0; i < kConfigs; ++i) {
    const uint64_t seed = base + i;
    Config c(seed);
    const DealerOutput d = c.Deal();
    const std::vector<Identifier> signers = c.Subset(c.Uniform(c.t(), c.n()));
    SCOPED_TRACE(Describe(seed, kOffset, c, signers));
    Round r = CommitAll(c, d, signers);
    const SigningPackage package{CommitmentList::Make(r.commitments).value(), c.Message()};
    const std::vector<SignatureShare> shares = SignAll(d, r, package);
    auto sig = Aggregate(d.public_key_package, package, shares);
    ASSERT_TRUE(sig.ok()) << sig.error().message;
    ASSERT_TRUE(
        VerifiesAsEd25519(sig.value(), d.public_key_package.group_public_key, package.message));
  }
}

TEST(FrostProperty, OneCorruptedShareIsDetectedAndAttributedToItsSender) {
  constexpr int kConfigs = 350;
  constexpr uint64_t kOffset = 1'000'000;
  const uint64_t base = BaseSeed() + kOffset;
  for (int i = 0; i < kConfigs; ++i) {
    const uint64_t seed = base + i;
    Config c(seed);
    const DealerOutput d = c.Deal();
    const std::vector<Identifier> signers = c.Subset(c.Uniform(c.t(), c.n()));
    SCOPED_TRACE(Describe(seed, kOffset, c, signers));
    Round r = CommitAll(c, d, signers);
    const SigningPackage package{CommitmentList::Make(r.commitments).value(), c.Message()};
    std::vector<SignatureShare> shares = SignAll(d, r, package);
    ASSERT_EQ(shares.size(), signers.size());

    const size_t victim = static_cast<size_t>(c.Uniform(0, static_cast<int>(shares.size()) - 1));
    const SignatureShare honest = shares[victim];
    // Three ways a share goes bad: a random offset, another signer's share,
    // or a random scalar.
    switch (c.Uniform(0, 2)) {
      case 0:
        shares[victim].share = shares[victim].share + c.NonZeroScalar();
        break;
      case 1:
        shares[victim].share = shares[(victim + 1) % shares.size()].share;
        if (shares[victim].share == honest.share) shares[victim].share = c.NonZeroScalar();
        break;
      default:
        shares[victim].share = c.NonZeroScalar();
        break;
    }
    const Identifier culprit = shares[victim].identifier;

    auto sig = Aggregate(d.public_key_package, package, shares);
    ASSERT_FALSE(sig.ok());
    EXPECT_EQ(sig.error().code, ErrorCode::kInvalidShare);
    EXPECT_EQ(sig.error().participants, std::vector<Identifier>{culprit});
    EXPECT_EQ(sig.error().message,
              "the signature share from participant " + std::to_string(culprit) + " is invalid");

    Status one = VerifySignatureShare(d.public_key_package, package, shares[victim]);
    ASSERT_FALSE(one.ok());
    EXPECT_EQ(one.error().participants, std::vector<Identifier>{culprit});
    const size_t other = (victim + 1) % shares.size();
    EXPECT_TRUE(VerifySignatureShare(d.public_key_package, package, shares[other]).ok());
    if (::testing::Test::HasFailure()) return;  // one failing configuration is enough to read
  }
}

TEST(FrostProperty, FewerThanTSignersFailWithATypedError) {
  constexpr int kConfigs = 300;
  constexpr uint64_t kOffset = 2'000'000;
  const uint64_t base = BaseSeed() + kOffset;
  for (int i = 0; i < kConfigs; ++i) {
    const uint64_t seed = base + i;
    Config c(seed);
    const DealerOutput d = c.Deal();
    const std::vector<Identifier> signers = c.Subset(c.Uniform(1, c.t() - 1));
    SCOPED_TRACE(Describe(seed, kOffset, c, signers));
    Round r = CommitAll(c, d, signers);
    const SigningPackage package{CommitmentList::Make(r.commitments).value(), c.Message()};

    for (auto& [id, nonces] : r.nonces) {
      auto s = Sign(d.key_packages[id - 1], std::move(nonces), package);
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(s.error().code, ErrorCode::kTooFewParticipants);
    }
    auto sig = Aggregate(d.public_key_package, package, {});
    ASSERT_FALSE(sig.ok());
    EXPECT_EQ(sig.error().code, ErrorCode::kTooFewParticipants);
    std::vector<Identifier> sorted = signers;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sig.error().participants, sorted);
    if (::testing::Test::HasFailure()) return;
  }
}

}  // namespace
}  // namespace sonde::signer::frost
