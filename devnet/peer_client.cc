#include "devnet/peer_client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <optional>

namespace sonde::devnet {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {
constexpr size_t kMaxResponseBytes = 16 * 1024 * 1024;
}  // namespace

std::string PeerUrl::ToString() const {
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + prefix;
}

Result<PeerUrl> ParsePeerUrl(const std::string& url) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u) return Fail("\"" + url + "\" is not an absolute URL");
  if (u->scheme() != "http") return Fail("\"" + url + "\": only http:// is supported");
  if (!u->has_port() || u->port().empty()) return Fail("\"" + url + "\": the port is missing");
  if (u->has_query() || u->has_fragment() || u->has_userinfo()) {
    return Fail("\"" + url + "\": no query, fragment or user info allowed");
  }
  PeerUrl out;
  std::string host(u->encoded_host_address());
  if (!host.empty() && host.front() == '[') host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return Fail("\"" + url + "\": the host must be an IP address");
  // The devnet only ever talks over loopback.
  if (!address.is_loopback()) return Fail("\"" + url + "\": only loopback addresses are allowed");
  out.host = address.to_string();
  const std::string port(u->port());
  unsigned value = 0;
  auto [p, perr] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (perr != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535) {
    return Fail("\"" + url + "\": bad port");
  }
  out.port = static_cast<uint16_t>(value);
  out.prefix = std::string(u->encoded_path());
  while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
  return out;
}

asio::awaitable<Result<PeerResponse>> HttpCall(const PeerUrl& base, http::verb method,
                                               std::string target, std::string body,
                                               std::chrono::milliseconds timeout) {
  auto executor = co_await asio::this_coro::executor;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  beast::tcp_stream stream(executor);
  auto failed = [&](const char* phase, const boost::system::error_code& ec) -> Error {
    if (ec == beast::error::timeout) {
      return Fail(std::string(phase) + ": timed out after " + std::to_string(timeout.count()) +
                  " ms");
    }
    return Fail(std::string(phase) + ": " + ec.message());
  };

  boost::system::error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address(base.host, ec), base.port);
  if (ec) co_return Fail("bad address " + base.host);
  stream.expires_at(deadline);
  auto [cec] = co_await stream.async_connect(endpoint, asio::as_tuple(asio::use_awaitable));
  if (cec) co_return failed("connect", cec);

  http::request<http::string_body> req{method, base.prefix + target, 11};
  req.set(http::field::host, base.host + ":" + std::to_string(base.port));
  req.set(http::field::user_agent, "sonde-devnet");
  req.set(http::field::connection, "close");
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = std::move(body);
  req.prepare_payload();
  stream.expires_at(deadline);
  auto [wec, wn] = co_await http::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
  // A server may answer (413, say) before it has read the whole request;
  // its answer is then still worth reading, so a write error is reported
  // only if no response follows.

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBytes);
  stream.expires_at(deadline);
  auto [rec, rn] =
      co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
  if (rec) co_return wec ? failed("write", wec) : failed("read", rec);
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  PeerResponse out;
  out.status = static_cast<int>(parser.get().result_int());
  out.body = std::move(parser.get().body());
  co_return out;
}

namespace {
asio::awaitable<void> CallInto(std::optional<Result<PeerResponse>>* out, PeerUrl base,
                               http::verb method, std::string target, std::string body,
                               std::chrono::milliseconds timeout) {
  out->emplace(co_await HttpCall(base, method, std::move(target), std::move(body), timeout));
}
}  // namespace

Result<PeerResponse> HttpCallBlocking(const PeerUrl& base, http::verb method, std::string target,
                                      std::string body, std::chrono::milliseconds timeout) {
  asio::io_context io;
  std::optional<Result<PeerResponse>> out;
  asio::co_spawn(io, CallInto(&out, base, method, std::move(target), std::move(body), timeout),
                 asio::detached);
  io.run();  // ends when the call does: it has its own deadline
  if (!out) return Fail("http call did not finish");
  return std::move(*out);
}

}  // namespace sonde::devnet
