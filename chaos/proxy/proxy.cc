#include "chaos/proxy/proxy.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <unordered_map>
#include <variant>

#include <sys/stat.h>
#include <unistd.h>

#include "chaos/proxy/address.h"
#include "chaos/proxy/link.h"

namespace sonde::fault_proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
// A listener of any family (TCP, unix): it accepts StreamSockets.
using Acceptor = asio::basic_socket_acceptor<asio::generic::stream_protocol>;

class Proxy::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, std::string name, std::string listen, std::string upstream)
      : io(io), name(std::move(name)), listen(std::move(listen)), upstream(std::move(upstream)) {}

  ApiError Start() {
    if (enabled) return {};
    HostPort where;
    HostPort to;
    if (auto e = ParseListenAddress(listen, &where); !e.ok()) return e;
    if (auto e = ParseUpstreamAddress(upstream, &to); !e.ok()) return e;
    auto bound = where.unix_path.empty() ? ListenTcp(where) : ListenUnix(where.unix_path);
    if (auto* e = std::get_if<ApiError>(&bound)) return *e;
    auto acc = std::make_shared<Acceptor>(std::move(std::get<Acceptor>(bound)));
    upstream_address = to;
    unix_path = where.unix_path;
    acceptor = acc;
    enabled = true;
    spdlog::info("fault proxy {}: listening on {}, upstream {}", name, listen, upstream);
    asio::co_spawn(io, Accept(shared_from_this(), acc), asio::detached);
    return {};
  }

  // Listens on TCP; `listen` becomes the bound address (the port the kernel
  // chose for port 0).
  std::variant<Acceptor, ApiError> ListenTcp(const HostPort& where) {
    boost::system::error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address(where.host), where.port);
    tcp::acceptor acc(io);
    const char* step = "listen";
    acc.open(endpoint.protocol(), ec);
    if (!ec) acc.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) {
      step = "bind";
      acc.bind(endpoint, ec);
    }
    if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      // Toxiproxy passes Go's net.Listen error on: "listen tcp ADDR: bind: ..."
      return InternalError("listen tcp " + JoinHostPort(where.host, where.port) + ": " + step +
                           ": " + ec.message());
    }
    const tcp::endpoint bound = acc.local_endpoint(ec);
    listen = JoinHostPort(bound.address().to_string(), bound.port());
    return Acceptor(std::move(acc));
  }

  // Listens on a unix socket. A socket file nobody answers on (left by a
  // crash) is replaced; one with a live listener is refused, as a bound TCP
  // port would be.
  std::variant<Acceptor, ApiError> ListenUnix(const std::string& path) {
    using local = asio::local::stream_protocol;
    boost::system::error_code ec;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
      if (!S_ISSOCK(st.st_mode)) {
        return InternalError("listen unix " + path + ": bind: the path exists and is not a socket");
      }
      local::socket probe(io);
      probe.connect(local::endpoint(path), ec);
      if (!ec) return InternalError("listen unix " + path + ": bind: address already in use");
      ::unlink(path.c_str());
    }
    local::acceptor acc(io);
    const char* step = "listen";
    acc.open(local(), ec);
    if (!ec) {
      step = "bind";
      acc.bind(local::endpoint(path), ec);
    }
    if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return InternalError("listen unix " + path + ": " + step + ": " + ec.message());
    return Acceptor(std::move(acc));
  }

  void Stop() {
    if (!enabled) return;
    enabled = false;
    boost::system::error_code ignored;
    acceptor->close(ignored);
    acceptor.reset();
    // The socket file goes with the listener, as a closed port does.
    if (!unix_path.empty()) ::unlink(unix_path.c_str());
    auto open = std::move(links);
    links.clear();
    for (auto& [raw, link] : open) link->Close();
    spdlog::info("fault proxy {}: stopped ({} connections closed)", name, open.size());
  }

  asio::awaitable<void> Accept([[maybe_unused]] std::shared_ptr<Impl> self,
                               std::shared_ptr<Acceptor> acc) {
    for (;;) {
      auto [ec, socket] = co_await acc->async_accept(asio::as_tuple(asio::use_awaitable));
      if (!acc->is_open()) co_return;
      if (ec) {
        // Out of descriptors and the like: say so, breathe, go on.
        spdlog::warn("fault proxy {}: accept failed: {}", name, ec.message());
        asio::steady_timer pause(io, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        if (!acc->is_open()) co_return;
        continue;
      }
      auto link = std::make_shared<Link>(std::move(socket), upstream_address,
                                         [weak = weak_from_this()](Link* closed) {
                                           if (auto impl = weak.lock()) impl->links.erase(closed);
                                         });
      links.emplace(link.get(), link);
      link->Start(entries);
    }
  }

  std::vector<std::shared_ptr<const ToxicEntry>>::iterator Find(const std::string& toxic_name) {
    return std::find_if(entries.begin(), entries.end(),
                        [&](const auto& e) { return e->toxic.name == toxic_name; });
  }

  asio::io_context& io;
  std::string name;
  std::string listen;
  std::string upstream;
  HostPort upstream_address;
  std::string unix_path;  // the socket file listened on, if any
  bool enabled = false;
  std::shared_ptr<Acceptor> acceptor;
  std::unordered_map<Link*, std::shared_ptr<Link>> links;
  std::vector<std::shared_ptr<const ToxicEntry>> entries;  // in the order added
  uint64_t next_toxic_id = 1;
};

Proxy::Proxy(asio::io_context& io, std::string name, std::string listen, std::string upstream)
    : impl_(std::make_shared<Impl>(io, std::move(name), std::move(listen), std::move(upstream))) {}

Proxy::~Proxy() { impl_->Stop(); }

const std::string& Proxy::name() const { return impl_->name; }
const std::string& Proxy::listen() const { return impl_->listen; }
const std::string& Proxy::upstream() const { return impl_->upstream; }
bool Proxy::enabled() const { return impl_->enabled; }
size_t Proxy::connection_count() const { return impl_->links.size(); }

size_t Proxy::queued_bytes() const {
  size_t total = 0;
  for (const auto& [raw, link] : impl_->links) total += link->queued_bytes();
  return total;
}

ApiError Proxy::Start() { return impl_->Start(); }
void Proxy::Stop() { impl_->Stop(); }

ApiError Proxy::Update(const std::string& listen, const std::string& upstream, bool enabled) {
  if (listen != impl_->listen || upstream != impl_->upstream) {
    impl_->Stop();
    impl_->listen = listen;
    impl_->upstream = upstream;
  }
  if (enabled) return impl_->Start();
  impl_->Stop();
  return {};
}

std::vector<const Toxic*> Proxy::toxics() const {
  std::vector<const Toxic*> out;
  for (Stream stream : {Stream::kUpstream, Stream::kDownstream}) {
    for (const auto& e : impl_->entries) {
      if (e->toxic.stream == stream) out.push_back(&e->toxic);
    }
  }
  return out;
}

const Toxic* Proxy::FindToxic(const std::string& name) const {
  auto it = impl_->Find(name);
  return it == impl_->entries.end() ? nullptr : &(*it)->toxic;
}

ApiError Proxy::AddToxic(Toxic toxic) {
  if (impl_->Find(toxic.name) != impl_->entries.end()) return Conflict("toxic already exists");
  auto entry =
      std::make_shared<const ToxicEntry>(ToxicEntry{impl_->next_toxic_id++, std::move(toxic)});
  impl_->entries.push_back(entry);
  for (auto& [raw, link] : impl_->links) link->AddToxic(entry);
  spdlog::info("fault proxy {}: added {} toxic {} on {}", impl_->name, TypeName(entry->toxic.kind),
               entry->toxic.name, ToString(entry->toxic.stream));
  return {};
}

ApiError Proxy::UpdateToxic(Toxic updated) {
  auto it = impl_->Find(updated.name);
  if (it == impl_->entries.end()) return NotFound("toxic not found");
  updated.stream = (*it)->toxic.stream;
  auto entry = std::make_shared<const ToxicEntry>(ToxicEntry{(*it)->id, std::move(updated)});
  *it = entry;
  for (auto& [raw, link] : impl_->links) link->UpdateToxic(entry);
  return {};
}

ApiError Proxy::RemoveToxic(const std::string& name) {
  auto it = impl_->Find(name);
  if (it == impl_->entries.end()) return NotFound("toxic not found");
  const auto entry = *it;
  impl_->entries.erase(it);
  for (auto& [raw, link] : impl_->links) link->RemoveToxic(*entry);
  spdlog::info("fault proxy {}: removed toxic {}", impl_->name, name);
  return {};
}

void Proxy::RemoveAllToxics() {
  while (!impl_->entries.empty()) RemoveToxic(impl_->entries.back()->toxic.name);
}

}  // namespace sonde::fault_proxy
