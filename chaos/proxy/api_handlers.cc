#include "chaos/proxy/api_handlers.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>
#include <vector>

#include "chaos/proxy/toxic.h"
#include "chaos/proxy/wire.h"
#include "core/version.h"

namespace sonde::fault_proxy {

namespace json = boost::json;

namespace {

ApiResponse Json(int status, const json::value& value) { return {status, ToText(value) + "\n"}; }
ApiResponse Error(const ApiError& e) { return {e.status, ErrorBody(e)}; }
ApiResponse NoContent() { return {204, ""}; }

// The request body as JSON; Toxiproxy's "bad request body: ..." otherwise.
ApiError ParseBody(std::string_view body, json::value* out) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return BadRequest("bad request body: EOF");
  }
  boost::system::error_code ec;
  *out = json::parse(body, ec);
  if (ec) return BadRequest("bad request body: " + ec.message());
  return {};
}

bool IsUpdate(std::string_view method) { return method == "POST" || method == "PATCH"; }

class Router {
 public:
  Router(Registry& registry, const ApiRequest& request) : registry_(registry), request_(request) {}

  ApiResponse Route(const std::vector<std::string>& path) {
    const std::string_view m = request_.method;
    if (path.size() == 1 && path[0] == "version") {
      return m == "GET" ? Version() : MethodNotAllowed();
    }
    if (path.size() == 1 && path[0] == "reset") return m == "POST" ? Reset() : MethodNotAllowed();
    if (path.size() == 1 && path[0] == "populate") {
      return m == "POST" ? Populate() : MethodNotAllowed();
    }
    if (path.empty() || path[0] != "proxies" || path.size() > 4 ||
        (path.size() >= 3 && path[2] != "toxics")) {
      return Error({404, "404 page not found"});
    }
    if (path.size() == 1) {
      if (m == "GET") return ListProxies();
      if (m == "POST") return CreateProxy();
      return MethodNotAllowed();
    }
    Proxy* proxy = registry_.Find(path[1]);
    const bool known_method = m == "GET" || IsUpdate(m) || (m == "DELETE" && path.size() != 3);
    if (!known_method) return MethodNotAllowed();
    if (!proxy) return Error(NotFound("proxy not found"));
    if (path.size() == 2) {
      if (m == "GET") return Json(200, ToJson(*proxy));
      if (m == "DELETE") return DeleteProxy(*proxy);
      return UpdateProxy(*proxy);
    }
    if (path.size() == 3) {
      if (m == "GET") return ListToxics(*proxy);
      if (m == "POST") return CreateToxic(*proxy);
      return MethodNotAllowed();
    }
    const Toxic* toxic = proxy->FindToxic(path[3]);
    if (!toxic) return Error(NotFound("toxic not found"));
    if (m == "GET") return Json(200, ToJson(*toxic));
    if (m == "DELETE") {
      proxy->RemoveToxic(path[3]);
      return NoContent();
    }
    return UpdateToxic(*proxy, *toxic);
  }

 private:
  ApiResponse MethodNotAllowed() { return Error({405, "method not allowed"}); }

  ApiResponse Version() {
    json::object o;
    o["version"] = std::string(kToxiproxyApiVersion) + "+sonde." + kVersion;
    return Json(200, o);
  }

  ApiResponse Reset() {
    if (auto e = registry_.Reset(); !e.ok()) return Error(e);
    return NoContent();
  }

  ApiResponse ListProxies() {
    json::object o;
    for (Proxy* p : registry_.All()) o[p->name()] = ToJson(*p);
    return Json(200, o);
  }

  ApiResponse CreateProxy() {
    json::value body;
    ProxyConfig config;
    if (auto e = ParseBody(request_.body, &body); !e.ok()) return Error(e);
    if (auto e = ParseProxyConfig(body, &config); !e.ok()) return Error(e);
    Proxy* created = nullptr;
    if (auto e = registry_.Create(config, &created); !e.ok()) return Error(e);
    return Json(201, ToJson(*created));
  }

  ApiResponse Populate() {
    json::value body;
    std::vector<ProxyConfig> configs;
    std::vector<Proxy*> proxies;
    ApiError e = ParseBody(request_.body, &body);
    if (e.ok()) e = ParseProxyList(body, &configs);
    if (e.ok()) e = registry_.Populate(configs, &proxies);
    json::array list;
    for (Proxy* p : proxies) list.push_back(ToJson(*p));
    json::object o;
    if (!e.ok()) {
      o["error"] = e.message;
      o["status"] = e.status;
    }
    o["proxies"] = std::move(list);
    return Json(e.ok() ? 201 : e.status, o);
  }

  ApiResponse UpdateProxy(Proxy& proxy) {
    json::value body;
    ProxyConfig config{proxy.name(), proxy.listen(), proxy.upstream(), proxy.enabled()};
    if (auto e = ParseBody(request_.body, &body); !e.ok()) return Error(e);
    if (auto e = ParseProxyUpdate(body, &config); !e.ok()) return Error(e);
    config.name = proxy.name();  // a proxy is renamed by deleting and creating it
    if (auto e = Registry::Validate(config); !e.ok()) return Error(e);
    if (auto e = proxy.Update(config.listen, config.upstream, config.enabled); !e.ok()) {
      return Error(e);
    }
    return Json(200, ToJson(proxy));
  }

  ApiResponse DeleteProxy(Proxy& proxy) {
    const std::string name = proxy.name();
    registry_.Remove(name);
    return NoContent();
  }

  ApiResponse ListToxics(const Proxy& proxy) {
    json::array list;
    for (const Toxic* t : proxy.toxics()) list.push_back(ToJson(*t));
    return Json(200, list);
  }

  ApiResponse CreateToxic(Proxy& proxy) {
    json::value body;
    Toxic toxic;
    if (auto e = ParseBody(request_.body, &body); !e.ok()) return Error(e);
    if (auto e = ParseNewToxic(body, &toxic); !e.ok()) return Error(e);
    const std::string name = toxic.name;
    if (auto e = proxy.AddToxic(std::move(toxic)); !e.ok()) return Error(e);
    return Json(200, ToJson(*proxy.FindToxic(name)));
  }

  ApiResponse UpdateToxic(Proxy& proxy, const Toxic& current) {
    json::value body;
    Toxic toxic = current;
    if (auto e = ParseBody(request_.body, &body); !e.ok()) return Error(e);
    if (auto e = ApplyToxicUpdate(body, &toxic); !e.ok()) return Error(e);
    const std::string name = toxic.name;
    if (auto e = proxy.UpdateToxic(std::move(toxic)); !e.ok()) return Error(e);
    return Json(200, ToJson(*proxy.FindToxic(name)));
  }

  Registry& registry_;
  const ApiRequest& request_;
};

}  // namespace

ApiResponse HandleApiRequest(Registry& registry, const ApiRequest& request) {
  if (request.user_agent.starts_with("Mozilla/")) return Error({403, "User agent not allowed"});
  auto url = boost::urls::parse_origin_form(request.target);
  if (!url) return Error(BadRequest("malformed request target"));
  std::vector<std::string> path;
  for (auto segment : url->segments()) path.push_back(std::string(segment));
  // "/proxies/" is "/proxies", as a router that ignores an empty last segment.
  if (!path.empty() && path.back().empty()) path.pop_back();
  return Router(registry, request).Route(path);
}

}  // namespace sonde::fault_proxy
