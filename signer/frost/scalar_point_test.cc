#include "signer/frost/scalar_point.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "signer/encoding.h"
#include "signer/frost/hash.h"
#include "signer/frost/polynomial.h"

namespace sonde::signer::frost {
namespace {

std::vector<uint8_t> Bytes(std::string_view hex) { return FromHex(hex, "test").value(); }

// L and neighbours, little-endian.
constexpr std::string_view kL = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
constexpr std::string_view kLMinus1 =
    "ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
constexpr std::string_view kBase =
    "5866666666666666666666666666666666666666666666666666666666666666";
// (0, -1), the point of order 2.
constexpr std::string_view kOrder2 =
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";

TEST(Scalar, DecodeAcceptsOnlyCanonicalEncodings) {
  EXPECT_TRUE(Scalar::Decode(Bytes(kLMinus1), "s").ok());
  EXPECT_TRUE(Scalar::Decode(std::vector<uint8_t>(32, 0), "s").ok());
  for (std::string_view bad :
       {kL, std::string_view("eed3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"),
        std::string_view("0000000000000000000000000000000000000000000000000000000000000011"),
        std::string_view("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")}) {
    auto r = Scalar::Decode(Bytes(bad), "/share");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kNonCanonicalScalar);
    EXPECT_EQ(r.error().message, "/share: scalar is not canonical (not below the group order)");
  }
  auto short_input = Scalar::Decode(std::vector<uint8_t>(31), "s");
  ASSERT_FALSE(short_input.ok());
  EXPECT_EQ(short_input.error().code, ErrorCode::kInvalidEncoding);
}

TEST(Scalar, ArithmeticIsModL) {
  const Scalar a = Scalar::Random();
  const Scalar b = Scalar::Random();
  EXPECT_EQ(a + b - b, a);
  EXPECT_EQ(-a + a, Scalar());
  EXPECT_EQ(a * a.Invert().value(), Scalar::FromU64(1));
  EXPECT_FALSE(Scalar().Invert().ok());
  const Scalar l_minus_1 = Scalar::Decode(Bytes(kLMinus1), "s").value();
  EXPECT_EQ(l_minus_1 + Scalar::FromU64(1), Scalar());
  EXPECT_EQ(Scalar::FromU64(6) * Scalar::FromU64(7), Scalar::FromU64(42));
}

TEST(Point, DecodeRejectsIdentitySmallOrderNonCanonicalAndOffSubgroupPoints) {
  auto identity = Point::Decode(Bytes("01" + std::string(62, '0')), "/hiding");
  ASSERT_FALSE(identity.ok());
  EXPECT_EQ(identity.error().code, ErrorCode::kIdentityPoint);
  EXPECT_EQ(identity.error().message, "/hiding: is the identity element");

  // B + (0,-1) is on the curve but outside the prime-order subgroup.
  std::vector<uint8_t> mixed(32);
  ASSERT_EQ(crypto_core_ed25519_add(mixed.data(), Bytes(kBase).data(), Bytes(kOrder2).data()), 0);
  const std::vector<std::vector<uint8_t>> bad = {
      Bytes(kOrder2),
      mixed,
      // y = p: a non-canonical encoding.
      Bytes("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
      // The identity with the sign bit set.
      Bytes("0100000000000000000000000000000000000000000000000000000000000080"),
      Bytes("0200000000000000000000000000000000000000000000000000000000000000"),
  };
  for (const auto& b : bad) {
    auto r = Point::Decode(b, "/binding");
    ASSERT_FALSE(r.ok()) << ToHex(b);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidPoint) << ToHex(b);
  }
  EXPECT_EQ(Point::Decode(std::vector<uint8_t>(33, 1), "p").error().code,
            ErrorCode::kInvalidEncoding);
  EXPECT_TRUE(Point::Decode(Bytes(kBase), "B").ok());
}

TEST(Point, ZeroScalarsAndTheIdentityAreHandled) {
  const Point b = Point::BaseMul(Scalar::FromU64(1));
  EXPECT_EQ(ToHex(b.bytes()), kBase);
  EXPECT_TRUE(Point::BaseMul(Scalar()).IsIdentity());
  EXPECT_TRUE((b * Scalar()).IsIdentity());
  EXPECT_TRUE((Point::Identity() * Scalar::FromU64(5)).IsIdentity());
  EXPECT_EQ(b + Point::Identity(), b);
  const Scalar l_minus_1 = Scalar::Decode(Bytes(kLMinus1), "s").value();
  EXPECT_TRUE((b + Point::BaseMul(l_minus_1)).IsIdentity());
}

TEST(Point, ScalarMultiplicationDistributes) {
  const Scalar a = Scalar::Random();
  const Scalar b = Scalar::Random();
  EXPECT_EQ(Point::BaseMul(a + b), Point::BaseMul(a) + Point::BaseMul(b));
  EXPECT_EQ(Point::BaseMul(a * b), Point::BaseMul(a) * b);
}

TEST(Hash, H2IsPlainSha512ModLAndTheOthersAreDomainSeparated) {
  const std::vector<uint8_t> m = {1, 2, 3};
  Digest plain;
  crypto_hash_sha512(plain.data(), m.data(), m.size());
  EXPECT_EQ(H2({m}), Scalar::ReduceWide(plain));
  EXPECT_NE(H1({m}), H3({m}));
  EXPECT_NE(H4({m}), H5({m}));
  // Pieces hash as their concatenation.
  const std::vector<uint8_t> a = {1}, bc = {2, 3};
  EXPECT_EQ(H4({a, bc}), H4({m}));
}

TEST(Polynomial, LagrangeCoefficientsReconstructTheSecretFromAnyTShares) {
  const std::vector<Scalar> poly = {Scalar::Random(), Scalar::Random(), Scalar::Random()};
  const std::vector<std::vector<Identifier>> subsets = {
      {1, 2, 3}, {2, 4, 5}, {5, 1, 3}, {7, 9, 300}};
  for (const auto& ids : subsets) {
    Scalar sum;
    for (Identifier id : ids) {
      sum = sum + DeriveInterpolatingValue(ids, id).value() *
                      EvaluatePolynomial(IdentifierScalar(id), poly);
    }
    EXPECT_EQ(sum, poly[0]);
  }
  EXPECT_EQ(DeriveInterpolatingValue(std::vector<Identifier>{1, 2}, 3).error().code,
            ErrorCode::kUnknownParticipant);
  EXPECT_EQ(DeriveInterpolatingValue(std::vector<Identifier>{1, 2, 1}, 2).error().code,
            ErrorCode::kDuplicateParticipant);
  EXPECT_EQ(DeriveInterpolatingValue(std::vector<Identifier>{0, 2}, 2).error().code,
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace sonde::signer::frost
