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
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "chaos/drill_plan.h"
#include "chaos/drill_verdict.h"
#include "chaos/injector.h"
#include "probes/http_client.h"
#include "probes/wallets.h"
#include "reporter/drill_report.h"
#include "reporter/report_format.h"
#include "reporter/sqlite_db.h"
#include "reporter/store_writer.h"
#include "scenarios/observer_list.h"
#include "scenarios/runner.h"
#include "scenarios/scheduler.h"
#include "service/commands.h"
#include "service/load.h"
#include "service/output_file.h"

namespace sonde {
namespace asio = boost::asio;
namespace {

volatile sig_atomic_t g_stop_signal = 0;
void OnStopSignal(int signo) { g_stop_signal = signo; }

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t Micros(Duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); }

// The watched journeys' runs, as the scheduler finishes them (io thread),
// read by the drill's thread.
class RunLog : public RunObserver {
 public:
  void OnRunFinished(const JourneyResult& r) override {
    const int64_t started = std::chrono::duration_cast<std::chrono::microseconds>(
                                r.started_at.time_since_epoch())
                                .count();
    std::lock_guard lock(mu_);
    runs_.push_back({r.journey, r.target, started, started + Micros(r.duration), r.outcome, r.reason});
  }
  void OnRunSkipped(const std::string&, const std::string&) override {}
  void OnSchedulerLag(Duration) override {}
  std::vector<DrillRun> Snapshot() const {
    std::lock_guard lock(mu_);
    return runs_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<DrillRun> runs_;
};

struct Ratio {
  int64_t ok = 0, total = 0;
  double value() const { return total ? static_cast<double>(ok) / static_cast<double>(total) : 1.0; }
};

// Success of each watched journey over the runs finished since `since_us`.
std::map<std::string, Ratio> SuccessSince(const RunLog& log, const std::vector<std::string>& journeys,
                                          int64_t since_us) {
  std::map<std::string, Ratio> out;
  for (const std::string& j : journeys) out[j];
  for (const DrillRun& r : log.Snapshot()) {
    if (r.finished_us < since_us || r.outcome == Outcome::kInfraError || !out.count(r.journey)) continue;
    Ratio& x = out[r.journey];
    ++x.total;
    if (r.outcome != Outcome::kFailed) ++x.ok;
  }
  return out;
}

class Progress {
 public:
  Progress() : tty_(::isatty(STDERR_FILENO) == 1) {}
  void Show(const std::string& phase, Duration elapsed, Duration total,
            const std::map<std::string, Ratio>& success) {
    const auto now = std::chrono::steady_clock::now();
    if (!tty_ && now < next_line_) return;
    next_line_ = now + std::chrono::seconds(5);
    std::string line = "[" + phase + " " + FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(elapsed)) +
                       "/" + FormatDuration(total) + "]";
    for (const auto& [j, r] : success) {
      line += "  " + j + " " + std::to_string(r.ok) + "/" + std::to_string(r.total);
    }
    if (tty_) {
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    std::fflush(stderr);
  }
  void Done() {
    if (tty_) std::fprintf(stderr, "\n");
  }

 private:
  bool tty_;
  std::chrono::steady_clock::time_point next_line_{};
};

// Sleeps in small steps until `until`, or a stop signal; false on a signal.
bool SleepUntil(std::chrono::steady_clock::time_point until, const std::function<void()>& each) {
  while (std::chrono::steady_clock::now() < until) {
    if (g_stop_signal) return false;
    if (each) each();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return !g_stop_signal;
}

}  // namespace

int CommandDrill(const DrillOptions& o) {
  LoadedConfig setup = LoadOrReport(o.config_path, stderr);
  if (!setup.ok()) return 2;
  const Config& config = *setup.config;
  const DrillSpec* spec = nullptr;
  for (const DrillSpec& d : config.drills) {
    if (d.name == o.drill) spec = &d;
  }
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
    std::fprintf(stderr, "dry run: nothing was touched\n");
    return refused ? 2 : 0;
  }
  if (plan.destructive && !spec->armed && !o.arm) {
    std::fprintf(stderr,
                 "drill %s has destructive faults (kill, pause); refusing to run it unarmed: "
                 "pass --arm or set armed = true\n",
                 spec->name.c_str());
    return 2;
  }
  if (HealJournal(config.chaos.journal, /*quiet_when_clear=*/true) != 0) {
    std::fprintf(stderr, "faults of an earlier run could not be reverted; run `sonde heal` first\n");
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
  RunLog log;
  ObserverList observers;
  observers.Add(log);
  std::unique_ptr<StoreWriter> store;
  if (config.store) {
    try {
      store = std::make_unique<StoreWriter>(StoreWriter::Options{.dir = config.store->dir,
                                                                 .location = config.service.location,
                                                                 .queue_capacity = config.store->queue,
                                                                 .batch_size = 512,
                                                                 .keep = std::nullopt});
    } catch (const StoreError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      return 2;
    }
    observers.Add(*store);
  }
  Scheduler scheduler(io.get_executor(), watched, runner, observers);
  auto work = asio::make_work_guard(io);
  std::thread loop([&] { io.run(); });
  asio::post(io, [&] { scheduler.Start(); });

  g_stop_signal = 0;
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  DrillRecord record;
  record.drill = spec->name;
  record.seed = seed;
  record.started_us = NowMicros();
  if (store) {
    store->Enqueue(DrillEvent{.at_us = record.started_us, .event = DrillEventKind::kStart,
                              .drill = spec->name, .verdict = "", .seed = static_cast<int64_t>(seed),
                              .detail = ""});
  }
  Progress progress;
  chaos::Journal journal(config.chaos.journal);
  chaos::FaultSession session(journal, spec->name);
  auto abort = [&](std::string why) {
    record.verdict = "aborted";
    record.why = std::move(why);
  };

  // 1. Steady state: nothing is injected unless every watched journey is healthy.
  const auto steady_start = std::chrono::steady_clock::now();
  const bool steady_ok = SleepUntil(steady_start + spec->steady_duration, [&] {
    progress.Show("steady", std::chrono::steady_clock::now() - steady_start, spec->steady_duration,
                  SuccessSince(log, spec->journeys, record.started_us));
  });
  progress.Done();
  if (!steady_ok) {
    abort("interrupted by signal " + std::to_string(g_stop_signal) + " before any fault");
  } else {
    for (const auto& [j, r] : SuccessSince(log, spec->journeys, record.started_us)) {
      if (r.total == 0 || r.value() + 1e-12 < spec->steady_min_success) {
        abort("steady state not met: " + j + " " + std::to_string(r.ok) + "/" +
              std::to_string(r.total) + " runs succeeded, below " +
              std::to_string(static_cast<int>(spec->steady_min_success * 100)) +
              "%; nothing was injected");
        break;
      }
    }
  }

  // 2-4. Inject at offsets, hold, revert at the ends of the durations.
  if (record.verdict != "aborted") {
    record.hold_start_us = NowMicros();
    const auto hold_start = std::chrono::steady_clock::now();
    struct Live {
      const chaos::PlannedFault* planned;
      std::optional<std::string> id;
      bool done = false;
      size_t record_index = 0;
    };
    std::vector<Live> live;
    for (const chaos::PlannedFault& p : plan.faults) live.push_back({&p, std::nullopt, false, 0});
    auto revert = [&](Live& l) {
      if (!l.id || l.done) return;
      l.done = true;
      DrillFaultRecord& fr = record.faults[l.record_index];
      if (auto why = session.Revert(*l.id)) {
        fr.error = *why;
        spdlog::error("drill: {}", *why);
        return;
      }
      fr.revert_us = NowMicros();
      spdlog::info("drill: reverted {}", l.planned->spec.name);
      if (store) {
        store->Enqueue(FaultEvent{.at_us = *fr.revert_us, .event = FaultEventKind::kRevert,
                                  .drill = spec->name, .fault = fr.name, .kind = fr.kind,
                                  .target = fr.target, .detail = fr.description});
      }
    };
    bool all_done = false;
    while (!all_done) {
      if (g_stop_signal) {
        abort("interrupted by signal " + std::to_string(g_stop_signal) + "; every fault reverted");
        break;
      }
      const auto elapsed = std::chrono::steady_clock::now() - hold_start;
      all_done = true;
      for (Live& l : live) {
        if (l.done) continue;
        all_done = false;
        if (!l.id && elapsed >= l.planned->at) {
          chaos::Planned resolved = chaos::PlanFault(l.planned->spec, config.chaos);
          DrillFaultRecord fr{l.planned->spec.name, l.planned->spec.kind, l.planned->spec.target, "",
                              NowMicros(), std::nullopt, std::nullopt, std::nullopt, ""};
          if (auto* why = std::get_if<std::string>(&resolved)) {
            fr.error = *why;
            record.faults.push_back(fr);
            abort("could not inject " + l.planned->spec.name + ": " + *why);
            l.done = true;
            break;
          }
          auto& action = std::get<chaos::FaultAction>(resolved);
          fr.description = action.description;
          auto injected = session.Inject(l.planned->spec, std::move(action));
          if (injected.index() == 1) {
            fr.error = std::get<1>(injected);
            record.faults.push_back(fr);
            abort("could not inject " + l.planned->spec.name + ": " + fr.error);
            l.done = true;
            break;
          }
          fr.inject_us = NowMicros();
          l.id = std::get<0>(injected);
          l.record_index = record.faults.size();
          record.faults.push_back(fr);
          spdlog::info("drill: injected {}: {}", fr.name, fr.description);
          if (store) {
            store->Enqueue(FaultEvent{.at_us = fr.inject_us, .event = FaultEventKind::kInject,
                                      .drill = spec->name, .fault = fr.name, .kind = fr.kind,
                                      .target = fr.target, .detail = fr.description});
          }
        }
        if (l.id && elapsed >= l.planned->at + l.planned->duration) revert(l);
      }
      if (record.verdict == "aborted") break;
      const auto success = SuccessSince(log, spec->journeys, record.hold_start_us);
      if (spec->abort_below) {
        for (const auto& [j, r] : success) {
          if (r.total >= 2 && r.value() < *spec->abort_below) {
            abort("abort floor: " + j + " at " + FormatPercent(r.value()) + " (" +
                  std::to_string(r.ok) + "/" + std::to_string(r.total) + "), below " +
                  FormatPercent(*spec->abort_below) + "; faults reverted early");
            break;
          }
        }
        if (record.verdict == "aborted") break;
      }
      progress.Show("hold", elapsed, plan.hold, success);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    progress.Done();
    for (Live& l : live) revert(l);  // what an abort or a signal left
    for (const std::string& why : session.RevertAll()) spdlog::error("drill: {}", why);
    record.hold_end_us = NowMicros();
  }

  // 5. Recovery: until every watched journey has succeeded again.
  if (record.hold_end_us > 0 && !g_stop_signal) {
    const auto recovery_start = std::chrono::steady_clock::now();
    SleepUntil(recovery_start + spec->recovery_timeout, [&] {
      bool all = true;
      std::map<std::string, Ratio> after = SuccessSince(log, spec->journeys, record.hold_end_us);
      for (const std::string& j : spec->journeys) {
        bool ok = false;
        for (const DrillRun& r : log.Snapshot()) {
          if (r.journey == j && r.started_us >= record.hold_end_us && r.outcome != Outcome::kFailed &&
              r.outcome != Outcome::kInfraError)
            ok = true;
        }
        all = all && ok;
      }
      progress.Show("recovery", std::chrono::steady_clock::now() - recovery_start,
                    spec->recovery_timeout, after);
      if (all) g_stop_signal = -1;  // done waiting (not a real signal)
    });
    if (g_stop_signal == -1) g_stop_signal = 0;
    progress.Done();
  }

  // Stop the journeys; give in-flight runs a moment to be recorded.
  asio::post(io, [&] { scheduler.Stop(); });
  for (int i = 0; i < 100 && scheduler.in_flight() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  http.AbortAll();
  work.reset();
  io.stop();
  loop.join();

  record.ended_us = NowMicros();
  record.runs = log.Snapshot();
  chaos::JudgeDrill(*spec, record);
  if (store) {
    store->Enqueue(DrillEvent{.at_us = record.ended_us, .event = DrillEventKind::kEnd,
                              .drill = spec->name, .verdict = record.verdict,
                              .seed = static_cast<int64_t>(seed), .detail = record.why});
    store->Stop();
  }

  std::fprintf(stderr, "drill %s: %s%s\n", spec->name.c_str(), record.verdict.c_str(),
               record.why.empty() ? "" : (" (" + record.why + ")").c_str());
  for (const DrillCheck& c : record.checks) {
    std::fprintf(stderr, "  %s %s %s %s: observed %s\n", c.passed ? "pass" : "FAIL",
                 c.journey.c_str(), c.name.c_str(), c.expected.c_str(), c.observed.c_str());
  }
  if (!o.junit.empty()) {
    if (auto error = WriteOutput(o.junit, RenderDrillJUnit(record))) std::fprintf(stderr, "%s\n", error->c_str());
  }
  if (!o.report.empty()) {
    const bool html = o.report.size() > 5 && o.report.substr(o.report.size() - 5) == ".html";
    if (auto error = WriteOutput(o.report, html ? RenderDrillHtml(record) : RenderDrillMarkdown(record)))
      std::fprintf(stderr, "%s\n", error->c_str());
  }
  return DrillExitCode(record);
}

}  // namespace sonde
