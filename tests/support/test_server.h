// A loopback HTTP/1.1 server for tests, on 127.0.0.1 and a kernel-chosen port
// (port 0). It runs on its own thread with its own io_context, so the code
// under test and the server never share an event loop. Each test decides,
// per request, the delay, status, headers and body.
//
// Thread-safety: SetHandler and requests() may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sonde::testing {

struct TestRequest {
  std::string method;
  std::string target;  // path and query, e.g. "/v1/tx/abc?x=1"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
};

struct TestResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type etc.
  std::string body;
  // Waits this long before sending anything (models a slow server). The wait
  // is asynchronous and ends early when the server stops.
  std::chrono::milliseconds delay{0};
  // When set, the server closes the connection without responding.
  bool close_without_response = false;
};

class TestServer {
 public:
  using Handler = std::function<TestResponse(const TestRequest&)>;

  // Starts listening immediately; default handler answers 200 "{}" as JSON.
  TestServer();
  // Same, on a fixed port of 127.0.0.1 (0 = kernel-chosen); throws
  // boost::system::system_error when it cannot listen there.
  explicit TestServer(uint16_t port);
  ~TestServer();  // stops and joins; pending delayed responses are dropped

  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT"

  void SetHandler(Handler handler);
  std::vector<TestRequest> requests() const;  // every request received, in order

  // Stops accepting and closes the listening socket (the port then refuses).
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// A port on 127.0.0.1 that nothing listens on (bound, then closed): connecting
// to it is refused.
uint16_t UnusedLoopbackPort();

}  // namespace sonde::testing
