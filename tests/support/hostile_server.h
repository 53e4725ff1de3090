// A loopback HTTP server that misbehaves on purpose, for tests that check a
// probe's outcome, reason, duration and memory against a hostile target.
//
// The request path picks the behaviour (see Behaviour and PathOf), so one
// server can play every part at once, e.g. for a daemon running many
// journeys against it. Anything else gets 404.
//
// It listens on 127.0.0.1 with a kernel-chosen port and runs one thread: a
// poll() loop over non-blocking sockets. Everything it does is bounded: at
// most kMaxConnections open at once (more are closed on accept), each
// connection lives at most kMaxConnectionLife, an endless body stops after
// kMaxEndlessBytes, and a request larger than kMaxRequestBytes is dropped.
//
// Thread-safety: the public methods may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sonde::testing {

enum class Behaviour {
  kSilent,         // reads the request, never answers, holds the connection
  kTrickle,        // a valid response, one byte per second
  kEndlessBody,    // 200, chunked, a body that never ends (until the cap)
  kResetMidBody,   // headers and part of the body, then a TCP reset
  kHugeHeader,     // one header of 101 KiB
  kHeaderFlood,    // 100,000 small headers
  kInvalidJson,    // 200 with a body that is not JSON
  kDeepJson,       // valid JSON nested 200 deep: {"a": [[[...1...]]]}
  kDeeperJson,     // JSON nested 100,000 deep
  kGzipBomb,       // Content-Encoding: gzip; the body Options::gzip_body
  kRedirectLoop,   // 302 to itself
  kRpcWrongId,     // a JSON-RPC answer with another id
  kRpcHugeError,   // a JSON-RPC error object whose message is 3 MB
  kRpcDeepResult,  // a JSON-RPC answer (right id) whose result nests 200 deep
};

inline constexpr Behaviour kAllBehaviours[] = {
    Behaviour::kSilent,       Behaviour::kTrickle,       Behaviour::kEndlessBody,
    Behaviour::kResetMidBody, Behaviour::kHugeHeader,    Behaviour::kHeaderFlood,
    Behaviour::kInvalidJson,  Behaviour::kDeepJson,      Behaviour::kDeeperJson,
    Behaviour::kGzipBomb,     Behaviour::kRedirectLoop,  Behaviour::kRpcWrongId,
    Behaviour::kRpcHugeError, Behaviour::kRpcDeepResult,
};

// "/silent", "/trickle", ...: the path that selects `b`.
std::string_view PathOf(Behaviour b);
// "silent", "trickle", ...: PathOf without the slash (for names).
std::string_view NameOf(Behaviour b);

// How deep kDeepJson and kRpcDeepResult nest, and kDeeperJson.
inline constexpr int kDeepJsonLevels = 200;
inline constexpr int kDeeperJsonLevels = 100000;

struct HostileRequest {
  std::string method;
  std::string path;
  std::string head;  // request line and headers, as received
};

class HostileServer {
 public:
  static constexpr size_t kMaxConnections = 64;
  static constexpr std::chrono::seconds kMaxConnectionLife{60};
  static constexpr uint64_t kMaxEndlessBytes = 256ull << 20;
  static constexpr size_t kMaxRequestBytes = 1 << 20;

  struct Options {
    // Served as the body of kGzipBomb (with Content-Encoding: gzip); the
    // caller compresses it (see the hostile suite), so this file needs no zlib.
    std::string gzip_body;
  };

  HostileServer();
  explicit HostileServer(Options options);
  ~HostileServer();  // stops and joins; open connections are closed
  HostileServer(const HostileServer&) = delete;
  HostileServer& operator=(const HostileServer&) = delete;

  uint16_t port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:PORT"

  // Requests received so far (the last 1024), in order.
  std::vector<HostileRequest> requests() const;
  // How many of them asked for `b`'s path.
  size_t CountRequests(Behaviour b) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace sonde::testing
