// An asynchronous HTTP(S) client for probes: one libcurl multi handle driven
// by Boost.Asio through curl's multi-socket API.
//
// Threading: every curl call happens on the client's strand. Fetch may be
// called from any thread; its completion runs on the caller's executor.
// Curl's timer callback never calls back into curl: it only (re)arms an Asio
// timer, and the curl work happens when that timer fires. Per-socket state is
// reference-counted and outlives the Asio handlers that use it, so a socket
// that curl drops while a wait is pending is safe.
//
// Each request gets a fresh connection and a fresh DNS lookup, so every result
// carries meaningful phase timings (as blackbox_exporter does).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace sonde {

struct HttpTlsOptions {
  bool insecure_skip_verify = false;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{5000};      // whole request, connect included
  size_t max_response_bytes = 4 * 1024 * 1024;  // body larger than this fails
  HttpTlsOptions tls;
};

// Phase durations as blackbox_exporter names them. They add up to `total`
// exactly: resolve + connect + tls + processing + transfer == total. `tls` is
// zero for plain HTTP; `processing` runs from connection ready to first byte.
struct HttpPhases {
  std::chrono::microseconds resolve{0};
  std::chrono::microseconds connect{0};
  std::chrono::microseconds tls{0};
  std::chrono::microseconds processing{0};
  std::chrono::microseconds transfer{0};
  std::chrono::microseconds total{0};
};

struct HttpResponse {
  // Reason::kNone when a complete response arrived (whatever its status);
  // otherwise the transport failure: kDns, kConnect, kTls, kTimeout,
  // kInvalidResponse (garbled, truncated, headers or body over a limit),
  // kInternal (aborted, or sonde out of descriptors or memory).
  Reason failure = Reason::kNone;
  std::string error;  // human-readable detail for logs when failure != kNone
  int status = 0;     // 0 when no response
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string body;
  HttpPhases phases;

  // First header with this lower-case name, or nullptr.
  const std::string* Header(std::string_view lower_name) const;
};

class HttpClient {
 public:
  explicit HttpClient(boost::asio::any_io_executor executor);
  ~HttpClient();  // aborts whatever is in flight (completing it with kInternal)
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Performs one request. Never throws for network failures: they come back
  // in HttpResponse::failure. Honors Asio cancellation (e.g. from an
  // awaitable operator||): a cancelled request completes with kInternal.
  boost::asio::awaitable<HttpResponse> Fetch(HttpRequest request);

  // Completes every in-flight request with kInternal and "aborted". Used at
  // shutdown once the grace period is over.
  void AbortAll();

  size_t in_flight() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

// Maps a libcurl result code to a failure reason, knowing nothing else
// about the transfer (exposed for tests).
Reason ClassifyCurlError(int curl_code);

// What is known about a failed transfer besides curl's code.
struct CurlFailureContext {
  bool connected = false;         // TCP connect completed (CURLINFO_CONNECT_TIME_T > 0)
  bool response_started = false;  // a status line arrived (CURLINFO_RESPONSE_CODE > 0)
  int socket_errno = 0;           // errno of a socket() that failed, else 0
  bool last_descriptor = false;   // the socket took the process's last descriptor
};

// The reason for curl's result `curl_code` in `context`: the same code can
// be the target's fault or sonde's.
//  - out of descriptors or memory for the socket, or for loading our own
//    certificate files: kInternal (sonde's fault);
//  - a reset, or curl's header limits, after the status line:
//    kInvalidResponse (a refused or broken connection before it stays
//    kConnect);
//  - "out of memory" (a header over curl's limit) or "unsupported protocol"
//    (not HTTP) once connected: kInvalidResponse.
// Anything else as ClassifyCurlError.
Reason ClassifyCurlFailure(int curl_code, const CurlFailureContext& context);

}  // namespace sonde
