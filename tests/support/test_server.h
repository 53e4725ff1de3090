// A loopback HTTP/1.1 server for tests, on 127.0.0.1 and a kernel-chosen port
// (port 0). It runs on its own thread with its own io_context, so the code
// under test and the server never share an event loop. Each test decides,
// per request, the delay, status, headers and body. Started with TLS options
// it speaks HTTPS instead (and can require a client certificate); a
// connection whose handshake fails is dropped without a response.
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

  // Serve HTTPS instead of HTTP. Files are PEM (see test_certs.h).
  struct Tls {
    std::string cert_pem_file;  // server certificate (chain)
    std::string key_pem_file;   // its private key
    // When set, the handshake requires a client certificate that verifies
    // against this CA file; without one the connection is dropped.
    std::string client_ca_file;
    // Caps the protocol at TLS 1.2, where a rejected client certificate
    // fails the client's handshake itself; TLS 1.3 reports it afterwards.
    bool tls12_only = false;
  };

  // Starts listening immediately; default handler answers 200 "{}" as JSON.
  TestServer();
  // Same, speaking HTTPS; also throws boost::system::system_error when the
  // certificate, key or CA file cannot be loaded.
  explicit TestServer(const Tls& tls, uint16_t port = 0);
  ~TestServer();  // stops and joins; pending delayed responses are dropped

  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT", or "https://..." with TLS

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
