// Health, status, head and blocks (read from this node's own copy), and the
// follower's side of replication (POST /v1/peer/append).
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <charconv>

#include "net/json_response.h"
#include "devnet/json_fields.h"
#include "devnet/node.h"
#include "signer/encoding.h"

namespace sonde::devnet {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

net::Response Node::GetHealth() const {
  return net::JsonResponse(http::status::ok,
                      json::object{{"status", "ok"}, {"id", config_.id}, {"role", role()}});
}

net::Response Node::GetStatus() const {
  json::object o{{"status", "ok"},
                 {"id", config_.id},
                 {"role", role()},
                 {"leader", config_.leader},
                 {"chain_id", config_.chain_id},
                 {"node_key", signer::ToHex(key_.public_key())},
                 {"block_ms", config_.block_ms},
                 {"height", chain_->head()},
                 {"committed_height", chain_->committed()},
                 {"hash", HashHex(chain_->HashAt(chain_->head()))},
                 {"committed_hash", HashHex(chain_->HashAt(chain_->committed()))},
                 {"faults", json::object{{"invalid_shares", faults_.invalid_shares},
                                         {"stop_proposing", faults_.stop_proposing},
                                         {"stop_syncing", faults_.stop_syncing}}}};
  if (frost_) o["mpc_participant"] = frost_->identifier();
  if (config_.is_leader()) {
    o["mempool"] = pool_->size();
    json::array peers;
    for (const auto& f : replicator_->Followers()) {
      json::object p{
          {"id", f.id}, {"url", f.url}, {"match_height", f.match}, {"reachable", f.reachable}};
      if (!f.last_error.empty()) p["error"] = f.last_error;
      peers.push_back(std::move(p));
    }
    o["peers"] = std::move(peers);
  }
  return net::JsonResponse(http::status::ok, o);
}

net::Response Node::GetHead() const {
  const Block* head = chain_->At(chain_->head());
  return net::JsonResponse(
      http::status::ok,
      json::object{{"height", chain_->head()},
                   {"hash", HashHex(chain_->HashAt(chain_->head()))},
                   {"time_ms", head ? head->time_ms : 0},
                   {"committed_height", chain_->committed()},
                   {"committed_hash", HashHex(chain_->HashAt(chain_->committed()))}});
}

net::Response Node::GetBlock(std::string_view text) const {
  uint64_t height = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), height);
  if (ec != std::errc() || p != text.data() + text.size()) {
    return net::ErrorResponse(http::status::bad_request, "malformed",
                         "block height must be a decimal number");
  }
  const Block* b = chain_->At(height);
  if (b == nullptr) {
    return net::ErrorResponse(http::status::not_found, "unknown_block",
                         "no block " + std::to_string(height) + " yet (head is " +
                             std::to_string(chain_->head()) + ")");
  }
  json::object o = BlockToJson(*b);
  const bool committed = height <= chain_->committed();
  o["committed"] = committed;
  o["confirmations"] = committed ? chain_->committed() - height + 1 : 0;
  return net::JsonResponse(http::status::ok, o);
}

asio::awaitable<net::Response> Node::PostPeerAppend(const net::Request& req) {
  if (config_.is_leader()) {
    co_return net::ErrorResponse(http::status::conflict, "not_a_follower",
                            "node " + std::to_string(config_.id) + " is the leader");
  }
  if (faults_.stop_syncing) {
    // The drill hook: this follower stops taking blocks and falls behind,
    // while still answering reads from what it has.
    co_return net::ErrorResponse(http::status::service_unavailable, "not_syncing",
                            "node " + std::to_string(config_.id) + " has stop_syncing on");
  }
  auto body = ParseObject(req.body());
  if (!body.ok()) co_return net::ErrorResponse(http::status::bad_request, "malformed", body.error());
  JsonFields f(body.value());
  auto prev_height = f.U64("prev_height");
  auto prev_hash_text = f.String("prev_hash");
  auto commit = f.U64("commit");
  const json::value* blocks_json = body->if_contains("blocks");
  std::string problem;
  if (Status s = f.OnlyKeys({"prev_height", "prev_hash", "blocks", "commit"}); !s.ok()) {
    problem = s.error();
  } else if (!prev_height.ok()) {
    problem = prev_height.error();
  } else if (!prev_hash_text.ok()) {
    problem = prev_hash_text.error();
  } else if (!commit.ok()) {
    problem = commit.error();
  } else if (blocks_json == nullptr || !blocks_json->is_array()) {
    problem = "/blocks: must be an array";
  }
  auto prev_hash = ParseHash(prev_hash_text.ok() ? prev_hash_text.value() : "");
  if (problem.empty() && !prev_hash.ok()) problem = "/prev_hash: " + prev_hash.error();
  if (!problem.empty()) {
    co_return net::ErrorResponse(http::status::bad_request, "malformed", problem);
  }
  std::vector<Block> blocks;
  for (const json::value& v : blocks_json->get_array()) {
    auto b = BlockFromJson(v, config_.chain_id);
    if (!b.ok()) co_return net::ErrorResponse(http::status::bad_request, "malformed", b.error());
    blocks.push_back(std::move(b.value()));
  }
  const uint64_t last = prev_height.value() + blocks.size();
  std::string why;
  switch (
      chain_->AcceptFromLeader(prev_height.value(), prev_hash.value(), std::move(blocks), &why)) {
    case Chain::Accepted::kOk:
      // Only what is known to match the leader may be committed.
      chain_->Commit(std::min(commit.value(), last));
      break;
    case Chain::Accepted::kMismatch:
      co_return net::JsonResponse(http::status::ok, json::object{{"ok", false},
                                                            {"head", chain_->head()},
                                                            {"committed", chain_->committed()}});
    case Chain::Accepted::kInvalid:
      spdlog::error("node {}: refused the leader's blocks: {}", config_.id, why);
      co_return net::ErrorResponse(http::status::conflict, "diverged", why);
  }
  // Acknowledge only what is on disk.
  Status s = co_await chain_->Persist();
  if (!s.ok()) co_return net::ErrorResponse(http::status::internal_server_error, "storage", s.error());
  co_return net::JsonResponse(
      http::status::ok,
      json::object{{"ok", true}, {"head", chain_->head()}, {"committed", chain_->committed()}});
}

}  // namespace sonde::devnet
