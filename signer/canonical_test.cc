// The canonical encodings against signer/testdata/canonical-vectors.json,
// which signer/testdata/make_canonical_vectors.py computed independently of
// this code (Python struct + python3-cryptography's Ed25519).
#include "signer/canonical.h"

#include <gtest/gtest.h>

#include "signer/encoding.h"
#include "signer/test_files.h"

namespace sonde::signer {
namespace {

namespace json = boost::json;

std::string Str(const json::object& o, const char* k) {
  return std::string(o.at(k).as_string().c_str());
}
std::vector<uint8_t> Hex(const json::object& o, const char* k) {
  return FromHex(Str(o, k), k).value();
}
PublicKey Key(const json::object& o, const char* k) {
  return PublicKeyFromHex(Str(o, k), k).value();
}
uint64_t U64(const json::object& o, const char* k) { return json::value_to<uint64_t>(o.at(k)); }

struct Vector {
  std::string kind;
  std::string name;
  json::object fields;
  std::vector<uint8_t> seed, encoding, signature;
};

std::vector<Vector> LoadVectors() {
  json::value root = testing::ReadJson(testing::TestData("canonical-vectors.json"));
  std::vector<Vector> out;
  for (const json::value& v : root.at("vectors").as_array()) {
    const json::object& o = v.as_object();
    out.push_back({Str(o, "kind"), Str(o, "name"), o.at("fields").as_object(), Hex(o, "seed"),
                   Hex(o, "encoding"), Hex(o, "signature")});
  }
  return out;
}

// Encodes the vector's fields, decodes its encoding, and checks both ways.
std::vector<uint8_t> EncodeAndCheckDecode(const Vector& v) {
  const json::object& f = v.fields;
  if (v.kind == "transfer") {
    Transfer m{Str(f, "chain_id"), Key(f, "from"),  Key(f, "to"),
               U64(f, "amount"),   U64(f, "nonce"), Hex(f, "memo")};
    auto back = DecodeTransfer(v.encoding);
    EXPECT_TRUE(back.ok() && back.value() == m) << v.name;
    return Encode(m).value();
  }
  if (v.kind == "activation_proof") {
    ActivationProof m{Str(f, "chain_id"), Key(f, "node"),
                      static_cast<NodeType>(U64(f, "node_type")), Hex(f, "challenge")};
    auto back = DecodeActivationProof(v.encoding);
    EXPECT_TRUE(back.ok() && back.value() == m) << v.name;
    return Encode(m).value();
  }
  if (v.kind == "reward_claim") {
    RewardClaim m{Str(f, "chain_id"), Key(f, "node"), Key(f, "beneficiary"), U64(f, "amount"),
                  U64(f, "nonce")};
    auto back = DecodeRewardClaim(v.encoding);
    EXPECT_TRUE(back.ok() && back.value() == m) << v.name;
    return Encode(m).value();
  }
  ADD_FAILURE() << "unknown kind " << v.kind;
  return {};
}

TEST(Canonical, MatchesTheCheckedInVectorsBothWaysAndTheirSignatures) {
  std::vector<Vector> vectors = LoadVectors();
  ASSERT_EQ(vectors.size(), 6u);
  int kinds[3] = {0, 0, 0};
  for (const Vector& v : vectors) {
    SCOPED_TRACE(v.kind + ": " + v.name);
    kinds[v.kind == "transfer" ? 0 : v.kind == "activation_proof" ? 1 : 2]++;
    EXPECT_EQ(ToHex(EncodeAndCheckDecode(v)), ToHex(v.encoding));
    KeyPair key = KeyPair::FromSeed(v.seed).value();
    Signature sig = key.Sign(v.encoding);
    EXPECT_EQ(ToHex(sig), ToHex(v.signature));
    EXPECT_TRUE(Verify(key.public_key(), v.encoding, sig).ok());
  }
  EXPECT_GT(kinds[0], 0);
  EXPECT_GT(kinds[1], 0);
  EXPECT_GT(kinds[2], 0);
}

TEST(Canonical, EveryTruncationAndAnyTrailingByteIsRejected) {
  for (const Vector& v : LoadVectors()) {
    auto decode = [&](std::span<const uint8_t> b) -> Status {
      if (v.kind == "transfer") {
        auto r = DecodeTransfer(b);
        return r.ok() ? Status::Ok() : Status(r.error());
      }
      if (v.kind == "activation_proof") {
        auto r = DecodeActivationProof(b);
        return r.ok() ? Status::Ok() : Status(r.error());
      }
      auto r = DecodeRewardClaim(b);
      return r.ok() ? Status::Ok() : Status(r.error());
    };
    ASSERT_TRUE(decode(v.encoding).ok());
    for (size_t n = 0; n < v.encoding.size(); ++n) {
      Status s = decode(std::span(v.encoding).first(n));
      ASSERT_FALSE(s.ok()) << v.name << " truncated to " << n;
      EXPECT_EQ(s.error().code, ErrorCode::kInvalidEncoding);
    }
    std::vector<uint8_t> longer = v.encoding;
    longer.push_back(0);
    Status s = decode(longer);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message.find("1 unexpected bytes after the end"), std::string::npos)
        << s.error().message;
  }
}

TEST(Canonical, TagsSeparateTheKinds) {
  for (const Vector& v : LoadVectors()) {
    if (v.kind == "reward_claim") {
      auto r = DecodeTransfer(v.encoding);
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().message, "not a sonde.transfer.v1 message (wrong tag)");
    } else {
      auto r = DecodeRewardClaim(v.encoding);
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().message, "not a sonde.reward_claim.v1 message (wrong tag)");
    }
  }
}

TEST(Canonical, EncodersEnforceTheFieldLimits) {
  Transfer t{"devnet", {}, {}, 1, 1, {}};
  EXPECT_TRUE(Encode(t).ok());
  t.chain_id = "";
  EXPECT_EQ(Encode(t).error().code, ErrorCode::kInvalidArgument);
  t.chain_id = std::string(kMaxChainIdSize + 1, 'a');
  EXPECT_EQ(Encode(t).error().message, "chain_id must be 1 to 64 bytes, got 65");
  t.chain_id = "dev net";
  EXPECT_FALSE(Encode(t).ok());
  t.chain_id = "devnet";
  t.memo.assign(kMaxMemoSize, 'm');
  EXPECT_TRUE(Encode(t).ok());
  t.memo.push_back('m');
  EXPECT_EQ(Encode(t).error().message, "memo must be 0 to 256 bytes, got 257");

  ActivationProof a{"devnet", {}, NodeType::kFull, {}};
  EXPECT_EQ(Encode(a).error().message, "challenge must be 1 to 128 bytes, got 0");
  a.challenge.assign(kMaxChallengeSize + 1, 1);
  EXPECT_FALSE(Encode(a).ok());
  a.challenge.assign(1, 1);
  EXPECT_TRUE(Encode(a).ok());
  a.node_type = static_cast<NodeType>(4);
  EXPECT_EQ(Encode(a).error().message, "node_type must be 1 (light), 2 (full) or 3 (super), got 4");
}

// The node type is signed, so it cannot be changed in transit; an unknown
// type byte does not decode.
TEST(Canonical, NodeTypeIsPartOfTheActivationProof) {
  ActivationProof a{"devnet", {}, NodeType::kLight, {7, 7}};
  std::vector<uint8_t> light = Encode(a).value();
  a.node_type = NodeType::kSuper;
  std::vector<uint8_t> super = Encode(a).value();
  EXPECT_NE(light, super);
  EXPECT_EQ(DecodeActivationProof(super).value().node_type, NodeType::kSuper);
  const size_t at = 2 + kActivationProofTag.size() + 2 + 6 + 32;  // tag, chain id, node
  ASSERT_EQ(super[at], 3);
  for (uint8_t bad : {uint8_t{0}, uint8_t{4}, uint8_t{255}}) {
    super[at] = bad;
    auto r = DecodeActivationProof(super);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidEncoding);
  }
}

TEST(Canonical, DecodersEnforceTheFieldLimitsToo) {
  // A transfer whose memo length prefix claims 257 bytes and delivers them.
  Transfer t{"devnet", {}, {}, 1, 1, std::vector<uint8_t>(kMaxMemoSize, 'm')};
  std::vector<uint8_t> bytes = Encode(t).value();
  bytes[bytes.size() - kMaxMemoSize - 1] += 1;  // low byte of the u16 length: 256 -> 257
  bytes.push_back('m');
  auto r = DecodeTransfer(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "memo must be 0 to 256 bytes, got 257");
}

}  // namespace
}  // namespace sonde::signer
