// The leader's side of log replication (Raft's AppendEntries without terms
// or elections: node `leader` always leads). One coroutine per follower sends
// POST /v1/peer/append {prev_height, prev_hash, blocks (at most 100), commit}
// over that follower's peer link, every tick or at once when woken by a new
// block or commit. On success the follower's match height advances; on a
// mismatch the next height to send backs off (never below the follower's
// committed height + 1). A block is committed once a majority of the cluster
// (floor(n/2)+1, the leader included) has persisted it.
// Thread-safety: the node's io_context thread only.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "devnet/chain.h"
#include "devnet/node_config.h"
#include "devnet/peer_client.h"

namespace sonde::devnet {

class Replicator {
 public:
  // `on_commit` runs after the committed height rose (the chain is already
  // updated); it persists and refreshes whatever depends on the state.
  Replicator(boost::asio::any_io_executor executor, Chain& chain, const NodeConfig& config,
             std::function<boost::asio::awaitable<void>()> on_commit);

  void Start();
  void Stop();

  // Something new to send (a block, a commit): followers are contacted now
  // rather than at the next tick.
  void Wake();

  // The leader's own block `height` is on disk: it counts towards a majority.
  void LeaderPersisted(uint64_t height);

  struct FollowerView {
    uint32_t id = 0;
    std::string url;
    uint64_t match = 0;  // highest height the follower is known to hold
    bool reachable = false;
    std::string last_error;
  };
  std::vector<FollowerView> Followers() const;

 private:
  struct Follower {
    uint32_t id = 0;
    std::string url_text;
    PeerUrl url;
    uint64_t next = 1;   // the next height to send
    uint64_t match = 0;  // persisted on the follower
    bool reachable = false;
    bool woken = false;  // a Wake() arrived while a call was in flight
    std::string last_error;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };

  boost::asio::awaitable<void> Run(Follower& f);
  // One append call; returns true when there is more to send right away.
  boost::asio::awaitable<bool> SendOnce(Follower& f);
  void MaybeCommit();

  boost::asio::any_io_executor executor_;
  Chain& chain_;
  const std::chrono::milliseconds tick_;
  const std::chrono::milliseconds call_timeout_;
  std::function<boost::asio::awaitable<void>()> on_commit_;
  std::vector<std::unique_ptr<Follower>> followers_;
  uint64_t leader_match_ = 0;
  bool stopped_ = false;
};

}  // namespace sonde::devnet
