#include "probes/socket_connect.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>
#include <tuple>

#include "probes/resource_errors.h"

namespace sonde {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;
using tcp = asio::ip::tcp;

std::chrono::microseconds Since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t);
}

}  // namespace

std::optional<HostPort> HostPortOf(const std::string& url, uint16_t port_override,
                                   std::string* error) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    if (error) *error = "bad URL \"" + url + "\": " + parsed.error().message();
    return std::nullopt;
  }
  HostPort hp;
  hp.host = std::string(parsed->host_address());
  if (parsed->host_type() == boost::urls::host_type::ipv6) {
    hp.host = hp.host.substr(hp.host.front() == '[' ? 1 : 0);
    if (!hp.host.empty() && hp.host.back() == ']') hp.host.pop_back();
  }
  if (port_override != 0) {
    hp.port = port_override;
  } else if (parsed->has_port()) {
    hp.port = parsed->port_number();
  } else {
    hp.port = parsed->scheme() == "https" ? 443 : 80;
  }
  return hp;
}

asio::awaitable<Connection> ConnectTcp(const HostPort& where, Clock::time_point deadline) {
  auto executor = co_await asio::this_coro::executor;
  Connection out;
  asio::steady_timer timer(executor);
  timer.expires_at(deadline);

  const Clock::time_point resolve_start = Clock::now();
  tcp::resolver resolver(executor);
  auto resolved = co_await (resolver.async_resolve(where.host, std::to_string(where.port),
                                                   asio::as_tuple(asio::use_awaitable)) ||
                            timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  out.resolve = Since(resolve_start);
  if (resolved.index() == 1) {
    out.failure = Reason::kTimeout;
    out.detail = "resolving " + where.host + " outlasted the deadline";
    co_return out;
  }
  auto [rec, endpoints] = std::get<0>(resolved);
  if (rec && IsResourceExhaustion(rec)) {
    out.failure = Reason::kInternal;
    out.detail = "cannot resolve " + where.host + " (out of local resources): " + rec.message();
    co_return out;
  }
  if (rec) {
    out.failure = Reason::kDns;
    out.detail = "cannot resolve " + where.host + ": " + rec.message();
    co_return out;
  }

  // Each address in turn, opening the socket ourselves: asio's range
  // async_connect reports a socket it could not open as operation_aborted,
  // which would hide EMFILE (sonde's fault) behind a failed connect.
  const Clock::time_point connect_start = Clock::now();
  const std::string name = where.host + ":" + std::to_string(where.port);
  tcp::socket socket(executor);
  boost::system::error_code cec = asio::error::host_not_found;
  for (const auto& entry : endpoints) {
    boost::system::error_code ignored;
    socket.close(ignored);
    socket.open(entry.endpoint().protocol(), cec);
    if (cec && IsResourceExhaustion(cec)) {
      out.connect = Since(connect_start);
      out.failure = Reason::kInternal;
      out.detail = "cannot open a socket for " + name + ": " + cec.message();
      co_return out;
    }
    if (cec) continue;
    auto connected =
        co_await (socket.async_connect(entry.endpoint(), asio::as_tuple(asio::use_awaitable)) ||
                  timer.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (connected.index() == 1) {
      out.connect = Since(connect_start);
      out.failure = Reason::kTimeout;
      out.detail = "connecting to " + name + " outlasted the deadline";
      co_return out;
    }
    std::tie(cec) = std::get<0>(connected);
    if (!cec) break;
  }
  out.connect = Since(connect_start);
  if (cec) {
    out.failure = Reason::kConnect;
    out.detail = "cannot connect to " + name + ": " + cec.message();
    co_return out;
  }
  out.socket.emplace(std::move(socket));
  co_return out;
}

}  // namespace sonde
