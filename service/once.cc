// `sonde once`: every journey (or one) once against every target, all
// concurrently on one io_context, then a table. Exit 0 only if all succeeded.
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

namespace sonde {
namespace {

std::string Millis(std::chrono::microseconds us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(us.count()) / 1000.0);
  return buf;
}

std::string PhaseSummary(const JourneyResult& r) {
  HttpPhases sum;
  bool any = false;
  for (const StepResult& s : r.steps) {
    if (!s.has_phases) continue;
    any = true;
    sum.resolve += s.phases.resolve;
    sum.connect += s.phases.connect;
    sum.tls += s.phases.tls;
    sum.processing += s.phases.processing;
    sum.transfer += s.phases.transfer;
  }
  if (!any) return "-";
  return "resolve=" + Millis(sum.resolve) + " connect=" + Millis(sum.connect) +
         " tls=" + Millis(sum.tls) + " processing=" + Millis(sum.processing) +
         " transfer=" + Millis(sum.transfer);
}

void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  }
}

}  // namespace

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

  std::vector<std::vector<std::string>> rows = {
      {"JOURNEY", "TARGET", "OUTCOME", "REASON", "STEP", "DURATION_MS", "PHASES_MS"}};
  bool all_ok = true;
  for (const JourneyResult& r : results) {
    all_ok = all_ok && r.outcome == Outcome::kSuccess;
    rows.push_back({r.journey, r.target, std::string(ToString(r.outcome)),
                    r.reason == Reason::kNone ? "-" : std::string(ToString(r.reason)),
                    r.failing_step.empty() ? "-" : r.failing_step,
                    Millis(std::chrono::duration_cast<std::chrono::microseconds>(r.duration)),
                    PhaseSummary(r)});
  }
  PrintTable(rows);
  for (const JourneyResult& r : results) {
    if (!r.detail.empty()) {
      std::printf("%s @ %s: %s\n", r.journey.c_str(), r.target.c_str(), r.detail.c_str());
    }
  }
  return all_ok ? 0 : 1;
}

}  // namespace sonde
