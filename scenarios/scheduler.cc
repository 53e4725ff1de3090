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

struct Scheduler::Slot {
  Slot(asio::any_io_executor ex, const Journey& j, const TargetGroup& g, std::string url)
      : journey(j), group(g), target(std::move(url)), timer(ex) {}
  const Journey& journey;
  const TargetGroup& group;
  std::string target;
  asio::steady_timer timer;
  bool running = false;
  bool finished_once = false;
};

Scheduler::Scheduler(asio::any_io_executor executor, std::shared_ptr<const Config> config,
                     JourneyRunner& runner, RunObserver& observer)
    : executor_(std::move(executor)),
      config_(std::move(config)),
      runner_(runner),
      observer_(observer) {}

Scheduler::~Scheduler() = default;

void Scheduler::Start() {
  started_ = true;
  for (const Journey& journey : config_->journeys) {
    const TargetGroup* group = config_->FindTargets(journey.target_group);
    if (!group) continue;  // the loader rejects this; never reached with a loaded config
    for (const std::string& url : group->urls) {
      slots_.push_back(std::make_shared<Slot>(executor_, journey, *group, url));
    }
  }

  // One coroutine per slot: it sleeps until the slot's next instant, then
  // starts a run (as a separate coroutine, so a slow run never delays the
  // clock) unless the previous run is still going.
  for (const std::shared_ptr<Slot>& slot : slots_) {
    auto loop = [this, slot]() -> asio::awaitable<void> {
      const Duration interval = slot->journey.interval;
      const auto first_wall = FirstSlot(SystemClock::now(), interval,
                                        StartOffset(slot->journey.name, slot->target, interval));
      SteadyClock::time_point due =
          SteadyClock::now() +
          std::chrono::duration_cast<SteadyClock::duration>(first_wall - SystemClock::now());
      while (!stopped_) {
        slot->timer.expires_at(due);
        // Cancellation (Stop) and expiry both just re-check `stopped_`.
        co_await slot->timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (stopped_) break;
        const SteadyClock::time_point now = SteadyClock::now();
        observer_.OnSchedulerLag(now - due);
        if (slot->running) {
          observer_.OnRunSkipped(slot->journey.name, slot->target);
        } else {
          slot->running = true;
          ++in_flight_;
          asio::co_spawn(
              executor_,
              [this, slot]() -> asio::awaitable<void> {
                JourneyResult result =
                    co_await runner_.Run(slot->journey, slot->group, slot->target);
                slot->running = false;
                --in_flight_;
                if (!slot->finished_once) {
                  slot->finished_once = true;
                  ++slots_done_first_;
                }
                observer_.OnRunFinished(result);
              },
              asio::detached);
        }
        due += interval;
        // After a stall (a suspended process, a frozen VM) don't fire every
        // missed slot at once: count them as skipped and rejoin the grid.
        while (due + interval <= now) {
          observer_.OnRunSkipped(slot->journey.name, slot->target);
          due += interval;
        }
      }
    };
    asio::co_spawn(executor_, std::move(loop), asio::detached);
  }
  spdlog::info("scheduler: {} journey/target slots started", slots_.size());
}

void Scheduler::Stop() {
  stopped_ = true;
  for (const std::shared_ptr<Slot>& slot : slots_) slot->timer.cancel();
}

size_t Scheduler::in_flight() const { return in_flight_; }
bool Scheduler::first_round_done() const {
  // With no slots there is nothing to wait for once started.
  return started_ && slots_done_first_ == slots_.size();
}
size_t Scheduler::slot_count() const { return slots_.size(); }

}  // namespace sonde
