// The HTTP/1.1 server every server of sonde's runs on: the admin server
// (status page, /metrics, the drill API), the fault proxy's control API, the
// alert receiver, and the devnet's nodes. Boost.Beast, C++20 coroutines.
//
// What it guarantees, so that no client — slow, hostile or many — can take a
// server or its process down:
//   - a cap on open connections; one over the cap is closed at once;
//   - a read deadline per request and a write deadline per response;
//   - request limits answered with the right status before closing:
//       431 header too large, 414 request target too long,
//       413 body too large, 400 anything else malformed;
//   - when accept fails (out of descriptors), a backoff of 10 ms doubling to
//     1 s, and at most one log line per 10 s saying how many failures it
//     stands for (without the pause the loop spins at 100 % CPU);
//   - a handler that throws answers 500; the server goes on;
//   - optional TLS (PEM certificate chain and key).
// Every request goes to one handler coroutine, so a handler can wait (on a
// worker thread, on another server) without holding up other connections.
//
// Thread-safety: call everything on the executor's thread (each server runs
// on a one-thread io_context).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sonde::net {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Handler = std::function<boost::asio::awaitable<Response>(const Request&)>;
// Builds the answer the server itself gives (4xx for a bad request, 500 for a
// handler that threw): `code` is a stable snake_case word, `message` says
// what was wrong.
using ErrorResponder =
    std::function<Response(boost::beast::http::status, std::string_view code, std::string_view message)>;

// "MESSAGE\n" as text/plain: the default ErrorResponder.
Response PlainErrorResponse(boost::beast::http::status status, std::string_view code,
                            std::string_view message);

struct ServerOptions {
  std::string name = "sonde";  // the Server header and the prefix of log lines
  size_t max_body_bytes = 1024 * 1024;
  size_t max_header_bytes = 16 * 1024;  // request line and fields together
  size_t max_target_bytes = 8 * 1024;
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds write_timeout{10000};
  size_t max_connections = 256;
  ErrorResponder error_response = PlainErrorResponse;
  // TLS: both or neither (PEM files).
  std::string tls_cert_file;
  std::string tls_key_file;
};

class HttpServer {
 public:
  HttpServer(boost::asio::any_io_executor executor, Handler handler, ServerOptions options = {});
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting. Returns an error naming the address (for
  // example "cannot listen on 127.0.0.1:26601: Address already in use") or
  // the TLS file that would
  // not load.
  std::optional<std::string> Listen(const std::string& host, uint16_t port);
  uint16_t port() const;  // 0 before Listen
  size_t open_connections() const;

  // Stops accepting and closes open connections. Idempotent.
  void Stop();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sonde::net
