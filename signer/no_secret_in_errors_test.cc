// No secret ever reaches an error message: every error path that has a
// secret in reach is driven here, and its message searched for the secret
// in hex (either case, and any 8-byte window of it) and in base64.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>

#include "signer/encoding.h"
#include "signer/frost/coordinator.h"
#include "signer/frost/dealer.h"
#include "signer/frost/participant.h"
#include "signer/frost/wire.h"
#include "signer/key_file.h"
#include "signer/test_files.h"

namespace sonde::signer {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

void ExpectNoSecret(const std::string& message, std::span<const uint8_t> secret,
                    const std::string& what) {
  const std::string hex = ToHex(secret);
  const std::string lower = Lower(message);
  for (size_t i = 0; i + 16 <= hex.size(); i += 2) {
    ASSERT_EQ(lower.find(hex.substr(i, 16)), std::string::npos)
        << what << ": message carries secret bytes " << i / 2 << ".. : " << message;
  }
  ASSERT_EQ(message.find(ToBase64(secret)), std::string::npos) << what << ": " << message;
  ASSERT_FALSE(message.empty()) << what;
}

TEST(NoSecretInErrors, KeyFileErrors) {
  testing::TempDir dir;
  KeyPair key = KeyPair::Generate();
  const std::vector<uint8_t> seed(key.seed().span().begin(), key.seed().span().end());
  const std::string path = dir.File("k");
  ASSERT_TRUE(WriteKeyFile(path, key).ok());

  Status exists = WriteKeyFile(path, key);
  ASSERT_FALSE(exists.ok());
  ExpectNoSecret(exists.error().message, seed, "overwrite");

  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto loose = LoadKeyFile(path);
  ASSERT_FALSE(loose.ok());
  ExpectNoSecret(loose.error().message, seed, "mode 0644");

  // Content that is almost the seed: one bad digit at either end, or junk after it.
  const std::string hex = ToHex(seed);
  for (const std::string& text : {hex.substr(0, 63) + "g\n", "g" + hex.substr(1) + "\n", hex + "x",
                                  hex.substr(0, 62) + "\n"}) {
    const std::string bad = dir.File("bad");
    ::unlink(bad.c_str());
    std::ofstream(bad) << text;
    ASSERT_EQ(::chmod(bad.c_str(), 0600), 0);
    auto r = LoadKeyFile(bad);
    ASSERT_FALSE(r.ok());
    ExpectNoSecret(r.error().message, seed, "bad content");
  }
}

TEST(NoSecretInErrors, DecodingErrors) {
  const std::vector<uint8_t> secret(32, 0xab);  // 0xab.. is above L: non-canonical
  auto s = frost::SecretScalar::Decode(secret, "share");
  ASSERT_FALSE(s.ok());
  ExpectNoSecret(s.error().message, secret, "non-canonical secret scalar");

  std::array<uint8_t, 32> out;
  Status h = FromHexInto(ToHex(secret) + "zz", out, "seed");
  ASSERT_FALSE(h.ok());
  ExpectNoSecret(h.error().message, secret, "hex too long");
  Status h2 = FromHexInto(ToHex(secret).substr(0, 62) + "zz", out, "seed");
  ASSERT_FALSE(h2.ok());
  ExpectNoSecret(h2.error().message, secret, "hex with junk");

  auto b = FromBase64(ToBase64(secret) + "!", "seed");
  ASSERT_FALSE(b.ok());
  ExpectNoSecret(b.error().message, secret, "base64");

  auto w = frost::ParseRound2Response(
      R"({"ciphersuite":"FROST-ED25519-SHA512-v1","session":"s","identifier":1,"share":")" +
      ToHex(secret) + "\"}");
  ASSERT_FALSE(w.ok());
  ExpectNoSecret(w.error().message, secret, "wire share");
}

TEST(NoSecretInErrors, FrostErrors) {
  using namespace frost;
  DealerOutput d = TrustedDealerKeygen(3, 4).value();
  auto secrets_of = [&](Identifier id) {
    const auto b = d.key_packages[id - 1].signing_share.bytes();
    return std::vector<uint8_t>(b.begin(), b.end());
  };

  // A participant refusing: too few signers, and a foreign commitment list.
  std::vector<SigningCommitment> commitments;
  std::map<Identifier, SigningNonces> nonces;
  for (Identifier id : {1, 2}) {
    SigningNonces n = Commit(d.key_packages[id - 1]);
    commitments.push_back(n.commitment);
    nonces.emplace(id, std::move(n));
  }
  const std::vector<uint8_t> hiding(nonces.at(1).hiding.bytes().begin(),
                                    nonces.at(1).hiding.bytes().end());
  SigningPackage two{CommitmentList::Make(commitments).value(), {1}};
  auto few = Sign(d.key_packages[0], std::move(nonces.at(1)), two);
  ASSERT_FALSE(few.ok());
  ExpectNoSecret(few.error().message, secrets_of(1), "too few: share");
  ExpectNoSecret(few.error().message, hiding, "too few: nonce");

  SigningNonces n3 = Commit(d.key_packages[2]);
  auto foreign = Sign(d.key_packages[2], std::move(n3), two);
  ASSERT_FALSE(foreign.ok());
  ExpectNoSecret(foreign.error().message, secrets_of(3), "foreign list");

  // The dealer's share check.
  Status vss = VerifyShare(2, d.key_packages[0].signing_share, d.vss_commitment);
  ASSERT_FALSE(vss.ok());
  ExpectNoSecret(vss.error().message, secrets_of(1), "vss");

  // The coordinator naming an invalid share.
  std::vector<SigningCommitment> c3;
  std::map<Identifier, SigningNonces> n;
  for (Identifier id : {1, 2, 3}) {
    SigningNonces x = Commit(d.key_packages[id - 1]);
    c3.push_back(x.commitment);
    n.emplace(id, std::move(x));
  }
  SigningPackage three{CommitmentList::Make(c3).value(), {1}};
  std::vector<SignatureShare> shares;
  for (Identifier id : {1, 2, 3}) {
    shares.push_back(Sign(d.key_packages[id - 1], std::move(n.at(id)), three).value());
  }
  shares[0].share = shares[0].share + Scalar::FromU64(1);
  auto agg = Aggregate(d.public_key_package, three, shares);
  ASSERT_FALSE(agg.ok());
  for (Identifier id : {1, 2, 3}) ExpectNoSecret(agg.error().message, secrets_of(id), "aggregate");
}

}  // namespace
}  // namespace sonde::signer
