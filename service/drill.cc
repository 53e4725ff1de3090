// `sonde drill`: steady state -> inject (at offsets) -> hold while the
// watched journeys run -> revert -> recovery -> verdict. The journeys run on
// an io_context thread exactly as in `sonde run`; this thread keeps the
// drill's clock, injects and reverts through the journal, and watches the
// abort floor. SIGINT/SIGTERM revert everything before exit.
#include <signal.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "chaos/drill_plan.h"
#include "chaos/proxy_links.h"
#include "chaos/drill_runner.h"
#include "chaos/fault.h"
#include "probes/http_client.h"
#include "probes/wallets.h"
#include "chaos/drill_report.h"
#include "reporter/report_format.h"
#include "reporter/sqlite_db.h"
#include "reporter/store_writer.h"
#include "scenarios/observer_list.h"
#include "scenarios/runner.h"
#include "scenarios/scheduler.h"
#include "service/commands.h"
#include "service/load.h"
#include "service/output_file.h"
#include "service/remote_drill.h"

namespace sonde {
namespace asio = boost::asio;
namespace {

// Set by SIGINT/SIGTERM (a lock-free atomic store is async-signal-safe).
std::atomic<int> g_stop{0};
void OnStopSignal(int signo) { g_stop = signo; }


}  // namespace

int CommandDrill(const DrillOptions& o) {
  LoadedConfig setup = LoadOrReport(o.config_path, stderr);
  if (!setup.ok()) return 2;
  const Config& config = *setup.config;
  const DrillSpec* spec = config.FindDrill(o.drill);
  if (!spec) {
    std::string names;
    for (const DrillSpec& d : config.drills) names += (names.empty() ? "" : ", ") + d.name;
    std::fprintf(stderr, "%s: no drill named \"%s\" (declared: %s)\n", o.config_path.c_str(),
                 o.drill.c_str(), names.empty() ? "none" : names.c_str());
    return 2;
  }
  const uint64_t seed = o.seed ? *o.seed : spec->seed ? *spec->seed : std::random_device{}();
  const chaos::DrillPlan plan = chaos::PlanDrill(*spec, seed);
  std::fprintf(stderr, "%s", chaos::DescribePlan(*spec, plan, config.chaos).c_str());

  if (o.daemon) {
    if (o.dry_run) {
      std::fprintf(stderr, "--daemon runs the drill in the daemon: it cannot be combined with "
                           "--dry-run (run the dry run here, without --daemon)\n");
      return 2;
    }
    return RunRemoteDrill(config, {.drill = o.drill, .arm = o.arm, .seed = seed, .junit = o.junit,
                                   .report = o.report});
  }

  if (o.dry_run) {
    // Resolve every fault as the drill would (which process, which command),
    // and touch nothing.
    int refused = 0;
    for (const chaos::PlannedFault& p : plan.faults) {
      chaos::Planned resolved = chaos::PlanFault(p.spec, config.chaos);
      if (auto* why = std::get_if<std::string>(&resolved)) {
        std::fprintf(stderr, "  would refuse: %s\n", why->c_str());
        ++refused;
      } else {
        std::fprintf(stderr, "  would do    : %s\n", std::get<chaos::FaultAction>(resolved).description.c_str());
      }
    }
    if (auto problem = chaos::CheckPlannedLinks(plan, config.chaos)) {
      std::fprintf(stderr, "  would refuse: %s\n", problem->c_str());
      ++refused;
    }
    std::fprintf(stderr, "dry run: nothing was touched\n");
    return refused ? 2 : 0;
  }
  if (plan.destructive && !spec->armed && !o.arm) {
    std::fprintf(stderr,
                 "drill %s has destructive faults (kill, pause, partition, blackhole, reset_peer, "
                 "limit_data, exec); refusing to run it unarmed: "
                 "pass --arm or set armed = true\n",
                 spec->name.c_str());
    return 2;
  }

  // The watched journeys, scheduled as `sonde run` would.
  auto watched = std::make_shared<Config>(config);
  watched->journeys.clear();
  for (const Journey& j : config.journeys) {
    if (std::find(spec->journeys.begin(), spec->journeys.end(), j.name) != spec->journeys.end())
      watched->journeys.push_back(j);
  }
  asio::io_context io(1);
  HttpClient http(io.get_executor());
  Wallets wallets;
  JourneyRunner runner(ProbeEnv{http, &wallets}, setup.keys);
  chaos::DrillRunLog log(spec->journeys);
  ObserverList observers;
  observers.Add(log);
  std::unique_ptr<StoreWriter> store;
  try {
    store = OpenCommandStore(config);
  } catch (const StoreError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  if (store) observers.Add(*store);
  if (HealJournal(config.chaos.journal, /*quiet_when_clear=*/true, store.get()) != 0) {
    std::fprintf(stderr, "faults of an earlier run could not be reverted; run `sonde heal` first\n");
    if (store) store->Stop();
    return 2;
  }
  Scheduler scheduler(io.get_executor(), watched, runner, observers);
  auto work = asio::make_work_guard(io);
  std::thread loop([&] { io.run(); });
  asio::post(io, [&] { scheduler.Start(); });

  g_stop = 0;
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  chaos::DrillRunner drill(config, *spec, plan, log,
                           {.store = store.get(),
                            .fault_active = nullptr,
                            .injected = nullptr,
                            .progress = nullptr},
                           g_stop, /*progress=*/true);
  // The drill runs on the journeys' loop; its reverts and injects on this
  // pool, so the journeys go on being probed while a command or a call
  // blocks. This thread only waits for the verdict.
  asio::thread_pool blocking(1);
  auto running = asio::co_spawn(io, drill.Run(blocking), asio::use_future);
  DrillRecord record = running.get();
  blocking.join();

  // Stop the journeys; give in-flight runs a moment to be recorded.
  asio::post(io, [&] { scheduler.Stop(); });
  for (int i = 0; i < 100 && scheduler.in_flight() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  http.AbortAll();
  work.reset();
  io.stop();
  loop.join();

  if (store) store->Stop();

  std::fprintf(stderr, "drill %s: %s%s\n", spec->name.c_str(), std::string(VerdictName(record.verdict)).c_str(),
               record.why.empty() ? "" : (" (" + record.why + ")").c_str());
  for (const DrillCheck& c : record.checks) {
    std::fprintf(stderr, "  %s %s %s %s: observed %s\n", c.passed ? "pass" : "FAIL",
                 CheckSubject(c).c_str(), c.name.c_str(), c.expected.c_str(), c.observed.c_str());
  }
  if (!o.junit.empty()) {
    if (auto error = WriteOutput(o.junit, RenderDrillJUnit(record))) std::fprintf(stderr, "%s\n", error->c_str());
  }
  if (!o.report.empty()) {
    if (auto error = WriteOutput(o.report, RenderDrillReport(record, o.report)))
      std::fprintf(stderr, "%s\n", error->c_str());
  }
  return DrillExitCode(record);
}

}  // namespace sonde
