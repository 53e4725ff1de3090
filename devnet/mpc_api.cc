// FROST participant endpoints: GET /v1/mpc/group, POST /v1/mpc/round1,
// POST /v1/mpc/round2 (see frost_participant.h for the session rules).
#include <boost/json.hpp>

#include "net/json_response.h"
#include "devnet/json_fields.h"
#include "devnet/node.h"

namespace sonde::devnet {

namespace http = boost::beast::http;
namespace json = boost::json;
namespace frost = signer::frost;

namespace {

net::Response NoShare(uint32_t id) {
  return net::ErrorResponse(http::status::service_unavailable, "no_share",
                       "node " + std::to_string(id) + " holds no FROST share");
}

net::Response RawJson(const std::string& body) {
  net::Response r;
  r.result(http::status::ok);
  r.set(http::field::content_type, "application/json");
  r.body() = body + "\n";
  return r;
}

}  // namespace

net::Response Node::GetGroup() const {
  if (!frost_) return NoShare(config_.id);
  return net::JsonResponse(http::status::ok, frost_->GroupJson());
}

net::Response Node::PostRound1(const net::Request& req) {
  if (!frost_) return NoShare(config_.id);
  std::string session;
  // An empty body is allowed: the node then names the session.
  if (!req.body().empty()) {
    auto body = ParseObject(req.body());
    if (!body.ok()) return net::ErrorResponse(http::status::bad_request, "malformed", body.error());
    JsonFields f(body.value());
    if (Status s = f.OnlyKeys({"session"}); !s.ok()) {
      return net::ErrorResponse(http::status::bad_request, "malformed", s.error());
    }
    if (f.Has("session")) {
      auto s = f.String("session");
      if (!s.ok() || s->empty()) {
        return net::ErrorResponse(http::status::bad_request, "malformed",
                             "/session: must be a non-empty string");
      }
      session = std::move(s.value());
    }
  }
  auto r = frost_->Round1(std::move(session));
  if (auto* error = std::get_if<net::Response>(&r)) return std::move(*error);
  return RawJson(frost::ToJson(std::get<frost::Round1Message>(r)));
}

net::Response Node::PostRound2(const net::Request& req) {
  if (!frost_) return NoShare(config_.id);
  auto request = frost::ParseRound2Request(req.body());
  if (!request.ok()) {
    return net::ErrorResponse(http::status::bad_request, "malformed", request.error().message);
  }
  auto r = frost_->Round2(request.value(), faults_.invalid_shares);
  if (auto* error = std::get_if<net::Response>(&r)) return std::move(*error);
  return RawJson(frost::ToJson(std::get<frost::Round2Response>(r)));
}

}  // namespace sonde::devnet
