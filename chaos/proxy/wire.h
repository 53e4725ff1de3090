// The JSON of the control API apart from toxics (toxic.h): proxies, their
// request bodies, error bodies, and the text of a JSON value.
//
// Shapes, as Toxiproxy 2.x:
//   proxy  {"name", "listen", "upstream", "enabled", "toxics": [toxic...]}
//   error  {"error": "proxy not found", "status": 404}
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/fwd.hpp>
#include <string>

#include "chaos/proxy/api_error.h"
#include "chaos/proxy/proxy.h"
#include "chaos/proxy/registry.h"

namespace sonde::fault_proxy {

boost::json::value ToJson(const Proxy& proxy);

std::string ErrorBody(const ApiError& error);

// A proxy in POST /proxies, POST /populate and the -config file. Fields
// other than name, listen, upstream and enabled are ignored (Toxiproxy's
// own client sends "toxics" along).
ApiError ParseProxyConfig(const boost::json::value& body, ProxyConfig* out);

// POST /proxies/{proxy}: the fields given replace those in `config`.
ApiError ParseProxyUpdate(const boost::json::value& body, ProxyConfig* config);

// A JSON array of proxies (POST /populate, the -config file).
ApiError ParseProxyList(const boost::json::value& body, std::vector<ProxyConfig>* out);

// JSON text, with numbers as Go writes them ("1", "0.5"); Boost.JSON would
// write doubles as "1E0" and "5E-1", valid but unlike what Toxiproxy's
// clients are used to. Hand-written: boost::json::serialize has no option.
std::string ToText(const boost::json::value& value);

}  // namespace sonde::fault_proxy
