#include "devnet/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <exception>
#include <list>
#include <vector>

#include "devnet/api_error.h"

namespace sonde::devnet {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class HttpServer::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor ex, Handler h, ServerLimits l)
      : executor(ex), handler(std::move(h)), limits(l), acceptor(ex) {}

  asio::awaitable<void> Accept() {
    auto self = shared_from_this();
    while (acceptor.is_open()) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
      if (ec) {
        // Out of descriptors and the like: log and go on; the next accept
        // may succeed once connections close.
        spdlog::warn("http: accept failed: {}", ec.message());
        continue;
      }
      if (connections.size() >= limits.max_connections) {
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
      auto it = connections.emplace(connections.end(), std::move(socket));
      asio::co_spawn(executor, Serve(it), asio::detached);
    }
  }

  // After refusing a request whose body is still arriving: close our side
  // and read (and drop) what the client is sending, bounded in bytes and
  // time, so the close is not a reset that destroys our answer in flight.
  asio::awaitable<void> Drain(beast::tcp_stream& stream) {
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(std::chrono::seconds(2));
    std::vector<char> sink(64 * 1024);
    size_t total = 0;
    while (total < limits.max_body_bytes * 2) {
      auto [ec, n] =
          co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
      if (ec) break;
      total += n;
    }
  }

  // Runs the handler; anything it throws becomes a 500, never a crash.
  asio::awaitable<Response> Handle(const Request& req) {
    std::string what;
    try {
      co_return co_await handler(req);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
      what = "unknown exception";
    }
    spdlog::error("http: handler for {} {} failed: {}", std::string(req.method_string()),
                  std::string(req.target()), what);
    co_return ErrorResponse(http::status::internal_server_error, "internal", what);
  }

  asio::awaitable<void> Serve(std::list<beast::tcp_stream>::iterator it) {
    auto self = shared_from_this();
    beast::tcp_stream& stream = *it;
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(limits.max_body_bytes);
      parser.header_limit(static_cast<uint32_t>(limits.max_header_bytes));
      stream.expires_after(limits.read_timeout);
      auto [ec, n] =
          co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      if (ec == http::error::body_limit || ec == http::error::header_limit) {
        // Say why before closing, so the client sees more than a reset.
        Response res = ErrorResponse(http::status::payload_too_large, "too_large",
                                     "request larger than the server accepts");
        res.keep_alive(false);
        stream.expires_after(limits.write_timeout);
        co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        co_await Drain(stream);
        break;
      }
      if (ec) break;
      Request req = parser.release();
      stream.expires_never();  // the handler bounds its own waits (forwarding has a deadline)
      Response res = co_await Handle(req);
      if (stopped) break;
      res.version(req.version());
      res.keep_alive(req.keep_alive());
      res.set(http::field::server, "sonde-devnet");
      res.prepare_payload();
      if (req.method() == http::verb::head) res.body().clear();
      stream.expires_after(limits.write_timeout);
      auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
      if (wec || !res.keep_alive()) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    if (!stopped) connections.erase(it);
  }

  asio::any_io_executor executor;
  Handler handler;
  ServerLimits limits;
  tcp::acceptor acceptor;
  std::list<beast::tcp_stream> connections;  // stable iterators while serving
  bool stopped = false;
};

HttpServer::HttpServer(asio::any_io_executor executor, Handler handler, ServerLimits limits)
    : impl_(std::make_shared<Impl>(executor, std::move(handler), limits)) {}

HttpServer::~HttpServer() { Stop(); }

std::optional<std::string> HttpServer::Listen(const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return "\"" + host + "\" is not an IP address";
  const tcp::endpoint endpoint(address, port);
  const std::string where = host + ":" + std::to_string(port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (ec) return "cannot listen on " + where + ": " + ec.message();
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  impl_->acceptor.bind(endpoint, ec);
  if (ec == asio::error::address_in_use) return where + " is already in use";
  if (ec) return "cannot listen on " + where + ": " + ec.message();
  impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return "cannot listen on " + where + ": " + ec.message();
  asio::co_spawn(impl_->executor, impl_->Accept(), asio::detached);
  return std::nullopt;
}

uint16_t HttpServer::port() const {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void HttpServer::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  for (auto& c : impl_->connections) c.socket().close(ignored);
}

}  // namespace sonde::devnet
