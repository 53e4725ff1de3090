#include "chaos/proxy/proxy_command.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include "chaos/proxy/address.h"
#include "chaos/proxy/api_server.h"
#include "chaos/proxy/registry.h"
#include "chaos/proxy/wire.h"

namespace sonde {

namespace asio = boost::asio;
using fault_proxy::ApiError;

namespace {

// Reads and applies the -config file; returns what is wrong with it.
std::string LoadConfig(const std::string& path, fault_proxy::Registry& registry) {
  std::ifstream in(path);
  if (!in) return "cannot read config file " + path;
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  const boost::json::value body = boost::json::parse(text.str(), ec);
  if (ec) return "config file " + path + ": not JSON: " + ec.message();
  std::vector<fault_proxy::ProxyConfig> configs;
  std::vector<fault_proxy::Proxy*> created;
  ApiError e = fault_proxy::ParseProxyList(body, &configs);
  if (e.ok()) e = registry.Populate(configs, &created);
  if (!e.ok()) return "config file " + path + ": " + e.message;
  spdlog::info("fault proxy: {} proxies from {}", created.size(), path);
  return "";
}

// Every proxied connection holds two descriptors. Go's runtime lifts the soft
// limit to the hard one for Toxiproxy; so do we.
void RaiseDescriptorLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int CommandProxy(const ProxyOptions& options) {
  RaiseDescriptorLimit();
  asio::io_context io(1);
  fault_proxy::Registry registry(io);
  fault_proxy::ApiServer api(io, registry);
  // Caught from here on, so a signal during start-up also shuts down cleanly.
  asio::signal_set signals(io, SIGINT, SIGTERM);

  if (!options.config_file.empty()) {
    if (std::string problem = LoadConfig(options.config_file, registry); !problem.empty()) {
      std::cerr << "sonde proxy: " << problem << "\n";
      return 2;
    }
  }
  if (std::string problem = api.Listen(options.listen); !problem.empty()) {
    std::cerr << "sonde proxy: API " << problem << "\n";
    return 2;
  }
  // The bound port, so `--listen 127.0.0.1:0` says where it landed.
  fault_proxy::HostPort bound;
  (void)fault_proxy::ParseListenAddress(options.listen, &bound);
  spdlog::info("fault proxy: API on http://{} (Toxiproxy-compatible)",
               fault_proxy::JoinHostPort(bound.host, api.port()));

  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("fault proxy: signal {}, shutting down", signal);
    // Closing every socket cancels every wait; the handlers this queues run
    // before the stop below, so coroutines unwind. Whatever is left is
    // dropped with the io_context.
    api.Stop();
    for (auto* proxy : registry.All()) proxy->Stop();
    asio::post(io, [&io] { io.stop(); });
  });
  io.run();
  return 0;
}

}  // namespace sonde
