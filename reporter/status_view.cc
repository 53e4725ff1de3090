#include "reporter/status_view.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "core/unix_time.h"
#include "reporter/json_text.h"
#include "reporter/recent_runs.h"
#include "reporter/report_format.h"
#include "reporter/report_source.h"
#include "reporter/result_store.h"
#include "reporter/sla_report.h"

namespace sonde {
namespace json = boost::json;
namespace {

constexpr int64_t kHourUs = 3'600'000'000;

json::value RatioJson(const RunCounts& c) {
  const int64_t total = c.good + c.bad;
  return {{"good", c.good},
          {"bad", c.bad},
          {"total", total},
          {"success_ratio", total ? json::value(static_cast<double>(c.good) / total) : json::value()}};
}

json::value SnapshotFromStore(const Config& config, int64_t now_us) {
  // Whole seconds, so that `sonde report --from --to` can name the very same
  // period; a second back, so that every run that finished before it has
  // left the writer's queue by the time the store is read.
  const int64_t to = (now_us - 1'000'000) / 1'000'000 * 1'000'000;
  json::object snap;
  snap["at"] = FormatTimestamp(to);
  snap["at_us"] = to;
  if (!config.store) {
    snap["error"] = "no [store] table in the config: ratios, latency and budgets need the result store";
    return snap;
  }
  try {
    ResultStore store(config.store->dir, ResultStore::Mode::kReadOnly);
    // Counted by SQLite, journey by journey: the refresh's memory stays the
    // same whether the day holds a thousand runs or ten million.
    json::array journeys;
    for (const Journey& j : config.journeys) {
      const TargetGroup* group = config.FindTargets(j.target_group);
      if (!group) continue;
      for (const std::string& url : group->urls) {
        const RunSelection which{j.name, url, ""};
        const RunCounts hour = store.CountRuns(which, to - kHourUs, to, std::nullopt);
        const RunCounts day = store.CountRuns(which, to - 24 * kHourUs, to, std::nullopt);
        const std::optional<int64_t> p95 = store.DurationPercentile(which, to - kHourUs, to, 95);
        journeys.push_back({{"journey", j.name},
                            {"target", url},
                            {"1h", RatioJson(hour)},
                            {"24h", RatioJson(day)},
                            {"p95_seconds_1h", p95 ? json::value(static_cast<double>(*p95) / 1e6)
                                                   : json::value()}});
      }
    }
    snap["journeys"] = std::move(journeys);

    const std::vector<FaultWindow> faults =
        FaultWindowsOf(store.FaultEvents(to), to - 1, to + 1);
    json::array slos;
    for (const SloSpec& slo : config.slos) {
      const int64_t window_us =
          std::chrono::duration_cast<std::chrono::microseconds>(slo.window).count();
      const ReportPeriod period{to - window_us, to};
      const SloReport r = CountSloInStore(store, slo, period);
      slos.push_back(
          {{"name", slo.name},
           {"journey", slo.journey},
           {"kind", KindName(slo.kind)},
           {"objective", ObjectiveRatio(slo)},
           {"window", FormatDuration(slo.window)},
           {"period", {{"from", FormatTimestamp(period.from_us)}, {"to", FormatTimestamp(period.to_us)}}},
           {"good", r.good},
           {"bad", r.bad},
           {"total", r.total},
           {"sli", r.sli ? json::value(*r.sli) : json::value()},
           {"status", ToString(r.status)},
           {"budget_remaining_runs", r.budget.remaining_runs},
           {"budget_remaining_ratio",
            r.budget.remaining_ratio ? json::value(*r.budget.remaining_ratio) : json::value()},
           {"report_command", "sonde report -c " + config.source + " --from " +
                                  FormatTimestamp(period.from_us) + " --to " +
                                  FormatTimestamp(period.to_us)}});
    }
    snap["slos"] = std::move(slos);
    json::array active;
    for (const FaultWindow& f : faults) {
      if (f.end_us) continue;
      active.push_back({{"drill", f.drill},
                        {"fault", f.fault},
                        {"kind", f.kind},
                        {"target", f.target},
                        {"since", FormatTimestamp(f.start_us)}});
    }
    snap["faults"] = std::move(active);
  } catch (const StoreError& e) {
    snap["error"] = e.what();
  }
  return snap;
}

}  // namespace

StatusView::StatusView(std::shared_ptr<const Config> config, Duration refresh)
    : refresh_(refresh), config_(std::move(config)) {}

StatusView::~StatusView() { Stop(); }

void StatusView::SetConfig(std::shared_ptr<const Config> config) {
  {
    std::lock_guard lock(mu_);
    config_ = std::move(config);
  }
  wake_.notify_all();
}

void StatusView::Start() { thread_ = std::thread([this] { Loop(); }); }

void StatusView::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StatusView::RefreshNow(int64_t now_us) {
  std::shared_ptr<const Config> config;
  {
    std::lock_guard lock(mu_);
    config = config_;
  }
  json::value snap = SnapshotFromStore(*config, now_us);
  std::lock_guard lock(mu_);
  snapshot_ = std::move(snap);
}

void StatusView::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    RefreshNow(NowUnixMicros());
    lock.lock();
    wake_.wait_for(lock, refresh_, [this] { return stopping_; });
  }
}

std::string StatusView::Json(const RecentRuns& recent) const {
  json::value snap;
  std::shared_ptr<const Config> config;
  {
    std::lock_guard lock(mu_);
    snap = snapshot_;
    config = config_;
  }
  const json::object* s = snap.if_object();
  // The store's numbers by journey and target.
  std::map<std::pair<std::string, std::string>, const json::object*> stored;
  if (s) {
    if (const auto* list = s->if_contains("journeys")) {
      for (const json::value& j : list->get_array()) {
        const json::object& o = j.get_object();
        stored[{std::string(o.at("journey").get_string()), std::string(o.at("target").get_string())}] = &o;
      }
    }
  }
  std::map<std::pair<std::string, std::string>, const RunRecord*> last;
  for (const RunRecord* r : recent.LastOfEach()) last[{r->journey, r->target}] = r;

  json::array journeys;
  for (const Journey& j : config->journeys) {
    const TargetGroup* group = config->FindTargets(j.target_group);
    if (!group) continue;
    for (const std::string& url : group->urls) {
      json::object row{{"journey", j.name}, {"target", url}};
      if (auto it = last.find({j.name, url}); it != last.end()) {
        const RunRecord& r = *it->second;
        row["last"] = {{"outcome", ToString(r.outcome)},
                       {"reason", ToString(r.reason)},
                       {"failing_step", r.failing_step},
                       {"finished", FormatTimestamp(r.finished_us)},
                       {"duration_seconds", static_cast<double>(r.duration_us) / 1e6}};
      } else {
        row["last"] = nullptr;
      }
      if (auto it = stored.find({j.name, url}); it != stored.end()) {
        row["1h"] = it->second->at("1h");
        row["24h"] = it->second->at("24h");
        row["p95_seconds_1h"] = it->second->at("p95_seconds_1h");
      } else {
        row["1h"] = nullptr;
        row["24h"] = nullptr;
        row["p95_seconds_1h"] = nullptr;
      }
      journeys.push_back(std::move(row));
    }
  }
  json::object out;
  out["generated"] = FormatTimestamp(NowUnixMicros());
  out["store_read_at"] = s && s->contains("at") ? s->at("at") : json::value();
  if (s && s->contains("error")) out["store_error"] = s->at("error");
  out["journeys"] = std::move(journeys);
  out["slos"] = s && s->contains("slos") ? s->at("slos") : json::array();
  out["faults"] = s && s->contains("faults") ? s->at("faults") : json::array();
  return PrettyJson(out);
}

}  // namespace sonde
