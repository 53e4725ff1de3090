// `sonde once`: every journey (or one) once against every target, all
// concurrently on one io_context, then a table (once_table.h). Exit 0 only
// if all succeeded.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "probes/http_client.h"
#include "probes/wallets.h"
#include "scenarios/runner.h"
#include "service/commands.h"
#include "service/load.h"
#include "service/once_table.h"

namespace sonde {

int CommandOnce(const OnceOptions& options) {
  LoadedConfig setup = LoadOrReport(options.config_path, stderr);
  if (!setup.ok()) return 2;
  const std::shared_ptr<const Config>& config = setup.config;
  if (options.journey && !config->FindJourney(*options.journey)) {
    std::string names;
    for (const Journey& j : config->journeys) names += (names.empty() ? "" : ", ") + j.name;
    std::fprintf(stderr, "%s: no journey named \"%s\" (journeys: %s)\n",
                 options.config_path.c_str(), options.journey->c_str(), names.c_str());
    return 2;
  }

  boost::asio::io_context io;
  HttpClient http(io.get_executor());
  Wallets wallets;
  JourneyRunner runner(ProbeEnv{http, &wallets}, setup.keys);
  // One slot per (journey, target) in config order, so the table is stable.
  std::vector<JourneyResult> results;
  for (const Journey& j : config->journeys) {
    if (options.journey && j.name != *options.journey) continue;
    const TargetGroup& group = *config->FindTargets(j.target_group);
    for (const std::string& url : group.urls) {
      const size_t index = results.size();
      results.emplace_back();
      boost::asio::co_spawn(
          io,
          [&, index, url]() -> boost::asio::awaitable<void> {
            results[index] = co_await runner.Run(j, group, url);
          },
          boost::asio::detached);
    }
  }
  io.run();

  bool all_ok = true;
  for (const JourneyResult& r : results) all_ok = all_ok && r.outcome == Outcome::kSuccess;
  std::fputs(FormatOnceTable(results).c_str(), stdout);
  return all_ok ? 0 : 1;
}

}  // namespace sonde
