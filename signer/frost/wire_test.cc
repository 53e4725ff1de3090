#include "signer/frost/wire.h"

#include <gtest/gtest.h>

#include <map>

#include "signer/encoding.h"
#include "signer/frost/coordinator.h"
#include "signer/frost/dealer.h"
#include "signer/frost/participant.h"

namespace sonde::signer::frost {
namespace {

// The RFC 9591 E.1 commitments of participant 1, so the expected text is stable.
constexpr const char* kHiding = "b5aa8ab305882a6fc69cbee9327e5a45e54c08af61ae77cb8207be3d2ce13de3";
constexpr const char* kBinding = "67e98ab55aa310c3120418e5050c9cf76cf387cb20ac9e4b6fdb6f82a469f932";
constexpr const char* kShare = "001719ab5a53ee1a12095cd088fd149702c0720ce5fd2f29dbecf24b7281b603";

Point P(const char* hex) { return Point::Decode(FromHex(hex, "p").value(), "p").value(); }

SigningCommitment Commitment(Identifier id) { return {id, P(kHiding), P(kBinding)}; }

std::string Round1Text(const std::string& identifier, const std::string& hiding) {
  return R"({"ciphersuite":"FROST-ED25519-SHA512-v1","session":"s-1","identifier":)" + identifier +
         R"(,"hiding":")" + hiding + R"(","binding":")" + kBinding + R"("})";
}

TEST(Wire, Round1HasTheDocumentedLayoutAndRoundTrips) {
  const Round1Message m{"s-1", Commitment(1)};
  const std::string text = ToJson(m);
  EXPECT_EQ(text, Round1Text("1", kHiding));
  auto back = ParseRound1Message(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->session, "s-1");
  EXPECT_EQ(back->commitment, m.commitment);
}

TEST(Wire, Round2RequestRoundTripsAndSortsCommitments) {
  auto list = CommitmentList::Make({Commitment(3), Commitment(1)}).value();
  const Round2Request m{"abc", SigningPackage{list, {0x74, 0x65, 0x73, 0x74}}};
  const std::string text = ToJson(m);
  EXPECT_EQ(text.rfind(R"({"ciphersuite":"FROST-ED25519-SHA512-v1","session":"abc",)"
                       R"("message":"74657374","commitments":[{"identifier":1,)",
                       0),
            0u)
      << text;
  auto back = ParseRound2Request(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->package.message, m.package.message);
  EXPECT_EQ(back->package.commitments.Participants(), (std::vector<Identifier>{1, 3}));
}

TEST(Wire, Round2ResponseRoundTrips) {
  const Round2Response m{"abc", {7, Scalar::Decode(FromHex(kShare, "s").value(), "s").value()}};
  const std::string text = ToJson(m);
  EXPECT_EQ(text, std::string(R"({"ciphersuite":"FROST-ED25519-SHA512-v1","session":"abc",)") +
                      R"("identifier":7,"share":")" + kShare + R"("})");
  auto back = ParseRound2Response(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->share.identifier, 7);
  EXPECT_EQ(back->share.share, m.share.share);
}

struct BadCase {
  std::string text;
  ErrorCode code;
  std::string message;
};

TEST(Wire, Round1RejectsBadInputWithTypedErrorsNamingTheField) {
  const std::string identity = "01" + std::string(62, '0');
  const std::vector<BadCase> cases = {
      {"{", ErrorCode::kInvalidEncoding, ""},
      {"[]", ErrorCode::kInvalidEncoding, "the message must be a JSON object"},
      {Round1Text("0", kHiding), ErrorCode::kInvalidEncoding,
       "/identifier: must be an integer from 1 to 65535"},
      {Round1Text("65536", kHiding), ErrorCode::kInvalidEncoding,
       "/identifier: must be an integer from 1 to 65535"},
      {Round1Text("1.5", kHiding), ErrorCode::kInvalidEncoding,
       "/identifier: must be an integer from 1 to 65535"},
      {Round1Text("\"1\"", kHiding), ErrorCode::kInvalidEncoding,
       "/identifier: must be an integer from 1 to 65535"},
      {Round1Text("1", identity), ErrorCode::kIdentityPoint, "/hiding: is the identity element"},
      {Round1Text("1", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
       ErrorCode::kInvalidPoint,
       "/hiding: not a canonical point of the prime-order subgroup of edwards25519"},
      {Round1Text("1", "b5aa"), ErrorCode::kInvalidEncoding, "/hiding: a point is 32 bytes, got 2"},
      {Round1Text("1", "zz"), ErrorCode::kInvalidEncoding, "/hiding: not valid hex"},
      {R"({"ciphersuite":"FROST-ED25519-SHA512-v1","session":"s","identifier":1,"hiding":")" +
           std::string(kHiding) + R"("})",
       ErrorCode::kInvalidEncoding, "/binding: missing"},
      {R"({"ciphersuite":"FROST-RISTRETTO255-SHA512-v1","session":"s","identifier":1,"hiding":")" +
           std::string(kHiding) + R"(","binding":")" + kBinding + R"("})",
       ErrorCode::kInvalidEncoding, "/ciphersuite: expected \"FROST-ED25519-SHA512-v1\""},
      {R"({"ciphersuite":"FROST-ED25519-SHA512-v1","session":"","identifier":1,"hiding":")" +
           std::string(kHiding) + R"(","binding":")" + kBinding + R"("})",
       ErrorCode::kInvalidEncoding, "/session: must be 1 to 128 characters"},
      {R"({"ciphersuite":"FROST-ED25519-SHA512-v1","session":"s","identifier":1,"extra":0,)"
       R"("hiding":")" +
           std::string(kHiding) + R"(","binding":")" + kBinding + R"("})",
       ErrorCode::kInvalidEncoding, "/extra: unknown field"},
  };
  for (const BadCase& c : cases) {
    auto r = ParseRound1Message(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().code, c.code) << c.text;
    if (!c.message.empty()) {
      EXPECT_EQ(r.error().message, c.message) << c.text;
    }
  }
}

TEST(Wire, Round2RequestRejectsDuplicatesAndNamesTheListEntry) {
  const std::string entry = R"({"identifier":2,"hiding":")" + std::string(kHiding) +
                            R"(","binding":")" + kBinding + R"("})";
  const std::string head =
      R"({"ciphersuite":"FROST-ED25519-SHA512-v1","session":"s","message":"","commitments":[)";
  auto dup = ParseRound2Request(head + entry + "," + entry + "]}");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kDuplicateParticipant);
  EXPECT_EQ(dup.error().participants, std::vector<Identifier>{2});

  std::string bad_entry = entry;
  bad_entry.replace(bad_entry.find(kBinding), 64, std::string(64, '0'));
  auto bad = ParseRound2Request(head + entry + "," + bad_entry + "]}");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidPoint);
  EXPECT_EQ(bad.error().message.rfind("/commitments/1/binding: ", 0), 0u) << bad.error().message;

  auto empty = ParseRound2Request(head + "]}");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);

  auto not_array = ParseRound2Request(
      R"({"ciphersuite":"FROST-ED25519-SHA512-v1","session":"s","message":"","commitments":{}})");
  ASSERT_FALSE(not_array.ok());
  EXPECT_EQ(not_array.error().message, "/commitments: must be an array");
}

TEST(Wire, Round2ResponseRejectsNonCanonicalShares) {
  const std::string text =
      R"({"ciphersuite":"FROST-ED25519-SHA512-v1","session":"s","identifier":1,"share":")"
      "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010\"}";
  auto r = ParseRound2Response(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNonCanonicalScalar);
  EXPECT_EQ(r.error().message, "/share: scalar is not canonical (not below the group order)");
}

// A whole round through the wire format, as sonde and the devnet run it.
TEST(Wire, AFullRoundSurvivesTheWire) {
  DealerOutput d = TrustedDealerKeygen(3, 5).value();
  const std::vector<Identifier> signers = {5, 2, 4};
  std::map<Identifier, SigningNonces> nonces;
  std::vector<SigningCommitment> received;
  for (Identifier id : signers) {
    SigningNonces n = Commit(d.key_packages[id - 1]);
    auto m = ParseRound1Message(ToJson(Round1Message{"run-9", n.commitment}));
    ASSERT_TRUE(m.ok());
    received.push_back(m->commitment);
    nonces.emplace(id, std::move(n));
  }
  const std::string request =
      ToJson(Round2Request{"run-9", {CommitmentList::Make(received).value(), {1, 2, 3}}});
  std::vector<SignatureShare> shares;
  for (Identifier id : signers) {
    auto req = ParseRound2Request(request);
    ASSERT_TRUE(req.ok());
    auto share = Sign(d.key_packages[id - 1], std::move(nonces.at(id)), req->package);
    ASSERT_TRUE(share.ok()) << share.error().message;
    auto resp = ParseRound2Response(ToJson(Round2Response{"run-9", share.value()}));
    ASSERT_TRUE(resp.ok());
    shares.push_back(resp->share);
  }
  auto package = ParseRound2Request(request).value().package;
  auto sig = Aggregate(d.public_key_package, package, shares);
  ASSERT_TRUE(sig.ok()) << sig.error().message;
}

}  // namespace
}  // namespace sonde::signer::frost
