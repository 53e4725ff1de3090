// The design's target: a 30-day SLA report over 2M runs in <= 3 s.
// Fills a store with N runs (default 2,000,000) spread over 30 days across
// 4 journeys and 5 targets (1 % failed, latencies 5..500 ms), then times
// reading and computing the report (ReportFromStore, 4 SLOs) and rendering
// it as JSON and HTML; also `store verify` over the same rows.
//   sla_report_bench [runs] [dir]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "config/loader.h"
#include "reporter/report_render.h"
#include "reporter/report_source.h"
#include "reporter/result_store.h"

using namespace sonde;
using Clock = std::chrono::steady_clock;

namespace {

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

constexpr const char* kConfig = R"(
[targets.t]
urls = ["http://n1:1", "http://n2:1", "http://n3:1", "http://n4:1", "http://n5:1"]
[journey.j0]
targets = "t"
interval = "1m"
timeout = "30s"
[[journey.j0.step]]
name = "s"
http = { path = "/" }
[journey.j1]
targets = "t"
interval = "1m"
timeout = "30s"
[[journey.j1.step]]
name = "s"
http = { path = "/" }
[journey.j2]
targets = "t"
interval = "1m"
timeout = "30s"
[[journey.j2.step]]
name = "s"
http = { path = "/" }
[journey.j3]
targets = "t"
interval = "1m"
timeout = "30s"
[[journey.j3.step]]
name = "s"
http = { path = "/" }
[slo.a0]
journey = "j0"
objective = 99.5
[slo.a1]
journey = "j1"
objective = 99.9
[slo.l2]
journey = "j2"
kind = "latency"
threshold = "250ms"
objective = 95
[slo.a3]
journey = "j3"
objective = 99
)";

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::atoll(argv[1]) : 2'000'000;
  const std::string dir = argc > 2 ? argv[2] : "/tmp/sonde-sla-bench";
  std::filesystem::remove_all(dir);
  LoadResult loaded = LoadConfigString(kConfig, "bench.toml");
  if (!loaded.ok()) {
    for (const auto& d : loaded.errors) std::fprintf(stderr, "%s\n", d.ToString().c_str());
    return 2;
  }
  const int64_t span_us = int64_t{30} * 86'400'000'000;
  const int64_t t0 = 1'790'000'000'000'000;
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> latency(5'000, 500'000);
  std::uniform_int_distribution<int> percent(0, 99);

  auto fill_started = Clock::now();
  {
    ResultStore store(dir, ResultStore::Mode::kReadWrite);
    std::vector<RunRecord> batch;
    for (int64_t i = 0; i < n; ++i) {
      RunRecord r;
      r.journey = "j" + std::to_string(i % 4);
      r.target = "http://n" + std::to_string(1 + (i / 4) % 5) + ":1";
      r.duration_us = latency(rng);
      r.finished_us = t0 + i * span_us / n;
      r.started_us = r.finished_us - r.duration_us;
      const bool failed = percent(rng) == 0;
      r.outcome = failed ? Outcome::kFailed : Outcome::kSuccess;
      r.reason = failed ? Reason::kConnect : Reason::kNone;
      r.failing_step = failed ? "s" : "";
      r.steps_json = R"([{"name":"s","us":)" + std::to_string(r.duration_us) + "}]";
      batch.push_back(std::move(r));
      if (batch.size() == 512) {
        store.AppendRuns(batch);
        batch.clear();
      }
    }
    if (!batch.empty()) store.AppendRuns(batch);
  }
  const double fill_s = Since(fill_started);

  ResultStore store(dir, ResultStore::Mode::kReadOnly);
  auto t = Clock::now();
  StringPool pool;
  const size_t read_rows = store.RunFactsFinishedBetween(t0, t0 + span_us, nullptr, pool).size();
  const double read_s = Since(t);
  t = Clock::now();
  const SlaReport report =
      ReportFromStore(store, *loaded.config, {t0, t0 + span_us}, false, t0 + span_us);
  const double report_s = Since(t);
  t = Clock::now();
  const std::string json = RenderJson(report);
  const double json_s = Since(t);
  t = Clock::now();
  const std::string html = RenderHtml(report);
  const double html_s = Since(t);
  t = Clock::now();
  const VerifyReport v = store.Verify(std::nullopt);
  const double verify_s = Since(t);

  int64_t counted = 0;
  for (const SloReport& s : report.slos) counted += s.total;
  std::printf("runs stored          %lld (fill %.1f s, %.0f runs/s)\n", static_cast<long long>(n),
              fill_s, static_cast<double>(n) / fill_s);
  std::printf("report (read+compute) %.3f s over %lld counted runs, %zu SLOs\n", report_s,
              static_cast<long long>(counted), report.slos.size());
  std::printf("  of which the read   %.3f s (%zu rows)\n", read_s, read_rows);
  std::printf("render json          %.3f s (%zu bytes)\n", json_s, json.size());
  std::printf("render html          %.3f s (%zu bytes)\n", html_s, html.size());
  std::printf("store verify         %.3f s (%s, %lld runs)\n", verify_s,
              v.ok ? "OK" : v.problem.c_str(), static_cast<long long>(v.runs));
  if (!std::getenv("SONDE_BENCH_KEEP")) std::filesystem::remove_all(dir);
  // A store that does not verify, or lost runs, makes the timings worthless.
  return v.ok && v.runs == n ? 0 : 1;
}
