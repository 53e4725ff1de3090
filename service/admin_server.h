// The admin HTTP server (Boost.Beast) on the daemon's io_context:
//   GET /metrics  Prometheus text format
//   GET /healthz  200 while the process serves
//   GET /readyz   200 once the first round of runs is done, else 503
//   POST /-/reload  re-read the config (as SIGHUP does): 200, or 400 with
//                   every problem of the rejected file
//   GET /           the status page (service/status_page.h)
//   GET /api/v1/status         journeys, SLO budgets, active faults (JSON)
//   GET /api/v1/runs?journey=&limit=  recent runs with their steps (JSON)
// Requests are small and answered from memory; each connection has a read
// deadline so a slow client cannot hold it open.
//
// Thread-safety: call everything on the executor's thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace sonde {

class AdminServer {
 public:
  struct Handlers {
    std::function<std::string()> metrics;
    std::function<bool()> ready;
    // POST /-/reload: re-reads the config. Returns whether it took and a
    // message (the diagnostics when it did not).
    std::function<std::pair<bool, std::string>()> reload;
    std::function<std::string()> status;  // /api/v1/status; 404 when unset
    // /api/v1/drills... and /api/v1/heal: method, target (path and query),
    // Authorization header -> status and JSON body.
    std::function<std::pair<int, std::string>(const std::string& method, const std::string& target,
                                              const std::string& authorization)>
        control;
    // /api/v1/runs: journey ("" for all) and limit (1..1000).
    std::function<std::string(const std::string& journey, size_t limit)> runs;
  };

  AdminServer(boost::asio::any_io_executor executor, Handlers handlers);
  ~AdminServer();

  // Binds and starts accepting. Returns an error message (naming the
  // address) if the address cannot be bound.
  std::optional<std::string> Listen(const std::string& host, uint16_t port);
  uint16_t port() const;

  // Stops accepting and closes open connections.
  void Stop();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sonde
