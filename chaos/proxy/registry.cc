#include "chaos/proxy/registry.h"

#include <set>

#include "chaos/proxy/address.h"

namespace sonde::fault_proxy {

namespace {

constexpr const char* kDefaultListen = "127.0.0.1:0";

ProxyConfig WithDefaults(ProxyConfig config) {
  if (config.listen.empty()) config.listen = kDefaultListen;
  return config;
}

}  // namespace

Registry::Registry(boost::asio::io_context& io) : io_(io) {}

Registry::~Registry() = default;

Proxy* Registry::Find(const std::string& name) const {
  auto it = proxies_.find(name);
  return it == proxies_.end() ? nullptr : it->second.get();
}

std::vector<Proxy*> Registry::All() const {
  std::vector<Proxy*> out;
  for (const auto& [name, proxy] : proxies_) out.push_back(proxy.get());
  return out;
}

ApiError Registry::Validate(const ProxyConfig& raw) {
  const ProxyConfig config = WithDefaults(raw);
  if (config.name.empty()) return BadRequest("missing required field: name");
  if (config.upstream.empty()) return BadRequest("missing required field: upstream");
  HostPort ignored;
  if (auto e = ParseListenAddress(config.listen, &ignored); !e.ok()) return e;
  return ParseUpstreamAddress(config.upstream, &ignored);
}

ApiError Registry::Create(const ProxyConfig& raw, Proxy** created) {
  if (auto e = Validate(raw); !e.ok()) return e;
  const ProxyConfig config = WithDefaults(raw);
  if (proxies_.count(config.name)) return Conflict("proxy already exists");
  auto proxy = std::make_unique<Proxy>(io_, config.name, config.listen, config.upstream);
  if (config.enabled) {
    if (auto e = proxy->Start(); !e.ok()) return e;
  }
  Proxy* raw_proxy = proxy.get();
  proxies_.emplace(config.name, std::move(proxy));
  if (created) *created = raw_proxy;
  return {};
}

ApiError Registry::Populate(const std::vector<ProxyConfig>& configs, std::vector<Proxy*>* result) {
  std::set<std::string> names;
  for (size_t i = 0; i < configs.size(); ++i) {
    const std::string at = " at proxy " + std::to_string(i + 1);
    if (configs[i].name.empty()) return BadRequest("missing required field: name" + at);
    if (configs[i].upstream.empty()) return BadRequest("missing required field: upstream" + at);
    if (auto e = Validate(configs[i]); !e.ok()) return {e.status, e.message + at};
    if (!names.insert(configs[i].name).second) {
      return BadRequest("duplicate proxy name \"" + configs[i].name + "\"" + at);
    }
  }
  for (const auto& raw : configs) {
    const ProxyConfig config = WithDefaults(raw);
    if (Proxy* existing = Find(config.name)) {
      if (existing->listen() == config.listen && existing->upstream() == config.upstream) {
        result->push_back(existing);
        continue;
      }
      proxies_.erase(config.name);  // stops it, freeing its address for the new one
    }
    Proxy* created = nullptr;
    if (auto e = Create(config, &created); !e.ok()) return e;
    result->push_back(created);
  }
  return {};
}

ApiError Registry::Remove(const std::string& name) {
  auto it = proxies_.find(name);
  if (it == proxies_.end()) return NotFound("proxy not found");
  proxies_.erase(it);
  return {};
}

ApiError Registry::Reset() {
  ApiError first;
  for (auto& [name, proxy] : proxies_) {
    if (auto e = proxy->Start(); !e.ok() && first.ok()) first = e;
    proxy->RemoveAllToxics();
  }
  return first;
}

}  // namespace sonde::fault_proxy
