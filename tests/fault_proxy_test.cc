// The fault proxy (chaos/proxy/) on loopback: its Toxiproxy-compatible
// control API over HTTP, and what each toxic does to real connections
// between a raw-socket client and an upstream server on its own thread.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "chaos/proxy/api_server.h"
#include "chaos/proxy/pipe.h"
#include "chaos/proxy/proxy_command.h"
#include "chaos/proxy/registry.h"
#include "tests/support/journey_harness.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using fault_proxy::ApiServer;
using fault_proxy::Registry;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

std::string RandomBytes(size_t n, uint64_t seed = 42) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

double MillisSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

// --- a raw-socket client with a deadline on every wait ----------------------

class Client {
 public:
  enum class End { kComplete, kEof, kReset, kTimeout, kError };
  struct Read {
    std::string data;
    End end = End::kComplete;
  };

  explicit Client(uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    Connect(reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  }
  // A client of a unix socket.
  explicit Client(const std::string& unix_path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", unix_path.c_str());
    Connect(reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return fd_ >= 0; }
  int connect_errno() const { return connect_errno_; }

  // Sends all of `data` or gives up at the deadline.
  bool Send(std::string_view data, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = SteadyClock::now() + timeout;
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(static_cast<size_t>(n));
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!Wait(POLLOUT, deadline)) return false;
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        return false;
      }
    }
    return true;
  }

  // Sends what fits without blocking; returns how much went.
  size_t SendSome(std::string_view data) {
    const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    return n > 0 ? static_cast<size_t>(n) : 0;
  }

  // Reads until `n` bytes, EOF, an error or the deadline.
  Read ReadN(size_t n, std::chrono::milliseconds timeout) {
    Read r;
    const auto deadline = SteadyClock::now() + timeout;
    char buf[65536];
    while (r.data.size() < n) {
      const ssize_t got = ::recv(fd_, buf, std::min(sizeof(buf), n - r.data.size()), 0);
      if (got > 0) {
        r.data.append(buf, static_cast<size_t>(got));
      } else if (got == 0) {
        r.end = End::kEof;
        return r;
      } else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        if (!Wait(POLLIN, deadline)) {
          r.end = End::kTimeout;
          return r;
        }
      } else {
        r.end = errno == ECONNRESET ? End::kReset : End::kError;
        return r;
      }
    }
    return r;
  }

  Read ReadUntilClosed(std::chrono::milliseconds timeout) { return ReadN(SIZE_MAX, timeout); }

  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

  // Round trip of `message` through an echo upstream, in milliseconds (-1 if
  // the echo did not come back intact within `timeout`).
  double RoundTrip(const std::string& message, std::chrono::milliseconds timeout = 5s) {
    const auto start = SteadyClock::now();
    if (!Send(message)) return -1;
    Read r = ReadN(message.size(), timeout);
    if (r.data != message) return -1;
    return MillisSince(start);
  }

 private:
  bool Wait(short events, SteadyClock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, events, 0};
    return ::poll(&p, 1, static_cast<int>(left.count())) > 0;
  }

  // A blocking connect, then non-blocking I/O with a deadline on each wait.
  void Connect(const sockaddr* addr, socklen_t size) {
    fd_ = ::socket(addr->sa_family, SOCK_STREAM, 0);
    if (::connect(fd_, addr, size) != 0) {
      connect_errno_ = errno;
      ::close(fd_);
      fd_ = -1;
      return;
    }
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }

  int fd_ = -1;
  int connect_errno_ = 0;
};

// --- upstream servers on their own thread ----------------------------------

class Upstream {
 public:
  using Serve = std::function<asio::awaitable<void>(tcp::socket)>;

  explicit Upstream(Serve serve) : serve_(std::move(serve)), acceptor_(io_) {
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.bind(ep);
    acceptor_.listen();
    asio::co_spawn(io_, Accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Upstream() {
    asio::post(io_, [this] { acceptor_.close(); });
    io_.stop();
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

  // Echoes everything back; passes EOF on.
  static asio::awaitable<void> Echo(tcp::socket s) {
    char buf[65536];
    for (;;) {
      auto [ec, n] =
          co_await s.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
      if (ec) break;
      auto [wec, wn] =
          co_await asio::async_write(s, asio::buffer(buf, n), asio::as_tuple(asio::use_awaitable));
      if (wec) co_return;
    }
    boost::system::error_code ignored;
    s.shutdown(tcp::socket::shutdown_send, ignored);
  }

 private:
  asio::awaitable<void> Accept() {
    for (;;) {
      auto [ec, s] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      asio::co_spawn(io_, serve_(std::move(s)), asio::detached);
    }
  }

  Serve serve_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

Upstream::Serve Sink(std::shared_ptr<std::atomic<size_t>> received) {
  return [received](tcp::socket s) -> asio::awaitable<void> {
    char buf[65536];
    for (;;) {
      auto [ec, n] =
          co_await s.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      *received += n;
    }
  };
}

// Sends `payload` to each client, then closes.
Upstream::Serve Source(std::string payload) {
  return [payload](tcp::socket s) -> asio::awaitable<void> {
    co_await asio::async_write(s, asio::buffer(payload), asio::as_tuple(asio::use_awaitable));
    boost::system::error_code ignored;
    s.shutdown(tcp::socket::shutdown_send, ignored);
    s.close(ignored);
  };
}

// --- the fault proxy on its own thread ---------------------------------------

class FaultProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(api_.Listen("127.0.0.1:0"), "");
    base_ = "http://127.0.0.1:" + std::to_string(api_.port());
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    if (!thread_.joinable()) return;  // SetUp failed
    OnIo([this] {
      api_.Stop();
      for (auto* p : registry_.All()) p->Stop();
    });
    work_.reset();
    io_.stop();
    thread_.join();
  }

  // Runs `fn` on the proxy's thread and waits for it.
  template <class F>
  auto OnIo(F fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    asio::post(io_, [&task] { task(); });
    return result.get();
  }

  HttpResponse Call(const std::string& method, const std::string& path,
                    const std::string& body = "") {
    return testing::FetchSync(base_ + path, 5s, method, body);
  }

  static json::value Body(const HttpResponse& r) {
    boost::system::error_code ec;
    json::value v = json::parse(r.body, ec);
    EXPECT_FALSE(ec) << "not JSON: " << r.body;
    return v;
  }

  // Creates an enabled proxy on an ephemeral port; returns that port.
  uint16_t CreateProxy(const std::string& name, uint16_t upstream_port) {
    HttpResponse r =
        Call("POST", "/proxies",
             R"({"name":")" + name + R"(","listen":"127.0.0.1:0","upstream":"127.0.0.1:)" +
                 std::to_string(upstream_port) + R"("})");
    EXPECT_EQ(r.status, 201) << r.body;
    return ListenPort(Body(r));
  }

  static uint16_t ListenPort(const json::value& proxy) {
    const std::string listen(proxy.at("listen").as_string());
    return static_cast<uint16_t>(std::stoi(listen.substr(listen.rfind(':') + 1)));
  }

  void AddToxic(const std::string& proxy, const std::string& toxic) {
    HttpResponse r = Call("POST", "/proxies/" + proxy + "/toxics", toxic);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  void RemoveToxic(const std::string& proxy, const std::string& toxic) {
    HttpResponse r = Call("DELETE", "/proxies/" + proxy + "/toxics/" + toxic);
    ASSERT_EQ(r.status, 204) << r.body;
  }

  static std::set<std::string> Keys(const json::value& v) {
    std::set<std::string> keys;
    for (const auto& [k, ignored] : v.as_object()) keys.insert(std::string(k));
    return keys;
  }

  asio::io_context io_;
  Registry registry_{io_};
  ApiServer api_{io_, registry_};
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  std::thread thread_;
  std::string base_;
};

void ExpectError(const HttpResponse& r, int status, const std::string& message_part) {
  EXPECT_EQ(r.status, status) << r.body;
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  ASSERT_FALSE(ec) << r.body;
  ASSERT_TRUE(v.is_object()) << r.body;
  EXPECT_EQ(v.at("status").as_int64(), status);
  EXPECT_NE(std::string(v.at("error").as_string()).find(message_part), std::string::npos)
      << "error \"" << v.at("error").as_string() << "\" lacks \"" << message_part << "\"";
}

// --- the control API -----------------------------------------------------------

TEST_F(FaultProxyTest, ProxyLifecycleAsToxiproxyShapesIt) {
  Upstream echo(Upstream::Echo);
  const std::string upstream = "127.0.0.1:" + std::to_string(echo.port());

  HttpResponse created =
      Call("POST", "/proxies",
           R"({"name":"redis","listen":"127.0.0.1:0","upstream":")" + upstream + R"("})");
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_NE(created.Header("content-type"), nullptr);
  EXPECT_EQ(*created.Header("content-type"), "application/json");
  const json::value proxy = Body(created);
  EXPECT_EQ(Keys(proxy),
            (std::set<std::string>{"name", "listen", "upstream", "enabled", "toxics"}));
  EXPECT_EQ(proxy.at("name").as_string(), "redis");
  EXPECT_EQ(proxy.at("upstream").as_string(), upstream);
  EXPECT_EQ(proxy.at("enabled").as_bool(), true);
  EXPECT_TRUE(proxy.at("toxics").as_array().empty());
  const uint16_t port = ListenPort(proxy);
  EXPECT_NE(port, 0);  // the real port, not "127.0.0.1:0"
  EXPECT_TRUE(Client(port).connected());

  ExpectError(Call("POST", "/proxies", R"({"name":"redis","upstream":")" + upstream + R"("})"), 409,
              "proxy already exists");
  ExpectError(Call("POST", "/proxies", R"({"name":"x"})"), 400, "missing required field: upstream");
  ExpectError(Call("POST", "/proxies", R"({"upstream":")" + upstream + R"("})"), 400,
              "missing required field: name");
  ExpectError(Call("POST", "/proxies", R"({"name":)"), 400, "bad request body");
  ExpectError(Call("POST", "/proxies", R"({"name":"y","upstream":"nohostport"})"), 400, "upstream");
  // The address is taken: Toxiproxy answers 500 with the bind error.
  ExpectError(Call("POST", "/proxies",
                   R"({"name":"clash","listen":"127.0.0.1:)" + std::to_string(port) +
                       R"(","upstream":")" + upstream + R"("})"),
              500, "bind");

  HttpResponse list = Call("GET", "/proxies");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Keys(Body(list)), std::set<std::string>{"redis"});  // a map by name
  EXPECT_EQ(Body(list).at("redis"), proxy);
  EXPECT_EQ(Body(Call("GET", "/proxies/redis")), proxy);
  ExpectError(Call("GET", "/proxies/nope"), 404, "proxy not found");

  // Disable: the port refuses; enable: the same port again.
  HttpResponse disabled = Call("POST", "/proxies/redis", R"({"enabled":false})");
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(Body(disabled).at("enabled").as_bool(), false);
  Client refused(port);
  EXPECT_FALSE(refused.connected());
  EXPECT_EQ(refused.connect_errno(), ECONNREFUSED);
  HttpResponse enabled = Call("PATCH", "/proxies/redis", R"({"enabled":true})");
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_EQ(Body(enabled).at("listen"), proxy.at("listen"));
  EXPECT_TRUE(Client(port).connected());
  // Toxiproxy's Go client posts the whole proxy back, toxics included.
  HttpResponse saved = Call("POST", "/proxies/redis", json::serialize(proxy));
  EXPECT_EQ(saved.status, 200) << saved.body;
  ExpectError(Call("POST", "/proxies/redis", R"({"enabled":"yes"})"), 400, "enabled");

  HttpResponse deleted = Call("DELETE", "/proxies/redis");
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  ExpectError(Call("GET", "/proxies/redis"), 404, "proxy not found");
  ExpectError(Call("DELETE", "/proxies/redis"), 404, "proxy not found");
  EXPECT_FALSE(Client(port).connected());
}

TEST_F(FaultProxyTest, ToxicLifecycleAsToxiproxyShapesIt) {
  Upstream echo(Upstream::Echo);
  CreateProxy("db", echo.port());

  HttpResponse added =
      Call("POST", "/proxies/db/toxics", R"({"type":"latency","attributes":{"latency":100}})");
  ASSERT_EQ(added.status, 200) << added.body;  // 200, as Toxiproxy, not 201
  const json::value latency = Body(added);
  EXPECT_EQ(Keys(latency),
            (std::set<std::string>{"attributes", "name", "type", "stream", "toxicity"}));
  EXPECT_EQ(latency.at("name").as_string(), "latency_downstream");  // <type>_<stream>
  EXPECT_EQ(latency.at("type").as_string(), "latency");
  EXPECT_EQ(latency.at("stream").as_string(), "downstream");
  EXPECT_EQ(latency.at("attributes"), json::parse(R"({"latency":100,"jitter":0})"));
  EXPECT_NE(added.body.find("\"toxicity\":1"), std::string::npos) << added.body;  // not 1E0
  EXPECT_EQ(latency.at("toxicity").to_number<double>(), 1.0);

  ExpectError(Call("POST", "/proxies/db/toxics", R"({"type":"latency"})"), 409,
              "toxic already exists");
  HttpResponse up = Call("POST", "/proxies/db/toxics",
                         R"({"type":"bandwidth","stream":"upstream","attributes":{"rate":1000}})");
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(Body(up).at("name").as_string(), "bandwidth_upstream");

  // Listed upstream first, then downstream; the proxy carries them too.
  HttpResponse list = Call("GET", "/proxies/db/toxics");
  ASSERT_EQ(list.status, 200);
  const json::value listed = Body(list);
  const json::array& toxics = listed.as_array();
  ASSERT_EQ(toxics.size(), 2u);
  EXPECT_EQ(toxics[0].at("name").as_string(), "bandwidth_upstream");
  EXPECT_EQ(toxics[1], latency);
  EXPECT_EQ(Body(Call("GET", "/proxies/db")).at("toxics"), Body(list));
  EXPECT_EQ(Body(Call("GET", "/proxies/db/toxics/latency_downstream")), latency);

  // An update merges attributes and may change toxicity.
  HttpResponse updated = Call("POST", "/proxies/db/toxics/latency_downstream",
                              R"({"attributes":{"jitter":5},"toxicity":0.5})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(Body(updated).at("attributes"), json::parse(R"({"latency":100,"jitter":5})"));
  EXPECT_NE(updated.body.find("\"toxicity\":0.5"), std::string::npos) << updated.body;
  HttpResponse patched =
      Call("PATCH", "/proxies/db/toxics/latency_downstream", R"({"attributes":{"latency":7}})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Body(patched).at("attributes"), json::parse(R"({"latency":7,"jitter":5})"));
  EXPECT_EQ(Body(patched).at("toxicity").to_number<double>(), 0.5);

  // Bad input is a 400 that names what is wrong.
  ExpectError(Call("POST", "/proxies/db/toxics", R"({"type":"nonsense"})"), 400,
              "invalid toxic type");
  ExpectError(Call("POST", "/proxies/db/toxics", R"({"type":"latency","stream":"sideways"})"), 400,
              "stream was invalid");
  ExpectError(Call("POST", "/proxies/db/toxics",
                   R"({"type":"latency","name":"l2","attributes":{"latency":-5}})"),
              400, "attributes.latency must be >= 0");
  ExpectError(Call("POST", "/proxies/db/toxics",
                   R"({"type":"latency","name":"l3","attributes":{"latancy":5}})"),
              400, "unknown attribute \"latancy\"");
  ExpectError(
      Call("POST", "/proxies/db/toxics", R"({"type":"timeout","attributes":{"timeout":"soon"}})"),
      400, "attributes.timeout must be an integer");
  ExpectError(Call("POST", "/proxies/db/toxics", R"({"type":"limit_data","toxicity":1.5})"), 400,
              "toxicity");
  ExpectError(Call("POST", "/proxies/db/toxics",
                   R"({"type":"slicer","attributes":{"average_size":10,"size_variation":10}})"),
              400, "attributes.size_variation");
  ExpectError(
      Call("POST", "/proxies/db/toxics/latency_downstream", R"({"attributes":{"bytes":5}})"), 400,
      "unknown attribute \"bytes\"");
  ExpectError(Call("GET", "/proxies/db/toxics/nope"), 404, "toxic not found");
  ExpectError(Call("POST", "/proxies/nope/toxics", R"({"type":"latency"})"), 404,
              "proxy not found");

  EXPECT_EQ(Call("DELETE", "/proxies/db/toxics/latency_downstream").status, 204);
  ExpectError(Call("GET", "/proxies/db/toxics/latency_downstream"), 404, "toxic not found");
  ExpectError(Call("DELETE", "/proxies/db/toxics/latency_downstream"), 404, "toxic not found");
  EXPECT_EQ(Body(Call("GET", "/proxies/db/toxics")).as_array().size(), 1u);
}

TEST_F(FaultProxyTest, PopulateCreatesKeepsAndReplaces) {
  Upstream a(Upstream::Echo);
  Upstream b(Upstream::Echo);
  const std::string ua = "127.0.0.1:" + std::to_string(a.port());
  const std::string ub = "127.0.0.1:" + std::to_string(b.port());

  HttpResponse first = Call("POST", "/populate",
                            R"([{"name":"one","listen":"127.0.0.1:0","upstream":")" + ua +
                                R"("},{"name":"two","upstream":")" + ub + R"(","enabled":false}])");
  ASSERT_EQ(first.status, 201) << first.body;
  const json::value body = Body(first);
  EXPECT_EQ(Keys(body), std::set<std::string>{"proxies"});
  const json::array& proxies = body.at("proxies").as_array();
  ASSERT_EQ(proxies.size(), 2u);
  EXPECT_EQ(proxies[0].at("name").as_string(), "one");
  EXPECT_EQ(proxies[0].at("enabled").as_bool(), true);
  EXPECT_EQ(proxies[1].at("enabled").as_bool(), false);
  const std::string one_listen(proxies[0].at("listen").as_string());
  AddToxic("one", R"({"type":"latency","attributes":{"latency":1}})");

  // The same fields again: kept as it is, toxics and all.
  HttpResponse again =
      Call("POST", "/populate",
           R"([{"name":"one","listen":")" + one_listen + R"(","upstream":")" + ua + R"("}])");
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(Body(again).at("proxies").at(0).at("toxics").as_array().size(), 1u);
  // A new upstream: replaced, without its toxics; "two" is untouched.
  HttpResponse replaced =
      Call("POST", "/populate",
           R"([{"name":"one","listen":")" + one_listen + R"(","upstream":")" + ub + R"("}])");
  ASSERT_EQ(replaced.status, 201) << replaced.body;
  const json::value one = Body(replaced).at("proxies").at(0);
  EXPECT_EQ(one.at("upstream").as_string(), ub);
  EXPECT_EQ(one.at("listen").as_string(), one_listen);
  EXPECT_TRUE(one.at("toxics").as_array().empty());
  EXPECT_EQ(Call("GET", "/proxies/two").status, 200);

  // Invalid requests change nothing.
  HttpResponse missing =
      Call("POST", "/populate",
           R"([{"name":"three","upstream":")" + ua + R"("},{"upstream":")" + ua + R"("}])");
  ExpectError(missing, 400, "missing required field: name at proxy 2");
  EXPECT_EQ(Call("GET", "/proxies/three").status, 404);
  ExpectError(
      Call("POST", "/populate",
           R"([{"name":"d","upstream":")" + ua + R"("},{"name":"d","upstream":")" + ua + R"("}])"),
      400, "duplicate proxy name");
  ExpectError(Call("POST", "/populate", R"({"name":"d"})"), 400, "array");
}

TEST_F(FaultProxyTest, ResetEnablesEveryProxyAndRemovesEveryToxic) {
  Upstream echo(Upstream::Echo);
  const uint16_t port_a = CreateProxy("a", echo.port());
  CreateProxy("b", echo.port());
  AddToxic("a", R"({"type":"timeout","attributes":{"timeout":0}})");
  AddToxic("b", R"({"type":"latency","stream":"upstream","attributes":{"latency":500}})");
  ASSERT_EQ(Call("POST", "/proxies/a", R"({"enabled":false})").status, 200);
  EXPECT_FALSE(Client(port_a).connected());

  HttpResponse reset = Call("POST", "/reset");
  EXPECT_EQ(reset.status, 204);
  EXPECT_TRUE(reset.body.empty());
  const json::value all = Body(Call("GET", "/proxies"));
  for (const char* name : {"a", "b"}) {
    EXPECT_EQ(all.at(name).at("enabled").as_bool(), true) << name;
    EXPECT_TRUE(all.at(name).at("toxics").as_array().empty()) << name;
  }
  Client c(port_a);
  ASSERT_TRUE(c.connected());
  EXPECT_GE(c.RoundTrip("after reset"), 0);  // no blackhole left
}

TEST_F(FaultProxyTest, VersionRoutingAndBrowsers) {
  HttpResponse version = Call("GET", "/version");
  ASSERT_EQ(version.status, 200);
  const std::string v(Body(version).at("version").as_string());
  EXPECT_EQ(v.rfind("2.", 0), 0u) << v;  // the Toxiproxy 2.x API
  EXPECT_NE(v.find("sonde"), std::string::npos) << v;

  ExpectError(Call("GET", "/nothing"), 404, "not found");
  ExpectError(Call("DELETE", "/version"), 405, "method not allowed");
  ExpectError(Call("GET", "/reset"), 405, "method not allowed");
  EXPECT_EQ(Call("GET", "/proxies/").status, 200);

  // Toxiproxy refuses browsers, so a web page cannot drive it; so do we.
  Client browser(api_.port());
  ASSERT_TRUE(browser.connected());
  ASSERT_TRUE(
      browser.Send("GET /proxies HTTP/1.1\r\nHost: x\r\nUser-Agent: Mozilla/5.0\r\n"
                   "Connection: close\r\n\r\n"));
  const Client::Read answer = browser.ReadUntilClosed(5s);
  EXPECT_EQ(answer.data.rfind("HTTP/1.1 403", 0), 0u) << answer.data;
  EXPECT_NE(answer.data.find("User agent not allowed"), std::string::npos);
}

// --- the data path ---------------------------------------------------------------

TEST_F(FaultProxyTest, BytesFlowUnchangedBothWays) {
  Upstream echo(Upstream::Echo);
  const uint16_t port = CreateProxy("echo", echo.port());
  const std::string payload = RandomBytes(1 << 20);
  Client c(port);
  ASSERT_TRUE(c.connected());
  // Send and read at once: the echo would stall on full buffers otherwise.
  std::thread sender([&] {
    EXPECT_TRUE(c.Send(payload));
    c.ShutdownWrite();
  });
  const Client::Read got = c.ReadUntilClosed(20s);
  sender.join();
  EXPECT_EQ(got.end, Client::End::kEof);
  EXPECT_EQ(got.data.size(), payload.size());
  EXPECT_TRUE(got.data == payload);  // not EXPECT_EQ: a 1 MiB diff is no help
  // The link goes once both directions have ended.
  for (int i = 0; i < 100 && OnIo([&] { return registry_.Find("echo")->connection_count(); }) != 0;
       ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(OnIo([&] { return registry_.Find("echo")->connection_count(); }), 0u);
}

TEST_F(FaultProxyTest, LatencyDelaysLiveConnectionsAndRemovalRestoresSpeed) {
  Upstream echo(Upstream::Echo);
  const uint16_t port = CreateProxy("slow", echo.port());
  Client c(port);
  ASSERT_TRUE(c.connected());
  const double before = c.RoundTrip("ping");
  ASSERT_GE(before, 0);

  AddToxic("slow", R"({"type":"latency","attributes":{"latency":200}})");
  const double slowed = c.RoundTrip("ping");  // the open connection is affected at once
  EXPECT_GE(slowed, 180) << "before: " << before;
  Client fresh(port);
  ASSERT_TRUE(fresh.connected());
  EXPECT_GE(fresh.RoundTrip("ping"), 180);

  RemoveToxic("slow", "latency_downstream");
  const double after = c.RoundTrip("ping");
  ASSERT_GE(after, 0);
  EXPECT_LT(after, slowed / 4) << "before: " << before << " slowed: " << slowed;
}

// Members that share one peer address can only be given a proxy per link
// through unix sockets: the proxy listens on one and dials one. Here a TCP
// client reaches the echo through two proxies, "front" (TCP in, unix out)
// and "peer" (unix in, TCP out), and a toxic on "peer" slows the whole path.
TEST_F(FaultProxyTest, UnixSocketsCarryTrafficAndTakeToxics) {
  TempDir dir("sonde-proxy-unix");
  const std::string path = dir / "peer.sock";
  Upstream echo(Upstream::Echo);
  HttpResponse peer = Call("POST", "/proxies",
                           R"({"name":"peer","listen":"unix:)" + path +
                               R"(","upstream":"127.0.0.1:)" + std::to_string(echo.port()) + R"("})");
  ASSERT_EQ(peer.status, 201) << peer.body;
  EXPECT_EQ(Body(peer).at("listen").as_string(), "unix:" + path);
  ASSERT_TRUE(std::filesystem::is_socket(path));
  HttpResponse front = Call("POST", "/proxies",
                            R"({"name":"front","listen":"127.0.0.1:0","upstream":"unix:)" + path +
                                R"("})");
  ASSERT_EQ(front.status, 201) << front.body;

  // Bytes flow unchanged through both, both ways.
  Client c(ListenPort(Body(front)));
  ASSERT_TRUE(c.connected());
  const std::string payload = RandomBytes(256 * 1024);
  std::thread sender([&] { EXPECT_TRUE(c.Send(payload)); });
  const Client::Read got = c.ReadN(payload.size(), 20s);
  sender.join();
  EXPECT_TRUE(got.data == payload) << got.data.size() << " of " << payload.size() << " bytes";
  const double before = c.RoundTrip("ping");
  ASSERT_GE(before, 0);

  // A toxic on the unix-socket proxy reaches the open connection.
  AddToxic("peer", R"({"type":"latency","attributes":{"latency":200}})");
  const double slowed = c.RoundTrip("ping");
  EXPECT_GE(slowed, 180) << "before: " << before;
  Client direct(path);  // a unix client of "peer" itself
  ASSERT_TRUE(direct.connected()) << std::strerror(direct.connect_errno());
  EXPECT_GE(direct.RoundTrip("pong"), 180);
  RemoveToxic("peer", "latency_downstream");
  const double after = c.RoundTrip("ping");
  ASSERT_GE(after, 0);
  EXPECT_LT(after, slowed / 4) << "before: " << before << " slowed: " << slowed;

  // A live socket is not taken over; disabling removes the file, and a file
  // left behind by a crash is replaced.
  ExpectError(Call("POST", "/proxies",
                   R"({"name":"twin","listen":"unix:)" + path + R"(","upstream":"127.0.0.1:1"})"),
              500, "address already in use");
  ASSERT_EQ(Call("POST", "/proxies/peer", R"({"enabled":false})").status, 200);
  EXPECT_FALSE(std::filesystem::exists(path));
  {
    const int stale = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    ASSERT_EQ(::bind(stale, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ::close(stale);  // bound, never listened: what a crashed listener leaves
  }
  ASSERT_EQ(Call("POST", "/proxies/peer", R"({"enabled":true})").status, 200);
  Client again(path);
  ASSERT_TRUE(again.connected()) << std::strerror(again.connect_errno());
  EXPECT_GE(again.RoundTrip("back"), 0);
  // Bad unix addresses are named.
  ExpectError(Call("POST", "/proxies", R"({"name":"x","listen":"unix:","upstream":"127.0.0.1:1"})"),
              400, "a unix socket path must be 1 to 107 bytes");
  ExpectError(Call("POST", "/proxies", R"({"name":"y","listen":"127.0.0.1:0","upstream":"unix:"})"),
              400, "upstream \"unix:\": a unix socket path must be 1 to 107 bytes");
}

TEST_F(FaultProxyTest, LatencyDelaysAnHttpRequest) {
  testing::TestServer server;
  const uint16_t port = CreateProxy("web", server.port());
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/v1/status";
  auto timed = [&] {
    const auto start = SteadyClock::now();
    HttpResponse r = testing::FetchSync(url, 5s);
    EXPECT_EQ(r.status, 200) << r.error;
    return MillisSince(start);
  };
  const double direct = timed();
  AddToxic("web", R"({"type":"latency","attributes":{"latency":200}})");
  const double delayed = timed();
  EXPECT_GE(delayed, 180) << "without the toxic: " << direct;
  RemoveToxic("web", "latency_downstream");
  EXPECT_LT(timed(), delayed / 4);
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST_F(FaultProxyTest, RemovingLatencyDeliversDelayedDataInOrder) {
  Upstream echo(Upstream::Echo);
  const uint16_t port = CreateProxy("ordered", echo.port());
  AddToxic("ordered", R"({"type":"latency","attributes":{"latency":2000}})");
  Client c(port);
  ASSERT_TRUE(c.connected());
  std::string sent;
  for (int i = 0; i < 20; ++i) {
    const std::string part = "message " + std::to_string(i) + ";";
    ASSERT_TRUE(c.Send(part));
    sent += part;
    std::this_thread::sleep_for(2ms);
  }
  std::this_thread::sleep_for(100ms);
  // Held back while the toxic is there (a timeout reads nothing).
  EXPECT_EQ(c.ReadN(1, 50ms).end, Client::End::kTimeout) << "data passed the 2 s latency";
  const auto removed_at = SteadyClock::now();
  RemoveToxic("ordered", "latency_downstream");
  const Client::Read got = c.ReadN(sent.size(), 5s);
  EXPECT_EQ(got.data, sent);
  EXPECT_LT(MillisSince(removed_at), 1000);  // not the 2 s the toxic asked for
}

TEST_F(FaultProxyTest, ToxicChurnNeverLosesOrReordersBytes) {
  Upstream echo(Upstream::Echo);
  const uint16_t port = CreateProxy("churn", echo.port());
  const std::string payload = RandomBytes(1 << 20, 13);
  Client c(port);
  ASSERT_TRUE(c.connected());
  std::atomic<bool> streaming{true};
  std::thread sender([&] {
    for (size_t at = 0; at < payload.size(); at += 16 * 1024) {
      EXPECT_TRUE(c.Send(std::string_view(payload).substr(at, 16 * 1024)));
      std::this_thread::sleep_for(3ms);
    }
    c.ShutdownWrite();
  });
  // Toxics come and go on both streams while the bytes flow.
  std::thread churn([&] {
    const char* toxics[] = {
        R"({"name":"l","type":"latency","stream":"upstream","attributes":{"latency":3,"jitter":2}})",
        R"({"name":"s","type":"slicer","attributes":{"average_size":500,"size_variation":400}})",
        R"({"name":"b","type":"bandwidth","attributes":{"rate":20000}})",
        R"({"name":"h","type":"timeout","stream":"upstream","attributes":{"timeout":0}})",
        R"({"name":"d","type":"latency","attributes":{"latency":2}})"};
    const char* names[] = {"l", "s", "b", "h", "d"};
    for (int round = 0; streaming; ++round) {
      const int i = round % 5;
      AddToxic("churn", toxics[i]);
      std::this_thread::sleep_for(3ms);
      if (round % 2) {
        ASSERT_EQ(
            Call("POST", "/proxies/churn/toxics/" + std::string(names[i]), R"({"toxicity":0.5})")
                .status,
            200);
      }
      RemoveToxic("churn", names[i]);
    }
  });
  const Client::Read got = c.ReadUntilClosed(30s);
  streaming = false;
  churn.join();
  sender.join();
  EXPECT_EQ(got.end, Client::End::kEof);
  EXPECT_EQ(got.data.size(), payload.size());
  EXPECT_TRUE(got.data == payload);
}

TEST_F(FaultProxyTest, ToxicityZeroInjectsNothing) {
  Upstream echo(Upstream::Echo);
  const uint16_t port = CreateProxy("zero", echo.port());
  AddToxic("zero", R"({"type":"latency","toxicity":0,"attributes":{"latency":1000}})");
  AddToxic("zero", R"({"type":"timeout","toxicity":0,"stream":"upstream"})");
  for (int i = 0; i < 5; ++i) {
    Client c(port);
    ASSERT_TRUE(c.connected());
    const double rtt = c.RoundTrip("hello", 3s);
    ASSERT_GE(rtt, 0) << "connection " << i;
    EXPECT_LT(rtt, 500) << "connection " << i;
  }
}

TEST_F(FaultProxyTest, BlackholeHoldsDataAndDeliversItIntactOnceRemoved) {
  Upstream echo(Upstream::Echo);
  const uint16_t port = CreateProxy("hole", echo.port());
  AddToxic("hole", R"({"type":"timeout","stream":"upstream","attributes":{"timeout":0}})");
  Client c(port);
  ASSERT_TRUE(c.connected());
  const std::string payload = RandomBytes(256 * 1024, 7);
  ASSERT_TRUE(c.Send(payload));
  const Client::Read held = c.ReadN(1, 300ms);
  EXPECT_EQ(held.end, Client::End::kTimeout);  // nothing reached the server, the link is open
  EXPECT_TRUE(held.data.empty());
  EXPECT_EQ(OnIo([&] { return registry_.Find("hole")->queued_bytes(); }), payload.size());

  RemoveToxic("hole", "timeout_upstream");
  const Client::Read got = c.ReadN(payload.size(), 10s);
  EXPECT_EQ(got.data.size(), payload.size());
  EXPECT_TRUE(got.data == payload);
}

TEST_F(FaultProxyTest, BlackholeBacksOffTheSenderInsteadOfBuffering) {
  auto received = std::make_shared<std::atomic<size_t>>(0);
  Upstream sink(Sink(received));
  const uint16_t port = CreateProxy("full", sink.port());
  AddToxic("full", R"({"type":"timeout","stream":"upstream","attributes":{"timeout":0}})");
  Client c(port);
  ASSERT_TRUE(c.connected());
  const std::string block = RandomBytes(64 * 1024, 9);
  size_t sent = 0;
  // Push until the socket buffers are full and the proxy has stopped reading.
  const auto until = SteadyClock::now() + 10s;
  auto last_progress = SteadyClock::now();
  while (SteadyClock::now() < until && SteadyClock::now() - last_progress < 300ms) {
    const size_t n = c.SendSome(block);
    sent += n;
    if (n > 0)
      last_progress = SteadyClock::now();
    else
      std::this_thread::sleep_for(5ms);
  }
  const size_t queued = OnIo([&] { return registry_.Find("full")->queued_bytes(); });
  EXPECT_GE(queued, fault_proxy::Pipe::kMaxQueuedBytes);  // it did fill up...
  EXPECT_LE(queued,
            fault_proxy::Pipe::kMaxQueuedBytes + fault_proxy::Pipe::kBufferSize);  // ...and stopped
  EXPECT_GT(sent, queued);  // the rest waits in the kernel's buffers
  EXPECT_EQ(received->load(), 0u);

  RemoveToxic("full", "timeout_upstream");
  c.ShutdownWrite();
  for (int i = 0; i < 500 && received->load() < sent; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(received->load(), sent);
}

TEST_F(FaultProxyTest, TimeoutClosesTheConnectionAfterItsTimeout) {
  Upstream echo(Upstream::Echo);
  const uint16_t port = CreateProxy("timeout", echo.port());
  AddToxic("timeout", R"({"type":"timeout","attributes":{"timeout":200}})");
  const auto start = SteadyClock::now();
  Client c(port);
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send("anyone there?"));
  const Client::Read r = c.ReadUntilClosed(5s);
  const double elapsed = MillisSince(start);
  EXPECT_TRUE(r.data.empty());  // held, never delivered
  EXPECT_TRUE(r.end == Client::End::kEof || r.end == Client::End::kReset);
  EXPECT_GE(elapsed, 180);
  EXPECT_LT(elapsed, 2000);
}

TEST_F(FaultProxyTest, LimitDataClosesAfterThatManyBytes) {
  Upstream echo(Upstream::Echo);
  const uint16_t port = CreateProxy("limited", echo.port());
  AddToxic("limited", R"({"type":"limit_data","attributes":{"bytes":1000}})");
  Client c(port);
  ASSERT_TRUE(c.connected());
  const std::string payload = RandomBytes(5000, 3);
  ASSERT_TRUE(c.Send(payload));
  const Client::Read r = c.ReadUntilClosed(5s);
  EXPECT_EQ(r.data, payload.substr(0, 1000));
  EXPECT_TRUE(r.end == Client::End::kEof || r.end == Client::End::kReset)
      << static_cast<int>(r.end);
}

TEST_F(FaultProxyTest, ResetPeerResetsTheConnection) {
  Upstream echo(Upstream::Echo);
  const uint16_t port = CreateProxy("rst", echo.port());
  AddToxic("rst", R"({"type":"reset_peer","attributes":{"timeout":100}})");
  Client c(port);
  ASSERT_TRUE(c.connected());
  const auto start = SteadyClock::now();
  ASSERT_TRUE(c.Send("hello"));
  const Client::Read r = c.ReadUntilClosed(5s);
  EXPECT_EQ(r.end, Client::End::kReset);  // ECONNRESET, not a FIN
  EXPECT_TRUE(r.data.empty());
  EXPECT_GE(MillisSince(start), 90);
}

TEST_F(FaultProxyTest, SlicerDeliversEveryByteIntact) {
  Upstream echo(Upstream::Echo);
  const uint16_t port = CreateProxy("sliced", echo.port());
  AddToxic("sliced",
           R"({"type":"slicer","attributes":{"average_size":100,"size_variation":50,"delay":20}})");
  AddToxic(
      "sliced",
      R"({"type":"slicer","stream":"upstream","attributes":{"average_size":7,"size_variation":6}})");
  Client c(port);
  ASSERT_TRUE(c.connected());
  const std::string payload = RandomBytes(64 * 1024, 5);
  std::thread sender([&] { EXPECT_TRUE(c.Send(payload)); });
  const Client::Read r = c.ReadN(payload.size(), 20s);
  sender.join();
  EXPECT_EQ(r.data.size(), payload.size());
  EXPECT_TRUE(r.data == payload);
}

TEST_F(FaultProxyTest, SlowCloseHoldsBackTheFin) {
  Upstream source(Source("bye"));
  const uint16_t port = CreateProxy("lingering", source.port());
  AddToxic("lingering", R"({"type":"slow_close","attributes":{"delay":300}})");
  const auto start = SteadyClock::now();
  Client c(port);
  ASSERT_TRUE(c.connected());
  const Client::Read r = c.ReadUntilClosed(5s);
  EXPECT_EQ(r.data, "bye");
  EXPECT_EQ(r.end, Client::End::kEof);
  EXPECT_GE(MillisSince(start), 280);
}

TEST_F(FaultProxyTest, DisabledProxyClosesItsConnectionsAndRefusesNewOnes) {
  Upstream echo(Upstream::Echo);
  const uint16_t port = CreateProxy("off", echo.port());
  Client open(port);
  ASSERT_TRUE(open.connected());
  ASSERT_GE(open.RoundTrip("hi"), 0);

  ASSERT_EQ(Call("POST", "/proxies/off", R"({"enabled":false})").status, 200);
  const Client::Read r = open.ReadUntilClosed(2s);
  EXPECT_TRUE(r.end == Client::End::kEof || r.end == Client::End::kReset);
  Client refused(port);
  EXPECT_FALSE(refused.connected());
  EXPECT_EQ(refused.connect_errno(), ECONNREFUSED);

  ASSERT_EQ(Call("POST", "/proxies/off", R"({"enabled":true})").status, 200);
  Client again(port);
  ASSERT_TRUE(again.connected());
  EXPECT_GE(again.RoundTrip("back"), 0);
}

TEST_F(FaultProxyTest, BandwidthLimitsThroughput) {
  const std::string payload = RandomBytes(300 * 1000, 11);
  Upstream source(Source(payload));
  const uint16_t port = CreateProxy("narrow", source.port());

  auto transfer = [&] {
    const auto start = SteadyClock::now();
    Client c(port);
    EXPECT_TRUE(c.connected());
    const Client::Read r = c.ReadUntilClosed(20s);
    EXPECT_TRUE(r.data == payload);
    return MillisSince(start);
  };
  const double free_ms = transfer();
  AddToxic("narrow", R"({"type":"bandwidth","attributes":{"rate":500}})");  // 500 KB/s
  const double limited_ms = transfer();
  // 300 KB at 500 KB/s is 600 ms; loopback without the toxic is far faster.
  EXPECT_GE(limited_ms, 0.8 * 600);
  EXPECT_LE(limited_ms, 3 * 600);
  EXPECT_GE(limited_ms / std::max(free_ms, 1.0), 4) << "free: " << free_ms;
}

// --- `sonde proxy` ---------------------------------------------------------------

TEST(FaultProxyCommand, ServesItsConfigUntilSigterm) {
  Upstream echo(Upstream::Echo);
  TempDir dir;
  const uint16_t proxy_port = testing::UnusedLoopbackPort();
  {
    std::ofstream config(dir / "toxiproxy.json");
    config << R"([{"name":"from_file","listen":"127.0.0.1:)" << proxy_port
           << R"(","upstream":"127.0.0.1:)" << echo.port() << R"("}])";
  }
  const uint16_t api_port = testing::UnusedLoopbackPort();
  ProxyOptions options;
  options.listen = "127.0.0.1:" + std::to_string(api_port);
  options.config_file = dir / "toxiproxy.json";
  std::promise<int> exit_code;
  std::thread command([&] { exit_code.set_value(CommandProxy(options)); });

  HttpResponse listed;
  for (int i = 0; i < 200 && listed.status != 200; ++i) {
    std::this_thread::sleep_for(10ms);
    listed = testing::FetchSync("http://127.0.0.1:" + std::to_string(api_port) + "/proxies", 1s);
  }
  ASSERT_EQ(listed.status, 200) << listed.error;
  EXPECT_NE(listed.body.find("\"from_file\""), std::string::npos) << listed.body;
  Client c(proxy_port);
  ASSERT_TRUE(c.connected());
  EXPECT_GE(c.RoundTrip("through the configured proxy"), 0);

  ::kill(::getpid(), SIGTERM);  // caught by the command's signal set
  auto done = exit_code.get_future();
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(done.get(), 0);
  command.join();
  EXPECT_FALSE(Client(proxy_port).connected());
  EXPECT_FALSE(Client(api_port).connected());
}

TEST(FaultProxyCommand, ExitsTwoWhenTheApiPortIsTakenOrTheConfigIsBad) {
  testing::TestServer taken;
  ProxyOptions options;
  options.listen = "127.0.0.1:" + std::to_string(taken.port());
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(CommandProxy(options), 2);
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("cannot listen on 127.0.0.1:" + std::to_string(taken.port())),
            std::string::npos)
      << err;

  TempDir dir;
  {
    std::ofstream config(dir / "bad.json");
    config << R"([{"name":"no_upstream"}])";
  }
  options.listen = "127.0.0.1:0";
  options.config_file = dir / "bad.json";
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(CommandProxy(options), 2);
  err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("missing required field: upstream at proxy 1"), std::string::npos) << err;

  options.config_file = dir / "missing.json";
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(CommandProxy(options), 2);
  err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("cannot read config file"), std::string::npos) << err;
}

}  // namespace
}  // namespace sonde
