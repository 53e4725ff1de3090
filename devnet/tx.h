// The three kinds of transaction the devnet knows — a transfer, a node
// activation and a reward claim — each the canonical message from signer/
// (signer/canonical.h) plus the Ed25519 signature over its bytes, and their
// JSON form on the API and in blocks. A tx hash is BLAKE2b-256
// (crypto_generichash, 32 bytes) over canonical bytes || signature, so the
// same signed message always has the same hash.
// Thread-safety: immutable values.
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "devnet/result.h"
#include "signer/canonical.h"

namespace sonde::devnet {

using Hash = std::array<uint8_t, 32>;

enum class TxType { kTransfer, kActivation, kClaim };

// Part of the signed activation proof (signer/canonical.h).
using NodeType = signer::NodeType;

using TxBody = std::variant<signer::Transfer, signer::ActivationProof, signer::RewardClaim>;

struct Tx {
  TxBody body;
  signer::Signature signature{};
  Hash hash{};
  std::vector<uint8_t> canonical;  // signer::Encode(body), what the signature covers

  TxType type() const { return static_cast<TxType>(body.index()); }
  // Who must have signed: the sender, or the node.
  const signer::PublicKey& signer_key() const;
};

// Encodes `body` (kInvalidArgument from signer becomes an error naming the
// field) and computes the hash.
Result<Tx> MakeTx(TxBody body, const signer::Signature& signature);

bool SignatureValid(const Tx& tx);

std::string_view TxTypeName(TxType type);
std::string NodeTypeName(NodeType type);
std::optional<NodeType> ParseNodeType(std::string_view name);

// {"type": ..., fields..., "signature": hex, "hash": hex}
boost::json::object TxToJson(const Tx& tx);

// Reads a tx from an API body or a block. `expected` restricts the type (an
// API endpoint takes one kind); "type" may then be omitted. "chain_id" may be
// omitted and defaults to `chain_id`; when present it must match. "hash", if
// present, must match the computed hash.
Result<Tx> TxFromJson(const boost::json::object& o, std::string_view chain_id,
                      std::optional<TxType> expected);

Hash HashBytes(std::span<const uint8_t> bytes);
std::string HashHex(const Hash& h);
Result<Hash> ParseHash(std::string_view hex);

}  // namespace sonde::devnet
