#include "chaos/proxy/link.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sys/socket.h>

namespace sonde::fault_proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr auto kConnectTimeout = std::chrono::seconds(10);
}  // namespace

Link::Link(StreamSocket client, HostPort upstream, OnClosed on_closed)
    : client_(std::move(client)),
      upstream_(client_.get_executor()),
      upstream_address_(std::move(upstream)),
      on_closed_(std::move(on_closed)),
      connect_timer_(client_.get_executor()),
      up_(*this, client_, upstream_, Stream::kUpstream),
      down_(*this, upstream_, client_, Stream::kDownstream) {}

Link::~Link() = default;

void Link::Start(const std::vector<std::shared_ptr<const ToxicEntry>>& toxics) {
  for (const auto& entry : toxics) PipeFor(entry->toxic.stream).Attach(entry);
  asio::co_spawn(client_.get_executor(), Connect(shared_from_this()), asio::detached);
}

asio::awaitable<void> Link::Connect(std::shared_ptr<Link> self) {
  connect_timer_.expires_after(kConnectTimeout);
  connect_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (ec) return;
    if (auto link = weak.lock()) {
      spdlog::debug("fault proxy: upstream connect timed out");
      link->Close();
    }
  });

  // Every address to try, in order, as the generic endpoints the socket takes.
  std::vector<asio::generic::stream_protocol::endpoint> endpoints;
  const HostPort& to = upstream_address_;
  const std::string shown = to.unix_path.empty() ? JoinHostPort(to.host, to.port)
                                                 : std::string(kUnixPrefix) + to.unix_path;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(to.host, ec);
  if (!to.unix_path.empty()) {
    endpoints.emplace_back(asio::local::stream_protocol::endpoint(to.unix_path));
  } else if (!ec) {
    endpoints.emplace_back(tcp::endpoint(address, to.port));
  } else {
    resolver_.emplace(client_.get_executor());
    auto [rec, results] = co_await resolver_->async_resolve(
        to.host, std::to_string(to.port), asio::as_tuple(asio::use_awaitable));
    if (closed_) co_return;
    if (rec) {
      spdlog::warn("fault proxy: cannot resolve upstream {}: {}", to.host, rec.message());
      Close();
      co_return;
    }
    for (const auto& r : results) endpoints.emplace_back(r.endpoint());
  }

  auto [cec, endpoint] =
      co_await asio::async_connect(upstream_, endpoints, asio::as_tuple(asio::use_awaitable));
  connect_timer_.cancel();
  if (closed_) co_return;
  if (cec) {
    spdlog::warn("fault proxy: cannot connect to upstream {}: {}", shown, cec.message());
    Close();
    co_return;
  }
  // Small writes go out at once in both directions, as Go's sockets do (TCP
  // only: a unix socket has no Nagle to turn off).
  if (client_.local_endpoint(ec).protocol().family() != AF_UNIX) {
    client_.set_option(tcp::no_delay(true), ec);
  }
  if (to.unix_path.empty()) upstream_.set_option(tcp::no_delay(true), ec);
  asio::co_spawn(client_.get_executor(), up_.Run(self), asio::detached);
  asio::co_spawn(client_.get_executor(), down_.Run(self), asio::detached);
}

void Link::AddToxic(const std::shared_ptr<const ToxicEntry>& entry) {
  if (!closed_) PipeFor(entry->toxic.stream).Attach(entry);
}

void Link::UpdateToxic(const std::shared_ptr<const ToxicEntry>& entry) {
  if (!closed_) PipeFor(entry->toxic.stream).Update(entry);
}

void Link::RemoveToxic(const ToxicEntry& entry) {
  if (!closed_) PipeFor(entry.toxic.stream).Detach(entry.id);
}

void Link::DirectionDone() {
  if (++directions_done_ == 2) Close();
}

void Link::Close() {
  if (closed_) return;
  closed_ = true;
  auto keep = shared_from_this();  // the owner's callback may drop its reference
  boost::system::error_code ignored;
  connect_timer_.cancel();
  if (resolver_) resolver_->cancel();
  client_.close(ignored);
  upstream_.close(ignored);
  up_.Wake();
  down_.Wake();
  if (on_closed_) {
    auto notify = std::move(on_closed_);
    notify(this);
  }
}

void Link::Reset() {
  if (closed_) return;
  boost::system::error_code ignored;
  client_.set_option(asio::socket_base::linger(true, 0), ignored);
  upstream_.set_option(asio::socket_base::linger(true, 0), ignored);
  Close();
}

}  // namespace sonde::fault_proxy
