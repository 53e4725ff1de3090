#include "scenarios/scheduler.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sonde {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;
using SystemClock = std::chrono::system_clock;

Duration StartOffset(const std::string& journey, const std::string& target, Duration interval) {
  // FNV-1a, written out because std::hash may differ between standard
  // libraries and releases, and the offset must survive an upgrade.
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  mix(journey);
  mix(std::string_view("\0", 1));
  mix(target);
  if (interval.count() <= 0) return Duration(0);
  return Duration(static_cast<int64_t>(h % static_cast<uint64_t>(interval.count())));
}

SystemClock::time_point FirstSlot(SystemClock::time_point now, Duration interval, Duration offset) {
  const int64_t now_ns = std::chrono::duration_cast<Duration>(now.time_since_epoch()).count();
  const int64_t period = interval.count();
  int64_t base = now_ns - (now_ns % period) + offset.count();
  if (base < now_ns) base += period;
  return SystemClock::time_point(std::chrono::duration_cast<SystemClock::duration>(Duration(base)));
}

namespace {

// The slot's next grid instant at or after now, on the steady clock.
SteadyClock::time_point NextGridInstant(const Journey& journey, const std::string& target) {
  const auto wall = FirstSlot(SystemClock::now(), journey.interval,
                              StartOffset(journey.name, target, journey.interval));
  return SteadyClock::now() +
         std::chrono::duration_cast<SteadyClock::duration>(wall - SystemClock::now());
}

std::string SlotKey(const std::string& journey, const std::string& target) {
  return journey + '\0' + target;
}

}  // namespace

struct Scheduler::Slot {
  Slot(asio::any_io_executor ex, std::shared_ptr<const Config> c, const Journey& j,
       const TargetGroup& g, std::string url)
      : config(std::move(c)), journey(&j), group(&g), target(std::move(url)), timer(ex) {}
  // The config the journey and group live in; a run holds its own reference,
  // so a reload can move the slot on while the run finishes on the old one.
  std::shared_ptr<const Config> config;
  const Journey* journey;
  const TargetGroup* group;
  std::string target;
  asio::steady_timer timer;
  SteadyClock::time_point due{};
  bool running = false;
  bool finished_once = false;
  bool failing = false;  // the last run failed and failing_interval applies
  bool retired = false;  // removed or replaced by a reload
};

Scheduler::Scheduler(asio::any_io_executor executor, std::shared_ptr<const Config> config,
                     JourneyRunner& runner, RunObserver& observer)
    : executor_(executor),
      config_(std::move(config)),
      runner_(runner),
      observer_(observer),
      gate_(executor, static_cast<size_t>(config_->service.max_concurrent_runs)) {}

Scheduler::~Scheduler() = default;

void Scheduler::Start() {
  started_ = true;
  Reload(config_);
  spdlog::info("scheduler: {} journey/target slots started", slots_.size());
}

Scheduler::ReloadStats Scheduler::Reload(std::shared_ptr<const Config> config) {
  ReloadStats stats;
  std::map<std::string, std::shared_ptr<Slot>> next;
  for (const Journey& journey : config->journeys) {
    const TargetGroup* group = config->FindTargets(journey.target_group);
    if (!group) continue;  // the loader rejects this; never reached with a loaded config
    for (const std::string& url : group->urls) {
      const std::string key = SlotKey(journey.name, url);
      auto old = slots_.find(key);
      if (old != slots_.end() && old->second->journey->fingerprint == journey.fingerprint) {
        // Same journey, same target: keep its schedule, in-flight run and
        // failing state; only its config pointers move.
        Slot& slot = *old->second;
        slot.config = config;
        slot.journey = &journey;
        slot.group = group;
        next[key] = old->second;
        slots_.erase(old);
        ++stats.kept;
        continue;
      }
      auto slot = std::make_shared<Slot>(executor_, config, journey, *group, url);
      next[key] = slot;
      StartSlot(slot);
      ++stats.started;
    }
  }
  for (auto& [key, slot] : slots_) {  // what is left was removed or changed
    slot->retired = true;
    slot->timer.cancel();
    ++stats.retired;
  }
  slots_ = std::move(next);
  config_ = std::move(config);
  gate_.set_capacity(static_cast<size_t>(config_->service.max_concurrent_runs));
  return stats;
}

void Scheduler::StartSlot(const std::shared_ptr<Slot>& slot) {
  slot->due = NextGridInstant(*slot->journey, slot->target);
  // One coroutine per slot: it sleeps until the slot's next instant, then
  // starts a run (as a separate coroutine, so a slow run never delays the
  // clock) unless the previous run is still going.
  auto loop = [this, slot]() -> asio::awaitable<void> {
    while (!stopped_ && !slot->retired) {
      slot->timer.expires_at(slot->due);
      // Expiry, Stop, retirement and rescheduling (OnFinished) all wake the
      // loop; it re-checks which.
      co_await slot->timer.async_wait(asio::as_tuple(asio::use_awaitable));
      if (stopped_ || slot->retired) break;
      const SteadyClock::time_point due = slot->due;
      SteadyClock::time_point now = SteadyClock::now();
      if (now < due) continue;  // rescheduled while asleep
      const Duration interval =
          slot->failing ? *slot->journey->failing_interval : slot->journey->interval;
      slot->due += interval;
      // After a stall (a suspended process, a frozen VM) don't fire every
      // missed slot at once: count them as skipped and rejoin the grid.
      while (slot->due + interval <= now) {
        observer_.OnRunSkipped(slot->journey->name, slot->target);
        slot->due += interval;
      }
      if (slot->running) {
        observer_.OnSchedulerLag(now - due);
        observer_.OnRunSkipped(slot->journey->name, slot->target);
        continue;
      }
      const MaintenanceWindow* window =
          slot->config->MaintenanceFor(slot->journey->name, SystemClock::now());
      if (window && window->mode == MaintenanceWindow::Mode::kPause) {
        observer_.OnRunPaused(slot->journey->name, slot->target);
        continue;
      }
      const bool marked = window != nullptr;
      slot->running = true;
      ++in_flight_;
      asio::co_spawn(
          executor_,
          [this, slot, due, marked]() -> asio::awaitable<void> {
            // Hold this config alive for the whole run, whatever reloads do.
            std::shared_ptr<const Config> config = slot->config;
            const Journey& journey = *slot->journey;
            const TargetGroup& group = *slot->group;
            // Every way out of a run frees its slot and its in-flight count.
            auto end_run = [&] {
              slot->running = false;
              --in_flight_;
            };
            const bool admitted = co_await gate_.Acquire(due + journey.timeout);
            if (stopped_ || slot->retired) {
              // Stopped (or reloaded away) while waiting for a place: a run
              // that has not started does not start now.
              if (admitted) gate_.Release();
              end_run();
              co_return;
            }
            const SteadyClock::time_point started = SteadyClock::now();
            observer_.OnSchedulerLag(started - due);
            if (!admitted) {
              spdlog::warn(
                  "journey={} target={}: no run place free within its timeout ({} "
                  "in flight); skipped",
                  journey.name, slot->target, gate_.active());
              end_run();
              observer_.OnRunSkipped(journey.name, slot->target);
              co_return;
            }
            JourneyResult result = co_await runner_.Run(journey, group, slot->target);
            result.maintenance = marked;
            gate_.Release();
            end_run();
            OnFinished(slot, result, started);
          },
          asio::detached);
    }
  };
  asio::co_spawn(executor_, std::move(loop), asio::detached);
}

void Scheduler::OnFinished(const std::shared_ptr<Slot>& slot, const JourneyResult& result,
                           SteadyClock::time_point started) {
  slot->finished_once = true;
  observer_.OnRunFinished(result);
  if (slot->retired || stopped_ || !slot->journey->failing_interval) return;
  const bool failed = result.outcome == Outcome::kFailed;
  if (failed && !slot->failing) {
    // Look again sooner: the next run comes failing_interval after this one.
    slot->failing = true;
    const SteadyClock::time_point sooner = started + *slot->journey->failing_interval;
    if (sooner < slot->due) {
      slot->due = sooner;
      slot->timer.cancel();
    }
  } else if (!failed && slot->failing) {
    slot->failing = false;
    slot->due = NextGridInstant(*slot->journey, slot->target);
    slot->timer.cancel();
  }
}

void Scheduler::Stop() {
  stopped_ = true;
  for (auto& [key, slot] : slots_) slot->timer.cancel();
}

size_t Scheduler::in_flight() const { return in_flight_; }

bool Scheduler::first_round_done() const {
  if (!started_) return false;
  for (const auto& [key, slot] : slots_) {
    if (!slot->finished_once) return false;
  }
  return true;  // with no slots there is nothing to wait for
}

size_t Scheduler::slot_count() const { return slots_.size(); }

}  // namespace sonde
