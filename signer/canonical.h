// The messages sonde and the devnet sign, and their one canonical byte
// layout (specified in signer/ENCODING.md, with vectors in
// signer/testdata/canonical-vectors.json). The Ed25519 signature is over
// exactly these bytes. Decoding is strict: Encode(Decode(b)) == b for every
// accepted b, so a message has one encoding and one signature.
// Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "signer/ed25519.h"
#include "signer/result.h"

namespace sonde::signer {

// Domain-separation tags: the first field of each layout, so a signature
// over one kind of message can never be replayed as another.
inline constexpr std::string_view kTransferTag = "sonde.transfer.v1";
// v2 added node_type; v1 (without it) was never deployed and is not accepted.
inline constexpr std::string_view kActivationProofTag = "sonde.activation_proof.v2";
inline constexpr std::string_view kRewardClaimTag = "sonde.reward_claim.v1";

inline constexpr size_t kMaxChainIdSize = 64;  // printable ASCII, at least 1
inline constexpr size_t kMaxMemoSize = 256;
inline constexpr size_t kMaxChallengeSize = 128;  // at least 1

// Moves `amount` from the account `from` to `to`; `nonce` is the sender's
// account nonce, so a transfer can be applied once.
struct Transfer {
  std::string chain_id;
  PublicKey from{};
  PublicKey to{};
  uint64_t amount = 0;
  uint64_t nonce = 0;
  std::vector<uint8_t> memo;
  bool operator==(const Transfer&) const = default;
};

// The kind of node being activated; one byte on the wire. The values are
// part of the encoding: never renumber them.
enum class NodeType : uint8_t { kLight = 1, kFull = 2, kSuper = 3 };

// A node proves it holds `node`'s secret key by signing the network's
// one-time `challenge`, and states which `node_type` it activates as (signed
// too, so nobody can change it in transit).
struct ActivationProof {
  std::string chain_id;
  PublicKey node{};
  NodeType node_type = NodeType::kFull;
  std::vector<uint8_t> challenge;
  bool operator==(const ActivationProof&) const = default;
};

// The node `node` claims `amount` of its accrued rewards, paid to
// `beneficiary`; `nonce` is the node's claim counter.
struct RewardClaim {
  std::string chain_id;
  PublicKey node{};
  PublicKey beneficiary{};
  uint64_t amount = 0;
  uint64_t nonce = 0;
  bool operator==(const RewardClaim&) const = default;
};

// kInvalidArgument when a field breaks its limits above.
Result<std::vector<uint8_t>> Encode(const Transfer& m);
Result<std::vector<uint8_t>> Encode(const ActivationProof& m);
Result<std::vector<uint8_t>> Encode(const RewardClaim& m);

// kInvalidEncoding for a wrong tag, a short or overlong input, or a field
// outside its limits.
Result<Transfer> DecodeTransfer(std::span<const uint8_t> bytes);
Result<ActivationProof> DecodeActivationProof(std::span<const uint8_t> bytes);
Result<RewardClaim> DecodeRewardClaim(std::span<const uint8_t> bytes);

}  // namespace sonde::signer
