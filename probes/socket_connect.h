// Resolving and connecting a TCP socket within a deadline, timed, for the
// probes that work below HTTP (tcp, tls). Phases are measured on the
// monotonic clock around each operation.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"

namespace sonde {

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

// Host and port of a target URL; `port_override` (if not 0) wins over the
// URL's port, which defaults by scheme (http 80, https 443).
std::optional<HostPort> HostPortOf(const std::string& url, uint16_t port_override,
                                   std::string* error);

struct Connection {
  Reason failure = Reason::kNone;
  std::string detail;
  std::optional<boost::asio::ip::tcp::socket> socket;  // set on success
  std::chrono::microseconds resolve{0};
  std::chrono::microseconds connect{0};
};

// Tries each resolved address in turn until one connects or the deadline
// passes (kTimeout). A name that does not resolve is kDns; refused or
// unreachable is kConnect; out of local descriptors, buffers or memory
// (EMFILE, ENFILE, ENOBUFS, ENOMEM) is kInternal.
boost::asio::awaitable<Connection> ConnectTcp(const HostPort& where,
                                              std::chrono::steady_clock::time_point deadline);

}  // namespace sonde
