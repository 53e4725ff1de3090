// The control API's endpoints, compatible with Toxiproxy 2.x, as a function
// from request to response with no HTTP machinery (api_server.h carries it).
//
//   GET    /proxies                      200 {name: proxy, ...}
//   POST   /proxies                      201 proxy | 400 | 409 | 500 (bind)
//   POST   /populate                     201 {"proxies": [proxy...]} | 400 | 500
//   GET    /proxies/{proxy}              200 proxy | 404
//   POST   /proxies/{proxy}              200 proxy | 400 | 404 | 500 (also PATCH)
//   DELETE /proxies/{proxy}              204 | 404
//   GET    /proxies/{proxy}/toxics       200 [toxic...] | 404
//   POST   /proxies/{proxy}/toxics       200 toxic | 400 | 404 | 409
//   GET    /proxies/{proxy}/toxics/{t}   200 toxic | 404
//   POST   /proxies/{proxy}/toxics/{t}   200 toxic | 400 | 404 (also PATCH)
//   DELETE /proxies/{proxy}/toxics/{t}   204 | 404
//   POST   /reset                        204 (every proxy enabled, no toxics)
//   GET    /version                      200 {"version": "..."}
// Errors are {"error": "...", "status": N}. Toxic creation answers 200, not
// 201: that is what Toxiproxy does and its clients expect. As Toxiproxy,
// requests from browsers (User-Agent "Mozilla/...") get 403, so a web page
// cannot drive the proxy.
//
// Thread-safety: as the Registry (the io_context's thread).
#pragma once

#include <string>
#include <string_view>

#include "chaos/proxy/registry.h"

namespace sonde::fault_proxy {

// What /version reports: the Toxiproxy API version this server follows, with
// sonde's own version as semver build metadata.
inline constexpr std::string_view kToxiproxyApiVersion = "2.7.0";

struct ApiRequest {
  std::string_view method;  // "GET", "POST", ...
  std::string_view target;  // path and query
  std::string_view body;
  std::string_view user_agent;
};

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON, or empty (204)
};

ApiResponse HandleApiRequest(Registry& registry, const ApiRequest& request);

}  // namespace sonde::fault_proxy
