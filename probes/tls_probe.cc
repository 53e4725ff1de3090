#include "probes/tls_probe.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <ctime>

#include "probes/resource_errors.h"
#include "probes/socket_connect.h"

namespace sonde {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

// OpenSSL reports a file it could not open as a system error carrying
// errno; EMFILE there (say while loading ca_file) is sonde out of
// descriptors, not a TLS problem of the target.
bool IsLocalExhaustion(const boost::system::error_code& ec) {
  if (ec.category() != asio::error::get_ssl_category()) return IsResourceExhaustion(ec);
  const auto code = static_cast<unsigned int>(ec.value());
  return ERR_GET_LIB(code) == ERR_LIB_SYS && IsResourceExhaustion(ERR_GET_REASON(code));
}

// Builds the client context from the group's options; an error message when
// a file cannot be loaded, and in `exhausted` whether that was for want of
// descriptors or memory.
std::string Configure(ssl::context& ctx, const TlsOptions& tls, const std::string& name,
                      bool& exhausted) {
  boost::system::error_code ec;
  const auto fail = [&](const std::string& what) {
    exhausted = IsLocalExhaustion(ec);
    return what + ": " + ec.message();
  };
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  if (tls.insecure_skip_verify) {
    ctx.set_verify_mode(ssl::verify_none);
    return "";
  }
  ctx.set_verify_mode(ssl::verify_peer);
  if (!tls.ca_file.empty()) {
    ctx.load_verify_file(tls.ca_file, ec);
    if (ec) return fail("cannot load ca_file " + tls.ca_file);
  } else {
    ctx.set_default_verify_paths(ec);
    if (ec) return fail("cannot load the system trust store");
  }
  if (!tls.cert_file.empty()) {
    ctx.use_certificate_chain_file(tls.cert_file, ec);
    if (ec) return fail("cannot load cert_file " + tls.cert_file);
    ctx.use_private_key_file(tls.key_file, ssl::context::pem, ec);
    if (ec) return fail("cannot load key_file " + tls.key_file);
  }
  ctx.set_verify_callback(ssl::host_name_verification(name));
  return "";
}

std::optional<std::chrono::system_clock::time_point> NotAfter(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return std::nullopt;
  std::tm tm{};
  const bool ok = ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1;
  X509_free(cert);
  if (!ok) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace

asio::awaitable<ProbeResult> ProbeTls(ProbeEnv&, const ProbeRequest& request) {
  const TlsStep& spec = std::get<TlsStep>(request.step.action);
  ProbeResult result;
  result.has_phases = true;
  std::string error;
  std::optional<HostPort> where = HostPortOf(request.target_url, spec.port, &error);
  if (!where) {
    result.failure = Reason::kInternal;
    result.detail = error;
    co_return result;
  }
  const std::string name = spec.server_name.empty() ? where->host : spec.server_name;

  Connection c = co_await ConnectTcp(*where, request.deadline);
  result.phases.resolve = c.resolve;
  result.phases.connect = c.connect;
  result.phases.total = c.resolve + c.connect;
  if (!c.socket) {
    result.failure = c.failure;
    result.detail = std::move(c.detail);
    co_return result;
  }

  ssl::context ctx(ssl::context::tls_client);
  bool exhausted = false;
  if (std::string why = Configure(ctx, request.group.tls, name, exhausted); !why.empty()) {
    result.failure = exhausted ? Reason::kInternal : Reason::kTls;
    result.detail = why;
    co_return result;
  }
  ssl::stream<asio::ip::tcp::socket&> stream(*c.socket, ctx);
  // SNI, unless the name is an IP address (RFC 6066 forbids literal IPs).
  boost::system::error_code ip_ec;
  asio::ip::make_address(name, ip_ec);
  if (ip_ec) SSL_set_tlsext_host_name(stream.native_handle(), name.c_str());

  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_at(request.deadline);
  const Clock::time_point start = Clock::now();
  auto shaken = co_await (
      stream.async_handshake(ssl::stream_base::client, asio::as_tuple(asio::use_awaitable)) ||
      timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  result.phases.tls = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  result.phases.total += result.phases.tls;
  if (shaken.index() == 1) {
    result.failure = Reason::kTimeout;
    result.detail = "TLS handshake with " + name + " outlasted the deadline";
    co_return result;
  }
  if (auto [ec] = std::get<0>(shaken); ec) {
    result.failure = Reason::kTls;
    result.detail = "TLS handshake with " + name + " failed: " + ec.message();
    const long verify = SSL_get_verify_result(stream.native_handle());
    if (verify != X509_V_OK)
      result.detail += " (" + std::string(X509_verify_cert_error_string(verify)) + ")";
    co_return result;
  }
  result.tls_version = SSL_get_version(stream.native_handle());
  result.cert_not_after = NotAfter(stream.native_handle());
  boost::system::error_code ignored;
  c.socket->shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  co_return result;
}

}  // namespace sonde
