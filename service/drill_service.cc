#include "service/drill_service.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <random>

#include "chaos/drill_runner.h"
#include "chaos/injector.h"
#include "chaos/drill_record_json.h"
#include "reporter/json_text.h"
#include "reporter/store_writer.h"
#include "service/api_token.h"

namespace sonde {
namespace asio = boost::asio;
namespace json = boost::json;
namespace {

std::string ErrorJson(const std::string& message) {
  return PrettyJson(json::object{{"error", message}});
}

}  // namespace

void DrillService::TapObserver::OnRunFinished(const JourneyResult& r) {
  std::shared_ptr<chaos::DrillRunLog> log;
  {
    std::lock_guard lock(mu_);
    log = log_;
  }
  if (log) log->OnRunFinished(r);
}

void DrillService::TapObserver::Attach(std::shared_ptr<chaos::DrillRunLog> log) {
  std::lock_guard lock(mu_);
  log_ = std::move(log);
}

DrillService::DrillService(std::shared_ptr<const Config> config, Metrics& metrics,
                           StoreWriter* store, asio::any_io_executor loop)
    : config_(std::move(config)), metrics_(metrics), store_(store), loop_(std::move(loop)) {}

DrillService::~DrillService() {
  RequestStop(chaos::kStopShutdown);
  blocking_.join();
}

void DrillService::RequestStop(int reason) {
  std::lock_guard lock(mu_);
  if (!running_.empty()) stop_ = reason;
}

bool DrillService::Busy() const {
  std::lock_guard lock(mu_);
  return !running_.empty();
}

void DrillService::SetConfig(std::shared_ptr<const Config> config) {
  std::lock_guard lock(mu_);
  config_ = std::move(config);
}

std::optional<Refusal> DrillService::Authorize(const std::string& authorization) const {
  std::string path;
  {
    std::lock_guard lock(mu_);
    path = config_->service.api_token_file;
  }
  return CheckBearer(path, authorization);
}

std::optional<DrillService::Reply> DrillService::Unauthorized(
    const std::string& authorization) const {
  if (auto refusal = Authorize(authorization)) {
    return Reply{refusal->status, ErrorJson(refusal->message)};
  }
  return std::nullopt;
}

void DrillService::StopRunning(int reason) {
  // Waited for outside the lock: the drill's last act takes it.
  std::shared_future<void> finished;
  {
    std::lock_guard lock(mu_);
    if (running_.empty()) return;
    stop_ = reason;  // the runner reverts its faults at its next tick
    finished = finished_;
  }
  if (finished.valid()) finished.wait();
}

DrillService::Reply DrillService::Run(const std::string& name, bool arm,
                                      std::optional<uint64_t> seed_asked,
                                      const std::string& authorization) {
  if (auto denied = Unauthorized(authorization)) return *denied;
  std::unique_lock lock(mu_);
  if (!running_.empty()) return {409, ErrorJson("drill \"" + running_ + "\" is running")};
  std::shared_ptr<const Config> config = config_;
  const DrillSpec* spec = config->FindDrill(name);
  if (!spec) return {404, ErrorJson("no drill named \"" + name + "\"")};
  const uint64_t seed = seed_asked   ? *seed_asked
                        : spec->seed ? *spec->seed
                                     : std::random_device{}();
  chaos::DrillPlan plan = chaos::PlanDrill(*spec, seed);
  if (plan.destructive && !spec->armed && !arm) {
    return {403, ErrorJson("drill \"" + name +
                           "\" has destructive faults: set armed = true or POST with ?arm=1")};
  }
  auto log = std::make_shared<chaos::DrillRunLog>(spec->journeys);
  tap_.Attach(log);
  running_ = name;
  progress_.clear();
  const uint64_t run = ++run_number_;
  stop_ = 0;
  auto drill = [this, config, spec, plan = std::move(plan), log, run]() mutable
      -> asio::awaitable<void> {
    chaos::DrillHooks hooks{
        .store = store_,
        .fault_active =
            [this, drill = spec->name](const DrillFaultRecord& f, bool active) {
              metrics_.OnFaultActive(drill, f.name, f.kind, f.target, active);
            },
        .injected = [this](const std::string& kind, bool ok) { metrics_.OnInjection(kind, ok); },
        .progress =
            [this](const std::string& line) {
              std::lock_guard lock(mu_);
              progress_ = line;
            }};
    chaos::DrillRunner runner(*config, *spec, std::move(plan), *log, std::move(hooks), stop_,
                              /*progress=*/false);
    auto running = runner.Run(blocking_);  // named: see core/off_loop.h
    const DrillRecord record = co_await std::move(running);
    std::optional<double> recovery;
    if (record.recovered_us && record.last_revert_us) {
      recovery = static_cast<double>(*record.recovered_us - *record.last_revert_us) / 1e6;
    }
    metrics_.OnDrillDone(record.drill, VerdictName(record.verdict), recovery);
    spdlog::info("drill {}: {}{}", record.drill, VerdictName(record.verdict),
                 record.why.empty() ? "" : " (" + record.why + ")");
    json::value whole = DrillRecordToJson(record);
    tap_.Attach(nullptr);
    std::lock_guard done(mu_);
    json::value last = json::parse(last_json_);
    last.as_object()[record.drill] = {{"run", run},
                                      {"verdict", VerdictName(record.verdict)},
                                      {"why", record.why},
                                      {"seed", record.seed},
                                      {"checks", whole.at("checks")}};
    last_json_ = json::serialize(last);
    records_[record.drill] = {run, json::serialize(whole)};
    running_.clear();
  };
  auto done = std::make_shared<std::promise<void>>();
  finished_ = done->get_future().share();
  // Spawned outside the lock: the drill's first steps may run at once and
  // take it (its progress line).
  lock.unlock();
  asio::co_spawn(loop_, std::move(drill), [this, done, name](std::exception_ptr e) {
    if (e) {
      // Not expected (the runner reports, it does not throw); the journal
      // still holds whatever it injected.
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& what) {
        spdlog::error("drill {}: ended by an error: {}", name, what.what());
      } catch (...) {
        spdlog::error("drill {}: ended by an unknown error", name);
      }
      std::lock_guard lock(mu_);
      running_.clear();
    }
    done->set_value();
  });
  return {202, PrettyJson(json::object{
                   {"drill", name}, {"run", run}, {"seed", seed}, {"status", "started"}})};
}

DrillService::Reply DrillService::Status() const {
  std::lock_guard lock(mu_);
  json::object out{{"running", running_.empty() ? json::value() : json::value(running_)},
                   {"runs_started", run_number_}};
  if (!running_.empty()) {
    out["run"] = run_number_;
    out["progress"] = progress_;
  }
  out["last"] = json::parse(last_json_);
  return {200, PrettyJson(out)};
}

DrillService::Reply DrillService::Record(const std::string& drill, uint64_t run) const {
  std::lock_guard lock(mu_);
  auto it = records_.find(drill);
  if (it == records_.end() || it->second.first != run) {
    return {404, PrettyJson(json::object{
                     {"error", "no record of run " + std::to_string(run) + " of drill " + drill +
                                   ": the daemon keeps the last finished run of each drill"}})};
  }
  return {200, "{\"run\": " + std::to_string(run) + ", \"record\": " + it->second.second + "}\n"};
}

DrillService::Reply DrillService::Heal(const std::string& authorization) {
  if (auto denied = Unauthorized(authorization)) return *denied;
  std::string journal;
  std::string stopped;
  {
    std::lock_guard lock(mu_);
    journal = config_->chaos.journal;
    stopped = running_;
  }
  StopRunning(chaos::kStopHalt);
  chaos::Journal j(journal);
  const chaos::HealReport report = chaos::Heal(j);
  chaos::RecordHeal(report, store_);
  json::array reverted, failed;
  for (const std::string& r : report.reverted) reverted.push_back(json::string(r));
  for (const std::string& f : report.failed) failed.push_back(json::string(f));
  return {report.failed.empty() ? 200 : 500,
          PrettyJson(json::object{
              {"stopped_drill", stopped.empty() ? json::value() : json::value(stopped)},
              {"reverted", std::move(reverted)},
              {"failed", std::move(failed)}})};
}

}  // namespace sonde
