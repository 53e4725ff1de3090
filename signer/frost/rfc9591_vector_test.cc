// RFC 9591 appendix E.1, FROST(Ed25519, SHA-512): every value of the
// published vector, reproduced from its inputs, byte for byte.
#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>
#include <map>

#include "signer/encoding.h"
#include "signer/frost/binding.h"
#include "signer/frost/coordinator.h"
#include "signer/frost/dealer.h"
#include "signer/frost/participant.h"
#include "signer/test_files.h"

namespace sonde::signer::frost {
namespace {

namespace json = boost::json;

constexpr const char* kName = "rfc9591-frost-ed25519-sha512.json";

std::string VectorPath() {
  // The in-repo copy first, so the repo is self-contained; the shared copy
  // (../shared/vectors in CI) otherwise. Neither: the test fails.
  return testing::FindFile({std::string(SONDE_SIGNER_TESTDATA) + "/" + kName,
                            std::string(SONDE_SHARED_DIR) + "/vectors/" + kName});
}

std::string Str(const json::value& v, const char* key) {
  return std::string(v.at(key).as_string().c_str());
}
std::vector<uint8_t> Hex(const json::value& v, const char* key) {
  return FromHex(Str(v, key), key).value();
}
std::array<uint8_t, 32> Hex32(const json::value& v, const char* key) {
  std::array<uint8_t, 32> out;
  EXPECT_TRUE(FromHexInto(Str(v, key), out, key).ok()) << key;
  return out;
}

TEST(Rfc9591, InRepoCopyMatchesTheSharedVectorFile) {
  const std::string ours = testing::TestData(kName);
  const std::string shared = std::string(SONDE_SHARED_DIR) + "/vectors/" + kName;
  if (!std::filesystem::exists(shared)) GTEST_SKIP() << "no shared copy at " << shared;
  EXPECT_EQ(testing::ReadFile(ours), testing::ReadFile(shared));
}

TEST(Rfc9591, ReproducesEveryValueOfTheEd25519Sha512Vector) {
  const json::value v = testing::ReadJson(VectorPath());
  const int max_participants = static_cast<int>(v.at("max_participants").as_int64());
  const int min_participants = static_cast<int>(v.at("min_participants").as_int64());
  const std::vector<uint8_t> message = Hex(v, "message");

  // Key generation from the given secret and polynomial.
  const SecretScalar secret = SecretScalar::Decode(Hex(v, "group_secret_key"), "secret").value();
  std::vector<SecretScalar> coefficients;
  for (const json::value& c : v.at("share_polynomial_coefficients").as_array()) {
    coefficients.push_back(
        SecretScalar::Decode(FromHex(c.as_string().c_str(), "c").value(), "c").value());
  }
  ASSERT_EQ(coefficients.size() + 1, static_cast<size_t>(min_participants));
  auto dealt = TrustedDealerKeygen(secret, coefficients, static_cast<uint16_t>(max_participants));
  ASSERT_TRUE(dealt.ok()) << dealt.error().message;
  const DealerOutput& dealer = dealt.value();
  EXPECT_EQ(ToHex(dealer.public_key_package.group_public_key.bytes()), Str(v, "group_public_key"));
  ASSERT_EQ(dealer.key_packages.size(), static_cast<size_t>(max_participants));
  for (const KeyPackage& k : dealer.key_packages) {
    const std::string id = std::to_string(k.identifier);
    EXPECT_EQ(ToHex(k.signing_share.bytes()), Str(v.at("participant_shares"), id.c_str())) << id;
    EXPECT_TRUE(VerifyShare(k.identifier, k.signing_share, dealer.vss_commitment).ok()) << id;
  }

  // Round one: nonces from the given randomness, and their commitments.
  std::vector<Identifier> signers;
  for (const json::value& id : v.at("participant_list").as_array()) {
    signers.push_back(static_cast<Identifier>(id.as_int64()));
  }
  std::map<Identifier, SigningNonces> nonces;
  std::vector<SigningCommitment> commitments;
  for (Identifier id : signers) {
    const json::value& r1 = v.at("round_one").at(std::to_string(id));
    const auto hiding_randomness = Hex32(r1, "hiding_nonce_randomness");
    const auto binding_randomness = Hex32(r1, "binding_nonce_randomness");
    SigningNonces n =
        CommitWithRandomness(dealer.key_packages[id - 1], hiding_randomness, binding_randomness);
    EXPECT_EQ(ToHex(n.hiding.bytes()), Str(r1, "hiding_nonce")) << id;
    EXPECT_EQ(ToHex(n.binding.bytes()), Str(r1, "binding_nonce")) << id;
    EXPECT_EQ(ToHex(n.commitment.hiding.bytes()), Str(r1, "hiding_nonce_commitment")) << id;
    EXPECT_EQ(ToHex(n.commitment.binding.bytes()), Str(r1, "binding_nonce_commitment")) << id;
    commitments.push_back(n.commitment);
    nonces.emplace(id, std::move(n));
  }
  const SigningPackage package{CommitmentList::Make(commitments).value(), message};

  // Binding factor inputs and factors.
  const std::vector<BindingFactor> factors = ComputeBindingFactors(
      dealer.public_key_package.group_public_key, package.commitments, message);
  ASSERT_EQ(factors.size(), signers.size());
  for (const BindingFactor& bf : factors) {
    const json::value& r1 = v.at("round_one").at(std::to_string(bf.identifier));
    EXPECT_EQ(ToHex(bf.input), Str(r1, "binding_factor_input")) << bf.identifier;
    EXPECT_EQ(ToHex(bf.factor.bytes()), Str(r1, "binding_factor")) << bf.identifier;
  }

  // Round two: signature shares, each verified by the coordinator.
  std::vector<SignatureShare> shares;
  for (Identifier id : signers) {
    auto share = Sign(dealer.key_packages[id - 1], std::move(nonces.at(id)), package);
    ASSERT_TRUE(share.ok()) << share.error().message;
    EXPECT_EQ(ToHex(share->share.bytes()),
              Str(v.at("round_two").at(std::to_string(id)), "sig_share"))
        << id;
    EXPECT_TRUE(VerifySignatureShare(dealer.public_key_package, package, share.value()).ok());
    shares.push_back(share.value());
  }

  // Aggregation, and the result as a plain Ed25519 signature.
  auto signature = Aggregate(dealer.public_key_package, package, shares);
  ASSERT_TRUE(signature.ok()) << signature.error().message;
  EXPECT_EQ(ToHex(signature.value()), Str(v, "signature"));
  const std::vector<uint8_t> group_key = Hex(v, "group_public_key");
  EXPECT_EQ(crypto_sign_verify_detached(signature->data(), message.data(), message.size(),
                                        group_key.data()),
            0);
}

}  // namespace
}  // namespace sonde::signer::frost
