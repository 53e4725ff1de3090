// The fault proxy's named proxies: what the control API creates, lists,
// replaces and removes. Names are unique.
//
// Thread-safety: not thread-safe; use on the io_context's one thread, like
// the proxies it owns.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "chaos/proxy/api_error.h"
#include "chaos/proxy/proxy.h"

namespace boost::asio {
class io_context;
}

namespace sonde::fault_proxy {

// A proxy as the API describes one. `listen` defaults to "127.0.0.1:0".
struct ProxyConfig {
  std::string name;
  std::string listen;
  std::string upstream;
  bool enabled = true;
};

class Registry {
 public:
  explicit Registry(boost::asio::io_context& io);
  ~Registry();  // stops every proxy
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  Proxy* Find(const std::string& name) const;
  std::vector<Proxy*> All() const;  // ordered by name

  // Checks name, listen and upstream (400 naming the field).
  static ApiError Validate(const ProxyConfig& config);

  // POST /proxies: 409 if the name is taken; a bind failure is a 500 and
  // leaves nothing behind. Enabled proxies start listening at once.
  ApiError Create(const ProxyConfig& config, Proxy** created);

  // POST /populate: validates every config first (names unique within the
  // request), then creates each proxy, or replaces the existing one of that
  // name when its listen or upstream differ; an identical one is kept as it
  // is, with its toxics and connections. Proxies not named are untouched.
  // `result` gets the proxies created or kept so far, also on error.
  ApiError Populate(const std::vector<ProxyConfig>& configs, std::vector<Proxy*>* result);

  ApiError Remove(const std::string& name);  // 404 if unknown

  // POST /reset: every proxy enabled, every toxic removed. Returns the first
  // proxy that cannot listen again (the others are still reset).
  ApiError Reset();

 private:
  boost::asio::io_context& io_;
  std::map<std::string, std::unique_ptr<Proxy>, std::less<>> proxies_;
};

}  // namespace sonde::fault_proxy
