// A small async HTTP/1.1 client for the node's peer links and for the
// launcher: one connection per call, loopback only, one deadline for the
// whole call (connect, write, read). Peer links are plain URLs from the
// node's config, so a fault proxy can be put on any link without the node
// knowing. Thread-safety: a call runs on the calling coroutine's executor.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <string>

#include "devnet/result.h"

namespace sonde::devnet {

struct PeerResponse {
  int status = 0;
  std::string body;
};

// A parsed "http://HOST:PORT[/prefix]" whose host is a loopback IP literal
// (or "localhost", read as 127.0.0.1).
struct PeerUrl {
  std::string host;
  uint16_t port = 0;
  std::string prefix;  // "" or "/something", never a trailing '/'
  std::string ToString() const;
};

Result<PeerUrl> ParsePeerUrl(const std::string& url);

// Sends one request to `base` + `target` and reads the response, all within
// `timeout`. The error says what failed ("connect: Connection refused",
// "timed out after 1000 ms") and never throws.
boost::asio::awaitable<Result<PeerResponse>> HttpCall(const PeerUrl& base,
                                                      boost::beast::http::verb method,
                                                      std::string target, std::string body,
                                                      std::chrono::milliseconds timeout);

// The same call on a private io_context, blocking the caller. For the
// launcher's CLI and for tests only: never call it on an io_context thread.
Result<PeerResponse> HttpCallBlocking(const PeerUrl& base, boost::beast::http::verb method,
                                      std::string target, std::string body,
                                      std::chrono::milliseconds timeout);

}  // namespace sonde::devnet
