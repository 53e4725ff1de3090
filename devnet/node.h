// One devnet node: the HTTP API (API.md), its copy of the chain, and — on the
// leader — the mempool, the block proposer and replication. Followers
// forward writes (transactions, activation, claims) to the leader over their
// peer link and answer reads from their own committed state.
//
// The handlers live in per-area files: chain_api.cc (health, status, head,
// blocks, peer append), tx_api.cc, activation_api.cc, rewards_api.cc,
// mpc_api.cc and admin_api.cc; node.cc holds routing, forwarding, the
// proposer and the commit hook.
//
// Thread-safety: everything runs on one io_context thread; only the chain's
// file writes run elsewhere (chain.h).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string_view>

#include "devnet/chain.h"
#include "devnet/challenges.h"
#include "devnet/frost_participant.h"
#include "net/http_server.h"
#include "devnet/node_config.h"
#include "devnet/peer_client.h"
#include "devnet/replication.h"
#include "devnet/tx_pool.h"
#include "signer/ed25519.h"

namespace sonde::devnet {

// Switches for drills (POST /v1/admin/faults); in memory only, off at start.
struct Faults {
  bool invalid_shares = false;  // round 2 returns a share that fails verification
  bool stop_proposing = false;  // the leader proposes no blocks
  bool stop_syncing = false;    // a follower refuses the leader's appends (falls behind)
};

class Node {
 public:
  // Loads the node key, the FROST share and the chain. Errors name the file.
  static Result<std::unique_ptr<Node>> Create(boost::asio::any_io_executor executor,
                                              NodeConfig config);
  ~Node();

  // Listens and starts the leader's loops. The error names the address.
  Status Start();
  // Stops listening and the loops; in-flight peer calls end within their deadline.
  void Stop();

 private:
  Node(boost::asio::any_io_executor executor, NodeConfig config, signer::KeyPair key,
       std::unique_ptr<Chain> chain, std::unique_ptr<FrostParticipant> frost);

  boost::asio::awaitable<net::Response> Route(const net::Request& req);
  boost::asio::awaitable<Result<PeerResponse>> CallLeader(const net::Request& req);
  // The leader's answer, or a 503 leader_unreachable.
  boost::asio::awaitable<net::Response> ForwardToLeader(const net::Request& req);
  boost::asio::awaitable<void> ProposeLoop();
  void ProposeBlock();
  boost::asio::awaitable<void> PersistOwnBlock(uint64_t height);
  boost::asio::awaitable<void> OnCommit();
  std::string_view role() const { return config_.is_leader() ? "leader" : "follower"; }

  // chain_api.cc
  net::Response GetHealth() const;
  net::Response GetStatus() const;
  net::Response GetHead() const;
  net::Response GetBlock(std::string_view height) const;
  boost::asio::awaitable<net::Response> PostPeerAppend(const net::Request& req);

  // tx_api.cc
  boost::asio::awaitable<net::Response> PostTx(const net::Request& req);
  boost::asio::awaitable<net::Response> GetTx(const net::Request& req, std::string_view hash);
  boost::asio::awaitable<net::Response> GetAccount(const net::Request& req, std::string_view address);
  // Leader: signature, challenge and state checks, then the mempool.
  net::Response Admit(const Tx& tx);
  // The status of a tx this node knows of: in a block, in the mempool or refused.
  std::optional<boost::json::object> LocalTxStatus(const Hash& hash) const;

  // activation_api.cc
  boost::asio::awaitable<net::Response> GetChallenge(const net::Request& req);
  boost::asio::awaitable<net::Response> PostActivation(const net::Request& req);
  net::Response GetNodeRecord(std::string_view key) const;
  // The challenge check for an activation tx, before the state check.
  std::optional<Reason> CheckChallenge(const Tx& tx) const;

  // rewards_api.cc
  net::Response GetRewards(std::string_view key) const;
  boost::asio::awaitable<net::Response> PostClaim(const net::Request& req);

  // mpc_api.cc
  net::Response GetGroup() const;
  net::Response PostRound1(const net::Request& req);
  net::Response PostRound2(const net::Request& req);

  // admin_api.cc
  net::Response GetFaults() const;
  net::Response PostFaults(const net::Request& req);

  // A tx submitted to this node: admitted here on the leader, forwarded by
  // a follower.
  boost::asio::awaitable<net::Response> Submit(const net::Request& req, TxType type);

  boost::asio::any_io_executor executor_;
  const NodeConfig config_;
  signer::KeyPair key_;
  std::unique_ptr<Chain> chain_;
  std::unique_ptr<FrostParticipant> frost_;  // null when the node has no share
  std::unique_ptr<net::HttpServer> server_;
  std::optional<PeerUrl> leader_url_;  // followers only
  Faults faults_;
  bool stopped_ = false;

  // Leader only.
  std::unique_ptr<TxPool> pool_;
  std::unique_ptr<Challenges> challenges_;
  std::unique_ptr<Replicator> replicator_;
  std::unique_ptr<boost::asio::steady_timer> propose_timer_;
};

}  // namespace sonde::devnet
