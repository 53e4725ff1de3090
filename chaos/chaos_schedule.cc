#include "chaos/chaos_schedule.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <ctime>
#include <random>

#include "chaos/drill_plan.h"
#include "chaos/injector.h"
#include "core/off_loop.h"
#include "core/unix_time.h"
#include "reporter/report_source.h"
#include "reporter/result_store.h"
#include "reporter/sla_report.h"
#include "reporter/store_writer.h"

namespace sonde::chaos {
namespace {

namespace asio = boost::asio;

// How often the schedule looks at its clock, the burn rate and a stop.
constexpr auto kTick = std::chrono::milliseconds(200);

bool InWindow(const ChaosSchedule& s, std::chrono::system_clock::time_point now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  const int minute = tm.tm_hour * 60 + tm.tm_min;
  if (minute < s.from_minute || minute >= s.to_minute) return false;
  if (s.weekdays.empty()) return true;
  return std::find(s.weekdays.begin(), s.weekdays.end(), tm.tm_wday) != s.weekdays.end();
}

// The error budget left over the SLO's window, from the store; the reason
// when it cannot be known.
std::variant<double, std::string> BudgetLeft(const Config& config, const SloSpec& slo) {
  if (!config.store) return std::string("no [store]: the budget cannot be read");
  try {
    ResultStore store(config.store->dir, ResultStore::Mode::kReadOnly);
    const int64_t to = NowUnixMicros();
    const ReportPeriod period{to - std::chrono::duration_cast<std::chrono::microseconds>(slo.window).count(), to};
    const SloReport r = CountSloInStore(store, slo, period);
    if (r.total == 0) return std::string("no runs of " + slo.journey + " in the window yet");
    return r.budget.remaining_ratio.value_or(0.0);
  } catch (const StoreError& e) {
    return std::string(e.what());
  }
}

}  // namespace

void ChaosScheduler::BurnTap::Watch(const SloSpec* slo, Duration keep) {
  std::lock_guard lock(mu_);
  slo_ = slo;
  keep_ = keep;
}

void ChaosScheduler::BurnTap::OnRunFinished(const JourneyResult& r) {
  std::lock_guard lock(mu_);
  if (!slo_ || r.journey != slo_->journey || r.maintenance || r.outcome == Outcome::kInfraError) return;
  const bool bad = slo_->kind == SloSpec::Kind::kLatency && slo_->threshold
                       ? r.duration > *slo_->threshold
                       : r.outcome == Outcome::kFailed;
  const auto now = std::chrono::steady_clock::now();
  runs_.emplace_back(now, bad);
  while (!runs_.empty() && runs_.front().first < now - keep_) runs_.pop_front();
}

std::pair<int64_t, int64_t> ChaosScheduler::BurnTap::BadOfTotal(Duration window) {
  std::lock_guard lock(mu_);
  const auto since = std::chrono::steady_clock::now() - window;
  int64_t bad = 0, total = 0;
  for (const auto& [at, is_bad] : runs_) {
    if (at < since) continue;
    ++total;
    bad += is_bad ? 1 : 0;
  }
  return {bad, total};
}

ChaosScheduler::ChaosScheduler(std::shared_ptr<const Config> config, Metrics& metrics,
                               StoreWriter* store, asio::any_io_executor loop)
    : config_(std::move(config)), metrics_(metrics), store_(store), loop_(std::move(loop)) {}

ChaosScheduler::~ChaosScheduler() {
  RequestStop();
  blocking_.join();
}

void ChaosScheduler::Start() {
  if (!config_->chaos.schedule) return;
  busy_ = true;
  asio::co_spawn(loop_, Loop(), [this](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& what) {
        spdlog::error("chaos schedule: ended by an error: {}", what.what());
      } catch (...) {
        spdlog::error("chaos schedule: ended by an unknown error");
      }
    }
    busy_ = false;
  });
}

asio::awaitable<void> ChaosScheduler::Loop() {
  const Config& config = *config_;
  const ChaosSchedule& s = *config.chaos.schedule;
  const SloSpec* slo = nullptr;
  for (const SloSpec& x : config.slos) {
    if (x.name == s.slo) slo = &x;
  }
  if (!slo) co_return;
  tap_.Watch(slo, s.burn_window * 2);
  std::mt19937_64 rng(s.seed ? *s.seed : std::random_device{}());
  auto next_gap = [&] {
    std::uniform_real_distribution<double> jitter(0.5, 1.5);
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(s.every * jitter(rng));
  };
  auto next_at = std::chrono::steady_clock::now() + next_gap();
  chaos::Journal journal(config.chaos.journal);
  chaos::FaultSession session(journal, "schedule");
  spdlog::info("chaos schedule: a fault about every {} while {} has >= {:.0f}% of its budget left",
               FormatDuration(s.every), s.slo, s.min_budget_remaining * 100);
  std::string last_skip;
  asio::steady_timer tick(co_await asio::this_coro::executor);
  while (!stop_) {
    tick.expires_after(kTick);
    co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
    if (stop_ || std::chrono::steady_clock::now() < next_at) continue;
    next_at = std::chrono::steady_clock::now() + next_gap();
    if (!InWindow(s, std::chrono::system_clock::now())) continue;
    std::string skip;
    auto reading = OffLoop(blocking_, [&config, slo] { return BudgetLeft(config, *slo); });
    auto budget = co_await std::move(reading);
    if (auto* why = std::get_if<std::string>(&budget)) {
      skip = "no fault: " + *why;
    } else if (std::get<double>(budget) < s.min_budget_remaining) {
      char text[160];
      std::snprintf(text, sizeof text, "no fault: %s has %.1f%% of its error budget left, below %.1f%%",
                    s.slo.c_str(), std::get<double>(budget) * 100, s.min_budget_remaining * 100);
      skip = text;
    }
    if (!skip.empty()) {
      if (skip != last_skip) spdlog::info("chaos schedule: {}", skip);
      last_skip = skip;
      continue;
    }
    last_skip.clear();
    // One fault from the menu, its target chosen as a drill would.
    std::uniform_int_distribution<size_t> pick(0, s.menu.size() - 1);
    DrillSpec one;
    one.name = "schedule";
    one.faults = {s.menu[pick(rng)]};
    const chaos::DrillPlan plan = chaos::PlanDrill(one, rng());
    if (plan.faults.empty()) continue;
    const chaos::PlannedFault& f = plan.faults.front();
    if (plan.destructive && !s.armed) {
      spdlog::warn("chaos schedule: {} is destructive and [chaos.schedule] is not armed; skipped",
                   f.spec.name);
      continue;
    }
    auto planning = OffLoop(blocking_, [&f, &config] { return chaos::PlanFault(f.spec, config.chaos); });
    chaos::Planned resolved = co_await std::move(planning);
    if (auto* why = std::get_if<std::string>(&resolved)) {
      spdlog::warn("chaos schedule: {}", *why);
      metrics_.OnInjection(chaos::KindName(f.spec), false);
      continue;
    }
    const std::string description = std::get<chaos::FaultAction>(resolved).description;
    auto injecting = OffLoop(blocking_, [&session, &f, &resolved] {
      return session.Inject(f.spec, std::move(std::get<chaos::FaultAction>(resolved)));
    });
    auto injected = co_await std::move(injecting);
    metrics_.OnInjection(chaos::KindName(f.spec), injected.index() == 0);
    if (injected.index() == 1) {
      spdlog::warn("chaos schedule: {}", std::get<1>(injected));
      continue;
    }
    const std::string id = std::get<0>(injected);
    spdlog::info("chaos schedule: injected {}: {} for {}", f.spec.name, description,
                 FormatDuration(f.duration));
    metrics_.OnFaultActive("schedule", f.spec.name, chaos::KindName(f.spec), chaos::FaultSubject(f.spec), true);
    if (store_) {
      store_->Enqueue(FaultEvent{.at_us = NowUnixMicros(), .event = FaultEventKind::kInject,
                                 .drill = "", .fault = f.spec.name, .kind = chaos::KindName(f.spec),
                                 .target = chaos::FaultSubject(f.spec), .detail = description});
    }
    const auto until = std::chrono::steady_clock::now() + f.duration;
    std::string early;
    while (!stop_ && std::chrono::steady_clock::now() < until) {
      tick.expires_after(kTick);
      co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
      if (!s.abort_burn_rate) continue;
      const auto [bad, total] = tap_.BadOfTotal(s.burn_window);
      const double budget = (100.0 - slo->objective) / 100.0;
      if (total >= 2 && budget > 0 && static_cast<double>(bad) / total / budget > *s.abort_burn_rate) {
        char text[160];
        std::snprintf(text, sizeof text, "burn rate %.1f over %s is above %.1f",
                      static_cast<double>(bad) / total / budget, FormatDuration(s.burn_window).c_str(),
                      *s.abort_burn_rate);
        early = text;
        break;
      }
    }
    auto reverting = OffLoop(blocking_, [&session, &id] { return session.Revert(id); });
    if (auto why = co_await std::move(reverting)) {
      spdlog::error("chaos schedule: {} (kept in the journal; `sonde heal` retries)", *why);
      continue;
    }
    spdlog::info("chaos schedule: reverted {}{}", f.spec.name, early.empty() ? "" : " early: " + early);
    metrics_.OnFaultActive("schedule", f.spec.name, chaos::KindName(f.spec), chaos::FaultSubject(f.spec), false);
    if (store_) {
      store_->Enqueue(FaultEvent{.at_us = NowUnixMicros(), .event = FaultEventKind::kRevert,
                                 .drill = "", .fault = f.spec.name, .kind = chaos::KindName(f.spec),
                                 .target = chaos::FaultSubject(f.spec), .detail = early});
    }
  }
  // Stop() while a fault holds: the inner loop ended; it was reverted above.
}

}  // namespace sonde::chaos
