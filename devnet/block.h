// Blocks: a height, the previous block's hash, the leader's wall-clock time
// and a list of transactions, with a hash that commits to all of them:
// BLAKE2b-256 over height (u64 BE) || prev_hash || time_ms (u64 BE) || each
// tx hash. Height 0 is the genesis, never stored: its hash commits to the
// chain id and the genesis balances, so nodes with different genesis files
// can never agree on block 1. Thread-safety: immutable values.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "devnet/result.h"
#include "devnet/tx.h"

namespace sonde::devnet {

struct Block {
  uint64_t height = 0;
  Hash prev_hash{};
  uint64_t time_ms = 0;  // unix milliseconds, never less than the previous block's
  std::vector<Tx> txs;
  Hash hash{};
};

Hash ComputeBlockHash(const Block& b);

// Fills in the hash.
Block MakeBlock(uint64_t height, const Hash& prev_hash, uint64_t time_ms, std::vector<Tx> txs);

Hash GenesisHash(std::string_view chain_id, const std::map<signer::PublicKey, uint64_t>& balances);

// {"height", "prev_hash", "time_ms", "txs": [...], "hash"}
boost::json::object BlockToJson(const Block& b);

// Checks every tx hash and the block hash; an error names what disagrees.
Result<Block> BlockFromJson(const boost::json::value& v, std::string_view chain_id);

}  // namespace sonde::devnet
