// What the loader makes of EVM configs: secp256k1 keys and their address
// variable, evm_tx sign steps, JSON-RPC value sources, wei amounts,
// evidence, max_age, binary payloads; and the error for each mistake.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"

namespace sonde {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

LoadResult Load(std::string_view toml) {
  if (!toml.empty() && toml.front() == '\n') toml.remove_prefix(1);
  return LoadConfigString(toml, "t.toml");
}

std::vector<std::string> Messages(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.errors) out.push_back(d.ToString());
  return out;
}

// A wallet and the targets and keys around it; journeys are appended.
constexpr std::string_view kBase = R"(
[targets.evm]
urls = ["http://127.0.0.1:8545"]

[keys.evm]
type = "secp256k1"
file = "evm.key"

[keys.ed]
file = "ed.key"

[wallet.evm]
key = "evm"
balance = { jsonrpc = { method = "eth_getBalance", params = ["${keys.evm.address}", "latest"] }, pointer = "/result" }
nonce = { jsonrpc = { method = "eth_getTransactionCount", params = ["${keys.evm.address}", "pending"] }, pointer = "/result" }
floor = "10000000000000000000000"
daily_spend_cap = "0x56bc75e2d63100000"
)";

std::string With(std::string_view journeys) { return std::string(kBase) + std::string(journeys); }

constexpr std::string_view kTransfer = R"(
[journey.pay]
interval = "60s"
timeout = "50s"
targets = "evm"
evidence = ["tx_hash", "block"]

[[journey.pay.step]]
name = "reserve"
wallet = { name = "evm", spend = "1" }
extract = { nonce = "/nonce" }

[[journey.pay.step]]
name = "sign"
sign = { key = "evm", evm_tx = { chain_id = 1, nonce = "${nonce}", to = "0x000000000000000000000000000000000000dEaD", value = "1000000000000000000000", gas = 21000, max_priority_fee_per_gas = "1000000000", base_fee = "0x3b9aca00" } }

[[journey.pay.step]]
name = "submit"
jsonrpc = { method = "eth_sendRawTransaction", params = ["${raw_tx}"] }
expect = { json = { "/result" = "${tx_hash}" } }

[[journey.pay.step]]
name = "confirm"
jsonrpc = { method = "eth_getTransactionReceipt", params = ["${tx_hash}"] }
poll = { every = "1s", within_blocks = 3, height = { jsonrpc = { method = "eth_blockNumber" }, pointer = "/result" } }
until = { "/result/status" = "0x1", "/result/gasUsed" = { le = "0x5208" } }
extract = { block = "/result/blockNumber" }
)";

TEST(EvmConfig, TransferJourneyLoadsIntoTheModel) {
  LoadResult r = Load(With(kTransfer));
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Messages(r));
  const Config& c = *r.config;
  EXPECT_EQ(c.keys.at("evm").type, KeySpec::Type::kSecp256k1);
  EXPECT_EQ(c.keys.at("ed").type, KeySpec::Type::kEd25519);

  const WalletSpec& w = c.wallets.at("evm");
  EXPECT_EQ(w.balance.rpc_method, "eth_getBalance");
  EXPECT_EQ(w.balance.pointer, "/result");
  ASSERT_EQ(w.nonce.rpc_params.kind, JsonTemplate::Kind::kArray);
  EXPECT_EQ(w.nonce.rpc_params.items.at(0).text.source(), "${keys.evm.address}");
  EXPECT_EQ(w.floor, "10000000000000000000000") << "exact, past what an int64 holds";
  EXPECT_EQ(w.daily_spend_cap, "100000000000000000000");

  const Journey& j = c.journeys.at(0);
  EXPECT_THAT(j.evidence, ElementsAre("tx_hash", "block"));
  const auto& sign = std::get<SignStep>(j.steps.at(1).action);
  EXPECT_EQ(sign.message, SignStep::Message::kEvmTx);
  // The raw transaction and its hash become variables for later steps.
  ASSERT_GE(j.steps.at(1).extract.size(), 2u);
  EXPECT_EQ(j.steps.at(1).extract[0].variable, "raw_tx");
  EXPECT_EQ(j.steps.at(1).extract[1].variable, "tx_hash");
  const PollSpec& poll = *j.steps.at(3).poll;
  ASSERT_TRUE(poll.height.has_value());
  EXPECT_EQ(poll.height->rpc_method, "eth_blockNumber");
  EXPECT_EQ(poll.within_blocks, 3);
  EXPECT_EQ(std::get<std::string>(poll.until.at(1).expected), "0x5208");
}

struct BadCase {
  const char* name;
  std::string toml;
  std::string message;
};

class EvmConfigErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(EvmConfigErrors, NamesTheMistake) {
  LoadResult r = Load(GetParam().toml);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(Messages(r), ::testing::Contains(HasSubstr(GetParam().message)))
      << ::testing::PrintToString(Messages(r));
}

std::string Swap(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

INSTANTIATE_TEST_SUITE_P(
    Mistakes, EvmConfigErrors,
    ::testing::Values(
        BadCase{"UnknownKeyType", Swap(kBase, "\"secp256k1\"", "\"rsa\""),
                "t.toml:5:8: keys.evm: unknown key type \"rsa\" (use ed25519 or secp256k1)"},
        BadCase{"EphemeralSecp256k1", Swap(kBase, "file = \"evm.key\"", "ephemeral = true"),
                "a secp256k1 key cannot be ephemeral"},
        BadCase{"AddressOfAnEd25519Key",
                Swap(kBase, "${keys.evm.address}\", \"latest\"", "${keys.ed.address}\", \"latest\""),
                "unknown variable 'keys.ed.address'"},
        BadCase{"FloorNotAnInteger", Swap(kBase, "floor = \"10000000000000000000000\"",
                                          "floor = \"1.5 ether\""),
                "\"floor\" is \"1.5 ether\", not an integer (decimal or 0x-hex)"},
        BadCase{"HeightSourceWithBothKinds",
                Swap(With(kTransfer), "height = { jsonrpc", "height = { path = \"/h\", jsonrpc"),
                "give \"path\" (a GET) or \"jsonrpc\" (a call), not both"},
        BadCase{"HeightSourceWithNeither",
                Swap(With(kTransfer),
                     "height = { jsonrpc = { method = \"eth_blockNumber\" }, pointer = \"/result\" }",
                     "height = { pointer = \"/result\" }"),
                "give \"path\" (a GET, e.g. \"/v1/head\") or \"jsonrpc\""},
        BadCase{"EvmTxWithAnEd25519Key", Swap(With(kTransfer), "sign = { key = \"evm\"",
                                              "sign = { key = \"ed\""),
                "key \"ed\" is an Ed25519 key; evm_tx needs a secp256k1 key"},
        BadCase{"PayloadWithASecp256k1Key",
                With(R"(
[journey.p]
interval = "10s"
timeout = "5s"
targets = "evm"
[[journey.p.step]]
name = "s"
sign = { key = "evm", payload = "hello" }
)"),
                "key \"evm\" is a secp256k1 key; it signs evm_tx only"},
        BadCase{"EvmTxWithoutFees",
                Swap(With(kTransfer),
                     ", max_priority_fee_per_gas = \"1000000000\", base_fee = \"0x3b9aca00\"", ""),
                "give the fees: \"max_priority_fee_per_gas\""},
        BadCase{"EvmTxWithBothFeeKinds",
                Swap(With(kTransfer), "base_fee = \"0x3b9aca00\"", "gas_price = \"1\""),
                "give \"gas_price\" (a legacy EIP-155 transaction) or EIP-1559's fees"},
        BadCase{"EvmTxWithoutTo",
                Swap(With(kTransfer), "to = \"0x000000000000000000000000000000000000dEaD\", ", ""),
                "journey.pay.step[2].sign.evm_tx is missing required key \"to\""},
        BadCase{"EvidenceNobodyExtracts",
                Swap(With(kTransfer), "evidence = [\"tx_hash\", \"block\"]",
                     "evidence = [\"tx_hash\", \"blok\"]"),
                "\"evidence[2]\" names variable 'blok', which no step extracts (did you mean "
                "'block'?)"},
        BadCase{"EvidenceTwice",
                Swap(With(kTransfer), "evidence = [\"tx_hash\", \"block\"]",
                     "evidence = [\"tx_hash\", \"tx_hash\"]"),
                "'tx_hash' is listed twice"},
        BadCase{"MaxAgeNotADuration",
                Swap(With(kTransfer), "\"/result\" = \"${tx_hash}\"",
                     "\"/result/timestamp\" = { max_age = 12 }"),
                "max_age"},
        BadCase{"OrderingOperandNotAnInteger",
                Swap(With(kTransfer), "le = \"0x5208\"", "le = \"lots\""),
                "a number, a string holding an integer, or a \"${variable}\" holding one"},
        BadCase{"UnknownOutputEncoding",
                With(R"(
[journey.p]
interval = "10s"
timeout = "5s"
targets = "evm"
[[journey.p.step]]
name = "s"
sign = { key = "ed", payload = "aGk=", payload_encoding = "base64", output = "base32" }
)"),
                "\"output\" is \"base32\" (use hex, base64 or base58)"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return info.param.name; });

TEST(EvmConfig, BinaryPayloadsAndEncodedOutput) {
  LoadResult r = Load(With(R"(
[journey.solana_style]
interval = "10s"
timeout = "5s"
targets = "evm"
[[journey.solana_style.step]]
name = "s"
sign = { key = "ed", payload = "0a0b0c", payload_encoding = "hex", output = "base58" }
)"));
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Messages(r));
  const auto& sign = std::get<SignStep>(r.config->journeys.at(0).steps.at(0).action);
  EXPECT_EQ(sign.payload_encoding, ByteEncoding::kHex);
  EXPECT_EQ(sign.output, ByteEncoding::kBase58);
}

}  // namespace
}  // namespace sonde
