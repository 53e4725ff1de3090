#include "tests/hostile/hostile_targets.h"

#include <zlib.h>

#include <algorithm>
#include <stdexcept>

namespace sonde::testing {
namespace {

using namespace std::chrono_literals;

std::string Path(Behaviour b) { return std::string(PathOf(b)); }

HostileCase Http(std::string name, Behaviour b, Reason reason, std::string extra = "",
                 std::chrono::milliseconds timeout = 2000ms) {
  const Outcome outcome = reason == Reason::kNone ? Outcome::kSuccess : Outcome::kFailed;
  return {std::move(name), Group::kHostile, "http = { path = \"" + Path(b) + "\" }\n" + extra,
          timeout,         outcome,         reason};
}

HostileCase Rpc(std::string name, Behaviour b, Reason reason, std::string extra = "",
                std::chrono::milliseconds timeout = 2000ms) {
  const Outcome outcome = reason == Reason::kNone ? Outcome::kSuccess : Outcome::kFailed;
  return {std::move(name),
          Group::kHostile,
          "jsonrpc = { method = \"eth_blockNumber\", path = \"" + Path(b) + "\" }\n" + extra,
          timeout,
          outcome,
          reason};
}

HostileCase Against(std::string name, Group g, std::string step, Reason reason) {
  return {std::move(name), g, std::move(step), 2000ms, Outcome::kFailed, reason};
}

// The JSON checks make the body matter: without one, any 2xx passes.
const std::string kExpectOk = "expect = { json = { \"/ok\" = { exists = true } } }\n";

}  // namespace

const std::vector<HostileCase>& HostileCases() {
  using B = Behaviour;
  using R = Reason;
  static const std::vector<HostileCase> cases = {
      Http("http_silent", B::kSilent, R::kTimeout, "", 1000ms),
      Http("http_trickle", B::kTrickle, R::kTimeout, "", 1000ms),
      Http("http_endless_body", B::kEndlessBody, R::kInvalidResponse),
      Http("http_reset_mid_body", B::kResetMidBody, R::kInvalidResponse),
      Http("http_huge_header", B::kHugeHeader, R::kInvalidResponse),
      Http("http_header_flood", B::kHeaderFlood, R::kInvalidResponse),
      Http("http_invalid_json", B::kInvalidJson, R::kInvalidResponse, kExpectOk),
      Http("http_deep_json", B::kDeepJson, R::kNone,
           "expect = { json = { \"/a/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/"
           "0/0/0/0/0/0/0/0/0/0\" = { type = \"array\" } } }\n"),
      Http("http_deeper_json", B::kDeeperJson, R::kInvalidResponse, kExpectOk),
      Http("http_gzip_bomb", B::kGzipBomb, R::kInvalidResponse, kExpectOk),
      Http("http_redirect_loop", B::kRedirectLoop, R::kHttpStatus),
      Rpc("rpc_silent", B::kSilent, R::kTimeout, "", 1000ms),
      Rpc("rpc_endless_body", B::kEndlessBody, R::kInvalidResponse),
      Rpc("rpc_reset_mid_body", B::kResetMidBody, R::kInvalidResponse),
      Rpc("rpc_invalid_json", B::kInvalidJson, R::kInvalidResponse),
      Rpc("rpc_wrong_id", B::kRpcWrongId, R::kInvalidResponse),
      Rpc("rpc_huge_error", B::kRpcHugeError, R::kRpcError),
      Rpc("rpc_deep_result", B::kRpcDeepResult, R::kNone,
          "expect = { json = { \"/result/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/"
          "0/0/0/0/0/0/0/0/0/0/0/0\" = { type = \"array\" } } }\n"),
      Rpc("rpc_deeper_json", B::kDeeperJson, R::kInvalidResponse),
      Against("https_expired", Group::kExpired, "http = { path = \"/\" }", R::kTls),
      Against("https_wrong_host", Group::kWrongHost, "http = { path = \"/\" }", R::kTls),
      Against("https_self_signed", Group::kSelfSigned, "http = { path = \"/\" }", R::kTls),
      Against("tls_expired", Group::kExpired, "tls = {}", R::kTls),
      Against("tls_wrong_host", Group::kWrongHost, "tls = {}", R::kTls),
      Against("tls_self_signed", Group::kSelfSigned, "tls = {}", R::kTls),
      // curl's plain request meets a TLS server: what comes back is no HTTP.
      Against("http_to_tls_server", Group::kTlsOnHttp, "http = { path = \"/\" }",
              R::kInvalidResponse),
      Against("https_to_plain_server", Group::kHttpOnHttps, "http = { path = \"/\" }", R::kTls),
      Against("tls_to_plain_server", Group::kHttpOnHttps, "tls = {}", R::kTls),
  };
  return cases;
}

std::string GzipBomb(size_t inflated) {
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer, not a zlib one.
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  static const std::string zeros(1 << 20, '\0');
  std::string out;
  char buf[64 * 1024];
  size_t left = inflated;
  int flush = Z_NO_FLUSH;
  do {
    const size_t n = std::min(left, zeros.size());
    left -= n;
    flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = static_cast<uInt>(n);
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      deflate(&z, flush);
      out.append(buf, sizeof buf - z.avail_out);
    } while (z.avail_out == 0);
  } while (flush != Z_FINISH);
  deflateEnd(&z);
  return out;
}

HostileTargets::HostileTargets() : HostileTargets(GzipBomb(kGzipBombInflated)) {}

HostileTargets::HostileTargets(std::string gzip_body)
    : gzip_body_size_(gzip_body.size()),
      hostile_(HostileServer::Options{std::move(gzip_body)}),
      expired_(TestServer::Tls{certs_.expired().cert_file, certs_.expired().key_file, "", false}),
      wrong_host_(
          TestServer::Tls{certs_.wrong_host().cert_file, certs_.wrong_host().key_file, "", false}),
      self_signed_(TestServer::Tls{certs_.self_signed().cert_file, certs_.self_signed().key_file,
                                   "", false}) {}

std::string HostileTargets::GroupName(Group g) {
  switch (g) {
    case Group::kHostile:
      return "hostile";
    case Group::kExpired:
      return "expired";
    case Group::kWrongHost:
      return "wrong_host";
    case Group::kSelfSigned:
      return "self_signed";
    case Group::kTlsOnHttp:
      return "tls_on_http";
    case Group::kHttpOnHttps:
      return "http_on_https";
  }
  return "";
}

std::string HostileTargets::UrlOf(Group g) const {
  const auto on = [](const char* scheme, uint16_t port) {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(port);
  };
  switch (g) {
    case Group::kHostile:
      return hostile_.base_url();
    case Group::kExpired:
      return on("https", expired_.port());
    case Group::kWrongHost:
      return on("https", wrong_host_.port());
    case Group::kSelfSigned:
      return on("https", self_signed_.port());
    case Group::kTlsOnHttp:
      return on("http", self_signed_.port());
    case Group::kHttpOnHttps:
      return on("https", plain_.port());
  }
  return "";
}

std::string HostileTargets::TargetsToml() const {
  std::string s;
  for (Group g : {Group::kHostile, Group::kExpired, Group::kWrongHost, Group::kSelfSigned,
                  Group::kTlsOnHttp, Group::kHttpOnHttps}) {
    s += "[targets." + GroupName(g) + "]\nurls = [\"" + UrlOf(g) + "\"]\n";
    // Trust the CA that signed the bad certificates: each case then fails
    // for its one reason, not for an unknown issuer.
    if (UrlOf(g).starts_with("https")) s += "tls = { ca_file = \"" + certs_.ca_file() + "\" }\n";
  }
  return s;
}

std::string HostileTargets::JourneyToml(const HostileCase& c, std::chrono::milliseconds interval) {
  return "[journey." + c.name + "]\ninterval = \"" + std::to_string(interval.count()) +
         "ms\"\ntimeout = \"" + std::to_string(c.timeout.count()) + "ms\"\ntargets = \"" +
         GroupName(c.group) + "\"\n[[journey." + c.name + ".step]]\nname = \"s\"\n" + c.step + "\n";
}

}  // namespace sonde::testing
