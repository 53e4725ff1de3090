// The built-in EVM journeys (scenarios/journeys/evm/) against a real EVM
// node: Foundry's anvil, started and stopped by each test on a port it picks.
// anvil accepting a transaction that sonde signed, and answering with the
// hash sonde computed, is the independent check of the signing code.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <regex>
#include <thread>

#include "config/loader.h"
#include "core/integer.h"
#include "probes/wallets.h"
#include "scenarios/key_ring.h"
#include "signer/evm_address.h"
#include "signer/key_file.h"
#include "signer/secp256k1_key.h"
#include "tests/support/anvil.h"
#include "tests/support/files.h"
#include "tests/support/journey_harness.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;
using testing::Anvil;
using testing::ReadFile;

const std::string kSource = SONDE_SOURCE_DIR;
const std::string kJourneys[] = {"evm_transfer", "evm_head_fresh", "evm_head_agreement",
                                 "evm_call"};
constexpr const char* kTenEther = "0x8ac7230489e80000";

// Replaces every `from` in `text` with `to`; fails the test if there is none,
// so a test never silently runs the unchanged journey.
std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "\"" << from << "\" is not in the text";
  for (; at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The example config pointed at `anvil` with key file `key_path`, and the
// built-in EVM journeys, each passed through `edit` (name, text) first.
std::string EvmConfig(
    const Anvil& anvil, const std::string& key_path,
    const std::function<std::string(const std::string&, std::string)>& edit = nullptr) {
  std::string config = ReadFile(kSource + "/config/examples/evm.toml");
  config = Replace(config, "http://127.0.0.1:8545", anvil.url());
  config = Replace(config, "file = \"evm.key\"", "file = \"" + key_path + "\"");
  for (const std::string& name : kJourneys) {
    std::string journey = ReadFile(kSource + "/scenarios/journeys/evm/" + name + ".toml");
    EXPECT_FALSE(journey.empty()) << name;
    config += "\n" + (edit ? edit(name, journey) : journey);
  }
  return config;
}

std::string Evidence(const JourneyResult& r, const std::string& name) {
  for (const auto& [n, v] : r.evidence) {
    if (n == name) return v;
  }
  return "";
}

std::string Describe(const JourneyResult& r) {
  std::string s = std::string(ToString(r.outcome)) + " reason=" + std::string(ToString(r.reason)) +
                  " step=" + r.failing_step + " detail=" + r.detail;
  for (const auto& [n, v] : r.evidence) s += " " + n + "=" + v;
  return s;
}

// A funded secp256k1 key of sonde's own, in a 0600 file, and anvil.
class EvmJourneys : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> anvil_args) {
    anvil_ = std::make_unique<Anvil>(std::move(anvil_args));
    ASSERT_TRUE(anvil_->ok());
    ASSERT_TRUE(signer::WriteKeyFile(key_path_, key_).ok());
    address_ = signer::ToChecksumAddress(key_.address());
    anvil_->SetBalance(address_, kTenEther);
  }

  // Loads the config and the keys; fails the test when either is refused.
  std::shared_ptr<const Config> Load(const std::string& text) {
    auto config = testing::MustLoad(text);
    if (!config) return nullptr;
    std::vector<Diagnostic> errors;
    keys_ = KeyRing::Load(*config, &errors);
    EXPECT_TRUE(keys_) << (errors.empty() ? "" : errors[0].message);
    return keys_ ? config : nullptr;
  }

  JourneyResult Run(const Config& config, const std::string& journey) {
    return testing::RunOnce(config, journey, keys_, &wallets_);
  }

  TempDir dir_{"sonde-evm"};
  const std::string key_path_ = dir_ / "evm.key";
  signer::Secp256k1Key key_ = signer::Secp256k1Key::Generate();
  std::string address_;
  std::unique_ptr<Anvil> anvil_;
  std::shared_ptr<const KeyRing> keys_;
  Wallets wallets_;
};

// Done means 1: `sonde once` with every built-in EVM journey against a fresh
// anvil, as a user runs it: a key from `sonde keys new --type secp256k1`,
// funded at its printed address.
TEST_F(EvmJourneys, SondeOnceRunsEveryBuiltinEvmJourneyToSuccess) {
  anvil_ = std::make_unique<Anvil>(std::vector<std::string>{"--block-time", "1"});
  ASSERT_TRUE(anvil_->ok());
  const std::string key = dir_ / "cli.key";
  auto made = testing::RunProcess({SONDE_BINARY, "keys", "new", "--type", "secp256k1", "--out", key});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string address = made.out.substr(0, made.out.find('\n'));
  ASSERT_TRUE(std::regex_match(address, std::regex("0x[0-9a-fA-F]{40}"))) << made.out;
  anvil_->SetBalance(address, kTenEther);
  const std::string config_path = dir_ / "sonde.toml";
  testing::WriteFile(config_path, EvmConfig(*anvil_, key));

  auto check = testing::RunProcess({SONDE_BINARY, "check", "-c", config_path});
  ASSERT_EQ(check.exit_code, 0) << check.out << check.err;
  auto once = testing::RunProcess({SONDE_BINARY, "once", "-c", config_path}, 90s);
  EXPECT_EQ(once.exit_code, 0) << once.out << once.err;
  for (const std::string& journey : kJourneys) {
    const std::regex row("(^|\n)" + journey + " +" + std::regex_replace(anvil_->url(),
                         std::regex(R"([.])"), R"(\.)") + " +success");
    EXPECT_TRUE(std::regex_search(once.out, row)) << journey << " did not succeed:\n" << once.out;
  }
  // The transfer really happened, from the key sonde made.
  EXPECT_EQ(anvil_->Result("eth_getTransactionCount",
                           boost::json::array{address.c_str(), "latest"}),
            boost::json::value("0x1"));
}

// The transfer's evidence names a transaction the chain holds, in the block
// the chain says, sent from sonde's key with the reserved nonce.
TEST_F(EvmJourneys, TransferKeepsEvidenceTheChainConfirms) {
  Start({"--block-time", "1"});
  auto config = Load(EvmConfig(*anvil_, key_path_));
  ASSERT_TRUE(config);
  JourneyResult r = Run(*config, "evm_transfer");
  ASSERT_EQ(r.outcome, Outcome::kSuccess) << Describe(r);
  const std::string tx_hash = Evidence(r, "tx_hash");
  ASSERT_TRUE(std::regex_match(tx_hash, std::regex("0x[0-9a-f]{64}"))) << Describe(r);
  boost::json::value tx =
      anvil_->Result("eth_getTransactionByHash", boost::json::array{tx_hash.c_str()});
  ASSERT_TRUE(tx.is_object()) << "anvil does not know " << tx_hash;
  std::string from = address_;
  std::transform(from.begin(), from.end(), from.begin(), ::tolower);
  EXPECT_EQ(tx.at("from"), boost::json::value(from));
  EXPECT_EQ(tx.at("type"), boost::json::value("0x2")) << "an EIP-1559 transaction";
  EXPECT_EQ(tx.at("blockNumber"), boost::json::value(Evidence(r, "block")));
  EXPECT_EQ(Evidence(r, "nonce"), "0");
  // The confirmation wait was counted in blocks read from eth_blockNumber.
  const StepResult& confirm = r.steps.back();
  EXPECT_EQ(confirm.name, "confirm");
  ASSERT_TRUE(confirm.blocks.has_value());
  EXPECT_GE(*confirm.blocks, 0);
  EXPECT_LE(*confirm.blocks, 3);
}

// A legacy EIP-155 transaction (gas_price instead of EIP-1559's fees) is
// accepted and mined too: anvil recovers the sender from our v, r, s.
TEST_F(EvmJourneys, LegacyEip155TransferIsMined) {
  Start({"--block-time", "1"});
  auto config = Load(EvmConfig(*anvil_, key_path_, [](const std::string& name, std::string text) {
    if (name != "evm_transfer") return text;
    text = Replace(text, R"(max_priority_fee_per_gas = "${vars.tip}", base_fee = "${base_fee}")",
                   R"(gas_price = "${vars.price}")");
    return Replace(text, R"(tip = "1000000000")", R"(tip = "1000000000", price = "20000000000")");
  }));
  ASSERT_TRUE(config);
  JourneyResult r = Run(*config, "evm_transfer");
  ASSERT_EQ(r.outcome, Outcome::kSuccess) << Describe(r);
  boost::json::value tx = anvil_->Result("eth_getTransactionByHash",
                                         boost::json::array{Evidence(r, "tx_hash").c_str()});
  ASSERT_TRUE(tx.is_object());
  EXPECT_EQ(tx.at("type"), boost::json::value("0x0"));
  EXPECT_EQ(tx.at("chainId"), boost::json::value("0x7a69")) << "EIP-155 replay protection";
}

// Blocks every 6 s and a 2 s confirmation budget: not_confirmed, naming the
// step, with the transaction's hash kept to look it up later.
TEST_F(EvmJourneys, SlowBlocksEndNotConfirmedAtTheConfirmStep) {
  Start({"--block-time", "6"});
  auto config = Load(EvmConfig(*anvil_, key_path_, [](const std::string& name, std::string text) {
    return name == "evm_transfer" ? Replace(text, "within = \"45s\"", "within = \"2s\"") : text;
  }));
  ASSERT_TRUE(config);
  JourneyResult r = Run(*config, "evm_transfer");
  EXPECT_EQ(r.outcome, Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kNotConfirmed) << Describe(r);
  EXPECT_EQ(r.failing_step, "confirm");
  EXPECT_TRUE(std::regex_match(Evidence(r, "tx_hash"), std::regex("0x[0-9a-f]{64}")))
      << Describe(r);
}

// A transaction priced below the base fee of the blocks that follow it is
// never mined: with within_blocks = 2 the run ends not_confirmed after two
// blocks, counted from eth_blockNumber. (anvil refuses such a transaction
// at submission, so the test raises the next block's base fee after the
// transaction is in the pool, with mining paused in between.)
TEST_F(EvmJourneys, UnderpricedTransactionEndsNotConfirmedAfterTwoBlocks) {
  Start({"--block-time", "1"});
  auto config = Load(EvmConfig(*anvil_, key_path_, [](const std::string& name, std::string text) {
    if (name != "evm_transfer") return text;
    text = Replace(text, R"([[journey.evm_transfer.step]]
name = "reserve")",
                   R"([[journey.evm_transfer.step]]
name = "pause_mining"
jsonrpc = { method = "evm_setIntervalMining", params = [0] }

[[journey.evm_transfer.step]]
name = "reserve")");
    text = Replace(text, R"([[journey.evm_transfer.step]]
name = "confirm")",
                   R"([[journey.evm_transfer.step]]
name = "raise_base_fee"
jsonrpc = { method = "anvil_setNextBlockBaseFeePerGas", params = ["0xe8d4a51000"] }

[[journey.evm_transfer.step]]
name = "resume_mining"
jsonrpc = { method = "evm_setIntervalMining", params = [1] }

[[journey.evm_transfer.step]]
name = "confirm")");
    return Replace(text, R"(within = "45s", height)", R"(within = "30s", within_blocks = 2, height)");
  }));
  ASSERT_TRUE(config);
  const uint64_t before = anvil_->BlockNumber();
  JourneyResult r = Run(*config, "evm_transfer");
  EXPECT_EQ(r.outcome, Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kNotConfirmed) << Describe(r);
  EXPECT_EQ(r.failing_step, "confirm");
  EXPECT_NE(r.detail.find("2 blocks"), std::string::npos) << r.detail;
  ASSERT_TRUE(r.steps.back().blocks.has_value());
  EXPECT_EQ(*r.steps.back().blocks, 2);
  EXPECT_GE(anvil_->BlockNumber(), before + 2);
  // Still waiting in the pool, not mined.
  boost::json::value receipt = anvil_->Result("eth_getTransactionReceipt",
                                              boost::json::array{Evidence(r, "tx_hash").c_str()});
  EXPECT_TRUE(receipt.is_null()) << boost::json::serialize(receipt);
}

// A transaction sent from the same key outside sonde moves the chain's
// nonce on; the next run reads it and succeeds instead of reusing it.
TEST_F(EvmJourneys, NonceSpentOutsideSondeIsReadAgain) {
  Start({"--block-time", "1"});
  auto config = Load(EvmConfig(*anvil_, key_path_));
  ASSERT_TRUE(config);
  JourneyResult first = Run(*config, "evm_transfer");
  ASSERT_EQ(first.outcome, Outcome::kSuccess) << Describe(first);
  EXPECT_EQ(Evidence(first, "nonce"), "0");

  // The same account, used by someone else (anvil signs for it).
  anvil_->Result("anvil_impersonateAccount", boost::json::array{address_.c_str()});
  boost::json::object outside{{"from", address_},
                              {"to", "0x000000000000000000000000000000000000bEEF"},
                              {"value", "0x2"}};
  const std::string outside_hash =
      std::string(anvil_->Result("eth_sendTransaction", boost::json::array{outside}).as_string());
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (anvil_->Result("eth_getTransactionReceipt", boost::json::array{outside_hash.c_str()})
             .is_null() &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(wallets_.Of("evm").next_nonce, 1u) << "sonde alone would use nonce 1 next";

  JourneyResult second = Run(*config, "evm_transfer");
  ASSERT_EQ(second.outcome, Outcome::kSuccess) << Describe(second);
  EXPECT_EQ(Evidence(second, "nonce"), "2");
}

// An empty wallet is sonde's problem, never the network's: infra_error with
// reason wallet, and no transaction sent.
TEST_F(EvmJourneys, DrainedWalletIsInfraError) {
  Start({"--block-time", "1"});
  auto config = Load(EvmConfig(*anvil_, key_path_));
  ASSERT_TRUE(config);
  anvil_->SetBalance(address_, "0x1000");
  JourneyResult r = Run(*config, "evm_transfer");
  EXPECT_EQ(r.outcome, Outcome::kInfraError) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kWallet);
  EXPECT_EQ(r.failing_step, "reserve");
  EXPECT_NE(r.detail.find("holds 4096, below its floor of 10000000000000000"), std::string::npos)
      << r.detail;
  EXPECT_EQ(anvil_->Result("eth_getTransactionCount", boost::json::array{address_.c_str(),
                                                                         "pending"}),
            boost::json::value("0x0"));
}

// A node that is gone: connect, for the transfer and the reads alike.
TEST_F(EvmJourneys, KilledNodeIsConnect) {
  Start({"--block-time", "1"});
  auto config = Load(EvmConfig(*anvil_, key_path_));
  ASSERT_TRUE(config);
  anvil_->Kill();
  for (const std::string& journey : kJourneys) {
    JourneyResult r = Run(*config, journey);
    EXPECT_EQ(r.outcome, Outcome::kFailed) << journey << ": " << Describe(r);
    EXPECT_EQ(r.reason, Reason::kConnect) << journey << ": " << Describe(r);
  }
}

// A chain that stopped producing blocks still answers every read; only the
// head's age shows it halted.
TEST_F(EvmJourneys, HaltedChainFailsTheFreshnessCheck) {
  Start({});  // no block time: anvil mines only when a transaction arrives
  auto config = Load(EvmConfig(*anvil_, key_path_, [](const std::string& name, std::string text) {
    return name == "evm_head_fresh" ? Replace(text, "max_age = \"36s\"", "max_age = \"2s\"")
                                    : text;
  }));
  ASSERT_TRUE(config);
  // Block timestamps are whole seconds: wait past 2 s plus one.
  std::this_thread::sleep_for(3500ms);
  JourneyResult r = Run(*config, "evm_head_fresh");
  EXPECT_EQ(r.outcome, Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kAssertion) << Describe(r);
  EXPECT_NE(r.detail.find("old, expected at most 2s"), std::string::npos) << r.detail;
  // The call journey still passes: reads do not see the halt.
  EXPECT_EQ(Run(*config, "evm_call").outcome, Outcome::kSuccess);
}

}  // namespace
}  // namespace sonde
