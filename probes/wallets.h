// The probe wallets' running state, shared by every run that spends from
// them: the next nonce (reserved locally so that concurrent runs never share
// one; forgotten after a failed run so the next one asks the chain again),
// what was spent since 00:00 UTC, and the last balance read.
//
// Thread-safety: use from the probing executor's thread only (runs are
// coroutines on one io_context).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/integer.h"

namespace sonde {

class Wallets {
 public:
  struct State {
    std::optional<uint64_t> next_nonce;
    Int256 spent_today = 0;  // wei amounts pass 2^64
    int64_t day = -1;        // days since the epoch (UTC) that spent_today counts
  };

  State& Of(const std::string& wallet) { return states_[wallet]; }

  // A run that used the wallet failed: its nonce may not have been used, or
  // the chain may have refused it, so the next run asks the chain again.
  void Invalidate(const std::string& wallet) { states_[wallet].next_nonce.reset(); }

 private:
  std::map<std::string, State> states_;
};

}  // namespace sonde
