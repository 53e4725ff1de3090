#include "tests/support/hostile_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace sonde::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr size_t kMaxRecorded = 1024;
constexpr size_t kMaxAcceptsPerTick = 16;
constexpr size_t kMaxWritePerCall = 256 * 1024;
constexpr auto kTick = 20ms;
// How long a reset waits after the last byte, so that the client has read
// the headers and part of the body before the RST arrives.
constexpr auto kResetDelay = 200ms;

struct Entry {
  Behaviour behaviour;
  std::string_view path;
};

constexpr Entry kPaths[] = {
    {Behaviour::kSilent, "/silent"},
    {Behaviour::kTrickle, "/trickle"},
    {Behaviour::kEndlessBody, "/endless-body"},
    {Behaviour::kResetMidBody, "/reset-mid-body"},
    {Behaviour::kHugeHeader, "/huge-header"},
    {Behaviour::kHeaderFlood, "/header-flood"},
    {Behaviour::kInvalidJson, "/invalid-json"},
    {Behaviour::kDeepJson, "/deep-json"},
    {Behaviour::kDeeperJson, "/deeper-json"},
    {Behaviour::kGzipBomb, "/gzip-bomb"},
    {Behaviour::kRedirectLoop, "/redirect-loop"},
    {Behaviour::kRpcWrongId, "/rpc-wrong-id"},
    {Behaviour::kRpcHugeError, "/rpc-huge-error"},
    {Behaviour::kRpcDeepResult, "/rpc-deep-result"},
};

std::optional<Behaviour> BehaviourFor(std::string_view path) {
  for (const Entry& e : kPaths) {
    if (e.path == path) return e.behaviour;
  }
  return std::nullopt;
}

// What happens once everything queued has been written.
enum class End {
  kClose,  // half-close, then close when the client does (no RST)
  kReset,  // SO_LINGER 0 and close: the client sees a reset
  kHold,   // keep the connection open and say nothing
};

struct Conn {
  int fd = -1;
  Clock::time_point expires;
  std::string in;
  bool answered = false;
  std::string out;
  size_t sent = 0;
  std::chrono::milliseconds pace{0};  // > 0: one byte per pace
  Clock::time_point next_write;
  bool endless = false;
  uint64_t endless_sent = 0;
  End end = End::kHold;
  bool ended = false;  // the end action has been taken (half-closed)
  std::optional<Clock::time_point> reset_at;
};

std::string Nested(int levels, std::string_view core) {
  std::string s(static_cast<size_t>(levels), '[');
  s += core;
  s.append(static_cast<size_t>(levels), ']');
  return s;
}

std::string Response(std::string_view status, std::string_view extra_headers,
                     std::string_view body) {
  std::string r = "HTTP/1.1 " + std::string(status) + "\r\n";
  r += extra_headers;
  r += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  r += body;
  return r;
}

std::string Json(std::string_view body) {
  return Response("200 OK", "Content-Type: application/json\r\n", body);
}

// The request's JSON-RPC id when it is an integer ("id":N), else 0.
int64_t RpcId(std::string_view body) {
  const size_t key = body.find("\"id\"");
  if (key == std::string_view::npos) return 0;
  size_t i = key + 4;
  while (i < body.size() && (body[i] == ' ' || body[i] == ':')) ++i;
  int64_t id = 0;
  std::from_chars(body.data() + i, body.data() + body.size(), id);
  return id;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Content-Length of a request head, 0 when absent or malformed.
size_t ContentLength(std::string_view head) {
  const std::string lower = Lower(head);
  const size_t at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  size_t i = at + 17;
  while (i < lower.size() && lower[i] == ' ') ++i;
  size_t n = 0;
  std::from_chars(lower.data() + i, lower.data() + lower.size(), n);
  return n;
}

void CloseFd(int fd) {
  if (fd >= 0) ::close(fd);
}

}  // namespace

std::string_view PathOf(Behaviour b) {
  for (const Entry& e : kPaths) {
    if (e.behaviour == b) return e.path;
  }
  return "/unknown";
}

std::string_view NameOf(Behaviour b) { return PathOf(b).substr(1); }

class HostileServer::Impl {
 public:
  explicit Impl(Options options) : options_(std::move(options)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;  // the kernel picks; read back below
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 128) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      const int err = errno;
      CloseFd(listener_);
      throw std::system_error(err, std::generic_category(), "bind/listen 127.0.0.1:0");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }

  ~Impl() {
    stop_ = true;
    thread_.join();
    for (Conn& c : conns_) CloseFd(c.fd);
    CloseFd(listener_);
  }

  uint16_t port() const { return port_; }

  std::vector<HostileRequest> requests() const {
    std::lock_guard lock(mu_);
    return {recorded_.begin(), recorded_.end()};
  }

 private:
  void Loop() {
    std::vector<pollfd> fds;
    while (!stop_) {
      fds.clear();
      fds.push_back({listener_, POLLIN, 0});
      const Clock::time_point now = Clock::now();
      for (const Conn& c : conns_) {
        short events = POLLIN;
        if (c.sent < c.out.size() && (c.pace.count() == 0 || now >= c.next_write)) {
          events |= POLLOUT;
        }
        fds.push_back({c.fd, events, 0});
      }
      if (::poll(fds.data(), fds.size(), static_cast<int>(kTick.count())) < 0 && errno != EINTR) {
        return;
      }
      if (fds[0].revents & POLLIN) Accept();
      // conns_ only grew at its end since fds was built: walk them in step.
      size_t k = 1;
      for (auto it = conns_.begin(); it != conns_.end() && k < fds.size(); ++k) {
        const bool keep = Service(*it, fds[k].revents);
        if (keep) {
          ++it;
        } else {
          CloseFd(it->fd);
          it = conns_.erase(it);
        }
      }
    }
  }

  void Accept() {
    for (size_t i = 0; i < kMaxAcceptsPerTick; ++i) {
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;  // EAGAIN, or out of descriptors: try again next tick
      if (conns_.size() >= kMaxConnections) {
        CloseFd(fd);
        continue;
      }
      Conn& c = conns_.emplace_back();
      c.fd = fd;
      c.expires = Clock::now() + kMaxConnectionLife;
    }
  }

  // Does the I/O `revents` allows; false when the connection is done.
  bool Service(Conn& c, short revents) {
    const Clock::time_point now = Clock::now();
    if (now >= c.expires) return false;
    if (revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[64 * 1024];
      const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
      if (n == 0) return false;  // the client closed (or gave up)
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
      if (n > 0 && !c.answered) {
        c.in.append(buf, static_cast<size_t>(n));
        if (c.in.size() > kMaxRequestBytes) return false;
        TryAnswer(c, now);
      }
    }
    if ((revents & POLLOUT) && c.sent < c.out.size()) {
      const size_t want =
          c.pace.count() > 0 ? 1 : std::min(c.out.size() - c.sent, kMaxWritePerCall);
      const ssize_t n = ::send(c.fd, c.out.data() + c.sent, want, MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
      if (n > 0) {
        c.sent += static_cast<size_t>(n);
        if (c.pace.count() > 0) c.next_write = now + c.pace;
      }
      if (c.sent == c.out.size() && c.endless) Refill(c);
    }
    if (c.answered && c.sent == c.out.size() && !c.ended) {
      switch (c.end) {
        case End::kHold:
          break;
        case End::kClose:
          // Half-close and wait for the client's close: closing with unread
          // input would send a reset instead of the end of the response.
          ::shutdown(c.fd, SHUT_WR);
          c.ended = true;
          break;
        case End::kReset:
          if (!c.reset_at) c.reset_at = now + kResetDelay;
          if (now >= *c.reset_at) {
            const linger abort{1, 0};
            ::setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
            return false;  // close() now sends RST
          }
          break;
      }
    }
    return true;
  }

  void Refill(Conn& c) {
    constexpr size_t kChunk = 64 * 1024;
    c.out.clear();
    c.sent = 0;
    if (c.endless_sent >= kMaxEndlessBytes) {
      c.out = "0\r\n\r\n";
      c.endless = false;
      return;
    }
    char size[16];
    auto [end, ec] = std::to_chars(size, size + sizeof size, kChunk, 16);
    c.out.assign(size, end);
    c.out += "\r\n";
    c.out.append(kChunk, ' ');
    c.out += "\r\n";
    c.endless_sent += kChunk;
  }

  void TryAnswer(Conn& c, Clock::time_point now) {
    const size_t head_end = c.in.find("\r\n\r\n");
    if (head_end == std::string::npos) return;
    const std::string_view head(c.in.data(), head_end);
    const size_t body_size = ContentLength(head);
    if (c.in.size() < head_end + 4 + body_size) return;
    const std::string_view body(c.in.data() + head_end + 4, body_size);

    HostileRequest req;
    const size_t sp1 = head.find(' ');
    const size_t sp2 = head.find(' ', sp1 == std::string_view::npos ? 0 : sp1 + 1);
    if (sp1 != std::string_view::npos && sp2 != std::string_view::npos) {
      req.method = std::string(head.substr(0, sp1));
      req.path = std::string(head.substr(sp1 + 1, sp2 - sp1 - 1));
      req.path = req.path.substr(0, req.path.find('?'));
    }
    req.head = std::string(head);
    {
      std::lock_guard lock(mu_);
      recorded_.push_back(req);
      if (recorded_.size() > kMaxRecorded) recorded_.pop_front();
    }
    c.answered = true;
    c.end = End::kClose;
    const std::optional<Behaviour> b = BehaviourFor(req.path);
    if (!b) {
      c.out = Response("404 Not Found", "", "");
      return;
    }
    const std::string id = std::to_string(RpcId(body));
    switch (*b) {
      case Behaviour::kSilent:
        c.end = End::kHold;
        break;
      case Behaviour::kTrickle:
        c.out = Json("{}");
        c.pace = 1s;
        c.next_write = now;
        break;
      case Behaviour::kEndlessBody:
        c.out =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n";
        c.endless = true;
        break;
      case Behaviour::kResetMidBody:
        c.out =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            "Content-Length: 100000\r\n\r\n";
        c.out.append(1000, ' ');
        c.end = End::kReset;
        break;
      case Behaviour::kHugeHeader:
        c.out = Response("200 OK", "X-Huge: " + std::string(101 * 1024, 'h') + "\r\n", "{}");
        break;
      case Behaviour::kHeaderFlood: {
        std::string headers;
        headers.reserve(100000 * 20);
        char line[32];
        for (int i = 0; i < 100000; ++i) {
          const int n = std::snprintf(line, sizeof line, "X-Flood-%06d: v\r\n", i);
          headers.append(line, static_cast<size_t>(n));
        }
        c.out = Response("200 OK", headers, "{}");
        break;
      }
      case Behaviour::kInvalidJson:
        c.out = Json("{\"ok\": true,, <html>");
        break;
      case Behaviour::kDeepJson:
        c.out = Json("{\"a\":" + Nested(kDeepJsonLevels - 1, "1") + "}");
        break;
      case Behaviour::kDeeperJson:
        c.out = Json(Nested(kDeeperJsonLevels, "1"));
        break;
      case Behaviour::kGzipBomb:
        c.out = Response("200 OK", "Content-Type: application/json\r\nContent-Encoding: gzip\r\n",
                         options_.gzip_body);
        break;
      case Behaviour::kRedirectLoop:
        c.out = Response("302 Found", "Location: " + std::string(PathOf(*b)) + "\r\n", "");
        break;
      case Behaviour::kRpcWrongId:
        c.out = Json(R"({"jsonrpc":"2.0","id":)" + std::to_string(RpcId(body) + 1) +
                     R"(,"result":true})");
        break;
      case Behaviour::kRpcHugeError:
        c.out = Json(R"({"jsonrpc":"2.0","id":)" + id + R"(,"error":{"code":-32000,"message":")" +
                     std::string(3'000'000, 'e') + "\"}}");
        break;
      case Behaviour::kRpcDeepResult:
        c.out = Json(R"({"jsonrpc":"2.0","id":)" + id + R"(,"result":)" +
                     Nested(kDeepJsonLevels - 1, "1") + "}");
        break;
    }
  }

  const Options options_;
  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::list<Conn> conns_;  // the loop thread only
  mutable std::mutex mu_;
  std::deque<HostileRequest> recorded_;  // guarded by mu_
  std::thread thread_;                   // last: starts after everything above exists
};

HostileServer::HostileServer() : HostileServer(Options{}) {}

HostileServer::HostileServer(Options options)
    : impl_(std::make_unique<Impl>(std::move(options))), port_(impl_->port()) {}

HostileServer::~HostileServer() = default;

std::string HostileServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<HostileRequest> HostileServer::requests() const { return impl_->requests(); }

size_t HostileServer::CountRequests(Behaviour b) const {
  const std::vector<HostileRequest> all = requests();
  return static_cast<size_t>(std::count_if(
      all.begin(), all.end(), [&](const HostileRequest& r) { return r.path == PathOf(b); }));
}

}  // namespace sonde::testing
