#include "devnet/tx.h"

#include <sodium.h>

#include "devnet/json_fields.h"
#include "signer/encoding.h"
#include "signer/sodium_init.h"

namespace sonde::devnet {

namespace json = boost::json;

namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

Status CheckChain(const JsonFields& f, std::string_view chain_id, std::string* out) {
  if (!f.Has("chain_id")) {
    *out = std::string(chain_id);
    return Status::Ok();
  }
  auto id = f.String("chain_id");
  if (!id.ok()) return Fail(id.error());
  if (id.value() != chain_id) {
    return Fail("/chain_id: this network is \"" + std::string(chain_id) + "\", not \"" +
                id.value() + "\"");
  }
  *out = std::move(id.value());
  return Status::Ok();
}

// Assigns *out from r, or returns its error.
template <class T>
Status Take(Result<T> r, T* out) {
  if (!r.ok()) return Fail(r.error());
  *out = std::move(r.value());
  return Status::Ok();
}

Result<TxBody> TransferFromJson(const JsonFields& f, std::string_view chain_id) {
  if (Status s = f.OnlyKeys(
          {"type", "chain_id", "from", "to", "amount", "nonce", "memo", "signature", "hash"});
      !s.ok()) {
    return Fail(s.error());
  }
  signer::Transfer t;
  Status s = CheckChain(f, chain_id, &t.chain_id);
  if (s.ok()) s = Take(f.Key("from"), &t.from);
  if (s.ok()) s = Take(f.Key("to"), &t.to);
  if (s.ok()) s = Take(f.U64("amount"), &t.amount);
  if (s.ok()) s = Take(f.U64("nonce"), &t.nonce);
  if (s.ok() && f.Has("memo")) s = Take(f.Hex("memo", signer::kMaxMemoSize), &t.memo);
  if (!s.ok()) return Fail(s.error());
  return TxBody(std::move(t));
}

Result<TxBody> ActivationFromJson(const JsonFields& f, std::string_view chain_id) {
  if (Status s =
          f.OnlyKeys({"type", "chain_id", "node", "node_type", "challenge", "signature", "hash"});
      !s.ok()) {
    return Fail(s.error());
  }
  signer::ActivationProof a;
  std::string type_name;
  Status s = CheckChain(f, chain_id, &a.chain_id);
  if (s.ok()) s = Take(f.Key("node"), &a.node);
  if (s.ok()) s = Take(f.String("node_type"), &type_name);
  if (s.ok()) s = Take(f.Hex("challenge", signer::kMaxChallengeSize), &a.challenge);
  if (!s.ok()) return Fail(s.error());
  auto type = ParseNodeType(type_name);
  if (!type) return Fail("/node_type: must be \"light\", \"full\" or \"super\"");
  a.node_type = *type;
  if (a.challenge.empty()) return Fail("/challenge: must not be empty");
  return TxBody(std::move(a));
}

Result<TxBody> ClaimFromJson(const JsonFields& f, std::string_view chain_id) {
  if (Status s = f.OnlyKeys(
          {"type", "chain_id", "node", "beneficiary", "amount", "nonce", "signature", "hash"});
      !s.ok()) {
    return Fail(s.error());
  }
  signer::RewardClaim c;
  Status s = CheckChain(f, chain_id, &c.chain_id);
  if (s.ok()) s = Take(f.Key("node"), &c.node);
  if (s.ok()) s = Take(f.Key("beneficiary"), &c.beneficiary);
  if (s.ok()) s = Take(f.U64("amount"), &c.amount);
  if (s.ok()) s = Take(f.U64("nonce"), &c.nonce);
  if (!s.ok()) return Fail(s.error());
  return TxBody(std::move(c));
}

}  // namespace

const signer::PublicKey& Tx::signer_key() const {
  return std::visit(
      Overloaded{
          [](const signer::Transfer& t) -> const signer::PublicKey& { return t.from; },
          [](const signer::ActivationProof& a) -> const signer::PublicKey& { return a.node; },
          [](const signer::RewardClaim& c) -> const signer::PublicKey& { return c.node; }},
      body);
}

Hash HashBytes(std::span<const uint8_t> bytes) {
  signer::EnsureSodium();
  Hash h;
  crypto_generichash(h.data(), h.size(), bytes.data(), bytes.size(), nullptr, 0);
  return h;
}

std::string HashHex(const Hash& h) { return signer::ToHex(h); }

Result<Hash> ParseHash(std::string_view hex) {
  Hash h;
  if (!signer::FromHexInto(hex, h, "hash").ok()) return Fail("not a hash (64 hex digits)");
  return h;
}

Result<Tx> MakeTx(TxBody body, const signer::Signature& signature) {
  auto encoded = std::visit([](const auto& m) { return signer::Encode(m); }, body);
  if (!encoded.ok()) return Fail(encoded.error().message);
  Tx tx;
  tx.body = std::move(body);
  tx.signature = signature;
  tx.canonical = std::move(encoded.value());
  std::vector<uint8_t> hashed = tx.canonical;
  hashed.insert(hashed.end(), signature.begin(), signature.end());
  tx.hash = HashBytes(hashed);
  return tx;
}

bool SignatureValid(const Tx& tx) {
  return signer::Verify(tx.signer_key(), tx.canonical, tx.signature).ok();
}

std::string_view TxTypeName(TxType type) {
  switch (type) {
    case TxType::kTransfer:
      return "transfer";
    case TxType::kActivation:
      return "activation";
    case TxType::kClaim:
      return "claim";
  }
  return "unknown";
}

std::string NodeTypeName(NodeType type) {
  switch (type) {
    case NodeType::kLight:
      return "light";
    case NodeType::kFull:
      return "full";
    case NodeType::kSuper:
      return "super";
  }
  return "unknown";
}

std::optional<NodeType> ParseNodeType(std::string_view name) {
  if (name == "light") return NodeType::kLight;
  if (name == "full") return NodeType::kFull;
  if (name == "super") return NodeType::kSuper;
  return std::nullopt;
}

json::object TxToJson(const Tx& tx) {
  json::object o;
  o["type"] = TxTypeName(tx.type());
  std::visit(Overloaded{[&](const signer::Transfer& t) {
                          o["from"] = signer::ToHex(t.from);
                          o["to"] = signer::ToHex(t.to);
                          o["amount"] = t.amount;
                          o["nonce"] = t.nonce;
                          if (!t.memo.empty()) o["memo"] = signer::ToHex(t.memo);
                        },
                        [&](const signer::ActivationProof& a) {
                          o["node"] = signer::ToHex(a.node);
                          o["node_type"] = NodeTypeName(a.node_type);
                          o["challenge"] = signer::ToHex(a.challenge);
                        },
                        [&](const signer::RewardClaim& c) {
                          o["node"] = signer::ToHex(c.node);
                          o["beneficiary"] = signer::ToHex(c.beneficiary);
                          o["amount"] = c.amount;
                          o["nonce"] = c.nonce;
                        }},
             tx.body);
  o["signature"] = signer::ToHex(tx.signature);
  o["hash"] = HashHex(tx.hash);
  return o;
}

Result<Tx> TxFromJson(const json::object& o, std::string_view chain_id,
                      std::optional<TxType> expected) {
  JsonFields f(o);
  std::optional<TxType> type = expected;
  if (f.Has("type")) {
    auto name = f.String("type");
    if (!name.ok()) return Fail(name.error());
    std::optional<TxType> named;
    for (TxType t : {TxType::kTransfer, TxType::kActivation, TxType::kClaim}) {
      if (name.value() == TxTypeName(t)) named = t;
    }
    if (!named) return Fail("/type: must be \"transfer\", \"activation\" or \"claim\"");
    if (expected && *expected != *named) {
      return Fail("/type: this endpoint takes \"" + std::string(TxTypeName(*expected)) + "\"");
    }
    type = named;
  }
  if (!type) return Fail("/type: missing");
  Result<TxBody> body = *type == TxType::kTransfer     ? TransferFromJson(f, chain_id)
                        : *type == TxType::kActivation ? ActivationFromJson(f, chain_id)
                                                       : ClaimFromJson(f, chain_id);
  if (!body.ok()) return Fail(body.error());
  auto signature = f.Sig("signature");
  if (!signature.ok()) return Fail(signature.error());
  auto tx = MakeTx(std::move(body.value()), signature.value());
  if (!tx.ok()) return tx;
  if (f.Has("hash")) {
    auto claimed = f.String("hash");
    if (!claimed.ok() || claimed.value() != HashHex(tx->hash)) {
      return Fail("/hash: does not match the transaction");
    }
  }
  return tx;
}

}  // namespace sonde::devnet
