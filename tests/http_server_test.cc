// net/http_server.h, the server under every server of sonde's, as clients
// meet it: raw sockets for what no polite client sends (oversized and
// malformed requests, idle connections), curl over TLS.
#include "net/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/field.hpp>
#include <future>
#include <stdexcept>
#include <thread>

#include "tests/support/subprocess.h"
#include "tests/support/test_certs.h"

namespace sonde {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

asio::awaitable<net::Response> Echo(const net::Request& req) {
  if (req.target() == "/throw") throw std::runtime_error("handler broke");
  net::Response res;
  res.result(http::status::ok);
  res.set(http::field::content_type, "text/plain");
  res.body() = "hello " + std::string(req.target());
  co_return res;
}

// A server on a thread of its own.
class Served {
 public:
  explicit Served(net::ServerOptions options = {}) : server_(io_.get_executor(), Echo, std::move(options)) {}
  ~Served() {
    Run([this] { server_.Stop(); });
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::optional<std::string> Listen() {
    auto error = server_.Listen("127.0.0.1", 0);
    thread_ = std::thread([this] { io_.run(); });
    return error;
  }
  uint16_t port() const { return server_.port(); }
  size_t open_connections() {
    size_t n = 0;
    Run([&] { n = server_.open_connections(); });
    return n;
  }

 private:
  template <class F>
  void Run(F f) {
    std::promise<void> done;
    asio::post(io_, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  net::HttpServer server_;
  std::thread thread_;
};

// A connected TCP socket with a receive timeout.
int Connect(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends `request` (as much as the server takes) and reads until the server
// closes or 5 s pass: what came back.
std::string Exchange(uint16_t port, const std::string& request) {
  const int fd = Connect(port);
  if (fd < 0) return "";
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server refused the rest and closed
    sent += static_cast<size_t>(n);
  }
  std::string answer;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    answer.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

int StatusOf(const std::string& answer) {
  if (answer.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::atoi(answer.c_str() + 9);
}

TEST(HttpServer, AnswersEveryOversizedOrMalformedRequestWithItsStatus) {
  Served served;
  ASSERT_EQ(served.Listen(), std::nullopt);
  const uint16_t port = served.port();
  // A field over the 16 KiB header limit.
  EXPECT_EQ(StatusOf(Exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                        std::string(20 * 1024, 'a') + "\r\n\r\n")),
            431);
  // Many small fields, together over the limit.
  std::string flood = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 2000; ++i) flood += "X-" + std::to_string(i) + ": y\r\n";
  EXPECT_EQ(StatusOf(Exchange(port, flood + "\r\n")), 431);
  // A 10 KiB target (under the header limit, over the target limit) and a
  // 40 KiB one (over both).
  EXPECT_EQ(StatusOf(Exchange(port, "GET /" + std::string(10 * 1024, 'a') +
                                        " HTTP/1.1\r\nHost: x\r\n\r\n")),
            414);
  EXPECT_EQ(StatusOf(Exchange(port, "GET /" + std::string(40 * 1024, 'a') +
                                        " HTTP/1.1\r\nHost: x\r\n\r\n")),
            414);
  // A body over the 1 MiB default; the answer arrives although the client
  // is still sending.
  EXPECT_EQ(StatusOf(Exchange(port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n" +
                                        std::string(2 * 1024 * 1024, 'b'))),
            413);
  // Not HTTP.
  const std::string bad_length =
      Exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
  EXPECT_EQ(StatusOf(bad_length), 400);
  EXPECT_NE(bad_length.find("malformed request"), std::string::npos) << bad_length;
  EXPECT_EQ(StatusOf(Exchange(port, "G(T / HTTP/1.1\r\nHost: x\r\n\r\n")), 400);
  EXPECT_EQ(StatusOf(Exchange(port, "GET / HTTP/1.1\nHost: x\r\n\r\n")), 400);
  // And it goes on serving.
  const std::string fine = Exchange(port, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(fine), 200);
  EXPECT_NE(fine.find("hello /ok"), std::string::npos) << fine;
}

TEST(HttpServer, AHandlerThatThrowsGets500AndTheServerGoesOn) {
  Served served;
  ASSERT_EQ(served.Listen(), std::nullopt);
  const std::string thrown =
      Exchange(served.port(), "GET /throw HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(thrown), 500);
  EXPECT_NE(thrown.find("handler broke"), std::string::npos) << thrown;
  EXPECT_EQ(StatusOf(Exchange(served.port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
            200);
}

TEST(HttpServer, CapsOpenConnectionsAndClosesSilentOnes) {
  net::ServerOptions options;
  options.max_connections = 4;
  options.read_timeout = 500ms;
  Served served(options);
  ASSERT_EQ(served.Listen(), std::nullopt);
  std::vector<int> idle;
  for (int i = 0; i < 12; ++i) idle.push_back(Connect(served.port()));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(served.open_connections(), 4u) << "the cap holds; the rest were closed on arrival";
  // The read deadline closes the silent ones: every socket sees the close.
  const auto t0 = std::chrono::steady_clock::now();
  for (int fd : idle) {
    char c;
    EXPECT_LE(::recv(fd, &c, 1, 0), 0);
    ::close(fd);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 4s);
  for (int i = 0; i < 50 && served.open_connections() > 0; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(served.open_connections(), 0u);
  EXPECT_EQ(StatusOf(Exchange(served.port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
            200);
}

TEST(HttpServer, ServesHttpsWithTheConfiguredCertificate) {
  testing::TestCerts certs;
  net::ServerOptions options;
  options.tls_cert_file = certs.server_cert_file();
  options.tls_key_file = certs.server_key_file();
  Served served(options);
  ASSERT_EQ(served.Listen(), std::nullopt);
  const std::string url = "https://127.0.0.1:" + std::to_string(served.port()) + "/tls";
  auto ok = testing::RunProcess({"/usr/bin/curl", "-sS", "--cacert", certs.ca_file(), url}, 10s);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "hello /tls");
  // Without the CA the certificate is not trusted; plain HTTP gets nothing.
  EXPECT_NE(testing::RunProcess({"/usr/bin/curl", "-sS", url}, 10s).exit_code, 0);
  const std::string plain = Exchange(served.port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(StatusOf(plain), 0) << plain;
  // Still serving.
  EXPECT_EQ(testing::RunProcess({"/usr/bin/curl", "-sS", "--cacert", certs.ca_file(), url}, 10s).out,
            "hello /tls");
}

TEST(HttpServer, ListenNamesTheTlsFileThatWouldNotLoad) {
  net::ServerOptions options;
  options.tls_cert_file = "/nonexistent/cert.pem";
  options.tls_key_file = "/nonexistent/key.pem";
  asio::io_context io;
  net::HttpServer server(io.get_executor(), Echo, options);
  auto error = server.Listen("127.0.0.1", 0);
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("TLS certificate /nonexistent/cert.pem"), std::string::npos) << *error;
  options.tls_key_file.clear();
  net::HttpServer half(io.get_executor(), Echo, options);
  error = half.Listen("127.0.0.1", 0);
  ASSERT_TRUE(error);
  EXPECT_EQ(*error, "TLS needs both a certificate file and a key file");
}

}  // namespace
}  // namespace sonde
