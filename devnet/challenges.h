// Activation challenges, issued by the leader: 32 random bytes, single use,
// valid for a bounded time. Only the leader issues and checks them (followers
// forward), so they live in the leader's memory; a leader restart forgets
// them, and a client then fetches a new one. Use is recorded in the ledger
// (ledger.h), so a replay is refused on every node, forever.
// Thread-safety: the node's io_context thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "devnet/tx.h"

namespace sonde::devnet {

class Challenges {
 public:
  using Clock = std::chrono::steady_clock;

  Challenges(std::chrono::seconds ttl, size_t max_outstanding)
      : ttl_(ttl), max_outstanding_(max_outstanding) {}

  std::vector<uint8_t> Issue();

  enum class Check { kValid, kUnknown, kExpired };
  Check Lookup(std::span<const uint8_t> challenge) const;
  void Forget(std::span<const uint8_t> challenge);

  std::chrono::seconds ttl() const { return ttl_; }

 private:
  void Prune();

  const std::chrono::seconds ttl_;
  const size_t max_outstanding_;
  std::map<Hash, Clock::time_point> expiry_;  // by hash of the challenge
  std::deque<Hash> order_;                    // oldest first, for eviction
};

}  // namespace sonde::devnet
