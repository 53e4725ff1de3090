// "host:port" addresses as Toxiproxy's API writes them: "127.0.0.1:8474",
// "[::1]:8474", "localhost:6379", ":8474" (any host). Beyond Toxiproxy, a
// proxy may listen on or dial a unix socket: "unix:/run/etcd/peer-2.sock".
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "chaos/proxy/api_error.h"

namespace sonde::fault_proxy {

struct HostPort {
  std::string host;  // without brackets; may be empty
  uint16_t port = 0;
  std::string unix_path;  // set for "unix:PATH": a unix socket, host and port unused
};

inline constexpr std::string_view kUnixPrefix = "unix:";

// Splits "host:port"; `field` names the address in the error (400).
ApiError ParseHostPort(std::string_view text, std::string_view field, HostPort* out);

// An address to listen on. The host must be an IP address, "localhost"
// (127.0.0.1) or empty (0.0.0.0): binding never waits on a resolver. Port 0
// lets the kernel choose. `out->host` is the IP address to bind. Or
// "unix:PATH", a socket file (at most 107 bytes of path).
ApiError ParseListenAddress(std::string_view text, HostPort* out);

// An upstream to connect to: any host name (resolved per connection) and a
// port from 1 to 65535, or "unix:PATH".
ApiError ParseUpstreamAddress(std::string_view text, HostPort* out);

// "host:port", with brackets around an IPv6 host.
std::string JoinHostPort(std::string_view host, uint16_t port);

}  // namespace sonde::fault_proxy
