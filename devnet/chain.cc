#include "devnet/chain.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>

namespace sonde::devnet {

namespace asio = boost::asio;

namespace {

// Runs on the writer thread. A plain function, not a capturing lambda:
// GCC 12 mishandles the captures of coroutine lambdas given to co_spawn.
asio::awaitable<Status> WriteLines(BlockFile* file, std::string lines, bool sync) {
  if (lines.empty()) co_return Status::Ok();
  co_return file->Append(lines, sync);
}

}  // namespace

Result<std::unique_ptr<Chain>> Chain::Open(const NodeConfig& config) {
  if (::mkdir(config.data_dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Fail("cannot create data_dir " + config.data_dir + ": " + std::strerror(errno));
  }
  const std::string path = config.data_dir + "/chain.jsonl";
  const Hash genesis = GenesisHash(config.chain_id, config.genesis_balances);
  auto stored = LoadBlockFile(path, config.chain_id, genesis);
  if (!stored.ok()) return Fail(stored.error());
  if (stored->torn_tail_removed) spdlog::warn("{}: removed a torn last line", path);
  auto file = BlockFile::Open(path);
  if (!file.ok()) return Fail(file.error());
  std::unique_ptr<Chain> chain(new Chain(config, genesis, std::move(file.value())));
  for (Block& b : stored->blocks) chain->Push(std::move(b));
  chain->unwritten_.clear();  // already in the file
  chain->Commit(stored->committed);
  chain->unwritten_.clear();
  chain->unwritten_commit_ = false;
  spdlog::info("chain: loaded {} blocks, committed {}", chain->head(), chain->committed());
  return chain;
}

Chain::Chain(const NodeConfig& config, Hash genesis, BlockFile file)
    : reward_per_block_(config.reward_per_block),
      genesis_(genesis),
      state_(config.genesis_balances),
      file_(std::move(file)) {}

Chain::~Chain() { writer_.join(); }

const Block* Chain::At(uint64_t height) const {
  if (height == 0 || height > blocks_.size()) return nullptr;
  return &blocks_[height - 1];
}

const Hash& Chain::HashAt(uint64_t height) const {
  return height == 0 ? genesis_ : blocks_[height - 1].hash;
}

void Chain::Push(Block block) {
  for (size_t i = 0; i < block.txs.size(); ++i) {
    tx_index_[block.txs[i].hash] = TxLocation{block.height, i};
  }
  unwritten_ += BlockLine(block);
  blocks_.push_back(std::move(block));
}

void Chain::TruncateTo(uint64_t height) {
  while (blocks_.size() > height) {
    for (const Tx& tx : blocks_.back().txs) tx_index_.erase(tx.hash);
    blocks_.pop_back();
  }
}

void Chain::AppendOwn(Block block) { Push(std::move(block)); }

Chain::Accepted Chain::AcceptFromLeader(uint64_t prev_height, const Hash& prev_hash,
                                        std::vector<Block> blocks, std::string* why) {
  if (prev_height > head() || HashAt(prev_height) != prev_hash) {
    if (prev_height <= committed_) {
      *why = "committed block " + std::to_string(prev_height) + " differs from the leader's";
      return Accepted::kInvalid;
    }
    return Accepted::kMismatch;
  }
  // Check the whole batch first, so a bad batch changes nothing.
  Hash prev = prev_hash;
  for (size_t i = 0; i < blocks.size(); ++i) {
    const uint64_t h = prev_height + 1 + i;
    if (blocks[i].height != h || blocks[i].prev_hash != prev) {
      *why = "block " + std::to_string(blocks[i].height) + " does not follow block " +
             std::to_string(h - 1);
      return Accepted::kInvalid;
    }
    if (h <= committed_ && blocks[i].hash != HashAt(h)) {
      *why = "block " + std::to_string(h) + " would replace a committed block";
      return Accepted::kInvalid;
    }
    prev = blocks[i].hash;
  }
  for (Block& b : blocks) {
    const uint64_t h = b.height;
    if (h <= head()) {
      if (HashAt(h) == b.hash) continue;
      spdlog::warn("chain: replacing uncommitted blocks {}..{} with the leader's", h, head());
      TruncateTo(h - 1);
    }
    Push(std::move(b));
  }
  return Accepted::kOk;
}

void Chain::Commit(uint64_t height) {
  height = std::min<uint64_t>(height, head());
  if (height <= committed_) return;
  for (uint64_t h = committed_ + 1; h <= height; ++h) {
    const Block& b = blocks_[h - 1];
    for (const Tx& tx : b.txs) {
      if (auto reason = state_.Apply(tx, h)) {
        committed_rejections_[tx.hash] = *reason;
        spdlog::error("chain: committed block {} holds tx {} that the state refuses: {}", h,
                      HashHex(tx.hash), ReasonName(*reason));
      }
    }
    state_.FinishBlock(h, reward_per_block_);
  }
  committed_ = height;
  unwritten_ += CommitLine(height);
  unwritten_commit_ = true;
}

asio::awaitable<Status> Chain::Persist() {
  // Every call posts a job, even an empty one: the writer runs jobs in
  // order, so when ours is done, every earlier change is on disk as well.
  std::string lines = std::exchange(unwritten_, {});
  const bool sync = std::exchange(unwritten_commit_, false);
  co_return co_await asio::co_spawn(
      writer_.get_executor(), WriteLines(&file_, std::move(lines), sync), asio::use_awaitable);
}

std::optional<Chain::TxLocation> Chain::FindTx(const Hash& hash) const {
  auto it = tx_index_.find(hash);
  if (it == tx_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<Reason> Chain::CommittedRejection(const Hash& hash) const {
  auto it = committed_rejections_.find(hash);
  if (it == committed_rejections_.end()) return std::nullopt;
  return it->second;
}

}  // namespace sonde::devnet
