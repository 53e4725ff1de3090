// Transactions and accounts: POST /v1/tx, GET /v1/tx/{hash},
// GET /v1/accounts/{address}; and Admit, the leader's admission of any tx.
#include <boost/json.hpp>

#include "net/json_response.h"
#include "devnet/json_fields.h"
#include "devnet/node.h"
#include "signer/encoding.h"

namespace sonde::devnet {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

net::Response Rejected(const Hash& hash, Reason reason) {
  return net::JsonResponse(
      http::status::unprocessable_entity,
      json::object{
          {"hash", HashHex(hash)}, {"status", "rejected"}, {"reason", ReasonName(reason)}});
}

}  // namespace

asio::awaitable<net::Response> Node::PostTx(const net::Request& req) {
  co_return co_await Submit(req, TxType::kTransfer);
}

std::optional<json::object> Node::LocalTxStatus(const Hash& hash) const {
  json::object o{{"hash", HashHex(hash)}};
  if (auto at = chain_->FindTx(hash)) {
    if (at->height <= chain_->committed()) {
      if (auto reason = chain_->CommittedRejection(hash)) {
        o["status"] = "rejected";
        o["reason"] = ReasonName(*reason);
        return o;
      }
      o["status"] = "confirmed";
      o["height"] = at->height;
      o["confirmations"] = chain_->committed() - at->height + 1;
      return o;
    }
    o["status"] = "pending";
    o["height"] = at->height;  // proposed in this block, not yet committed
    return o;
  }
  if (config_.is_leader()) {
    if (pool_->Contains(hash)) {
      o["status"] = "pending";
      return o;
    }
    if (auto reason = pool_->Rejection(hash)) {
      o["status"] = "rejected";
      o["reason"] = ReasonName(*reason);
      return o;
    }
  }
  return std::nullopt;
}

net::Response Node::Admit(const Tx& tx) {
  // A resubmission of a known tx is answered with its status; only a
  // refused one is judged again (it may be valid now).
  if (auto known = LocalTxStatus(tx.hash); known && known->at("status") != "rejected") {
    return net::JsonResponse(http::status::ok, *known);
  }
  if (!SignatureValid(tx)) {
    pool_->Remember(tx.hash, Reason::kBadSignature);
    return Rejected(tx.hash, Reason::kBadSignature);
  }
  if (auto reason = CheckChallenge(tx)) {
    pool_->Remember(tx.hash, *reason);
    return Rejected(tx.hash, *reason);
  }
  if (pool_->full()) {
    return net::ErrorResponse(http::status::service_unavailable, "mempool_full",
                         "the leader holds " + std::to_string(pool_->size()) +
                             " pending transactions; try again after the next block");
  }
  if (auto reason = pool_->Admit(tx)) return Rejected(tx.hash, *reason);
  if (tx.type() == TxType::kActivation) {
    challenges_->Forget(std::get<signer::ActivationProof>(tx.body).challenge);
  }
  return net::JsonResponse(http::status::accepted,
                      json::object{{"hash", HashHex(tx.hash)}, {"status", "pending"}});
}

asio::awaitable<net::Response> Node::GetTx(const net::Request& req, std::string_view text) {
  auto hash = ParseHash(text);
  if (!hash.ok()) {
    co_return net::ErrorResponse(http::status::bad_request, "malformed", "tx hash: " + hash.error());
  }
  if (auto status = LocalTxStatus(hash.value())) {
    co_return net::JsonResponse(http::status::ok, *status);
  }
  // Only the leader knows the mempool and the refusals.
  if (!config_.is_leader()) co_return co_await ForwardToLeader(req);
  co_return net::ErrorResponse(http::status::not_found, "unknown_tx",
                          "no transaction " + std::string(text) + " is known");
}

asio::awaitable<net::Response> Node::GetAccount(const net::Request& req, std::string_view text) {
  auto address = signer::PublicKeyFromHex(text, "address");
  if (!address.ok()) {
    co_return net::ErrorResponse(http::status::bad_request, "malformed",
                            "address must be an Ed25519 public key as 64 hex digits");
  }
  const Account confirmed = chain_->state().account(address.value());
  json::object o{{"address", std::string(text)},
                 {"balance", confirmed.balance},
                 {"nonce", confirmed.nonce},
                 {"committed_height", chain_->committed()}};
  if (config_.is_leader()) {
    o["next_nonce"] = pool_->pending_state().account(address.value()).nonce;
    co_return net::JsonResponse(http::status::ok, o);
  }
  // next_nonce counts the leader's mempool, which only the leader knows.
  auto r = co_await CallLeader(req);
  if (r.ok() && r->status == 200) {
    net::Response res;
    res.result(http::status::ok);
    res.set(http::field::content_type, "application/json");
    res.body() = std::move(r->body);
    co_return res;
  }
  o["next_nonce"] = confirmed.nonce;
  o["leader_reachable"] = false;  // next_nonce is then a guess from committed state
  co_return net::JsonResponse(http::status::ok, o);
}

}  // namespace sonde::devnet
