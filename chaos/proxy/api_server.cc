#include "chaos/proxy/api_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <list>

#include "chaos/proxy/address.h"
#include "chaos/proxy/api_handlers.h"

namespace sonde::fault_proxy {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kReadTimeout = std::chrono::seconds(15);
constexpr size_t kMaxBodyBytes = 1024 * 1024;
constexpr size_t kMaxHeaderBytes = 16 * 1024;

std::string_view View(beast::string_view s) { return {s.data(), s.size()}; }

http::response<http::string_body> Respond(Registry& registry,
                                          const http::request<http::string_body>& req) {
  ApiRequest request;
  request.method = View(req.method_string());
  request.target = View(req.target());
  request.body = req.body();
  if (auto ua = req.find(http::field::user_agent); ua != req.end()) {
    request.user_agent = View(ua->value());
  }
  ApiResponse answer = HandleApiRequest(registry, request);
  http::response<http::string_body> res;
  res.version(req.version());
  res.keep_alive(req.keep_alive());
  res.result(static_cast<unsigned>(answer.status));
  res.set(http::field::server, "sonde");
  if (!answer.body.empty()) res.set(http::field::content_type, "application/json");
  res.body() = std::move(answer.body);
  res.prepare_payload();
  return res;
}

}  // namespace

class ApiServer::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, Registry& registry) : io(io), registry(registry), acceptor(io) {}

  asio::awaitable<void> Accept(std::shared_ptr<Impl> self) {
    while (acceptor.is_open()) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
      if (ec) {
        spdlog::warn("fault proxy API: accept failed: {}", ec.message());
        asio::steady_timer pause(io, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      auto it = connections.emplace(connections.end(), std::move(socket));
      asio::co_spawn(io, Serve(self, it), asio::detached);
    }
  }

  asio::awaitable<void> Serve([[maybe_unused]] std::shared_ptr<Impl> self,
                              std::list<beast::tcp_stream>::iterator it) {
    beast::tcp_stream& stream = *it;
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(kMaxBodyBytes);
      parser.header_limit(kMaxHeaderBytes);
      stream.expires_after(kReadTimeout);
      auto [ec, n] =
          co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      if (ec) break;
      auto res = Respond(registry, parser.get());
      const bool keep_alive = res.keep_alive();
      stream.expires_after(kReadTimeout);
      auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
      if (wec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    if (!stopped) connections.erase(it);
  }

  asio::io_context& io;
  Registry& registry;
  tcp::acceptor acceptor;
  std::list<beast::tcp_stream> connections;  // stable iterators while serving
  bool stopped = false;
};

ApiServer::ApiServer(asio::io_context& io, Registry& registry)
    : impl_(std::make_shared<Impl>(io, registry)) {}

ApiServer::~ApiServer() { Stop(); }

std::string ApiServer::Listen(const std::string& address) {
  HostPort where;
  if (auto e = ParseListenAddress(address, &where); !e.ok()) return e.message;
  boost::system::error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address(where.host), where.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    return "cannot listen on " + address + ": " + ec.message();
  }
  asio::co_spawn(impl_->io, impl_->Accept(impl_), asio::detached);
  return "";
}

uint16_t ApiServer::port() const {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void ApiServer::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  for (auto& c : impl_->connections) c.socket().close(ignored);
}

}  // namespace sonde::fault_proxy
