// `sonde run`: the monitoring daemon. One io_context on the main thread runs
// the scheduler, the probes and the admin server. SIGINT/SIGTERM stop the
// scheduling, give in-flight runs up to the grace period to finish, abort
// what is left, and exit 0. A second signal skips the grace period.
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <malloc.h>

#include <csignal>

#include "config/loader.h"
#include "core/version.h"
#include "probes/http_client.h"
#include "probes/wallets.h"
#include "reporter/metrics.h"
#include "reporter/recent_runs.h"
#include "reporter/sqlite_db.h"
#include "reporter/status_view.h"
#include "reporter/store_writer.h"
#include "scenarios/observer_list.h"
#include "scenarios/runner.h"
#include "scenarios/scheduler.h"
#include "service/admin_server.h"
#include "chaos/chaos_schedule.h"
#include "service/commands.h"
#include "service/drill_routes.h"
#include "service/drill_service.h"
#include "service/load.h"
#include "chaos/drill_runner.h"
#include "core/off_loop.h"

namespace sonde {

namespace asio = boost::asio;

namespace {

// Large buffers come and go all day — a /metrics page of every journey's
// histograms (megabytes with a few hundred journeys), a page of runs. With
// glibc's default, the first such buffer freed raises the mmap threshold
// to its size, later ones are carved from the heap, and the space they
// leave stays with the process: a 10-minute soak grew the main arena by
// 7 MiB with its live heap flat. A fixed threshold (which also fixes the
// trim threshold) keeps buffers over 256 KiB in their own mappings, given
// back when freed.
void KeepLargeBuffersOutOfTheHeap() {
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
}

}  // namespace

int CommandRun(const RunOptions& options) {
  KeepLargeBuffersOutOfTheHeap();
  LoadedConfig setup = LoadOrReport(options.config_path, stderr);
  if (!setup.ok()) return 2;
  const std::shared_ptr<const Config> config = setup.config;

  asio::io_context io(1);
  HttpClient http(io.get_executor());
  Wallets wallets;
  JourneyRunner runner(ProbeEnv{http, &wallets}, setup.keys);
  Metrics metrics(*config);
  RecentRuns recent(config->service.location, {});
  ObserverList observers;
  observers.Add(metrics);
  observers.Add(recent);
  std::unique_ptr<StoreWriter> store;
  if (config->store) {
    try {
      store = std::make_unique<StoreWriter>(
          StoreWriter::Options{.dir = config->store->dir,
                               .location = config->service.location,
                               .queue_capacity = config->store->queue,
                               .batch_size = 512,
                               .keep = config->store->keep},
          StoreWriter::Hooks{.written = [&metrics](size_t n) { metrics.OnStoreWritten(n); },
                             .dropped = [&metrics] { metrics.OnStoreDropped(); },
                             .write_failed = [&metrics] { metrics.OnStoreWriteFailed(); }});
    } catch (const StoreError& e) {
      spdlog::error("{}", e.what());
      return 2;
    }
    observers.Add(*store);
    spdlog::info("result store: {} (keep {})", config->store->dir,
                 FormatDuration(config->store->keep));
  }
  // Faults a crashed sonde left behind are reverted before anything runs,
  // and the store records that their windows closed.
  if (HealJournal(config->chaos.journal, /*quiet_when_clear=*/true, store.get()) != 0) {
    spdlog::warn("heal: some faults could not be reverted; they stay in {} (run `sonde heal`)",
                 config->chaos.journal);
  }
  StatusView status(config, std::chrono::seconds(5));
  DrillService drills(config, metrics, store.get(), io.get_executor());
  observers.Add(drills.Tap());
  chaos::ChaosScheduler chaos_schedule(config, metrics, store.get(), io.get_executor());
  observers.Add(chaos_schedule.Tap());
  Scheduler scheduler(io.get_executor(), config, runner, observers);
  // What must not stall the event loop — reading a config and its keys,
  // a heal's reverts, a large page of runs — runs on this thread, and the
  // loop goes on probing. Declared after what its work touches, so it is
  // joined before any of that goes.
  asio::thread_pool workers(1);
  // SIGHUP and POST /-/reload: a new file that fails validation is refused
  // whole and the running config goes on. The file is read on the worker;
  // the new config is applied on the loop.
  auto apply = [&](LoadedConfig loaded) -> std::pair<bool, std::string> {
    if (!loaded.ok()) {
      metrics.OnReload(nullptr);
      std::string message = "reload refused; the running config is unchanged:";
      for (const Diagnostic& d : loaded.errors) {
        spdlog::error("reload: {}", d.ToString());
        message += "\n" + d.ToString();
      }
      return {false, message};
    }
    if ((loaded.config->store.has_value() != config->store.has_value()) ||
        (loaded.config->store && (loaded.config->store->dir != config->store->dir ||
                                  loaded.config->store->queue != config->store->queue ||
                                  loaded.config->store->keep != config->store->keep))) {
      spdlog::warn("reload: [store] changes take effect only after a restart");
    }
    if (loaded.config->service.listen_host != config->service.listen_host ||
        loaded.config->service.listen_port != config->service.listen_port ||
        loaded.config->service.location != config->service.location ||
        loaded.config->service.tls_cert_file != config->service.tls_cert_file ||
        loaded.config->service.tls_key_file != config->service.tls_key_file) {
      spdlog::warn("reload: [service] listen, location and TLS take effect only after a restart");
    }
    runner.SetKeys(loaded.keys);
    Scheduler::ReloadStats stats = scheduler.Reload(loaded.config);
    metrics.OnReload(loaded.config.get());
    // The status page lists the new journeys; the store stays the one
    // opened at start.
    auto status_config = std::make_shared<Config>(*loaded.config);
    status_config->store = config->store;
    status.SetConfig(std::move(status_config));
    drills.SetConfig(loaded.config);
    const std::string message = "reloaded " + options.config_path + ": " +
                                std::to_string(stats.kept) + " journey/target slots kept, " +
                                std::to_string(stats.started) + " started, " +
                                std::to_string(stats.retired) + " retired";
    spdlog::info("{}", message);
    return {true, message};
  };
  auto reload = [&]() -> asio::awaitable<std::pair<bool, std::string>> {
    auto load = [path = options.config_path] { return LoadWithKeys(path); };
    auto loading = OffLoop(workers, std::move(load));  // named: see off_loop.h
    LoadedConfig loaded = co_await std::move(loading);
    co_return apply(std::move(loaded));
  };
  AdminServer admin(
      io.get_executor(),
      {.metrics = [&metrics] { return metrics.Serialize(); },
       .ready = [&scheduler] { return scheduler.first_round_done(); },
       .authorize =
           // The drill API's check, against the config in force now.
           [&drills](const std::string& authorization) { return drills.Authorize(authorization); },
       .reload = reload,
       .status = [&status, &recent] { return status.Json(recent); },
       // Drills and heal may revert faults (a command, an HTTP call) for
       // seconds: on the worker.
       .control =
           [&](std::string method, std::string target, std::string authorization) {
             return OffLoop(workers, [&drills, method, target, authorization] {
               return RouteDrillRequest(drills, method, target, authorization);
             });
           },
       // The runs are copied on the loop (RecentRuns is the loop's), turned
       // into JSON on the worker.
       .runs =
           [&](RunsQuery query) {
             // One more than asked: whether there is a next page.
             auto runs = std::make_shared<std::vector<RunRecord>>(
                 recent.Latest(query.journey, query.limit + 1, query.before_us));
             return OffLoop(workers, [runs, limit = query.limit] { return RecentRunsJson(*runs, limit); });
           }},
      {.tls_cert_file = config->service.tls_cert_file, .tls_key_file = config->service.tls_key_file});
  if (auto warning = ExposureWarning(config->service)) spdlog::warn("{}", *warning);
  if (auto error = admin.Listen(config->service.listen_host, config->service.listen_port)) {
    spdlog::error("{}", *error);
    return 2;
  }
  spdlog::info("sonde {} serving the status page, /metrics, /api/v1/status on {}://{}:{}/",
               kVersion, config->service.tls_cert_file.empty() ? "http" : "https",
               config->service.listen_host, admin.port());

  bool stopping = false;
  bool force = false;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  asio::signal_set hangups(io, SIGHUP);
  std::function<void(const boost::system::error_code&, int)> on_signal;
  on_signal = [&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    if (stopping) {
      spdlog::warn("second signal ({}): aborting in-flight runs now", signo);
      force = true;
      return;
    }
    stopping = true;
    spdlog::info("signal {}: stopping; {} run(s) in flight, grace {}", signo, scheduler.in_flight(),
                 FormatDuration(options.shutdown_grace));
    scheduler.Stop();
    signals.async_wait(on_signal);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          asio::steady_timer tick(io);
          const auto give_up = std::chrono::steady_clock::now() + options.shutdown_grace;
          while (scheduler.in_flight() > 0 && !force &&
                 std::chrono::steady_clock::now() < give_up) {
            tick.expires_after(std::chrono::milliseconds(20));
            co_await tick.async_wait(asio::use_awaitable);
          }
          if (scheduler.in_flight() > 0) {
            spdlog::warn("aborting {} run(s) still in flight", scheduler.in_flight());
            http.AbortAll();
            // Aborted runs complete on the next turns of the loop; give them
            // a moment so their results are recorded.
            for (int i = 0; i < 50 && scheduler.in_flight() > 0; ++i) {
              tick.expires_after(std::chrono::milliseconds(10));
              co_await tick.async_wait(asio::use_awaitable);
            }
          }
          // A drill and scheduled chaos revert their faults before the loop
          // they run on stops.
          drills.RequestStop(chaos::kStopShutdown);
          chaos_schedule.RequestStop();
          for (int i = 0; i < 6000 && (drills.Busy() || chaos_schedule.Busy()); ++i) {
            tick.expires_after(std::chrono::milliseconds(20));
            co_await tick.async_wait(asio::use_awaitable);
          }
          admin.Stop();
          signals.cancel();
          hangups.cancel();
          io.stop();
        },
        asio::detached);
  };
  signals.async_wait(on_signal);

  std::function<void(const boost::system::error_code&, int)> on_hangup;
  on_hangup = [&](const boost::system::error_code& ec, int) {
    if (ec || stopping) return;
    asio::co_spawn(io, reload(), asio::detached);
    hangups.async_wait(on_hangup);
  };
  hangups.async_wait(on_hangup);

  status.Start();
  scheduler.Start();
  chaos_schedule.Start();
  io.run();
  status.Stop();
  // A drill or scheduled fault still running (the loop stopped some other
  // way) reverts its faults before anything else goes: the loop turns again
  // for them alone.
  if (drills.Busy() || chaos_schedule.Busy()) {
    drills.RequestStop(chaos::kStopShutdown);
    chaos_schedule.RequestStop();
    io.restart();
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    while ((drills.Busy() || chaos_schedule.Busy()) &&
           std::chrono::steady_clock::now() < give_up) {
      io.run_one_for(std::chrono::milliseconds(100));
    }
  }
  if (store) {
    // Every result recorded before the loop stopped is written before exit.
    store->Stop();
    spdlog::info("result store: {} row(s) written, {} dropped", store->written(), store->dropped());
  }
  spdlog::info("stopped");
  return 0;
}

}  // namespace sonde
