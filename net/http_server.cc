#include "net/http_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <exception>
#include <list>
#include <vector>

namespace sonde::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// After a failed accept: the first pause, and the longest.
constexpr auto kAcceptBackoffMin = std::chrono::milliseconds(10);
constexpr auto kAcceptBackoffMax = std::chrono::seconds(1);
// At most one accept-trouble log line per this.
constexpr auto kAcceptLogEvery = std::chrono::seconds(10);
// How long a refused request's remaining bytes are read (and dropped).
constexpr auto kDrainTime = std::chrono::seconds(2);
// How long a TLS close_notify exchange may take before the socket is closed.
constexpr auto kTlsShutdownTime = std::chrono::seconds(2);

// The parse errors that mean "this is not a valid request" (400), as opposed
// to the client going away or a limit (handled apart).
bool IsMalformed(const boost::system::error_code& ec) {
  if (ec.category() != http::make_error_code(http::error::bad_method).category()) return false;
  switch (static_cast<http::error>(ec.value())) {
    case http::error::bad_line_ending:
    case http::error::bad_method:
    case http::error::bad_target:
    case http::error::bad_version:
    case http::error::bad_field:
    case http::error::bad_value:
    case http::error::bad_content_length:
    case http::error::bad_transfer_encoding:
    case http::error::bad_chunk:
    case http::error::bad_chunk_extension:
    case http::error::bad_obs_fold:
    case http::error::multiple_content_length:
    case http::error::unexpected_body:
      return true;
    default:
      return false;
  }
}

// Whether a request whose header went over the limit did so with its
// target (414) rather than its fields (431). The parser fills in the target
// as soon as the request line is complete, so an empty one means the request
// line alone was over the limit.
bool TargetTooLong(const http::request_parser<http::string_body>& parser, size_t max_target_bytes) {
  const auto target = parser.get().target();
  return target.empty() || target.size() > max_target_bytes;
}

template <class Stream>
tcp::socket& Socket(Stream& stream) {
  return beast::get_lowest_layer(stream).socket();
}

}  // namespace

Response PlainErrorResponse(http::status status, std::string_view, std::string_view message) {
  Response res;
  res.result(status);
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.body().assign(message);
  res.body() += '\n';
  return res;
}

class HttpServer::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor ex, Handler h, ServerOptions o)
      : executor(ex), handler(std::move(h)), options(std::move(o)), acceptor(ex) {}

  // One line per kAcceptLogEvery, counting the events it stands for.
  void ReportAcceptTrouble(const std::string& what) {
    ++unreported;
    const auto now = std::chrono::steady_clock::now();
    if (last_report != std::chrono::steady_clock::time_point{} && now - last_report < kAcceptLogEvery) {
      return;
    }
    spdlog::warn("{}: {} ({} time{} since the last report)", options.name, what, unreported,
                 unreported == 1 ? "" : "s");
    last_report = now;
    unreported = 0;
  }

  asio::awaitable<void> Accept() {
    auto self = shared_from_this();
    asio::steady_timer pause(executor);
    std::chrono::milliseconds backoff{0};
    while (acceptor.is_open()) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
      if (ec) {
        // Out of descriptors and the like. The connection stays in the
        // backlog, so accepting again at once fails again at once.
        ReportAcceptTrouble("accept failed: " + ec.message() + "; backing off");
        backoff = std::min<std::chrono::milliseconds>(
            std::max<std::chrono::milliseconds>(backoff * 2, kAcceptBackoffMin), kAcceptBackoffMax);
        pause.expires_after(backoff);
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      backoff = std::chrono::milliseconds(0);
      if (open.size() >= options.max_connections) {
        ReportAcceptTrouble("refusing a connection: " + std::to_string(options.max_connections) +
                            " already open");
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
      if (tls) {
        asio::co_spawn(executor, ServeTls(std::move(socket)), asio::detached);
      } else {
        asio::co_spawn(executor, ServePlain(std::move(socket)), asio::detached);
      }
    }
  }

  asio::awaitable<void> ServePlain(tcp::socket socket) {
    auto self = shared_from_this();
    beast::tcp_stream stream(std::move(socket));
    auto it = open.insert(open.end(), &stream.socket());
    co_await Session(stream);
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
    open.erase(it);
  }

  asio::awaitable<void> ServeTls(tcp::socket socket) {
    auto self = shared_from_this();
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls);
    auto it = open.insert(open.end(), &Socket(stream));
    beast::get_lowest_layer(stream).expires_after(options.read_timeout);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server,
                                                asio::as_tuple(asio::use_awaitable));
    if (!ec) {
      co_await Session(stream);
      if (!stopped) {
        beast::get_lowest_layer(stream).expires_after(kTlsShutdownTime);
        co_await stream.async_shutdown(asio::as_tuple(asio::use_awaitable));
      }
    }
    boost::system::error_code ignored;
    Socket(stream).close(ignored);
    open.erase(it);
  }

  // Serves requests on one connection until it closes, fails or times out.
  template <class Stream>
  asio::awaitable<void> Session(Stream& stream) {
    beast::flat_buffer buffer;
    while (!stopped) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(options.max_body_bytes);
      parser.header_limit(static_cast<uint32_t>(options.max_header_bytes));
      beast::get_lowest_layer(stream).expires_after(options.read_timeout);
      auto [ec, n] =
          co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      std::optional<Response> refusal;
      if (ec == http::error::header_limit) {
        refusal = TargetTooLong(parser, options.max_target_bytes)
                      ? options.error_response(http::status::uri_too_long, "target_too_long",
                                               "request target longer than " +
                                                   std::to_string(options.max_target_bytes) + " bytes")
                      : options.error_response(http::status::request_header_fields_too_large,
                                               "header_too_large",
                                               "request header larger than " +
                                                   std::to_string(options.max_header_bytes) + " bytes");
      } else if (ec == http::error::body_limit) {
        refusal = options.error_response(
            http::status::payload_too_large, "too_large",
            "request body larger than " + std::to_string(options.max_body_bytes) + " bytes");
      } else if (IsMalformed(ec)) {
        refusal = options.error_response(http::status::bad_request, "malformed",
                                         "malformed request: " + ec.message());
      } else if (ec) {
        break;  // the client went away or was too slow: nobody to answer
      } else if (parser.get().target().size() > options.max_target_bytes) {
        refusal = options.error_response(
            http::status::uri_too_long, "target_too_long",
            "request target longer than " + std::to_string(options.max_target_bytes) + " bytes");
      }
      if (refusal) {
        // Say why before closing, so the client sees more than a reset.
        refusal->keep_alive(false);
        refusal->set(http::field::server, options.name);
        refusal->prepare_payload();
        beast::get_lowest_layer(stream).expires_after(options.write_timeout);
        co_await http::async_write(stream, *refusal, asio::as_tuple(asio::use_awaitable));
        co_await Drain(stream);
        break;
      }
      Request req = parser.release();
      // The handler bounds its own waits; the client waits for it.
      beast::get_lowest_layer(stream).expires_never();
      Response res = co_await Handle(req);
      if (stopped) break;
      res.version(req.version());
      res.keep_alive(req.keep_alive());
      res.set(http::field::server, options.name);
      res.prepare_payload();
      if (req.method() == http::verb::head) res.body().clear();
      beast::get_lowest_layer(stream).expires_after(options.write_timeout);
      auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
      if (wec || !res.keep_alive()) break;
    }
  }

  // After refusing a request whose rest may still be arriving: stop sending
  // and read (and drop) what the client sends, bounded in bytes and time, so
  // the close is not a reset that destroys the answer in flight.
  template <class Stream>
  asio::awaitable<void> Drain(Stream& stream) {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      boost::system::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    beast::get_lowest_layer(stream).expires_after(kDrainTime);
    std::vector<char> sink(64 * 1024);
    size_t total = 0;
    while (total < options.max_body_bytes + options.max_header_bytes) {
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
    spdlog::error("{}: handler for {} {} failed: {}", options.name, std::string(req.method_string()),
                  std::string(req.target()), what);
    co_return options.error_response(http::status::internal_server_error, "internal", what);
  }

  asio::any_io_executor executor;
  Handler handler;
  ServerOptions options;
  tcp::acceptor acceptor;
  std::unique_ptr<asio::ssl::context> tls;
  std::list<tcp::socket*> open;  // the lowest layer of every connection being served
  bool stopped = false;
  std::chrono::steady_clock::time_point last_report{};
  uint64_t unreported = 0;
};

HttpServer::HttpServer(asio::any_io_executor executor, Handler handler, ServerOptions options)
    : impl_(std::make_shared<Impl>(executor, std::move(handler), std::move(options))) {}

HttpServer::~HttpServer() { Stop(); }

std::optional<std::string> HttpServer::Listen(const std::string& host, uint16_t port) {
  const ServerOptions& o = impl_->options;
  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    return "TLS needs both a certificate file and a key file";
  }
  if (!o.tls_cert_file.empty()) {
    auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    context->use_certificate_chain_file(o.tls_cert_file, ec);
    if (ec) return "TLS certificate " + o.tls_cert_file + ": " + ec.message();
    context->use_private_key_file(o.tls_key_file, asio::ssl::context::pem, ec);
    if (ec) return "TLS key " + o.tls_key_file + ": " + ec.message();
    impl_->tls = std::move(context);
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return "\"" + host + "\" is not an IP address";
  const tcp::endpoint endpoint(address, port);
  const std::string where = host + ":" + std::to_string(port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    return "cannot listen on " + where + ": " + ec.message();
  }
  asio::co_spawn(impl_->executor, impl_->Accept(), asio::detached);
  return std::nullopt;
}

uint16_t HttpServer::port() const {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

size_t HttpServer::open_connections() const { return impl_->open.size(); }

void HttpServer::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  for (tcp::socket* s : impl_->open) s->close(ignored);
}

}  // namespace sonde::net
