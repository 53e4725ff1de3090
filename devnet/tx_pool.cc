#include "devnet/tx_pool.h"

#include <spdlog/spdlog.h>

namespace sonde::devnet {

TxPool::TxPool(const Chain& chain, size_t max_pending, size_t max_remembered)
    : chain_(chain),
      max_pending_(max_pending),
      max_remembered_(max_remembered),
      pending_state_(chain.state()) {
  Rebase();
}

std::optional<Reason> TxPool::Admit(const Tx& tx) {
  if (auto reason = pending_state_.Apply(tx, chain_.head() + 1)) {
    Remember(tx.hash, *reason);
    return reason;
  }
  index_[tx.hash] = true;
  pending_.push_back(tx);
  return std::nullopt;
}

void TxPool::Remember(const Hash& hash, Reason reason) {
  if (rejected_.contains(hash)) {
    rejected_[hash] = reason;
    return;
  }
  while (rejected_order_.size() >= max_remembered_) {
    rejected_.erase(rejected_order_.front());
    rejected_order_.pop_front();
  }
  rejected_order_.push_back(hash);
  rejected_[hash] = reason;
}

std::optional<Reason> TxPool::Rejection(const Hash& hash) const {
  auto it = rejected_.find(hash);
  if (it == rejected_.end()) return std::nullopt;
  return it->second;
}

std::vector<Tx> TxPool::TakeForBlock(size_t max) {
  Ledger scratch = chain_.state();
  const uint64_t height = chain_.head() + 1;
  std::vector<Tx> out;
  while (!pending_.empty() && out.size() < max) {
    Tx tx = std::move(pending_.front());
    pending_.pop_front();
    index_.erase(tx.hash);
    if (auto reason = scratch.Apply(tx, height)) {
      spdlog::warn("pool: tx {} no longer valid: {}", HashHex(tx.hash), ReasonName(*reason));
      Remember(tx.hash, *reason);
      continue;
    }
    out.push_back(std::move(tx));
  }
  return out;
}

void TxPool::Rebase() {
  pending_state_ = chain_.state();
  for (uint64_t h = chain_.committed() + 1; h <= chain_.head(); ++h) {
    for (const Tx& tx : chain_.At(h)->txs) pending_state_.Apply(tx, h);
  }
  std::deque<Tx> kept;
  for (Tx& tx : pending_) {
    if (auto reason = pending_state_.Apply(tx, chain_.head() + 1)) {
      index_.erase(tx.hash);
      Remember(tx.hash, *reason);
      continue;
    }
    kept.push_back(std::move(tx));
  }
  pending_ = std::move(kept);
}

}  // namespace sonde::devnet
