// Node activation: GET /v1/activation/challenge, POST /v1/activation,
// GET /v1/nodes/{key}. Challenges are the leader's (challenges.h); the
// record of active nodes is committed state (ledger.h).
#include <boost/json.hpp>

#include "net/json_response.h"
#include "devnet/node.h"
#include "signer/encoding.h"

namespace sonde::devnet {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

asio::awaitable<net::Response> Node::GetChallenge(const net::Request& req) {
  if (!config_.is_leader()) co_return co_await ForwardToLeader(req);
  const std::vector<uint8_t> challenge = challenges_->Issue();
  co_return net::JsonResponse(
      http::status::ok,
      json::object{{"challenge", signer::ToHex(challenge)},
                   {"chain_id", config_.chain_id},
                   {"expires_in_ms", std::chrono::milliseconds(challenges_->ttl()).count()}});
}

asio::awaitable<net::Response> Node::PostActivation(const net::Request& req) {
  co_return co_await Submit(req, TxType::kActivation);
}

std::optional<Reason> Node::CheckChallenge(const Tx& tx) const {
  if (tx.type() != TxType::kActivation) return std::nullopt;
  const auto& challenge = std::get<signer::ActivationProof>(tx.body).challenge;
  // Used (committed or pending) beats unknown: a replay says so.
  if (pool_->pending_state().ChallengeUsed(challenge)) return Reason::kChallengeUsed;
  switch (challenges_->Lookup(challenge)) {
    case Challenges::Check::kValid:
      return std::nullopt;
    case Challenges::Check::kExpired:
      return Reason::kChallengeExpired;
    case Challenges::Check::kUnknown:
      break;
  }
  return Reason::kUnknownChallenge;
}

net::Response Node::GetNodeRecord(std::string_view text) const {
  auto key = signer::PublicKeyFromHex(text, "node");
  if (!key.ok()) {
    return net::ErrorResponse(http::status::bad_request, "malformed",
                         "node must be an Ed25519 public key as 64 hex digits");
  }
  json::object o{{"node", std::string(text)}, {"committed_height", chain_->committed()}};
  if (const NodeRecord* r = chain_->state().node(key.value())) {
    o["status"] = "active";
    o["node_type"] = NodeTypeName(r->type);
    o["activated_height"] = r->activated_height;
  } else {
    o["status"] = "inactive";
  }
  return net::JsonResponse(http::status::ok, o);
}

}  // namespace sonde::devnet
