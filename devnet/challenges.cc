#include "devnet/challenges.h"

#include <sodium.h>

#include "signer/sodium_init.h"

namespace sonde::devnet {

std::vector<uint8_t> Challenges::Issue() {
  Prune();
  // Bounded: past the cap the oldest challenge is dropped, so a client that
  // asks for challenges in a loop cannot grow the leader's memory.
  while (order_.size() >= max_outstanding_) {
    expiry_.erase(order_.front());
    order_.pop_front();
  }
  signer::EnsureSodium();
  std::vector<uint8_t> challenge(32);
  randombytes_buf(challenge.data(), challenge.size());
  const Hash h = HashBytes(challenge);
  expiry_[h] = Clock::now() + ttl_;
  order_.push_back(h);
  return challenge;
}

Challenges::Check Challenges::Lookup(std::span<const uint8_t> challenge) const {
  auto it = expiry_.find(HashBytes(challenge));
  if (it == expiry_.end()) return Check::kUnknown;
  return Clock::now() < it->second ? Check::kValid : Check::kExpired;
}

void Challenges::Forget(std::span<const uint8_t> challenge) {
  expiry_.erase(HashBytes(challenge));  // its entry in order_ goes when it reaches the front
}

void Challenges::Prune() {
  const auto now = Clock::now();
  while (!order_.empty()) {
    auto it = expiry_.find(order_.front());
    // Keep expired entries for one more ttl so a late submit hears
    // "challenge_expired" rather than "unknown_challenge".
    if (it != expiry_.end() && now < it->second + ttl_) break;
    if (it != expiry_.end()) expiry_.erase(it);
    order_.pop_front();
  }
}

}  // namespace sonde::devnet
