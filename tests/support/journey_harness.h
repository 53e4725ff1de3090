// Runs journeys from a TOML snippet against real servers, on a private
// io_context, for integration tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/model.h"
#include "probes/wallets.h"
#include "scenarios/journey_result.h"
#include "scenarios/key_ring.h"
#include "scenarios/run_observer.h"

namespace sonde::testing {

// Loads `toml`; fails the current test (and returns nullptr) on errors.
std::shared_ptr<const Config> MustLoad(const std::string& toml);

// Runs journey `name` once against the first URL of its target group, with
// `keys` for its sign steps.
// `wallets` carries wallet state from run to run (a fresh one when null).
JourneyResult RunOnce(const Config& config, const std::string& name,
                      std::shared_ptr<const KeyRing> keys = nullptr, Wallets* wallets = nullptr);

// Remembers everything the scheduler reports.
class RecordingObserver : public RunObserver {
 public:
  void OnRunFinished(const JourneyResult& r) override { results.push_back(r); }
  void OnRunSkipped(const std::string&, const std::string&) override { ++skipped; }
  void OnSchedulerLag(Duration lag) override { lags.push_back(lag); }
  void OnRunPaused(const std::string&, const std::string&) override { ++paused; }

  std::vector<JourneyResult> results;
  size_t skipped = 0;
  size_t paused = 0;
  std::vector<Duration> lags;
};

}  // namespace sonde::testing

#include "probes/http_client.h"

namespace sonde::testing {
// One blocking request on a private io_context (for poking at servers in
// tests).
HttpResponse FetchSync(const std::string& url,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5),
                       const std::string& method = "GET", const std::string& body = "",
                       const std::vector<std::pair<std::string, std::string>>& headers = {});
}  // namespace sonde::testing
