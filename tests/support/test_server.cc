#include "tests/support/test_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <future>
#include <list>
#include <optional>
#include <thread>

namespace sonde::testing {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr uint64_t kRequestBodyLimit = 8 * 1024 * 1024;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TestResponse DefaultHandler(const TestRequest&) {
  return TestResponse{
      .status = 200, .headers = {{"Content-Type", "application/json"}}, .body = "{}"};
}

// One accepted connection; owned by the io thread. With TLS, `tls` layers
// over `socket`, so closing `socket` ends either kind of connection.
struct Connection {
  explicit Connection(tcp::socket s) : socket(std::move(s)), delay(socket.get_executor()) {}
  tcp::socket socket;
  std::optional<ssl::stream<tcp::socket&>> tls;  // declared after: destroyed first
  asio::steady_timer delay;
};

// Throws boost::system::system_error when a file cannot be loaded.
std::unique_ptr<ssl::context> MakeServerContext(const TestServer::Tls& tls) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  if (tls.tls12_only) context->set_options(ssl::context::no_tlsv1_3);
  context->use_certificate_chain_file(tls.cert_pem_file);
  context->use_private_key_file(tls.key_pem_file, ssl::context::pem);
  if (!tls.client_ca_file.empty()) {
    context->load_verify_file(tls.client_ca_file);
    context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
  return context;
}

}  // namespace

class TestServer::Impl {
 public:
  // `tls` null: plain HTTP.
  Impl(uint16_t port, const Tls* tls)
      : tls_context_(tls != nullptr ? MakeServerContext(*tls) : nullptr), acceptor_(io_) {
    const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, Accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }

  ~Impl() {
    Stop();
    thread_.join();  // returns once every connection coroutine has ended
  }

  uint16_t port() const { return port_; }
  bool tls() const { return tls_context_ != nullptr; }

  void SetHandler(Handler handler) {
    std::lock_guard lock(mu_);
    handler_ = std::move(handler);
  }

  std::vector<TestRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

  void Stop() {
    if (io_.get_executor().running_in_this_thread()) return StopOnIoThread();
    std::promise<void> done;
    asio::post(io_, [&] {
      StopOnIoThread();
      done.set_value();
    });
    // Wait so that the port refuses as soon as Stop returns. If the io thread
    // already finished (stopped before), the post never runs: don't wait.
    auto f = done.get_future();
    while (f.wait_for(std::chrono::milliseconds(10)) != std::future_status::ready) {
      if (io_.stopped()) return;
    }
  }

 private:
  void StopOnIoThread() {
    stopped_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& c : connections_) {
      c->delay.cancel();
      c->socket.shutdown(tcp::socket::shutdown_both, ignored);
      c->socket.close(ignored);
    }
  }

  asio::awaitable<void> Accept() {
    while (!stopped_) {
      auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
      if (ec) {
        if (!acceptor_.is_open()) break;
        continue;
      }
      connections_.push_back(std::make_shared<Connection>(std::move(socket)));
      asio::co_spawn(io_, Serve(std::prev(connections_.end())), asio::detached);
    }
  }

  asio::awaitable<void> Serve(std::list<std::shared_ptr<Connection>>::iterator it) {
    std::shared_ptr<Connection> c = *it;
    if (tls_context_ == nullptr) {
      co_await ServeRequests(c->socket, c->delay);
    } else {
      c->tls.emplace(c->socket, *tls_context_);
      // Ends when the client gives up or Stop closes the socket. A failed
      // handshake just drops the connection.
      auto [handshake_ec] = co_await c->tls->async_handshake(ssl::stream_base::server, kNoThrow);
      if (!handshake_ec) co_await ServeRequests(*c->tls, c->delay);
    }
    // No TLS close_notify: the responses are length-delimited, and waiting
    // for the peer's reply could stall on a client that already left.
    boost::system::error_code ignored;
    c->socket.close(ignored);
    connections_.erase(it);
  }

  // The one request loop for both kinds of connection: `Stream` is
  // tcp::socket or ssl::stream<tcp::socket&>.
  template <typename Stream>
  asio::awaitable<void> ServeRequests(Stream& stream, asio::steady_timer& delay) {
    boost::beast::flat_buffer buffer;
    while (!stopped_) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(kRequestBodyLimit);
      auto [read_ec, n] = co_await http::async_read(stream, buffer, parser, kNoThrow);
      if (read_ec) co_return;
      const auto& req = parser.get();

      TestRequest recorded{.method = std::string(req.method_string()),
                           .target = std::string(req.target()),
                           .headers = {},
                           .body = req.body()};
      for (const auto& field : req) {
        recorded.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
      }
      Handler handler;
      {
        std::lock_guard lock(mu_);
        requests_.push_back(recorded);
        handler = handler_;
      }
      const TestResponse response = handler ? handler(recorded) : DefaultHandler(recorded);

      if (response.delay.count() > 0) {
        delay.expires_after(response.delay);
        auto [wait_ec] = co_await delay.async_wait(kNoThrow);
        if (wait_ec || stopped_) co_return;
      }
      if (response.close_without_response) co_return;

      const bool keep_alive = req.keep_alive();
      boost::system::error_code write_ec;
      if (req.method() == http::verb::head) {
        // A HEAD response announces the length of the body it does not send.
        http::response<http::empty_body> res{static_cast<http::status>(response.status),
                                             req.version()};
        for (const auto& [name, value] : response.headers) res.set(name, value);
        res.content_length(response.body.size());
        res.keep_alive(keep_alive);
        std::tie(write_ec, n) = co_await http::async_write(stream, res, kNoThrow);
      } else {
        http::response<http::string_body> res{static_cast<http::status>(response.status),
                                              req.version()};
        for (const auto& [name, value] : response.headers) res.set(name, value);
        res.body() = response.body;
        res.keep_alive(keep_alive);
        res.prepare_payload();  // Content-Length
        std::tie(write_ec, n) = co_await http::async_write(stream, res, kNoThrow);
      }
      if (write_ec || !keep_alive) co_return;
    }
  }

  // Null for plain HTTP. Outlives io_, whose pending operations may still
  // hold SSL objects made from it.
  std::unique_ptr<ssl::context> tls_context_;
  // Declared early so it is destroyed late: everything below uses it.
  asio::io_context io_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  Handler handler_;                    // guarded by mu_; empty means default
  std::vector<TestRequest> requests_;  // guarded by mu_
  // io thread only:
  bool stopped_ = false;
  std::list<std::shared_ptr<Connection>> connections_;
};

TestServer::TestServer() : impl_(std::make_unique<Impl>(0, nullptr)) {}
TestServer::TestServer(const Tls& tls, uint16_t port) : impl_(std::make_unique<Impl>(port, &tls)) {}
TestServer::~TestServer() = default;

uint16_t TestServer::port() const { return impl_->port(); }
std::string TestServer::base_url() const {
  return (impl_->tls() ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port());
}
void TestServer::SetHandler(Handler handler) { impl_->SetHandler(std::move(handler)); }
std::vector<TestRequest> TestServer::requests() const { return impl_->requests(); }
void TestServer::Stop() { impl_->Stop(); }

uint16_t UnusedLoopbackPort() {
  asio::io_context io;
  tcp::socket socket(io);
  socket.open(tcp::v4());
  socket.bind(tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
  const uint16_t port = socket.local_endpoint().port();
  socket.close();
  return port;
}

}  // namespace sonde::testing
