// Fault hooks for drills: GET/POST /v1/admin/faults. Loopback-only like the
// rest of the API; the switches are in memory and off after a restart.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "net/json_response.h"
#include "devnet/json_fields.h"
#include "devnet/node.h"

namespace sonde::devnet {

namespace http = boost::beast::http;
namespace json = boost::json;

net::Response Node::GetFaults() const {
  return net::JsonResponse(http::status::ok, json::object{{"invalid_shares", faults_.invalid_shares},
                                                     {"stop_proposing", faults_.stop_proposing},
                                                     {"stop_syncing", faults_.stop_syncing}});
}

net::Response Node::PostFaults(const net::Request& req) {
  auto body = ParseObject(req.body());
  if (!body.ok()) return net::ErrorResponse(http::status::bad_request, "malformed", body.error());
  JsonFields f(body.value());
  if (Status s = f.OnlyKeys({"invalid_shares", "stop_proposing", "stop_syncing"}); !s.ok()) {
    return net::ErrorResponse(http::status::bad_request, "malformed", s.error());
  }
  // Read both before changing either, so a bad request changes nothing.
  Faults next = faults_;
  if (f.Has("invalid_shares")) {
    auto v = f.Bool("invalid_shares");
    if (!v.ok()) return net::ErrorResponse(http::status::bad_request, "malformed", v.error());
    next.invalid_shares = v.value();
  }
  if (f.Has("stop_proposing")) {
    auto v = f.Bool("stop_proposing");
    if (!v.ok()) return net::ErrorResponse(http::status::bad_request, "malformed", v.error());
    next.stop_proposing = v.value();
  }
  if (f.Has("stop_syncing")) {
    auto v = f.Bool("stop_syncing");
    if (!v.ok()) return net::ErrorResponse(http::status::bad_request, "malformed", v.error());
    next.stop_syncing = v.value();
  }
  if (next.invalid_shares != faults_.invalid_shares ||
      next.stop_proposing != faults_.stop_proposing || next.stop_syncing != faults_.stop_syncing) {
    spdlog::warn("node {}: faults now invalid_shares={} stop_proposing={} stop_syncing={}",
                 config_.id, next.invalid_shares, next.stop_proposing, next.stop_syncing);
  }
  faults_ = next;
  return GetFaults();
}

}  // namespace sonde::devnet
