// Rewards: GET /v1/rewards/{key} from committed state, and POST
// /v1/rewards/claim, a signed RewardClaim that becomes a claim tx.
#include <boost/json.hpp>

#include "net/json_response.h"
#include "devnet/node.h"
#include "signer/encoding.h"

namespace sonde::devnet {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

net::Response Node::GetRewards(std::string_view text) const {
  auto key = signer::PublicKeyFromHex(text, "node");
  if (!key.ok()) {
    return net::ErrorResponse(http::status::bad_request, "malformed",
                         "node must be an Ed25519 public key as 64 hex digits");
  }
  const RewardRecord r = chain_->state().rewards(key.value());
  return net::JsonResponse(http::status::ok,
                      json::object{{"node", std::string(text)},
                                   {"active", chain_->state().node(key.value()) != nullptr},
                                   {"accrued", r.accrued},
                                   {"claimed", r.claimed},
                                   {"claimable", r.claimable()},
                                   {"claim_nonce", r.claim_nonce},
                                   {"reward_per_block", config_.reward_per_block},
                                   {"committed_height", chain_->committed()}});
}

asio::awaitable<net::Response> Node::PostClaim(const net::Request& req) {
  co_return co_await Submit(req, TxType::kClaim);
}

}  // namespace sonde::devnet
