#include "service/admin_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <algorithm>
#include <chrono>
#include <list>

#include "service/status_page.h"

namespace sonde {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kReadTimeout = std::chrono::seconds(10);
constexpr size_t kMaxRequestBytes = 16 * 1024;
// Connections served at once; more are closed as they arrive, so a flood
// of idle connections cannot take every descriptor the probes need.
constexpr size_t kMaxConnections = 256;
// After a failed accept (out of descriptors): the first wait, and the most.
constexpr auto kAcceptBackoffMin = std::chrono::milliseconds(10);
constexpr auto kAcceptBackoffMax = std::chrono::seconds(1);
// At most one log line per this, with how many failures it stands for.
constexpr auto kAcceptLogEvery = std::chrono::seconds(10);

http::response<http::string_body> Respond(const http::request<http::string_body>& req,
                                          const AdminServer::Handlers& handlers) {
  http::response<http::string_body> res;
  res.version(req.version());
  res.keep_alive(req.keep_alive());
  res.set(http::field::server, "sonde");
  auto reply = [&](http::status status, std::string content_type, std::string body) {
    res.result(status);
    res.set(http::field::content_type, content_type);
    res.body() = std::move(body);
  };
  const std::string_view full_target(req.target().data(), req.target().size());
  const std::string_view target = full_target.substr(0, full_target.find('?'));
  if ((target.rfind("/api/v1/drills", 0) == 0 || target == "/api/v1/heal") && handlers.control) {
    auto auth = req.find(http::field::authorization);
    auto [status, body] = handlers.control(
        std::string(req.method_string()), std::string(full_target),
        auth == req.end() ? std::string() : std::string(auth->value()));
    reply(static_cast<http::status>(status), "application/json", body);
  } else if (target == "/-/reload") {
    if (req.method() != http::verb::post || !handlers.reload) {
      reply(http::status::method_not_allowed, "text/plain", "use POST\n");
      res.set(http::field::allow, "POST");
    } else {
      auto [ok, message] = handlers.reload();
      reply(ok ? http::status::ok : http::status::bad_request, "text/plain", message + "\n");
    }
  } else if (req.method() != http::verb::get && req.method() != http::verb::head) {
    reply(http::status::method_not_allowed, "text/plain", "only GET and HEAD\n");
    res.set(http::field::allow, "GET, HEAD");
  } else if (target == "/metrics") {
    reply(http::status::ok, "text/plain; version=0.0.4; charset=utf-8", handlers.metrics());
  } else if (target == "/healthz") {
    reply(http::status::ok, "text/plain", "ok\n");
  } else if (target == "/readyz") {
    if (handlers.ready()) {
      reply(http::status::ok, "text/plain", "ready\n");
    } else {
      reply(http::status::service_unavailable, "text/plain", "first round of runs not done yet\n");
    }
  } else if (target == "/") {
    reply(http::status::ok, "text/html; charset=utf-8", std::string(StatusPageHtml()));
  } else if (target == "/api/v1/status" && handlers.status) {
    reply(http::status::ok, "application/json", handlers.status());
  } else if (target == "/api/v1/runs" && handlers.runs) {
    std::string journey;
    size_t limit = 100;
    std::string problem;
    auto url = boost::urls::parse_origin_form(full_target);
    if (!url) {
      problem = "malformed query";
    } else {
      for (const auto& param : url->params()) {
        if (param.key == "journey") {
          journey = param.value;
        } else if (param.key == "limit") {
          const std::string& v = param.value;
          char* end = nullptr;
          const unsigned long n = std::strtoul(v.c_str(), &end, 10);
          if (v.empty() || *end != '\0' || n < 1 || n > 1000) {
            problem = "limit must be 1..1000, got \"" + v + "\"";
          } else {
            limit = n;
          }
        } else {
          problem = "unknown parameter \"" + std::string(param.key) + "\" (use journey, limit)";
        }
      }
    }
    if (problem.empty()) {
      reply(http::status::ok, "application/json", handlers.runs(journey, limit));
    } else {
      reply(http::status::bad_request, "text/plain", "/api/v1/runs: " + problem + "\n");
    }
  } else {
    reply(http::status::not_found, "text/plain", "not found\n");
  }
  res.prepare_payload();
  if (req.method() == http::verb::head) res.body().clear();
  return res;
}

}  // namespace

class AdminServer::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor ex, Handlers h) : executor(ex), handlers(std::move(h)), acceptor(ex) {}

  asio::awaitable<void> Accept() {
    auto self = shared_from_this();
    asio::steady_timer pause(executor);
    std::chrono::milliseconds backoff{0};
    std::chrono::steady_clock::time_point last_log{};
    uint64_t unreported = 0;
    // One line per kAcceptLogEvery, counting the failures it stands for.
    auto report = [&](const std::string& what) {
      ++unreported;
      const auto now = std::chrono::steady_clock::now();
      if (now - last_log < kAcceptLogEvery) return;
      spdlog::warn("admin: {} ({} time{} since the last report)", what, unreported,
                   unreported == 1 ? "" : "s");
      last_log = now;
      unreported = 0;
    };
    while (acceptor.is_open()) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
      if (ec) {
        // Out of descriptors and the like. The connection stays in the
        // backlog, so accepting again at once fails again at once: without
        // a pause this loop spun at 100 % CPU writing millions of lines.
        report("accept failed: " + ec.message() + "; backing off");
        backoff = std::min<std::chrono::milliseconds>(
            std::max<std::chrono::milliseconds>(backoff * 2, kAcceptBackoffMin),
            kAcceptBackoffMax);
        pause.expires_after(backoff);
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      backoff = std::chrono::milliseconds(0);
      if (connections.size() >= kMaxConnections) {
        report("refusing a connection: " + std::to_string(kMaxConnections) + " already open");
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
      auto it = connections.emplace(connections.end(), std::move(socket));
      asio::co_spawn(executor, Serve(it), asio::detached);
    }
  }

  asio::awaitable<void> Serve(std::list<beast::tcp_stream>::iterator it) {
    auto self = shared_from_this();
    beast::tcp_stream& stream = *it;
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(kMaxRequestBytes);
      parser.header_limit(kMaxRequestBytes);
      stream.expires_after(kReadTimeout);
      auto [ec, n] =
          co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      if (ec) break;
      auto res = Respond(parser.get(), handlers);
      const bool keep_alive = res.keep_alive();
      auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
      if (wec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    if (!stopped) connections.erase(it);
  }

  asio::any_io_executor executor;
  Handlers handlers;
  tcp::acceptor acceptor;
  std::list<beast::tcp_stream> connections;  // stable iterators while serving
  bool stopped = false;
};

AdminServer::AdminServer(asio::any_io_executor executor, Handlers handlers)
    : impl_(std::make_shared<Impl>(executor, std::move(handlers))) {}

AdminServer::~AdminServer() { Stop(); }

std::optional<std::string> AdminServer::Listen(const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return "admin server: \"" + host + "\" is not an IP address";
  const tcp::endpoint endpoint(address, port);
  auto where = [&] {
    return "admin server: cannot listen on " + host + ":" + std::to_string(port) + ": ";
  };
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (ec) return where() + ec.message();
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  impl_->acceptor.bind(endpoint, ec);
  if (ec) return where() + ec.message();
  impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return where() + ec.message();
  asio::co_spawn(impl_->executor, impl_->Accept(), asio::detached);
  return std::nullopt;
}

uint16_t AdminServer::port() const {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void AdminServer::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  for (auto& c : impl_->connections) c.socket().close(ignored);
}

}  // namespace sonde
