// The daemon's admin HTTP server (on net/http_server.h, the daemon's
// io_context):
//   GET /metrics  Prometheus text format
//   GET /healthz  200 while the process serves
//   GET /readyz   200 once the first round of runs is done, else 503
//   POST /-/reload  re-read the config (as SIGHUP does): 200, or 400 with
//                   every problem of the rejected file. Needs the bearer
//                   token, as every mutating endpoint does.
//   GET /           the status page (service/status_page.h)
//   GET /api/v1/status         journeys, SLO budgets, active faults (JSON)
//   GET /api/v1/runs?journey=&limit=&before_us=  recent runs, newest first,
//                   a page at a time (RunsQuery)
//   /api/v1/drills..., /api/v1/heal  the drill API (Handlers::control)
// What may take long — a reload's file and key reading, a heal's reverts,
// a large page of runs — is the handlers' to run off the event loop: they
// return awaitables, and the server goes on serving while they wait.
//
// Thread-safety: call everything on the executor's thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "service/api_token.h"

namespace sonde {

// GET /api/v1/runs parameters, checked.
struct RunsQuery {
  std::string journey;  // "" for all
  size_t limit = 100;   // 1..1000
  // Only runs that finished before this (the page's "next_before_us" gives
  // the next page); nullopt for the newest.
  std::optional<int64_t> before_us;
};

class AdminServer {
 public:
  struct Handlers {
    std::function<std::string()> metrics;
    std::function<bool()> ready;
    // Whether a request with this Authorization header may mutate
    // (POST /-/reload); service/api_token.h's CheckBearer.
    std::function<std::optional<Refusal>(const std::string& authorization)> authorize;
    // POST /-/reload: re-reads the config. Whether it took and a message
    // (the diagnostics when it did not).
    std::function<boost::asio::awaitable<std::pair<bool, std::string>>()> reload;
    std::function<std::string()> status;  // /api/v1/status; 404 when unset
    // /api/v1/drills... and /api/v1/heal: method, target (path and query),
    // Authorization header -> status and JSON body.
    std::function<boost::asio::awaitable<std::pair<int, std::string>>(
        std::string method, std::string target, std::string authorization)>
        control;
    std::function<boost::asio::awaitable<std::string>(RunsQuery)> runs;
  };
  struct Options {
    std::string tls_cert_file;  // HTTPS when both are set (PEM)
    std::string tls_key_file;
  };

  AdminServer(boost::asio::any_io_executor executor, Handlers handlers, Options options = {});
  ~AdminServer();

  // Binds and starts accepting. Returns an error message (naming the
  // address, or the TLS file) if it cannot.
  std::optional<std::string> Listen(const std::string& host, uint16_t port);
  uint16_t port() const;

  // Stops accepting and closes open connections.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sonde
