// The leader's admission side: the mempool (transactions accepted but not yet
// in a block), the pending state they lead to, and a bounded memory of
// refused transactions so `GET /v1/tx/{hash}` can report why.
//
// The pending state is the committed state, plus the transactions of the
// uncommitted blocks, plus the mempool in order. A new transaction is
// admitted iff Apply accepts it on that state, so "next nonce" is the
// confirmed nonce plus the sender's pending count, and every mempool
// transaction is valid when proposed in order.
// Thread-safety: the node's io_context thread only.
#pragma once

#include <cstddef>
#include <deque>
#include <list>
#include <map>
#include <optional>
#include <vector>

#include "devnet/chain.h"
#include "devnet/ledger.h"

namespace sonde::devnet {

class TxPool {
 public:
  TxPool(const Chain& chain, size_t max_pending, size_t max_remembered);

  bool full() const { return pending_.size() >= max_pending_; }
  bool Contains(const Hash& hash) const { return index_.contains(hash); }
  size_t size() const { return pending_.size(); }
  const Ledger& pending_state() const { return pending_state_; }

  // Applies `tx` to the pending state: on success it joins the mempool; on
  // refusal the reason is remembered and returned. The caller has checked
  // the signature and that the pool is not full.
  std::optional<Reason> Admit(const Tx& tx);

  // Remembers a refusal decided elsewhere (a bad signature, an unknown
  // challenge), bounded: the oldest is forgotten first.
  void Remember(const Hash& hash, Reason reason);
  std::optional<Reason> Rejection(const Hash& hash) const;

  // Removes up to `max` transactions from the front, keeping those valid in
  // order against the committed state (the block is proposed on top of it).
  // Any that are no longer valid are remembered as refused.
  std::vector<Tx> TakeForBlock(size_t max);

  // Rebuilds the pending state after the chain changed (a block was added
  // or committed); transactions that stopped being valid are dropped.
  void Rebase();

 private:
  const Chain& chain_;
  const size_t max_pending_;
  const size_t max_remembered_;
  std::deque<Tx> pending_;
  std::map<Hash, bool> index_;  // hashes in pending_
  Ledger pending_state_;
  std::list<Hash> rejected_order_;  // oldest first
  std::map<Hash, Reason> rejected_;
};

}  // namespace sonde::devnet
