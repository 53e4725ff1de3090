// The fault proxy's HTTP control API (net/http_server.h) on its io_context; the
// endpoints are in api_handlers.h. Requests are small (bodies up to 1 MiB)
// and answered from memory; a connection that sends nothing for 15 s is
// closed, as Toxiproxy's server does.
//
// Thread-safety: create, call and destroy on the io_context's one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "chaos/proxy/registry.h"

namespace boost::asio {
class io_context;
}

namespace sonde::fault_proxy {

class ApiServer {
 public:
  ApiServer(boost::asio::io_context& io, Registry& registry);
  ~ApiServer();  // Stop()
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds `address` ("host:port" as ParseListenAddress takes it; port 0 for
  // any) and starts serving. Returns "" or why it cannot, naming the address.
  std::string Listen(const std::string& address);
  uint16_t port() const;  // 0 before Listen

  // Stops accepting and closes open connections.
  void Stop();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sonde::fault_proxy
