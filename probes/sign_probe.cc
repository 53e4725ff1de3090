#include "probes/sign_probe.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>

#include "signer/canonical.h"
#include "signer/encoding.h"

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
  uint64_t Number(std::string_view name) {
    const std::string text = Text(name);
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
      Fail("\"" + std::string(name) + "\" is \"" + text + "\", not an unsigned integer");
    }
    return value;
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

}  // namespace

boost::asio::awaitable<ProbeResult> ProbeSign(ProbeEnv&, const ProbeRequest& request) {
  const SignStep& spec = std::get<SignStep>(request.step.action);
  ProbeResult result;
  const signer::KeyPair* key = request.keys ? (*request.keys)(spec.key) : nullptr;
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
    message.assign(text.begin(), text.end());
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
  boost::json::object body{{"signature", signer::ToHex(signature)},
                           {"public_key", signer::ToHex(key->public_key())},
                           {"message", signer::ToHex(message)}};
  result.body = boost::json::serialize(body);
  co_return result;
}

}  // namespace sonde
