#include "signer/ed25519.h"

#include <gtest/gtest.h>

#include "signer/encoding.h"

namespace sonde::signer {
namespace {

std::vector<uint8_t> Bytes(std::string_view hex) { return FromHex(hex, "test").value(); }

// RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte).
TEST(Ed25519, ReproducesRfc8032Vectors) {
  auto key =
      KeyPair::FromSeed(Bytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(ToHex(key->public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  Signature sig = key->Sign({});
  EXPECT_EQ(ToHex(sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
            "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(Verify(key->public_key(), {}, sig).ok());

  auto key2 =
      KeyPair::FromSeed(Bytes("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
  ASSERT_TRUE(key2.ok());
  EXPECT_EQ(ToHex(key2->public_key()),
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  const std::vector<uint8_t> msg = {0x72};
  EXPECT_EQ(ToHex(key2->Sign(msg)),
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e"
            "458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
}

TEST(Ed25519, VerifyRejectsTamperingAndTheWrongKey) {
  KeyPair a = KeyPair::Generate();
  KeyPair b = KeyPair::Generate();
  std::vector<uint8_t> msg = {'h', 'i'};
  Signature sig = a.Sign(msg);
  EXPECT_TRUE(Verify(a.public_key(), msg, sig).ok());

  Status wrong_key = Verify(b.public_key(), msg, sig);
  ASSERT_FALSE(wrong_key.ok());
  EXPECT_EQ(wrong_key.error().code, ErrorCode::kVerificationFailed);

  msg[0] ^= 1;
  EXPECT_FALSE(Verify(a.public_key(), msg, sig).ok());
  msg[0] ^= 1;
  for (size_t i : {0u, 31u, 32u, 63u}) {
    Signature bad = sig;
    bad[i] ^= 0x10;
    EXPECT_FALSE(Verify(a.public_key(), msg, bad).ok()) << "byte " << i;
  }
}

TEST(Ed25519, SeedMustBe32Bytes) {
  auto r = KeyPair::FromSeed(std::vector<uint8_t>(31));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST(Ed25519, GeneratedKeysDifferAndRoundTripThroughTheirSeed) {
  KeyPair a = KeyPair::Generate();
  KeyPair b = KeyPair::Generate();
  EXPECT_NE(a.public_key(), b.public_key());
  auto again = KeyPair::FromSeed(a.seed().span());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_key(), a.public_key());
}

TEST(Ed25519, HexHelpersCheckLength) {
  KeyPair a = KeyPair::Generate();
  auto pk = PublicKeyFromHex(ToHex(a.public_key()), "pk");
  ASSERT_TRUE(pk.ok());
  EXPECT_EQ(pk.value(), a.public_key());
  EXPECT_FALSE(PublicKeyFromHex("00", "pk").ok());
  EXPECT_FALSE(SignatureFromHex(ToHex(a.public_key()), "sig").ok());
}

}  // namespace
}  // namespace sonde::signer
