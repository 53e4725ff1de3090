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
#include "devnet/http_server.h"
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

  boost::asio::awaitable<Response> Route(const Request& req);
  boost::asio::awaitable<Result<PeerResponse>> CallLeader(const Request& req);
  // The leader's answer, or a 503 leader_unreachable.
  boost::asio::awaitable<Response> ForwardToLeader(const Request& req);
  boost::asio::awaitable<void> ProposeLoop();
  void ProposeBlock();
  boost::asio::awaitable<void> PersistOwnBlock(uint64_t height);
  boost::asio::awaitable<void> OnCommit();
  std::string_view role() const { return config_.is_leader() ? "leader" : "follower"; }

  // chain_api.cc
  Response GetHealth() const;
  Response GetStatus() const;
  Response GetHead() const;
  Response GetBlock(std::string_view height) const;
  boost::asio::awaitable<Response> PostPeerAppend(const Request& req);

  // tx_api.cc
  boost::asio::awaitable<Response> PostTx(const Request& req);
  boost::asio::awaitable<Response> GetTx(const Request& req, std::string_view hash);
  boost::asio::awaitable<Response> GetAccount(const Request& req, std::string_view address);
  // Leader: signature, challenge and state checks, then the mempool.
  Response Admit(const Tx& tx);
  // The status of a tx this node knows of: in a block, in the mempool or refused.
  std::optional<boost::json::object> LocalTxStatus(const Hash& hash) const;

  // activation_api.cc
  boost::asio::awaitable<Response> GetChallenge(const Request& req);
  boost::asio::awaitable<Response> PostActivation(const Request& req);
  Response GetNodeRecord(std::string_view key) const;
  // The challenge check for an activation tx, before the state check.
  std::optional<Reason> CheckChallenge(const Tx& tx) const;

  // rewards_api.cc
  Response GetRewards(std::string_view key) const;
  boost::asio::awaitable<Response> PostClaim(const Request& req);

  // mpc_api.cc
  Response GetGroup() const;
  Response PostRound1(const Request& req);
  Response PostRound2(const Request& req);

  // admin_api.cc
  Response GetFaults() const;
  Response PostFaults(const Request& req);

  // A tx submitted to this node: admitted here on the leader, forwarded by
  // a follower.
  boost::asio::awaitable<Response> Submit(const Request& req, TxType type);

  boost::asio::any_io_executor executor_;
  const NodeConfig config_;
  signer::KeyPair key_;
  std::unique_ptr<Chain> chain_;
  std::unique_ptr<FrostParticipant> frost_;  // null when the node has no share
  std::unique_ptr<HttpServer> server_;
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
