#include "probes/http_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <optional>
#include <string>
#include <variant>

#include "tests/support/test_server.h"

namespace sonde {

// Lets gtest print reasons by name.
void PrintTo(Reason r, std::ostream* os) { *os << ToString(r); }

namespace {

namespace asio = boost::asio;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using testing::TestRequest;
using testing::TestResponse;
using testing::TestServer;
using Clock = std::chrono::steady_clock;

const std::string* FindHeader(const TestRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

TestResponse Respond(std::string body, milliseconds delay = milliseconds(0)) {
  TestResponse r;
  r.body = std::move(body);
  r.delay = delay;
  return r;
}

TestResponse CloseWithoutResponse() {
  TestResponse r;
  r.close_without_response = true;
  return r;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void ExpectPhasesConsistent(const HttpPhases& p) {
  EXPECT_GE(p.resolve.count(), 0);
  EXPECT_GE(p.connect.count(), 0);
  EXPECT_GE(p.tls.count(), 0);
  EXPECT_GE(p.processing.count(), 0);
  EXPECT_GE(p.transfer.count(), 0);
  EXPECT_EQ(p.resolve + p.connect + p.tls + p.processing + p.transfer, p.total);
}

// Spawns `work` and runs io until it completes (or 10 s pass).
void RunUntilDone(asio::io_context& io, asio::awaitable<void> work) {
  bool done = false;
  std::exception_ptr error;
  asio::co_spawn(io, std::move(work), [&](std::exception_ptr e) {
    error = e;
    done = true;
  });
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  io.restart();
  while (!done && Clock::now() < deadline) io.run_one_for(milliseconds(100));
  ASSERT_TRUE(done) << "timed out";
  if (error) std::rethrow_exception(error);
}

class HttpClientTest : public ::testing::Test {
 protected:
  HttpRequest Get(std::string path) {
    HttpRequest r;
    r.url = server_.base_url() + path;
    return r;
  }

  HttpResponse Fetch(HttpRequest request) {
    HttpResponse out;
    RunUntilDone(io_, [&]() -> asio::awaitable<void> {
      out = co_await client_.Fetch(std::move(request));
    }());
    return out;
  }

  TestServer server_;
  asio::io_context io_;
  HttpClient client_{io_.get_executor()};
};

TEST_F(HttpClientTest, GetReturnsStatusHeadersAndBodyExactly) {
  server_.SetHandler([](const TestRequest&) {
    return TestResponse{.status = 203,
                        .headers = {{"Content-Type", "text/plain"}, {"X-Custom", "a b"}},
                        .body = "hello\r\nworld"};
  });
  HttpResponse r = Fetch(Get("/path?q=1"));
  EXPECT_EQ(r.failure, Reason::kNone) << r.error;
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.status, 203);
  EXPECT_EQ(r.body, "hello\r\nworld");
  ASSERT_NE(r.Header("x-custom"), nullptr);
  EXPECT_EQ(*r.Header("x-custom"), "a b");
  ASSERT_NE(r.Header("content-type"), nullptr);
  EXPECT_EQ(*r.Header("content-type"), "text/plain");
  ASSERT_NE(r.Header("content-length"), nullptr);
  EXPECT_EQ(*r.Header("content-length"), "12");
  EXPECT_EQ(r.Header("X-Custom"), nullptr);  // lookups take lower-case names
  for (const auto& [name, value] : r.headers) EXPECT_EQ(name, Lower(name)) << name;

  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/path?q=1");
  EXPECT_EQ(requests[0].body, "");
  EXPECT_EQ(client_.in_flight(), 0u);
}

TEST_F(HttpClientTest, DefaultServerAnswersJson) {
  HttpResponse r = Fetch(Get("/"));
  EXPECT_EQ(r.failure, Reason::kNone) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{}");
  ASSERT_NE(r.Header("content-type"), nullptr);
  EXPECT_EQ(*r.Header("content-type"), "application/json");
}

TEST_F(HttpClientTest, PostSendsMethodHeadersAndBody) {
  HttpRequest req = Get("/v1/tx");
  req.method = "POST";
  req.headers = {{"Content-Type", "application/json"}, {"X-Trace", "abc123"}};
  req.body = R"({"amount":1})";
  HttpResponse r = Fetch(std::move(req));
  EXPECT_EQ(r.failure, Reason::kNone) << r.error;
  EXPECT_EQ(r.status, 200);

  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const TestRequest& got = requests[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/v1/tx");
  EXPECT_EQ(got.body, R"({"amount":1})");
  ASSERT_NE(FindHeader(got, "content-type"), nullptr);
  EXPECT_EQ(*FindHeader(got, "content-type"), "application/json");
  ASSERT_NE(FindHeader(got, "x-trace"), nullptr);
  EXPECT_EQ(*FindHeader(got, "x-trace"), "abc123");
  ASSERT_NE(FindHeader(got, "content-length"), nullptr);
  EXPECT_EQ(*FindHeader(got, "content-length"), "12");
}

TEST_F(HttpClientTest, MethodIsKeptWhateverTheBody) {
  HttpRequest get_with_body = Get("/g");
  get_with_body.body = "q";
  HttpRequest empty_post = Get("/p");
  empty_post.method = "POST";
  HttpRequest del = Get("/d");
  del.method = "DELETE";
  for (HttpRequest req : {get_with_body, empty_post, del}) {
    EXPECT_EQ(Fetch(std::move(req)).failure, Reason::kNone);
  }
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].body, "q");
  EXPECT_EQ(requests[1].method, "POST");
  ASSERT_NE(FindHeader(requests[1], "content-length"), nullptr);
  EXPECT_EQ(*FindHeader(requests[1], "content-length"), "0");
  EXPECT_EQ(requests[2].method, "DELETE");
  EXPECT_EQ(requests[2].body, "");
}

TEST_F(HttpClientTest, LargePutBodyArrivesIntactWithoutExpectStall) {
  HttpRequest req = Get("/blob");
  req.method = "PUT";
  req.body.resize(300 * 1024);
  for (size_t i = 0; i < req.body.size(); ++i) req.body[i] = static_cast<char>('a' + i % 26);
  const std::string sent = req.body;
  const auto start = Clock::now();
  HttpResponse r = Fetch(std::move(req));
  const auto elapsed = Clock::now() - start;
  EXPECT_EQ(r.failure, Reason::kNone) << r.error;
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].body, sent);
  EXPECT_EQ(FindHeader(requests[0], "expect"), nullptr);
  // curl waits 1 s for "100 Continue" if it sends "Expect: 100-continue".
  EXPECT_LT(elapsed, milliseconds(900));
}

TEST_F(HttpClientTest, HeadGetsHeadersButNoBody) {
  server_.SetHandler([](const TestRequest&) {
    return TestResponse{.status = 200, .headers = {{"X-Kind", "head"}}, .body = "abcdef"};
  });
  HttpRequest req = Get("/h");
  req.method = "HEAD";
  HttpResponse r = Fetch(std::move(req));
  EXPECT_EQ(r.failure, Reason::kNone) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  ASSERT_NE(r.Header("content-length"), nullptr);
  EXPECT_EQ(*r.Header("content-length"), "6");
  ASSERT_NE(r.Header("x-kind"), nullptr);
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "HEAD");
}

TEST_F(HttpClientTest, RefusedPortIsConnectFailure) {
  HttpRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort()) + "/";
  HttpResponse r = Fetch(std::move(req));
  EXPECT_EQ(r.failure, Reason::kConnect) << r.error;
  EXPECT_FALSE(r.error.empty());
  EXPECT_EQ(r.status, 0);
  ExpectPhasesConsistent(r.phases);
  EXPECT_EQ(r.phases.processing.count(), 0);
  EXPECT_EQ(r.phases.transfer.count(), 0);
}

TEST_F(HttpClientTest, StoppedServerRefuses) {
  const std::string url = server_.base_url() + "/";
  server_.Stop();
  HttpRequest req;
  req.url = url;
  EXPECT_EQ(Fetch(std::move(req)).failure, Reason::kConnect);
}

TEST_F(HttpClientTest, SlowServerTimesOut) {
  server_.SetHandler([](const TestRequest&) { return Respond("", milliseconds(500)); });
  HttpRequest req = Get("/slow");
  req.timeout = milliseconds(100);
  const auto start = Clock::now();
  HttpResponse r = Fetch(std::move(req));
  const auto elapsed = Clock::now() - start;
  EXPECT_EQ(r.failure, Reason::kTimeout) << r.error;
  EXPECT_GE(r.phases.total, milliseconds(100));
  EXPECT_LT(r.phases.total, milliseconds(500));
  EXPECT_LT(elapsed, milliseconds(500));
  ExpectPhasesConsistent(r.phases);
  // The failure happened while waiting for the first byte.
  EXPECT_GE(r.phases.processing, milliseconds(90));
  EXPECT_EQ(r.phases.transfer.count(), 0);
}

TEST_F(HttpClientTest, ClosedWithoutResponseIsInvalidResponse) {
  server_.SetHandler([](const TestRequest&) { return CloseWithoutResponse(); });
  HttpResponse r = Fetch(Get("/close"));
  EXPECT_EQ(r.failure, Reason::kInvalidResponse) << r.error;
  EXPECT_FALSE(r.error.empty());
  ExpectPhasesConsistent(r.phases);
}

TEST_F(HttpClientTest, BodyOverCapIsInvalidResponse) {
  server_.SetHandler([](const TestRequest& req) {
    return Respond(std::string(req.target == "/big" ? 5000 : 1000, 'x'));
  });
  HttpRequest big = Get("/big");
  big.max_response_bytes = 1000;
  HttpResponse r = Fetch(std::move(big));
  EXPECT_EQ(r.failure, Reason::kInvalidResponse) << r.error;
  EXPECT_EQ(r.error, "response body exceeds 1000 bytes");
  ExpectPhasesConsistent(r.phases);

  HttpRequest exact = Get("/exact");  // exactly at the cap is fine
  exact.max_response_bytes = 1000;
  HttpResponse ok = Fetch(std::move(exact));
  EXPECT_EQ(ok.failure, Reason::kNone) << ok.error;
  EXPECT_EQ(ok.body.size(), 1000u);
}

TEST_F(HttpClientTest, PhasesSumToTotalAndMatchWallClock) {
  server_.SetHandler(
      [](const TestRequest&) { return Respond(std::string(64 * 1024, 'p'), milliseconds(50)); });
  HttpPhases p;
  microseconds wall{0};
  RunUntilDone(io_, [&]() -> asio::awaitable<void> {
    const auto start = Clock::now();
    HttpResponse r = co_await client_.Fetch(Get("/timed"));
    wall = std::chrono::duration_cast<microseconds>(Clock::now() - start);
    EXPECT_EQ(r.failure, Reason::kNone) << r.error;
    p = r.phases;
  }());
  ExpectPhasesConsistent(p);
  EXPECT_EQ(p.tls.count(), 0);  // plain HTTP
  EXPECT_GE(p.processing, milliseconds(50));
  EXPECT_LE(p.total, wall);
  // The event loop's own overhead around curl's measurement must stay small
  // next to the request itself. An absolute bound (it is ~0.1 ms on an idle
  // machine) would flake on a loaded one; bench/latency_fidelity measures it.
  EXPECT_LT(wall - p.total, p.total)
      << "wall " << wall.count() << "us, total " << p.total.count() << "us";
}

TEST_F(HttpClientTest, FiftyConcurrentFetchesGetTheirOwnBodies) {
  server_.SetHandler([](const TestRequest& req) { return Respond(req.target, milliseconds(100)); });
  constexpr int kCount = 50;
  std::vector<std::optional<HttpResponse>> results(kCount);
  int done = 0;
  for (int i = 0; i < kCount; ++i) {
    asio::co_spawn(
        io_,
        [&, i]() -> asio::awaitable<void> {
          results[i] = co_await client_.Fetch(Get("/item/" + std::to_string(i)));
          ++done;
        },
        asio::detached);
  }
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(10);
  while (done < kCount && Clock::now() < deadline) io_.run_one_for(milliseconds(100));
  const auto elapsed = Clock::now() - start;
  ASSERT_EQ(done, kCount);
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(results[i].has_value());
    EXPECT_EQ(results[i]->failure, Reason::kNone) << i << ": " << results[i]->error;
    EXPECT_EQ(results[i]->body, "/item/" + std::to_string(i));
  }
  EXPECT_EQ(server_.requests().size(), static_cast<size_t>(kCount));
  EXPECT_EQ(client_.in_flight(), 0u);
  // Serially this would take 5 s; concurrently about one server delay.
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST_F(HttpClientTest, CancellationByOperatorOrCompletesAsInternal) {
  using namespace asio::experimental::awaitable_operators;
  server_.SetHandler([](const TestRequest& req) {
    return Respond("", req.target == "/slow" ? milliseconds(3000) : milliseconds(0));
  });
  std::optional<HttpResponse> fetched;
  std::size_t winner = 99;
  microseconds elapsed{0};
  RunUntilDone(io_, [&]() -> asio::awaitable<void> {
    auto fetch = [&]() -> asio::awaitable<void> { fetched = co_await client_.Fetch(Get("/slow")); };
    asio::steady_timer timer(io_, milliseconds(50));
    const auto start = Clock::now();
    auto result = co_await (fetch() || timer.async_wait(asio::use_awaitable));
    elapsed = std::chrono::duration_cast<microseconds>(Clock::now() - start);
    winner = result.index();
  }());
  EXPECT_EQ(winner, 1u);  // the timer
  ASSERT_TRUE(fetched.has_value());
  EXPECT_EQ(fetched->failure, Reason::kInternal);
  EXPECT_EQ(fetched->error, "cancelled");
  ExpectPhasesConsistent(fetched->phases);
  EXPECT_LT(elapsed, milliseconds(1000));
  EXPECT_EQ(client_.in_flight(), 0u);

  HttpResponse later = Fetch(Get("/fast"));
  EXPECT_EQ(later.failure, Reason::kNone) << later.error;
  EXPECT_EQ(later.status, 200);
}

// Starts `n` fetches of a slow path; returns their slots.
std::vector<std::optional<HttpResponse>>* StartSlow(asio::io_context& io, HttpClient& client,
                                                    const std::string& url, int n,
                                                    std::vector<std::optional<HttpResponse>>& out) {
  out.resize(n);
  for (int i = 0; i < n; ++i) {
    asio::co_spawn(
        io,
        [&client, &out, url, i]() -> asio::awaitable<void> {
          HttpRequest req;
          req.url = url;
          out[i] = co_await client.Fetch(std::move(req));
        },
        asio::detached);
  }
  return &out;
}

bool AllDone(const std::vector<std::optional<HttpResponse>>& v) {
  for (const auto& r : v) {
    if (!r) return false;
  }
  return true;
}

TEST_F(HttpClientTest, AbortAllCompletesInFlightAsInternal) {
  server_.SetHandler([](const TestRequest&) { return Respond("", milliseconds(3000)); });
  std::vector<std::optional<HttpResponse>> results;
  StartSlow(io_, client_, server_.base_url() + "/slow", 3, results);
  const auto start = Clock::now();
  while (server_.requests().size() < 3 && Clock::now() - start < std::chrono::seconds(5)) {
    io_.run_one_for(milliseconds(10));
  }
  ASSERT_EQ(server_.requests().size(), 3u);
  EXPECT_EQ(client_.in_flight(), 3u);
  client_.AbortAll();
  while (!AllDone(results) && Clock::now() - start < std::chrono::seconds(5)) {
    io_.run_one_for(milliseconds(100));
  }
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  for (const auto& r : results) {
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->failure, Reason::kInternal);
    EXPECT_EQ(r->error, "aborted");
    ExpectPhasesConsistent(r->phases);
  }
  EXPECT_EQ(client_.in_flight(), 0u);
  server_.SetHandler(nullptr);
  EXPECT_EQ(Fetch(Get("/after")).failure, Reason::kNone);  // still usable
}

TEST(HttpClientLifetimeTest, DestroyingClientCompletesInFlightAsInternal) {
  TestServer server;
  server.SetHandler([](const TestRequest&) { return Respond("", milliseconds(3000)); });
  asio::io_context io;
  auto client = std::make_unique<HttpClient>(io.get_executor());
  std::vector<std::optional<HttpResponse>> results;
  StartSlow(io, *client, server.base_url() + "/slow", 3, results);
  const auto start = Clock::now();
  while (server.requests().size() < 3 && Clock::now() - start < std::chrono::seconds(5)) {
    io.run_one_for(milliseconds(10));
  }
  ASSERT_EQ(server.requests().size(), 3u);
  client.reset();
  while (!AllDone(results) && Clock::now() - start < std::chrono::seconds(5)) {
    io.run_one_for(milliseconds(100));
  }
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  for (const auto& r : results) {
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->failure, Reason::kInternal);
    EXPECT_EQ(r->error, "aborted");
  }
}

TEST(HttpClientLifetimeTest, DestroyingClientFromInsideACoroutine) {
  TestServer server;
  server.SetHandler([](const TestRequest&) { return Respond("", milliseconds(3000)); });
  asio::io_context io;
  auto client = std::make_unique<HttpClient>(io.get_executor());
  std::vector<std::optional<HttpResponse>> results;
  StartSlow(io, *client, server.base_url() + "/slow", 2, results);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer t(io, milliseconds(100));
        co_await t.async_wait(asio::use_awaitable);
        client.reset();
      },
      asio::detached);
  io.run_for(std::chrono::seconds(5));
  for (const auto& r : results) {
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->error, "aborted");
  }
}

TEST(HttpClientLifetimeTest, DestroyingClientThenContextWithoutRunningAgain) {
  TestServer server;
  server.SetHandler([](const TestRequest&) { return Respond("", milliseconds(3000)); });
  auto io = std::make_unique<asio::io_context>();
  auto client = std::make_unique<HttpClient>(io->get_executor());
  std::vector<std::optional<HttpResponse>> results;
  StartSlow(*io, *client, server.base_url() + "/slow", 2, results);
  const auto start = Clock::now();
  while (server.requests().size() < 2 && Clock::now() - start < std::chrono::seconds(5)) {
    io->run_one_for(milliseconds(10));
  }
  ASSERT_EQ(client->in_flight(), 2u);
  client.reset();
  io.reset();  // the posted shutdown never runs; nothing may crash or leak
  EXPECT_FALSE(results[0].has_value());
}

TEST(HttpClientLifetimeTest, DestroyingContextBeforeClient) {
  TestServer server;
  server.SetHandler([](const TestRequest&) { return Respond("", milliseconds(3000)); });
  auto io = std::make_unique<asio::io_context>();
  auto client = std::make_unique<HttpClient>(io->get_executor());
  std::vector<std::optional<HttpResponse>> results;
  StartSlow(*io, *client, server.base_url() + "/slow", 2, results);
  const auto start = Clock::now();
  while (server.requests().size() < 2 && Clock::now() - start < std::chrono::seconds(5)) {
    io->run_one_for(milliseconds(10));
  }
  ASSERT_EQ(client->in_flight(), 2u);
  io.reset();          // drops the waiting coroutines; the client must let go of Asio
  client->AbortAll();  // a no-op now, but must not touch the dead context
  client.reset();
  EXPECT_FALSE(results[0].has_value());
}

TEST(HttpClientLifetimeTest, IdleClientAndContextInEitherOrder) {
  {
    asio::io_context io;
    HttpClient client(io.get_executor());
  }
  {
    auto io = std::make_unique<asio::io_context>();
    HttpClient client(io->get_executor());
    io.reset();
  }
}

// A one-shot raw server: answers the first connection with `reply` verbatim.
class RawServer {
 public:
  RawServer(asio::io_context& io, std::string reply)
      : acceptor_(io, {asio::ip::make_address_v4("127.0.0.1"), 0}) {
    asio::co_spawn(io, Serve(std::move(reply)), asio::detached);
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/";
  }

 private:
  asio::awaitable<void> Serve(std::string reply) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    std::array<char, 4096> buf;
    co_await socket.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
    co_await asio::async_write(socket, asio::buffer(reply), asio::as_tuple(asio::use_awaitable));
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  }
  asio::ip::tcp::acceptor acceptor_;
};

TEST_F(HttpClientTest, InterimResponseHeadersAreDroppedAndValuesTrimmed) {
  RawServer raw(io_,
                "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n"
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Final:   padded \t\r\n"
                "Connection: close\r\n\r\nok");
  HttpRequest req;
  req.url = raw.url();
  HttpResponse r = Fetch(std::move(req));
  EXPECT_EQ(r.failure, Reason::kNone) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(r.Header("x-interim"), nullptr);
  ASSERT_NE(r.Header("x-final"), nullptr);
  EXPECT_EQ(*r.Header("x-final"), "padded");
  ASSERT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(r.headers[0].first, "content-length");
}

TEST_F(HttpClientTest, GarbageReplyIsInvalidResponse) {
  RawServer raw(io_, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
  HttpRequest req;
  req.url = raw.url();
  HttpResponse r = Fetch(std::move(req));
  EXPECT_EQ(r.failure, Reason::kInvalidResponse) << r.error;
}

TEST_F(HttpClientTest, UnsupportedSchemeIsInternal) {
  HttpRequest req;
  req.url = "ftp://127.0.0.1:1/";
  HttpResponse r = Fetch(std::move(req));
  EXPECT_EQ(r.failure, Reason::kInternal) << r.error;
  EXPECT_EQ(client_.in_flight(), 0u);
}

TEST(ClassifyCurlErrorTest, Table) {
  // libcurl's CURLcode values (stable ABI); the test does not link curl.
  const std::pair<int, Reason> table[] = {
      {0, Reason::kNone},              // CURLE_OK
      {6, Reason::kDns},               // CURLE_COULDNT_RESOLVE_HOST
      {5, Reason::kDns},               // CURLE_COULDNT_RESOLVE_PROXY
      {7, Reason::kConnect},           // CURLE_COULDNT_CONNECT
      {55, Reason::kConnect},          // CURLE_SEND_ERROR
      {56, Reason::kConnect},          // CURLE_RECV_ERROR
      {28, Reason::kTimeout},          // CURLE_OPERATION_TIMEDOUT
      {35, Reason::kTls},              // CURLE_SSL_CONNECT_ERROR
      {60, Reason::kTls},              // CURLE_PEER_FAILED_VERIFICATION
      {77, Reason::kTls},              // CURLE_SSL_CACERT_BADFILE
      {58, Reason::kTls},              // CURLE_SSL_CERTPROBLEM
      {59, Reason::kTls},              // CURLE_SSL_CIPHER
      {90, Reason::kTls},              // CURLE_SSL_PINNEDPUBKEYNOTMATCH
      {98, Reason::kTls},              // CURLE_SSL_CLIENTCERT
      {52, Reason::kInvalidResponse},  // CURLE_GOT_NOTHING
      {8, Reason::kInvalidResponse},   // CURLE_WEIRD_SERVER_REPLY
      {18, Reason::kInvalidResponse},  // CURLE_PARTIAL_FILE
      {61, Reason::kInvalidResponse},  // CURLE_BAD_CONTENT_ENCODING
      {23, Reason::kInvalidResponse},  // CURLE_WRITE_ERROR
      {63, Reason::kInvalidResponse},  // CURLE_FILESIZE_EXCEEDED
      {27, Reason::kInternal},         // CURLE_OUT_OF_MEMORY
      {3, Reason::kInternal},          // CURLE_URL_MALFORMAT
      {1, Reason::kInternal},          // CURLE_UNSUPPORTED_PROTOCOL
      {42, Reason::kInternal},         // CURLE_ABORTED_BY_CALLBACK
  };
  for (const auto& [code, reason] : table) {
    EXPECT_EQ(ClassifyCurlError(code), reason) << "curl code " << code;
  }
}

TEST(HttpResponseTest, HeaderFindsFirstMatch) {
  HttpResponse r;
  r.headers = {{"set-cookie", "a=1"}, {"set-cookie", "b=2"}};
  ASSERT_NE(r.Header("set-cookie"), nullptr);
  EXPECT_EQ(*r.Header("set-cookie"), "a=1");
  EXPECT_EQ(r.Header("cookie"), nullptr);
}

}  // namespace
}  // namespace sonde
