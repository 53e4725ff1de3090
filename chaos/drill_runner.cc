#include "chaos/drill_runner.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <set>

#include "chaos/drill_verdict.h"
#include "chaos/injector.h"
#include "chaos/proxy_links.h"
#include "core/off_loop.h"
#include "core/unix_time.h"
#include "reporter/report_format.h"
#include "reporter/store_writer.h"

namespace sonde::chaos {
namespace {

namespace asio = boost::asio;

// How often the drill looks at its runs, its faults' clocks and a stop.
constexpr auto kTick = std::chrono::milliseconds(100);

struct Ratio {
  int64_t ok = 0, total = 0;
  double value() const { return total ? static_cast<double>(ok) / static_cast<double>(total) : 1.0; }
};

// Success of each watched journey over the runs finished since `since_us`.
std::map<std::string, Ratio> SuccessSince(const DrillRunLog& log, const std::vector<std::string>& journeys,
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
  Progress(bool enabled, std::function<void(const std::string&)> hook)
      : enabled_(enabled), tty_(::isatty(STDERR_FILENO) == 1), hook_(std::move(hook)) {}
  void Show(const std::string& phase, Duration elapsed, Duration total,
            const std::map<std::string, Ratio>& success) {
    if (!enabled_ && !hook_) return;
    std::string line = "[" + phase + " " + FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(elapsed)) +
                       "/" + FormatDuration(total) + "]";
    for (const auto& [j, r] : success) {
      line += "  " + j + " " + std::to_string(r.ok) + "/" + std::to_string(r.total);
    }
    if (hook_) hook_(line);
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!tty_ && now < next_line_) return;
    next_line_ = now + std::chrono::seconds(5);
    if (tty_) {
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    std::fflush(stderr);
  }
  void Done() {
    if (enabled_ && tty_) std::fprintf(stderr, "\n");
  }

 private:
  bool enabled_;
  bool tty_;
  std::function<void(const std::string&)> hook_;
  std::chrono::steady_clock::time_point next_line_{};
};

// Why the drill stopped early.
std::string StopReason(int stop) {
  if (stop == kStopHalt) return "stopped by POST /api/v1/heal";
  if (stop == kStopShutdown) return "stopped: the daemon is shutting down";
  return "interrupted by signal " + std::to_string(stop);
}

}  // namespace

void DrillRunLog::OnRunFinished(const JourneyResult& r) {
  if (std::find(journeys_.begin(), journeys_.end(), r.journey) == journeys_.end()) return;
  const int64_t started = UnixMicros(r.started_at);
  std::lock_guard lock(mu_);
  runs_.push_back({r.journey, r.target, started, started + ToMicros(r.duration), r.outcome, r.reason,
                   r.failing_step});
}

std::vector<DrillRun> DrillRunLog::Snapshot() const {
  std::lock_guard lock(mu_);
  return runs_;
}

DrillRunner::DrillRunner(const Config& config, const DrillSpec& spec, DrillPlan plan,
                         const DrillRunLog& runs, DrillHooks hooks, std::atomic<int>& stop,
                         bool progress)
    : config_(config),
      spec_(spec),
      plan_(std::move(plan)),
      runs_(runs),
      hooks_(std::move(hooks)),
      stop_(stop),
      progress_(progress) {}

asio::awaitable<bool> DrillRunner::SleepUntil(std::chrono::steady_clock::time_point until,
                                              std::function<void()> each,
                                              std::function<bool()> done) {
  asio::steady_timer tick(co_await asio::this_coro::executor);
  while (std::chrono::steady_clock::now() < until) {
    if (stop_) co_return false;
    if (each) each();
    if (done && done()) co_return true;
    tick.expires_after(kTick);
    co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return stop_ == 0;
}

asio::awaitable<DrillRecord> DrillRunner::Run(asio::thread_pool& blocking) {
  DrillRecord record;
  record.drill = spec_.name;
  record.seed = plan_.seed;
  record.started_us = NowUnixMicros();
  if (hooks_.store) {
    hooks_.store->Enqueue(DrillEvent{.at_us = record.started_us, .event = DrillEventKind::kStart,
                              .drill = spec_.name, .verdict = "", .seed = static_cast<int64_t>(plan_.seed),
                              .detail = ""});
  }
  Progress progress(progress_, hooks_.progress);
  chaos::Journal journal(config_.chaos.journal);
  chaos::FaultSession session(journal, spec_.name);
  auto abort = [&](std::string why) {
    record.verdict = DrillVerdict::kAborted;
    record.why = std::move(why);
  };

  // 0. Every link the faults need is at the proxy, or nothing starts.
  auto asking = OffLoop(blocking, [this] { return CheckPlannedLinks(plan_, config_.chaos); });
  if (auto missing = co_await std::move(asking)) abort(*missing + "; nothing was injected");

  // 1. Steady state: nothing is injected unless every watched journey is healthy.
  const auto steady_start = std::chrono::steady_clock::now();
  const bool preflight_ok = record.verdict != DrillVerdict::kAborted;
  bool steady_ok = false;
  if (preflight_ok) {
    auto steady = SleepUntil(steady_start + spec_.steady_duration, [&] {
      progress.Show("steady", std::chrono::steady_clock::now() - steady_start, spec_.steady_duration,
                    SuccessSince(runs_, spec_.journeys, record.started_us));
    }, nullptr);
    steady_ok = co_await std::move(steady);
  }
  progress.Done();
  if (!preflight_ok) {
    // Said above.
  } else if (!steady_ok) {
    abort(StopReason(stop_) + " before any fault");
  } else {
    for (const auto& [j, r] : SuccessSince(runs_, spec_.journeys, record.started_us)) {
      if (r.total == 0 || r.value() + 1e-12 < spec_.steady_min_success) {
        abort("steady state not met: " + j + " " + std::to_string(r.ok) + "/" +
              std::to_string(r.total) + " runs succeeded, below " +
              FormatPercent(spec_.steady_min_success) + "; nothing was injected");
        break;
      }
    }
  }

  // 2-4. Inject at offsets, hold, revert at the ends of the durations.
  if (record.verdict != DrillVerdict::kAborted) {
    record.hold_start_us = NowUnixMicros();
    const auto hold_start = std::chrono::steady_clock::now();
    struct Live {
      const chaos::PlannedFault* planned;
      std::optional<std::string> id;
      bool done = false;
      size_t record_index = 0;
    };
    std::vector<Live> live;
    for (const chaos::PlannedFault& p : plan_.faults) live.push_back({&p, std::nullopt, false, 0});
    auto revert = [&](Live& l) -> asio::awaitable<void> {
      if (!l.id || l.done) co_return;
      l.done = true;
      DrillFaultRecord& fr = record.faults[l.record_index];
      auto reverting = OffLoop(blocking, [&session, id = *l.id] { return session.Revert(id); });
      if (auto why = co_await std::move(reverting)) {
        fr.error = *why;
        spdlog::error("drill: {}", *why);
        co_return;
      }
      fr.revert_us = NowUnixMicros();
      spdlog::info("drill: reverted {}", l.planned->spec.name);
      if (hooks_.fault_active) hooks_.fault_active(fr, false);
      if (hooks_.store) {
        hooks_.store->Enqueue(FaultEvent{.at_us = *fr.revert_us, .event = FaultEventKind::kRevert,
                                  .drill = spec_.name, .fault = fr.name, .kind = fr.kind,
                                  .target = fr.target, .detail = fr.description});
      }
    };
    asio::steady_timer tick(co_await asio::this_coro::executor);
    bool all_done = false;
    while (!all_done) {
      if (stop_) {
        abort(StopReason(stop_) + "; every fault reverted");
        break;
      }
      const auto elapsed = std::chrono::steady_clock::now() - hold_start;
      all_done = true;
      for (Live& l : live) {
        if (l.done) continue;
        all_done = false;
        if (!l.id && elapsed >= l.planned->at) {
          auto planning = OffLoop(blocking, [this, &l] { return chaos::PlanFault(l.planned->spec, config_.chaos); });
          chaos::Planned resolved = co_await std::move(planning);
          DrillFaultRecord fr{l.planned->spec.name, KindName(l.planned->spec), FaultSubject(l.planned->spec), "",
                              NowUnixMicros(), std::nullopt, std::nullopt, std::nullopt, "", {}};
          if (auto* why = std::get_if<std::string>(&resolved)) {
            fr.error = *why;
            record.faults.push_back(fr);
            abort("could not inject " + l.planned->spec.name + ": " + *why);
            l.done = true;
            break;
          }
          auto& action = std::get<chaos::FaultAction>(resolved);
          fr.description = action.description;
          auto injecting = OffLoop(blocking, [&session, &l, &action] {
            return session.Inject(l.planned->spec, std::move(action));
          });
          auto injected = co_await std::move(injecting);
          if (hooks_.injected) hooks_.injected(fr.kind, injected.index() == 0);
          if (injected.index() == 1) {
            fr.error = std::get<1>(injected);
            record.faults.push_back(fr);
            abort("could not inject " + l.planned->spec.name + ": " + fr.error);
            l.done = true;
            break;
          }
          fr.inject_us = NowUnixMicros();
          l.id = std::get<0>(injected);
          l.record_index = record.faults.size();
          record.faults.push_back(fr);
          spdlog::info("drill: injected {}: {}", fr.name, fr.description);
          if (hooks_.fault_active) hooks_.fault_active(fr, true);
          if (hooks_.store) {
            hooks_.store->Enqueue(FaultEvent{.at_us = fr.inject_us, .event = FaultEventKind::kInject,
                                      .drill = spec_.name, .fault = fr.name, .kind = fr.kind,
                                      .target = fr.target, .detail = fr.description});
          }
        }
        if (l.id && elapsed >= l.planned->at + l.planned->duration) {
          auto reverting = revert(l);
          co_await std::move(reverting);
        }
      }
      if (record.verdict == DrillVerdict::kAborted) break;
      const auto success = SuccessSince(runs_, spec_.journeys, record.hold_start_us);
      if (spec_.abort_below) {
        for (const auto& [j, r] : success) {
          if (r.total >= 2 && r.value() < spec_.abort_below) {
            abort("abort floor: " + j + " at " + FormatPercent(r.value()) + " (" +
                  std::to_string(r.ok) + "/" + std::to_string(r.total) + "), below " +
                  FormatPercent(spec_.abort_below) + "; faults reverted early");
            break;
          }
        }
        if (record.verdict == DrillVerdict::kAborted) break;
      }
      progress.Show("hold", elapsed, plan_.hold, success);
      tick.expires_after(kTick);
      co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    progress.Done();
    for (Live& l : live) {  // what an abort or a signal left
      auto reverting = revert(l);
      co_await std::move(reverting);
    }
    auto rest = OffLoop(blocking, [&session] { return session.RevertAll(); });
    for (const std::string& why : co_await std::move(rest)) spdlog::error("drill: {}", why);
    record.hold_end_us = NowUnixMicros();
  }

  // 5. Recovery: until every (journey, target) seen has succeeded again in a
  // run started after the last actual revert.
  if (record.hold_end_us > 0 && !stop_) {
    int64_t since = 0;
    for (const DrillFaultRecord& f : record.faults) since = std::max(since, f.revert_us.value_or(record.hold_end_us));
    if (record.faults.empty()) since = record.hold_end_us;
    const auto recovery_start = std::chrono::steady_clock::now();
    bool recovered = false;
    auto recovering = SleepUntil(recovery_start + spec_.recovery_timeout, [&] {
      progress.Show("recovery", std::chrono::steady_clock::now() - recovery_start,
                    spec_.recovery_timeout, SuccessSince(runs_, spec_.journeys, since));
      recovered = RecoveredAt(runs_.Snapshot(), since).has_value();
    }, [&] { return recovered; });
    co_await std::move(recovering);
    progress.Done();
  }

  // 6. Settle: the watched journeys keep running for `settle` after
  // recovery, for the expectations judged then (a re-election forced by a
  // healed member shows here). Runs that started in the window and finished
  // before it closed are what is judged.
  if (record.hold_end_us > 0 && !stop_ && spec_.settle > Duration::zero() && record.verdict != DrillVerdict::kAborted) {
    record.settle_start_us = NowUnixMicros();
    const auto settle_start = std::chrono::steady_clock::now();
    auto settling = SleepUntil(settle_start + spec_.settle, [&] {
      progress.Show("settle", std::chrono::steady_clock::now() - settle_start, spec_.settle,
                    SuccessSince(runs_, spec_.journeys, record.settle_start_us));
    }, nullptr);
    if (co_await std::move(settling)) {
      record.settle_end_us = NowUnixMicros();
    } else {
      abort(StopReason(stop_) + " in the settle window; every fault was already reverted");
    }
    progress.Done();
  }

  record.ended_us = NowUnixMicros();
  record.runs = runs_.Snapshot();
  JudgeDrill(spec_, record);
  if (hooks_.store) {
    hooks_.store->Enqueue(DrillEvent{.at_us = record.ended_us, .event = DrillEventKind::kEnd,
                                     .drill = spec_.name, .verdict = std::string(VerdictName(record.verdict)),
                                     .seed = static_cast<int64_t>(plan_.seed), .detail = record.why});
  }
  co_return record;
}

}  // namespace sonde::chaos
