#include "signer/secp256k1_key.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>
#include <string>
#include <vector>

#include "signer/encoding.h"
#include "signer/keccak.h"

namespace sonde::signer {
namespace {

// The order n of the group (SEC 2 v2, section 2.4.1).
const std::string kOrderHex = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

std::vector<uint8_t> Bytes(const std::string& hex) {
  auto b = FromHex(hex, "test");
  EXPECT_TRUE(b.ok());
  return b.ok() ? b.value() : std::vector<uint8_t>();
}

std::array<uint8_t, 32> Array32(const std::string& hex) {
  std::array<uint8_t, 32> out{};
  const auto b = Bytes(hex);
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}

// n - x, big-endian, for a 32-byte x < n.
std::array<uint8_t, 32> OrderMinus(const std::array<uint8_t, 32>& x) {
  const auto n = Array32(kOrderHex);
  std::array<uint8_t, 32> out;
  int borrow = 0;
  for (int i = 31; i >= 0; --i) {
    int d = n[i] - x[i] - borrow;
    borrow = d < 0;
    out[i] = static_cast<uint8_t>(d + (borrow ? 256 : 0));
  }
  return out;
}

TEST(Secp256k1Key, SecretOneHasTheGeneratorAsPublicKey) {
  // G, uncompressed, from SEC 2 v2 section 2.4.1.
  auto key = Secp256k1Key::FromSecret(Bytes(std::string(63, '0') + "1"));
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(ToHex(key->public_key()),
            "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
  EXPECT_EQ(ToChecksumAddress(key->address()), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  EXPECT_TRUE(key->secret().Equals(Bytes(std::string(63, '0') + "1")));
}

TEST(Secp256k1Key, RefusesSecretsOutsideOneToNMinusOne) {
  const std::string no_bytes =
      "not a valid secp256k1 secret: it must be a number from 1 to n-1 (n the curve order)";
  for (const std::string& hex :
       {std::string(64, '0'), kOrderHex, kOrderHex.substr(0, 63) + "2", std::string(64, 'f')}) {
    auto key = Secp256k1Key::FromSecret(Bytes(hex));
    ASSERT_FALSE(key.ok()) << hex;
    EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(key.error().message, no_bytes);
  }
  // n - 1 is the largest valid secret.
  EXPECT_TRUE(Secp256k1Key::FromSecret(Bytes(kOrderHex.substr(0, 63) + "0")).ok());
}

TEST(Secp256k1Key, RefusesTheWrongLength) {
  for (size_t size : {0u, 31u, 33u, 64u}) {
    auto key = Secp256k1Key::FromSecret(std::vector<uint8_t>(size, 1));
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(key.error().message, "a secp256k1 secret is 32 bytes, got " + std::to_string(size));
  }
}

TEST(Secp256k1Key, GenerateGivesDistinctValidKeys) {
  std::set<std::string> addresses;
  for (int i = 0; i < 8; ++i) {
    Secp256k1Key key = Secp256k1Key::Generate();
    auto again = Secp256k1Key::FromSecret(key.secret().span());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->public_key(), key.public_key());
    EXPECT_EQ(again->address(), key.address());
    addresses.insert(ToHex(key.address()));
  }
  EXPECT_EQ(addresses.size(), 8u);
}

TEST(Secp256k1Key, SignaturesRecoverToTheAddressAreLowSAndDeterministic) {
  const auto half_n = Array32("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");
  for (int i = 0; i < 32; ++i) {
    Secp256k1Key key = Secp256k1Key::Generate();
    Digest32 digest;
    randombytes_buf(digest.data(), digest.size());
    const RecoverableSignature sig = key.SignDigest(digest);
    EXPECT_LE(sig.recovery_id, 1);
    EXPECT_LE(sig.s, half_n) << "high s";
    const RecoverableSignature again = key.SignDigest(digest);  // RFC 6979
    EXPECT_EQ(again.r, sig.r);
    EXPECT_EQ(again.s, sig.s);
    EXPECT_EQ(again.recovery_id, sig.recovery_id);

    auto from = RecoverAddress(digest, sig.r, sig.s, sig.recovery_id);
    ASSERT_TRUE(from.ok()) << from.error().message;
    EXPECT_EQ(from.value(), key.address());
    // The other recovery id, or another digest, gives someone else.
    auto other = RecoverAddress(digest, sig.r, sig.s, 1 - sig.recovery_id);
    if (other.ok()) {
      EXPECT_NE(other.value(), key.address());
    }
    Digest32 tampered = digest;
    tampered[0] ^= 1;
    auto wrong = RecoverAddress(tampered, sig.r, sig.s, sig.recovery_id);
    if (wrong.ok()) {
      EXPECT_NE(wrong.value(), key.address());
    }
  }
}

TEST(Secp256k1Key, RecoverRefusesMalformedSignatures) {
  Secp256k1Key key = Secp256k1Key::Generate();
  const Digest32 digest = Keccak256(std::string_view("sonde"));
  const RecoverableSignature sig = key.SignDigest(digest);
  const std::array<uint8_t, 32> zero{};
  const auto n = Array32(kOrderHex);

  auto expect = [&](const std::array<uint8_t, 32>& r, const std::array<uint8_t, 32>& s, int recid,
                    const std::string& message) {
    auto got = RecoverAddress(digest, r, s, recid);
    ASSERT_FALSE(got.ok()) << message;
    EXPECT_EQ(got.error().code, ErrorCode::kVerificationFailed);
    EXPECT_EQ(got.error().message, "secp256k1 signature: " + message);
  };
  expect(sig.r, sig.s, 2, "recovery id 2 is not 0 or 1");
  expect(sig.r, sig.s, -1, "recovery id -1 is not 0 or 1");
  expect(n, sig.s, sig.recovery_id, "r or s is not below the curve order");
  expect(sig.r, n, sig.recovery_id, "r or s is not below the curve order");
  // (r, n - s) with the other recovery id is the same signature, high-s:
  // valid ECDSA, refused by Ethereum since EIP-2.
  expect(sig.r, OrderMinus(sig.s), 1 - sig.recovery_id,
         "s is high (above n/2); EIP-2 refuses such signatures");
  expect(zero, sig.s, sig.recovery_id, "no public key recovers from it");
  expect(sig.r, zero, sig.recovery_id, "no public key recovers from it");
}

}  // namespace
}  // namespace sonde::signer
