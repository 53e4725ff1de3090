// Sign steps end to end: keys from files and ephemeral ones, canonical
// messages signed by sonde and verified the way a node verifies them.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <set>

#include "service/load.h"
#include "signer/canonical.h"
#include "signer/encoding.h"
#include "signer/key_file.h"
#include "tests/support/journey_harness.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

namespace json = boost::json;

class SignTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sonde-sign-XXXXXX";
    dir_ = mkdtemp(tmpl);
    wallet_path_ = dir_ + "/wallet.key";
    ASSERT_TRUE(signer::WriteKeyFile(wallet_path_, wallet_).ok());
    // A node-like server: hands out a nonce and a challenge, then checks the
    // submitted signatures over the canonical bytes it rebuilds itself.
    server_.SetHandler([this](const testing::TestRequest& req) { return Answer(req); });
  }
  void TearDown() override {
    for (const char* f : {"/wallet.key", "/open.key", "/sonde.toml"})
      std::remove((dir_ + f).c_str());
    rmdir(dir_.c_str());
  }

  testing::TestResponse Answer(const testing::TestRequest& req) {
    testing::TestResponse r;
    if (req.target == "/nonce") {
      r.body = R"({"nonce":7,"challenge":"00112233445566778899aabbccddeeff"})";
      return r;
    }
    json::object body = json::parse(req.body).as_object();
    auto key = [&](const char* f) {
      return signer::PublicKeyFromHex(body.at(f).as_string(), f).value();
    };
    auto sig = signer::SignatureFromHex(body.at("signature").as_string(), "signature").value();
    std::vector<uint8_t> bytes;
    if (req.target == "/tx") {
      signer::Transfer t{"testnet",
                         key("from"),
                         key("to"),
                         static_cast<uint64_t>(body.at("amount").as_int64()),
                         static_cast<uint64_t>(body.at("nonce").as_int64()),
                         {}};
      bytes = signer::Encode(t).value();
    } else if (req.target == "/activate") {
      signer::ActivationProof p{
          "testnet", key("node"), signer::NodeType::kSuper,
          signer::FromHex(body.at("challenge").as_string(), "challenge").value()};
      bytes = signer::Encode(p).value();
      activated_.insert(std::string(body.at("node").as_string()));
    }
    const bool ok = signer::Verify(key(req.target == "/tx" ? "from" : "node"), bytes, sig).ok();
    r.status = ok ? 200 : 422;
    r.body = ok ? R"({"status":"accepted"})" : R"({"status":"rejected","reason":"bad_signature"})";
    return r;
  }

  std::string Toml(const std::string& wallet_file) {
    return "[targets.node]\nurls = [\"" + server_.base_url() + "\"]\n" +
           "[keys.wallet]\nfile = \"" + wallet_file + "\"\n[keys.fresh]\nephemeral = true\n" + R"(
[journey.tx]
interval = "10s"
timeout = "2s"
targets = "node"
vars = { to = "2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a" }
[[journey.tx.step]]
name = "nonce"
http = { path = "/nonce" }
extract = { nonce = "/nonce" }
[[journey.tx.step]]
name = "sign"
sign = { key = "wallet", transfer = { chain_id = "testnet", to = "${vars.to}", amount = 5, nonce = "${nonce}" } }
[[journey.tx.step]]
name = "submit"
http = { method = "POST", path = "/tx", json = '{"from":"${keys.wallet.public}","to":"${vars.to}","amount":5,"nonce":${nonce},"signature":"${signature}"}' }
expect = { status = [200] }

[journey.activate]
interval = "10s"
timeout = "2s"
targets = "node"
[[journey.activate.step]]
name = "challenge"
http = { path = "/nonce" }
extract = { challenge = "/challenge" }
[[journey.activate.step]]
name = "sign"
sign = { key = "fresh", activation = { chain_id = "testnet", challenge = "${challenge}", node_type = "super" }, into = "proof" }
[[journey.activate.step]]
name = "submit"
http = { method = "POST", path = "/activate", json = '{"node":"${keys.fresh.public}","challenge":"${challenge}","signature":"${proof}"}' }
expect = { status = [200] }
)";
  }

  std::string dir_, wallet_path_;
  signer::KeyPair wallet_ = signer::KeyPair::Generate();
  testing::TestServer server_;
  std::set<std::string> activated_;
};

TEST_F(SignTest, SignaturesVerifyOnTheOtherSide) {
  const std::string path = dir_ + "/sonde.toml";
  std::ofstream(path) << Toml(wallet_path_);
  LoadedConfig setup = LoadWithKeys(path);
  ASSERT_TRUE(setup.ok()) << setup.errors.at(0).ToString();
  EXPECT_EQ(setup.config->FindJourney("activate")->ephemeral_keys,
            std::vector<std::string>{"fresh"});
  EXPECT_TRUE(setup.config->FindJourney("tx")->ephemeral_keys.empty());

  JourneyResult tx = testing::RunOnce(*setup.config, "tx", setup.keys);
  EXPECT_EQ(tx.outcome, Outcome::kSuccess) << tx.detail;
  // Each run activates a different, fresh node key.
  for (int i = 0; i < 3; ++i) {
    JourneyResult a = testing::RunOnce(*setup.config, "activate", setup.keys);
    EXPECT_EQ(a.outcome, Outcome::kSuccess) << a.detail;
  }
  EXPECT_EQ(activated_.size(), 3u);
  EXPECT_EQ(activated_.count(signer::ToHex(wallet_.public_key())), 0u);
}

TEST_F(SignTest, AFieldThatDoesNotParseIsInvalidResponse) {
  server_.SetHandler([](const testing::TestRequest&) {
    testing::TestResponse r;
    r.body = R"({"nonce":"seven"})";
    return r;
  });
  const std::string path = dir_ + "/sonde.toml";
  std::ofstream(path) << Toml(wallet_path_);
  LoadedConfig setup = LoadWithKeys(path);
  ASSERT_TRUE(setup.ok());
  JourneyResult r = testing::RunOnce(*setup.config, "tx", setup.keys);
  EXPECT_EQ(r.reason, Reason::kInvalidResponse);
  EXPECT_EQ(r.failing_step, "sign");
  EXPECT_EQ(r.detail,
            "cannot build the message to sign: \"nonce\" is \"seven\", not an unsigned integer");
}

// Ed25519 chains (Solana, NEAR, Aptos style) sign binary messages: the
// payload is given as hex, base64 or base58, and the signature, public key
// and message come back in the encoding asked for. Each decodes to bytes
// that verify.
TEST_F(SignTest, BinaryPayloadsSignTheirBytesInEveryEncoding) {
  const std::vector<uint8_t> bytes = {0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x0a};
  struct Case {
    std::string encoding, payload, output;
  };
  const Case cases[] = {{"hex", "0x" + signer::ToHex(bytes), "base58"},
                        {"base64", signer::ToBase64(bytes), "base64"},
                        {"base58", signer::ToBase58(bytes), "hex"}};
  for (const Case& c : cases) {
    const std::string path = dir_ + "/binary-" + c.encoding + ".toml";
    std::ofstream(path) << "[targets.node]\nurls = [\"" + server_.base_url() + "\"]\n" +
                               "[keys.wallet]\nfile = \"" + wallet_path_ + "\"\n" + R"(
[journey.binary]
interval = "10s"
timeout = "2s"
targets = "node"
evidence = ["signature", "pub", "msg"]
[[journey.binary.step]]
name = "sign"
sign = { key = "wallet", payload = ")" + c.payload + R"(", payload_encoding = ")" +
                               c.encoding + R"(", output = ")" + c.output + R"(" }
extract = { pub = "/public_key", msg = "/message" }
)";
    LoadedConfig setup = LoadWithKeys(path);
    ASSERT_TRUE(setup.ok()) << setup.errors.at(0).ToString();
    JourneyResult r = testing::RunOnce(*setup.config, "binary", setup.keys);
    ASSERT_EQ(r.outcome, Outcome::kSuccess) << c.encoding << ": " << r.detail;
    ASSERT_EQ(r.evidence.size(), 3u);
    auto decode = [&](const std::string& text) {
      auto out = c.output == "hex"      ? signer::FromHex(text, "evidence")
                 : c.output == "base64" ? signer::FromBase64(text, "evidence")
                                        : signer::FromBase58(text, "evidence");
      EXPECT_TRUE(out.ok()) << c.output << ": " << text;
      return out.ok() ? out.value() : std::vector<uint8_t>{};
    };
    const std::vector<uint8_t> sig = decode(r.evidence[0].second);
    const std::vector<uint8_t> pub = decode(r.evidence[1].second);
    EXPECT_EQ(decode(r.evidence[2].second), bytes) << c.encoding << " payload, decoded";
    ASSERT_EQ(sig.size(), 64u);
    ASSERT_EQ(pub.size(), 32u);
    signer::PublicKey key;
    signer::Signature signature;
    std::copy(pub.begin(), pub.end(), key.begin());
    std::copy(sig.begin(), sig.end(), signature.begin());
    EXPECT_EQ(key, wallet_.public_key());
    EXPECT_TRUE(signer::Verify(key, bytes, signature).ok()) << c.encoding;
  }
}

// A payload that does not decode as its encoding says is the run's
// failure, named, before anything is signed.
TEST_F(SignTest, APayloadThatDoesNotDecodeIsNamed) {
  const std::string path = dir_ + "/bad-payload.toml";
  std::ofstream(path) << "[targets.node]\nurls = [\"" + server_.base_url() + "\"]\n" +
                             "[keys.wallet]\nfile = \"" + wallet_path_ + "\"\n" + R"(
[journey.binary]
interval = "10s"
timeout = "2s"
targets = "node"
[[journey.binary.step]]
name = "sign"
sign = { key = "wallet", payload = "0OIl", payload_encoding = "base58" }
)";
  LoadedConfig setup = LoadWithKeys(path);
  ASSERT_TRUE(setup.ok()) << setup.errors.at(0).ToString();
  JourneyResult r = testing::RunOnce(*setup.config, "binary", setup.keys);
  EXPECT_EQ(r.reason, Reason::kInvalidResponse);
  EXPECT_EQ(r.failing_step, "sign");
  EXPECT_NE(r.detail.find("cannot decode the payload to sign: "), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("payload"), std::string::npos);
}

TEST_F(SignTest, AReadableKeyFileIsRefusedWithItsPositionAndMode) {
  const std::string open_key = dir_ + "/open.key";
  ASSERT_TRUE(signer::WriteKeyFile(open_key, signer::KeyPair::Generate()).ok());
  ASSERT_EQ(chmod(open_key.c_str(), 0644), 0);
  const std::string path = dir_ + "/sonde.toml";
  std::ofstream(path) << Toml(open_key);
  LoadedConfig setup = LoadWithKeys(path);
  ASSERT_FALSE(setup.ok());
  ASSERT_EQ(setup.errors.size(), 1u);
  const std::string message = setup.errors[0].ToString();
  // [keys.wallet] is on line 3; its file value starts at column 8.
  EXPECT_EQ(message.rfind(path + ":4:8: keys.wallet: ", 0), 0u) << message;
  EXPECT_NE(message.find(open_key), std::string::npos) << message;
  EXPECT_NE(message.find("0644"), std::string::npos) << message;
}

TEST_F(SignTest, UnknownKeyNameIsAConfigError) {
  LoadResult r = LoadConfigString(R"(
[targets.t]
urls = ["http://127.0.0.1:1"]
[keys.wallet]
ephemeral = true
[journey.j]
interval = "10s"
timeout = "2s"
targets = "t"
[[journey.j.step]]
name = "s"
sign = { key = "walet", payload = "x" }
)",
                                  "t.toml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(
      r.errors[0].ToString(),
      R"(t.toml:12:16: journey.j.step[1].sign: unknown key "walet" (did you mean "wallet"?))");
}

}  // namespace
}  // namespace sonde
