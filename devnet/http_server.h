// The node's HTTP/1.1 server (Boost.Beast, C++20 coroutines). Every request
// goes to one handler coroutine, so a follower can forward a request to the
// leader and answer when the leader does without holding up other
// connections. Limits: a request body limit (so a client cannot make the node
// buffer without bound), a read deadline per request (so a slow client cannot
// hold a connection), a write deadline, and a cap on open connections.
// A handler that throws gets a 500 with a JSON error; the node keeps serving.
//
// Thread-safety: call everything on the executor's thread (the node runs one
// io_context on one thread).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace sonde::devnet {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Handler = std::function<boost::asio::awaitable<Response>(const Request&)>;

struct ServerLimits {
  size_t max_body_bytes = 8 * 1024 * 1024;  // a peer append carries up to 100 blocks
  size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds write_timeout{10000};
  size_t max_connections = 512;
};

class HttpServer {
 public:
  HttpServer(boost::asio::any_io_executor executor, Handler handler, ServerLimits limits = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting. Returns an error naming the address (for
  // example "127.0.0.1:26601 is already in use") when it cannot bind.
  std::optional<std::string> Listen(const std::string& host, uint16_t port);
  uint16_t port() const;

  // Stops accepting and closes open connections. Idempotent.
  void Stop();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sonde::devnet
