// A node's copy of the chain: the block log in memory (backed by the block
// file, block_store.h), the committed height, the state derived from the
// committed blocks (ledger.h), and an index from tx hash to block. Leader and
// followers share it: the leader appends the blocks it proposes, a follower
// the blocks the leader sends (replacing a differing uncommitted tail).
//
// Durability: every change is queued as lines for the block file; Persist()
// hands them to a dedicated writer thread (so write and fsync never block
// the io_context) and resumes when they are on disk. Acknowledge a block or
// a commit only after Persist().
//
// Thread-safety: everything but the file writes runs on the node's io_context
// thread; the writer thread only sees strings it is handed.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "devnet/block.h"
#include "devnet/block_store.h"
#include "devnet/ledger.h"
#include "devnet/node_config.h"

namespace sonde::devnet {

class Chain {
 public:
  // Loads DATA_DIR/chain.jsonl (creating DATA_DIR's file if needed) and
  // replays the committed blocks into the state.
  static Result<std::unique_ptr<Chain>> Open(const NodeConfig& config);
  ~Chain();

  uint64_t head() const { return blocks_.size(); }
  uint64_t committed() const { return committed_; }
  const Block* At(uint64_t height) const;         // nullptr outside 1..head
  const Hash& HashAt(uint64_t height) const;      // height 0 is the genesis; height <= head
  const Ledger& state() const { return state_; }  // as of the committed height
  const Hash& genesis() const { return genesis_; }
  uint64_t last_time_ms() const { return blocks_.empty() ? 0 : blocks_.back().time_ms; }

  // Leader: appends its own next block (block.height == head() + 1).
  void AppendOwn(Block block);

  enum class Accepted { kOk, kMismatch, kInvalid };
  // Follower: the leader's blocks following (prev_height, prev_hash).
  // kMismatch when this node does not hold that block (the leader then
  // tries an earlier one); kInvalid (with `why`) when the blocks do not
  // chain or would replace a committed block. Nothing changes unless kOk.
  Accepted AcceptFromLeader(uint64_t prev_height, const Hash& prev_hash, std::vector<Block> blocks,
                            std::string* why);

  // Raises the committed height to min(height, head()), applying each newly
  // committed block to the state. Never lowers it.
  void Commit(uint64_t height);

  // Resolves when every change made before the call is on disk, and fsynced
  // if a commit was among them.
  boost::asio::awaitable<Status> Persist();

  struct TxLocation {
    uint64_t height = 0;
    size_t index = 0;
  };
  std::optional<TxLocation> FindTx(const Hash& hash) const;
  // A tx in a committed block that Apply refused (only possible if the
  // leader erred); the block keeps it but it changed nothing.
  std::optional<Reason> CommittedRejection(const Hash& hash) const;

 private:
  Chain(const NodeConfig& config, Hash genesis, BlockFile file);
  void Push(Block block);
  void TruncateTo(uint64_t height);

  const uint64_t reward_per_block_;
  const Hash genesis_;
  std::vector<Block> blocks_;  // blocks_[h - 1] is height h
  uint64_t committed_ = 0;
  Ledger state_;
  std::map<Hash, TxLocation> tx_index_;
  std::map<Hash, Reason> committed_rejections_;

  BlockFile file_;
  std::string unwritten_;  // lines not yet handed to the writer
  bool unwritten_commit_ = false;
  boost::asio::thread_pool writer_{1};  // one thread, so writes keep their order
};

}  // namespace sonde::devnet
