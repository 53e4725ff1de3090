// A node's chain on disk: one append-only JSON-lines file. Two kinds of line:
//   {"block": {...}}   a block; a block at a height already held replaces
//                      that block and everything after it (an uncommitted
//                      tail the leader overwrote), so nothing is ever
//                      rewritten in place;
//   {"commit": H}      blocks up to H are committed; written with fsync.
// Loading replays the lines. A crash can leave a torn last line; it is cut
// off (ftruncate) and the load goes on. Damage anywhere else is an error
// that names the line: the node refuses to start rather than guess.
// Thread-safety: BlockFile is used from one thread at a time (the node's
// writer thread, see chain.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "devnet/block.h"
#include "devnet/result.h"

namespace sonde::devnet {

struct StoredChain {
  std::vector<Block> blocks;  // heights 1..n in order
  uint64_t committed = 0;
  bool torn_tail_removed = false;
};

// A missing file is an empty chain. `genesis` is the hash block 1 must follow.
Result<StoredChain> LoadBlockFile(const std::string& path, std::string_view chain_id,
                                  const Hash& genesis);

std::string BlockLine(const Block& b);
std::string CommitLine(uint64_t height);

class BlockFile {
 public:
  static Result<BlockFile> Open(const std::string& path);
  BlockFile(BlockFile&& other) noexcept;
  BlockFile& operator=(BlockFile&&) = delete;
  ~BlockFile();

  // Writes `lines` (each ending in '\n') at the end; fdatasync when `sync`.
  Status Append(std::string_view lines, bool sync);

 private:
  BlockFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
};

}  // namespace sonde::devnet
