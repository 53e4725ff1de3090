#include "probes/sign_probe.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>

#include "core/integer.h"
#include "signer/canonical.h"
#include "signer/encoding.h"
#include "signer/evm_address.h"
#include "signer/evm_tx.h"
#include "signer/secp256k1_key.h"

namespace sonde {
namespace {

// Rendered message fields by name; `error` names the first that failed.
class Fields {
 public:
  Fields(const SignStep& spec, const Template::Lookup& vars) {
    for (const auto& [name, t] : spec.fields) {
      std::string text, missing;
      if (!t.Render(vars, text, &missing)) {
        error = "field \"" + name + "\" uses unknown variable \"" + missing + "\"";
        return;
      }
      values_.emplace_back(name, std::move(text));
    }
  }
  std::string error;

  std::string Text(std::string_view name) const {
    for (const auto& [n, v] : values_) {
      if (n == name) return v;
    }
    return "";
  }
  bool Has(std::string_view name) const {
    for (const auto& [n, v] : values_) {
      if (n == name) return true;
    }
    return false;
  }
  // Any integer spelling: "42", "0x2a" (what a JSON-RPC answer holds).
  uint64_t Number(std::string_view name) {
    const std::string text = Text(name);
    std::optional<uint64_t> value = ParseUint64(text);
    if (!value) Fail("\"" + std::string(name) + "\" is \"" + text + "\", not an unsigned integer");
    return value.value_or(0);
  }
  // An amount of up to 256 bits (wei), never through a double.
  Int256 Amount(std::string_view name) {
    const std::string text = Text(name);
    std::optional<Int256> value = ParseInteger(text);
    if (!value || *value < 0) {
      Fail("\"" + std::string(name) + "\" is \"" + text +
           "\", not an unsigned integer below 2^256");
      return 0;
    }
    return *value;
  }
  // "0x"-prefixed (or bare) hex; "" and "0x" are no bytes.
  std::vector<uint8_t> HexData(std::string_view name) {
    const std::string text = Text(name);
    std::string_view digits = text;
    if (digits.starts_with("0x") || digits.starts_with("0X")) digits.remove_prefix(2);
    if (digits.empty()) return {};
    auto bytes = signer::FromHex(digits, name);
    if (!bytes.ok()) Fail(bytes.error().message);
    return bytes.ok() ? std::move(bytes).value() : std::vector<uint8_t>{};
  }
  signer::PublicKey Key(std::string_view name) {
    auto key = signer::PublicKeyFromHex(Text(name), name);
    if (!key.ok()) Fail(key.error().message);
    return key.ok() ? key.value() : signer::PublicKey{};
  }
  std::vector<uint8_t> Bytes(std::string_view name) {
    auto bytes = signer::FromHex(Text(name), name);
    if (!bytes.ok()) Fail(bytes.error().message);
    return bytes.ok() ? std::move(bytes).value() : std::vector<uint8_t>{};
  }
  void Fail(std::string why) {
    if (error.empty()) error = std::move(why);
  }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

std::optional<signer::NodeType> NodeTypeNamed(const std::string& name) {
  if (name == "light") return signer::NodeType::kLight;
  if (name == "full") return signer::NodeType::kFull;
  if (name == "super") return signer::NodeType::kSuper;
  return std::nullopt;
}

// The bytes to sign, or an error in `f.error`.
std::vector<uint8_t> MessageBytes(const SignStep& spec, const signer::KeyPair& key, Fields& f) {
  signer::Result<std::vector<uint8_t>> encoded = std::vector<uint8_t>{};
  switch (spec.message) {
    case SignStep::Message::kPayload:
    case SignStep::Message::kEvmTx:
      return {};  // handled by the caller
    case SignStep::Message::kTransfer: {
      signer::Transfer t{f.Text("chain_id"), key.public_key(),  f.Key("to"),
                         f.Number("amount"), f.Number("nonce"), {}};
      if (!f.Text("memo").empty()) t.memo = f.Bytes("memo");
      if (!f.error.empty()) return {};
      encoded = signer::Encode(t);
      break;
    }
    case SignStep::Message::kActivation: {
      auto type = NodeTypeNamed(f.Text("node_type"));
      if (!type)
        f.Fail("\"node_type\" is \"" + f.Text("node_type") + "\", not light, full or super");
      signer::ActivationProof p{f.Text("chain_id"), key.public_key(),
                                type.value_or(signer::NodeType::kFull), f.Bytes("challenge")};
      if (!f.error.empty()) return {};
      encoded = signer::Encode(p);
      break;
    }
    case SignStep::Message::kClaim: {
      signer::RewardClaim c{f.Text("chain_id"), key.public_key(), f.Key("beneficiary"),
                            f.Number("amount"), f.Number("nonce")};
      if (!f.error.empty()) return {};
      encoded = signer::Encode(c);
      break;
    }
  }
  if (!encoded.ok()) {
    f.Fail(encoded.error().message);
    return {};
  }
  return std::move(encoded).value();
}

// The EVM transaction the fields describe: EIP-1559 unless gas_price is
// given; a missing max_fee_per_gas is 2 x base_fee + tip, as wallets do, so
// the transaction survives the base fee rising for a few blocks.
signer::EvmTx EvmTxFrom(Fields& f) {
  signer::EvmTx tx;
  tx.chain_id = f.Number("chain_id");
  tx.nonce = f.Number("nonce");
  tx.gas = f.Number("gas");
  if (f.Has("value")) tx.value = f.Amount("value");
  if (f.Has("data")) tx.data = f.HexData("data");
  const std::string to = f.Text("to");
  if (!to.empty()) {
    auto address = signer::ParseEvmAddress(to, "to");
    if (address.ok()) {
      tx.to = address.value();
    } else {
      f.Fail(address.error().message);
    }
  }
  if (f.Has("gas_price")) {
    tx.type = signer::EvmTx::Type::kLegacy;
    tx.gas_price = f.Amount("gas_price");
    return tx;
  }
  tx.type = signer::EvmTx::Type::kEip1559;
  tx.max_priority_fee_per_gas = f.Amount("max_priority_fee_per_gas");
  if (f.Has("max_fee_per_gas")) {
    tx.max_fee_per_gas = f.Amount("max_fee_per_gas");
  } else {
    try {
      tx.max_fee_per_gas = 2 * f.Amount("base_fee") + tx.max_priority_fee_per_gas;
    } catch (const std::overflow_error&) {
      f.Fail("2 x \"base_fee\" + tip does not fit 256 bits");
    }
  }
  return tx;
}

std::string ToHex0x(std::span<const uint8_t> bytes) { return "0x" + signer::ToHex(bytes); }

std::string Encoded(std::span<const uint8_t> bytes, ByteEncoding encoding) {
  switch (encoding) {
    case ByteEncoding::kBase64:
      return signer::ToBase64(bytes);
    case ByteEncoding::kBase58:
      return signer::ToBase58(bytes);
    case ByteEncoding::kText:
    case ByteEncoding::kHex:
      break;
  }
  return signer::ToHex(bytes);
}

// The payload's bytes as its encoding says; `error` names what is wrong.
std::vector<uint8_t> PayloadBytes(const std::string& text, ByteEncoding encoding,
                                  std::string* error) {
  signer::Result<std::vector<uint8_t>> bytes = std::vector<uint8_t>{};
  switch (encoding) {
    case ByteEncoding::kText:
      return {text.begin(), text.end()};
    case ByteEncoding::kHex: {
      std::string_view digits = text;
      if (digits.starts_with("0x") || digits.starts_with("0X")) digits.remove_prefix(2);
      bytes = signer::FromHex(digits, "payload");
      break;
    }
    case ByteEncoding::kBase64:
      bytes = signer::FromBase64(text, "payload");
      break;
    case ByteEncoding::kBase58:
      bytes = signer::FromBase58(text, "payload");
      break;
  }
  if (!bytes.ok()) {
    *error = bytes.error().message;
    return {};
  }
  return std::move(bytes).value();
}

ProbeResult SignEvm(const SignStep& spec, const signer::Secp256k1Key& key,
                    const Template::Lookup& vars) {
  ProbeResult result;
  Fields fields(spec, vars);
  signer::EvmTx tx;
  if (fields.error.empty()) tx = EvmTxFrom(fields);
  if (!fields.error.empty()) {
    result.failure = Reason::kInvalidResponse;
    result.detail = "cannot build the EVM transaction to sign: " + fields.error;
    return result;
  }
  signer::Result<signer::SignedEvmTx> signed_tx = signer::SignEvmTx(tx, key);
  if (!signed_tx.ok()) {
    result.failure = Reason::kInvalidResponse;
    result.detail = "cannot sign the EVM transaction: " + signed_tx.error().message;
    return result;
  }
  const signer::SignedEvmTx& t = signed_tx.value();
  boost::json::object body{{"raw_tx", ToHex0x(t.raw)},
                           {"tx_hash", ToHex0x(t.hash)},
                           {"from", signer::ToChecksumAddress(t.from)}};
  result.body = boost::json::serialize(body);
  return result;
}

}  // namespace

boost::asio::awaitable<ProbeResult> ProbeSign(ProbeEnv&, const ProbeRequest& request) {
  const SignStep& spec = std::get<SignStep>(request.step.action);
  ProbeResult result;
  if (spec.message == SignStep::Message::kEvmTx) {
    const signer::Secp256k1Key* key =
        request.keys && request.keys->secp256k1 ? request.keys->secp256k1(spec.key) : nullptr;
    if (!key) {
      result.failure = Reason::kInternal;
      result.detail = "no secp256k1 key \"" + spec.key + "\" loaded";
      co_return result;
    }
    co_return SignEvm(spec, *key, request.vars);
  }
  const signer::KeyPair* key =
      request.keys && request.keys->ed25519 ? request.keys->ed25519(spec.key) : nullptr;
  if (!key) {
    result.failure = Reason::kInternal;
    result.detail = "no key \"" + spec.key + "\" loaded";
    co_return result;
  }
  std::vector<uint8_t> message;
  if (spec.message == SignStep::Message::kPayload) {
    std::string text, missing;
    if (!spec.payload.Render(request.vars, text, &missing)) {
      result.failure = Reason::kInternal;
      result.detail = "payload uses unknown variable \"" + missing + "\"";
      co_return result;
    }
    std::string error;
    message = PayloadBytes(text, spec.payload_encoding, &error);
    if (!error.empty()) {
      result.failure = Reason::kInvalidResponse;
      result.detail = "cannot decode the payload to sign: " + error;
      co_return result;
    }
  } else {
    Fields fields(spec, request.vars);
    if (fields.error.empty()) message = MessageBytes(spec, *key, fields);
    if (!fields.error.empty()) {
      result.failure = Reason::kInvalidResponse;
      result.detail = "cannot build the message to sign: " + fields.error;
      co_return result;
    }
  }
  const signer::Signature signature = key->Sign(message);
  boost::json::object body{{"signature", Encoded(signature, spec.output)},
                           {"public_key", Encoded(key->public_key(), spec.output)},
                           {"message", Encoded(message, spec.output)}};
  result.body = boost::json::serialize(body);
  co_return result;
}

}  // namespace sonde
