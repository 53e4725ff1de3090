#include "devnet/ledger.h"

namespace sonde::devnet {

std::string_view ReasonName(Reason reason) {
  switch (reason) {
    case Reason::kMalformed:
      return "malformed";
    case Reason::kBadSignature:
      return "bad_signature";
    case Reason::kBadNonce:
      return "bad_nonce";
    case Reason::kInsufficientFunds:
      return "insufficient_funds";
    case Reason::kUnknownChallenge:
      return "unknown_challenge";
    case Reason::kChallengeUsed:
      return "challenge_used";
    case Reason::kChallengeExpired:
      return "challenge_expired";
    case Reason::kClaimExceedsAccrued:
      return "claim_exceeds_accrued";
    case Reason::kBadClaimNonce:
      return "bad_claim_nonce";
    case Reason::kOverflow:
      return "overflow";
  }
  return "unknown";
}

Ledger::Ledger(const std::map<signer::PublicKey, uint64_t>& genesis_balances) {
  for (const auto& [key, amount] : genesis_balances) accounts_[key].balance = amount;
}

std::optional<Reason> Ledger::Apply(const Tx& tx, uint64_t height) {
  switch (tx.type()) {
    case TxType::kTransfer:
      return ApplyTransfer(std::get<signer::Transfer>(tx.body));
    case TxType::kActivation:
      return ApplyActivation(std::get<signer::ActivationProof>(tx.body), height);
    case TxType::kClaim:
      return ApplyClaim(std::get<signer::RewardClaim>(tx.body));
  }
  return Reason::kMalformed;
}

std::optional<Reason> Ledger::ApplyTransfer(const signer::Transfer& t) {
  Account from = account(t.from);
  if (t.nonce != from.nonce) return Reason::kBadNonce;
  if (t.amount > from.balance) return Reason::kInsufficientFunds;
  if (t.from != t.to) {
    Account to = account(t.to);
    if (to.balance + t.amount < to.balance) return Reason::kOverflow;
    accounts_[t.to].balance = to.balance + t.amount;
    accounts_[t.from].balance = from.balance - t.amount;
  }
  accounts_[t.from].nonce = from.nonce + 1;
  return std::nullopt;
}

std::optional<Reason> Ledger::ApplyActivation(const signer::ActivationProof& a, uint64_t height) {
  const Hash challenge = HashBytes(a.challenge);
  if (used_challenges_.contains(challenge)) return Reason::kChallengeUsed;
  used_challenges_.insert(challenge);
  auto [it, fresh] = nodes_.try_emplace(a.node);
  // Re-activation (a journey repeats) keeps the first activation height, so
  // accrual is not interrupted; only the type can change.
  if (fresh) it->second.activated_height = height;
  it->second.type = a.node_type;
  return std::nullopt;
}

std::optional<Reason> Ledger::ApplyClaim(const signer::RewardClaim& c) {
  RewardRecord r = rewards(c.node);
  if (c.nonce != r.claim_nonce) return Reason::kBadClaimNonce;
  if (c.amount == 0 || c.amount > r.claimable()) return Reason::kClaimExceedsAccrued;
  Account to = account(c.beneficiary);
  if (to.balance + c.amount < to.balance) return Reason::kOverflow;
  RewardRecord& stored = rewards_[c.node];
  stored.claimed += c.amount;
  stored.claim_nonce += 1;
  accounts_[c.beneficiary].balance = to.balance + c.amount;
  return std::nullopt;
}

void Ledger::FinishBlock(uint64_t height, uint64_t reward) {
  if (reward == 0) return;
  for (const auto& [key, record] : nodes_) {
    if (record.activated_height < height) rewards_[key].accrued += reward;
  }
}

Account Ledger::account(const signer::PublicKey& address) const {
  auto it = accounts_.find(address);
  return it == accounts_.end() ? Account{} : it->second;
}

const NodeRecord* Ledger::node(const signer::PublicKey& key) const {
  auto it = nodes_.find(key);
  return it == nodes_.end() ? nullptr : &it->second;
}

RewardRecord Ledger::rewards(const signer::PublicKey& key) const {
  auto it = rewards_.find(key);
  return it == rewards_.end() ? RewardRecord{} : it->second;
}

bool Ledger::ChallengeUsed(std::span<const uint8_t> challenge) const {
  return used_challenges_.contains(HashBytes(challenge));
}

}  // namespace sonde::devnet
