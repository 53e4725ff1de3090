// One proxied connection: the accepted client socket, the socket to the
// upstream, and a Pipe for each direction (upstream = client to server,
// downstream = server to client).
//
// Life: Start() connects to the upstream (resolving its host on each
// connection, as Toxiproxy dials; 10 s to connect), then runs both pipes. If
// the upstream cannot be reached the client is closed. The link ends when
// both directions have passed their EOF on, or at the first error, or when a
// toxic, the proxy or the registry closes it; it then tells its owner once
// (OnClosed) and goes when its last coroutine does.
//
// Both ends are stream sockets of any family: TCP, or a unix socket when the
// proxy listens on or dials "unix:PATH".
//
// Thread-safety: everything on the io_context's one thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chaos/proxy/address.h"
#include "chaos/proxy/pipe.h"

namespace sonde::fault_proxy {

class Link : public std::enable_shared_from_this<Link> {
 public:
  using OnClosed = std::function<void(Link*)>;

  Link(StreamSocket client, HostPort upstream, OnClosed on_closed);
  ~Link();
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // Attaches `toxics` (both streams) and starts connecting.
  void Start(const std::vector<std::shared_ptr<const ToxicEntry>>& toxics);

  // The proxy's toxics changed; applies to this connection at once.
  void AddToxic(const std::shared_ptr<const ToxicEntry>& entry);
  void UpdateToxic(const std::shared_ptr<const ToxicEntry>& entry);
  void RemoveToxic(const ToxicEntry& entry);

  // Closes both sockets (what the kernel already holds still goes out, with
  // a FIN); data this link still queues is dropped. Idempotent.
  void Close();
  // As Close, but both peers get a RST (SO_LINGER 0).
  void Reset();
  bool closed() const { return closed_; }

  // A pipe has passed its EOF on; the second one closes the link.
  void DirectionDone();

  size_t queued_bytes() const { return up_.queued_bytes() + down_.queued_bytes(); }

 private:
  boost::asio::awaitable<void> Connect(std::shared_ptr<Link> self);
  Pipe& PipeFor(Stream stream) { return stream == Stream::kUpstream ? up_ : down_; }

  StreamSocket client_;
  StreamSocket upstream_;
  const HostPort upstream_address_;
  OnClosed on_closed_;
  std::optional<boost::asio::ip::tcp::resolver> resolver_;
  boost::asio::steady_timer connect_timer_;
  Pipe up_;    // client -> upstream
  Pipe down_;  // upstream -> client
  bool closed_ = false;
  int directions_done_ = 0;
};

}  // namespace sonde::fault_proxy
