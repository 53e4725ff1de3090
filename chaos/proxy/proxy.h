// One named proxy: a listener that forwards each accepted connection to the
// upstream (a Link), and the proxy's toxics, which apply to every connection
// it carries, those open included, the moment they change.
//
// Enabled means listening. Disabling (Stop) closes the listener and every
// connection; enabling again binds the address it had (with port 0 the
// kernel's choice is kept, so the port stays the same).
//
// Thread-safety: not thread-safe. Create, call and destroy on the thread
// that runs the io_context (one thread); connections run there too.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "chaos/proxy/api_error.h"
#include "chaos/proxy/toxic.h"

namespace boost::asio {
class io_context;
}

namespace sonde::fault_proxy {

class Proxy {
 public:
  // `listen` and `upstream` must have passed ParseListenAddress and
  // ParseUpstreamAddress. The proxy starts disabled.
  Proxy(boost::asio::io_context& io, std::string name, std::string listen, std::string upstream);
  ~Proxy();  // Stop()
  Proxy(const Proxy&) = delete;
  Proxy& operator=(const Proxy&) = delete;

  const std::string& name() const;
  // As given, and once listening the bound address ("127.0.0.1:0" becomes
  // "127.0.0.1:41234").
  const std::string& listen() const;
  const std::string& upstream() const;
  bool enabled() const;

  // Binds and listens. A bind failure is a 500 naming the address, as
  // Toxiproxy reports it. No-op when enabled.
  ApiError Start();
  // Closes the listener and every connection. No-op when disabled.
  void Stop();
  // POST /proxies/{proxy}: a new listen or upstream restarts the proxy
  // (dropping its connections); then `enabled` starts or stops it. Addresses
  // must be valid (see the constructor).
  ApiError Update(const std::string& listen, const std::string& upstream, bool enabled);

  // Upstream toxics first, then downstream, each in the order added (as
  // Toxiproxy lists them).
  std::vector<const Toxic*> toxics() const;
  const Toxic* FindToxic(const std::string& name) const;
  ApiError AddToxic(Toxic toxic);  // 409 when the name is taken
  // Replaces the toxic named `updated.name` (same stream and place in the
  // chain); 404 when there is none.
  ApiError UpdateToxic(Toxic updated);
  ApiError RemoveToxic(const std::string& name);  // 404 when there is none
  void RemoveAllToxics();

  size_t connection_count() const;
  // Bytes read from either side and not yet written, over all connections.
  size_t queued_bytes() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sonde::fault_proxy
