// The chain's state — balances and nonces, node records, rewards, used
// activation challenges — and the one function that changes it: Apply, a
// pure, deterministic step from (state, tx) to (state', or a reason for
// refusing the tx). Every node runs it over committed blocks only, so every
// node derives the same state; the leader also runs it on a scratch copy to
// admit transactions (tx_pool.h). Signatures are checked before (tx.h):
// Apply judges only what depends on state.
// Thread-safety: a value; copy it to experiment.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "devnet/tx.h"

namespace sonde::devnet {

// Why a transaction was refused. The names (ReasonName) are API values.
enum class Reason {
  kMalformed,
  kBadSignature,
  kBadNonce,
  kInsufficientFunds,
  kUnknownChallenge,
  kChallengeUsed,
  kChallengeExpired,
  kClaimExceedsAccrued,
  kBadClaimNonce,
  kOverflow,
};

std::string_view ReasonName(Reason reason);

struct Account {
  uint64_t balance = 0;
  uint64_t nonce = 0;  // transfers applied so far; the next transfer carries this
};

struct NodeRecord {
  NodeType type = NodeType::kFull;
  uint64_t activated_height = 0;  // the block whose commit made it active
};

struct RewardRecord {
  uint64_t accrued = 0;
  uint64_t claimed = 0;
  uint64_t claim_nonce = 0;  // claims applied so far; the next claim carries this
  uint64_t claimable() const { return accrued - claimed; }
};

class Ledger {
 public:
  explicit Ledger(const std::map<signer::PublicKey, uint64_t>& genesis_balances);

  // Applies `tx` as part of block `height`, or changes nothing and says why.
  std::optional<Reason> Apply(const Tx& tx, uint64_t height);

  // Ends block `height`: every node active before it accrues `reward`.
  // A node activated in block H first earns for block H+1.
  void FinishBlock(uint64_t height, uint64_t reward);

  Account account(const signer::PublicKey& address) const;
  const NodeRecord* node(const signer::PublicKey& key) const;
  RewardRecord rewards(const signer::PublicKey& key) const;
  bool ChallengeUsed(std::span<const uint8_t> challenge) const;
  size_t active_nodes() const { return nodes_.size(); }

 private:
  std::optional<Reason> ApplyTransfer(const signer::Transfer& t);
  std::optional<Reason> ApplyActivation(const signer::ActivationProof& a, uint64_t height);
  std::optional<Reason> ApplyClaim(const signer::RewardClaim& c);

  std::map<signer::PublicKey, Account> accounts_;
  std::map<signer::PublicKey, NodeRecord> nodes_;
  std::map<signer::PublicKey, RewardRecord> rewards_;
  // Hashes of every challenge an activation has used, so none is used twice.
  // Grows with activations only (one entry each), which a devnet can afford.
  std::set<Hash> used_challenges_;
};

}  // namespace sonde::devnet
