// The hostile targets the suite probes, and the journeys that probe them,
// shared by the probe-level tests and the daemon test: each case names a
// journey of one step against one misbehaving server and the outcome and
// reason it must end in.
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "core/result.h"
#include "tests/support/bad_certs.h"
#include "tests/support/hostile_server.h"
#include "tests/support/test_server.h"

namespace sonde::testing {

// Which server (and URL scheme) a case's target group points at.
enum class Group {
  kHostile,      // HostileServer, http://
  kExpired,      // HTTPS, certificate expired yesterday (CA trusted)
  kWrongHost,    // HTTPS, certificate for another name (CA trusted)
  kSelfSigned,   // HTTPS, self-signed certificate
  kTlsOnHttp,    // a TLS server behind an http:// URL
  kHttpOnHttps,  // a plain HTTP server behind an https:// URL
};

struct HostileCase {
  std::string name;  // journey name, and the test's name
  Group group;
  std::string step;  // the step's TOML after `name = "s"`
  std::chrono::milliseconds timeout;
  Outcome outcome;
  Reason reason;
};

// Names the case in test output (gtest finds it by ADL).
inline void PrintTo(const HostileCase& c, std::ostream* os) { *os << c.name; }

// Every case. Each step ends well within its journey's timeout except the
// ones whose expected reason is timeout.
const std::vector<HostileCase>& HostileCases();

// `inflated` zero bytes, gzip-compressed (about inflated / 1000 bytes).
std::string GzipBomb(size_t inflated);
inline constexpr size_t kGzipBombInflated = 64u << 20;

// All servers the cases need, on loopback with kernel-chosen ports.
class HostileTargets {
 public:
  HostileTargets();

  // The [targets.*] tables for every Group (each named by GroupName).
  std::string TargetsToml() const;
  // A [journey.NAME] table for `c`, running every `interval`.
  static std::string JourneyToml(const HostileCase& c, std::chrono::milliseconds interval);
  static std::string GroupName(Group g);
  std::string UrlOf(Group g) const;

  HostileServer& hostile() { return hostile_; }
  size_t gzip_body_size() const { return gzip_body_size_; }

 private:
  explicit HostileTargets(std::string gzip_body);

  size_t gzip_body_size_;
  BadCerts certs_;
  HostileServer hostile_;
  TestServer expired_;
  TestServer wrong_host_;
  TestServer self_signed_;
  TestServer plain_;
};

}  // namespace sonde::testing
