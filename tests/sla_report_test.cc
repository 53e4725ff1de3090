// SLA reports from a real store filled with runs of known outcomes and
// latencies: every number of the JSON report is checked against hand
// arithmetic; the HTML and Markdown forms carry the same numbers; signed
// reports verify and any edited byte fails; incidents show the evidence of
// their first and last bad runs in every format, escaped for each.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "reporter/report_render.h"
#include "reporter/report_signature.h"
#include "reporter/report_source.h"
#include "reporter/result_store.h"
#include "tests/support/journey_harness.h"
#include "tests/support/temp_dir.h"

namespace sonde {
namespace {

namespace json = boost::json;

constexpr int64_t kSec = 1'000'000;
constexpr int64_t kMin = 60 * kSec;
constexpr int64_t kDay = 1440 * kMin;
constexpr int64_t kT0 = 1'793'491'200 * kSec;  // 2026-11-01T00:00:00Z
// Evidence that each format must escape its own way.
constexpr const char* kNastyEvidence = "<b>&a|b,c";

constexpr const char* kConfig = R"(
[targets.x]
urls = ["http://x.example:1"]
[targets.y]
urls = ["http://y.example:1"]
[journey.tx]
targets = "x"
interval = "1m"
timeout = "10s"
[[journey.tx.step]]
name = "submit"
http = { method = "GET", path = "/" }
[journey.other]
targets = "y"
interval = "1m"
timeout = "10s"
[[journey.other.step]]
name = "s"
http = { method = "GET", path = "/" }
[slo.tx_availability]
journey = "tx"
objective = 99
[slo.tx_latency]
journey = "tx"
kind = "latency"
threshold = "50ms"
objective = 90
[slo.other_availability]
journey = "other"
objective = 99.9
[slo.tx_lenient]
journey = "tx"
objective = 95
)";

RunRecord MakeRun(const std::string& target, int64_t finished, int64_t duration_us,
                  Outcome outcome = Outcome::kSuccess, Reason reason = Reason::kNone,
                  std::string step = "") {
  RunRecord r;
  r.journey = "tx";
  r.target = target;
  r.finished_us = finished;
  r.duration_us = duration_us;
  r.started_us = finished - duration_us;
  r.outcome = outcome;
  r.reason = reason;
  r.failing_step = std::move(step);
  r.steps_json = "[]";
  return r;
}

// Day 1, target x: 100 runs, one a minute (finishing at :30), lasting
// 1..100 ms; runs 10-12 fail (connect @ submit; 10 and 12 kept evidence, 11
// none), run 50 fails (timeout @ confirm, with evidence to escape); 2
// maintenance runs and 1 infra_error run besides. Run i is row i + 1.
// Day 2, target y: 50 runs of 10 ms, the last two failing (http_status @ status).
// A kill of node2 from 00:09 to 00:13 on day 1; a drill on day 2 00:47-00:50.
class SlaReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ResultStore store(dir_, ResultStore::Mode::kReadWrite);
    std::vector<RunRecord> runs;
    for (int i = 0; i < 100; ++i) {
      const int64_t finished = kT0 + i * kMin + 30 * kSec;
      const int64_t duration = (i + 1) * 1000;
      if (i >= 10 && i <= 12) {
        runs.push_back(MakeRun("http://x.example:1", finished, duration, Outcome::kFailed,
                               Reason::kConnect, "submit"));
        if (i != 11) {
          runs.back().evidence = {{"tx_hash", "0xaa" + std::to_string(i)},
                                  {"block", "0x" + std::to_string(i)}};
        }
      } else if (i == 50) {
        runs.push_back(MakeRun("http://x.example:1", finished, duration, Outcome::kFailed,
                               Reason::kTimeout, "confirm"));
        runs.back().evidence = {{"tx_hash", "0xbb50"}, {"note", kNastyEvidence}};
      } else {
        runs.push_back(MakeRun("http://x.example:1", finished, duration));
      }
    }
    RunRecord m1 = MakeRun("http://x.example:1", kT0 + 20 * kMin + 40 * kSec, 500'000,
                           Outcome::kFailed, Reason::kConnect, "submit");
    m1.maintenance = true;
    RunRecord m2 = m1;
    m2.outcome = Outcome::kSuccess;
    m2.reason = Reason::kNone;
    runs.push_back(m1);
    runs.push_back(m2);
    runs.push_back(MakeRun("http://x.example:1", kT0 + 30 * kMin + 45 * kSec, 900'000,
                           Outcome::kInfraError, Reason::kWallet, "transfer"));
    for (int i = 0; i < 50; ++i) {
      const int64_t finished = kT0 + kDay + i * kMin + 30 * kSec;
      if (i >= 48) {
        runs.push_back(MakeRun("http://y.example:1", finished, 10'000, Outcome::kFailed,
                               Reason::kHttpStatus, "status"));
      } else {
        runs.push_back(MakeRun("http://y.example:1", finished, 10'000));
      }
    }
    // Outside the period: never counted.
    runs.push_back(MakeRun("http://x.example:1", kT0 - kSec, 1000, Outcome::kFailed,
                           Reason::kConnect, "submit"));
    runs.push_back(MakeRun("http://x.example:1", kT0 + 2 * kDay, 1000, Outcome::kFailed,
                           Reason::kConnect, "submit"));
    store.AppendRuns(runs);
    FaultEvent inject{.at_us = kT0 + 9 * kMin, .event = FaultEventKind::kInject, .drill = "",
                      .fault = "kill_node2", .kind = "kill", .target = "node2", .detail = ""};
    FaultEvent revert = inject;
    revert.at_us = kT0 + 13 * kMin;
    revert.event = FaultEventKind::kRevert;
    store.AppendFaultEvent(inject);
    store.AppendFaultEvent(revert);
    DrillEvent start{.at_us = kT0 + kDay + 47 * kMin, .event = DrillEventKind::kStart,
                     .drill = "kill_follower", .verdict = "", .seed = 7, .detail = ""};
    DrillEvent end = start;
    end.at_us = kT0 + kDay + 50 * kMin;
    end.event = DrillEventKind::kEnd;
    end.verdict = "pass";
    store.AppendDrillEvent(start);
    store.AppendDrillEvent(end);
  }

  SlaReport Report(bool exclude_drills) {
    ResultStore store(dir_, ResultStore::Mode::kReadOnly);
    return ReportFromStore(store, *config_, {kT0, kT0 + 2 * kDay}, exclude_drills,
                           kT0 + 3 * kDay);
  }

  json::object Json(bool exclude_drills) {
    return json::parse(RenderJson(Report(exclude_drills))).as_object();
  }

  TempDir tmp_{"sonde-sla"};
  std::string dir_ = tmp_ / "store";
  std::shared_ptr<const Config> config_ = testing::MustLoad(kConfig);
};

const json::object& Slo(const json::object& report, const std::string& name) {
  for (const json::value& s : report.at("slos").as_array()) {
    if (s.at("name") == name.c_str()) return s.as_object();
  }
  throw std::runtime_error("no SLO " + name);
}

TEST_F(SlaReportTest, AvailabilityNumbersAreExact) {
  const json::object report = Json(false);
  EXPECT_EQ(report.at("period").at("from"), "2026-11-01T00:00:00Z");
  EXPECT_EQ(report.at("period").at("to"), "2026-11-03T00:00:00Z");
  EXPECT_EQ(report.at("drills_excluded"), false);
  const json::object& s = Slo(report, "tx_availability");
  EXPECT_EQ(s.at("runs").at("good").as_int64(), 144);
  EXPECT_EQ(s.at("runs").at("bad").as_int64(), 6);
  EXPECT_EQ(s.at("runs").at("total").as_int64(), 150);
  EXPECT_EQ(s.at("runs").at("excluded").at("maintenance").as_int64(), 2);
  EXPECT_EQ(s.at("runs").at("excluded").at("infra_error").as_int64(), 1);
  EXPECT_EQ(s.at("runs").at("excluded").at("drill").as_int64(), 0);
  EXPECT_DOUBLE_EQ(s.at("sli").to_number<double>(), 0.96);
  EXPECT_EQ(s.at("objective").to_number<double>(), 0.99);
  EXPECT_EQ(s.at("met"), false);
  EXPECT_EQ(s.at("status"), "BREACHED");
  const json::object& b = s.at("error_budget").as_object();
  EXPECT_DOUBLE_EQ(b.at("allowed_runs").to_number<double>(), 1.5);
  EXPECT_EQ(b.at("consumed_runs").as_int64(), 6);
  EXPECT_DOUBLE_EQ(b.at("remaining_runs").to_number<double>(), -4.5);
  EXPECT_DOUBLE_EQ(b.at("remaining_ratio").to_number<double>(), -3.0);
  EXPECT_EQ(b.at("period_minutes").as_int64(), 2880);
  EXPECT_EQ(b.at("minutes_with_data").as_int64(), 150);
  EXPECT_EQ(b.at("down_minutes").as_int64(), 6);
  EXPECT_DOUBLE_EQ(b.at("allowed_down_minutes").to_number<double>(), 28.8);
  EXPECT_DOUBLE_EQ(b.at("remaining_down_minutes").to_number<double>(), 22.8);
  // 150 durations: 1..9 ms, 51 x 10 ms, 11..100 ms. Nearest rank.
  const json::object& l = s.at("latency_seconds").as_object();
  EXPECT_DOUBLE_EQ(l.at("p50").to_number<double>(), 0.025);
  EXPECT_DOUBLE_EQ(l.at("p90").to_number<double>(), 0.085);
  EXPECT_DOUBLE_EQ(l.at("p95").to_number<double>(), 0.093);
  EXPECT_DOUBLE_EQ(l.at("p99").to_number<double>(), 0.099);
  EXPECT_TRUE(s.at("under_threshold").is_null());

  const json::array& incidents = s.at("incidents").as_array();
  ASSERT_EQ(incidents.size(), 3u);
  const json::object& i1 = incidents[0].as_object();
  EXPECT_EQ(i1.at("target"), "http://x.example:1");
  EXPECT_EQ(i1.at("start_us").as_int64(), kT0 + 10 * kMin + 30 * kSec - 11'000);
  EXPECT_EQ(i1.at("end_us").as_int64(), kT0 + 12 * kMin + 30 * kSec);
  EXPECT_EQ(i1.at("start"), "2026-11-01T00:10:29Z");
  EXPECT_EQ(i1.at("end"), "2026-11-01T00:12:30Z");
  EXPECT_DOUBLE_EQ(i1.at("duration_seconds").to_number<double>(), 120.011);
  EXPECT_EQ(i1.at("runs").as_int64(), 3);
  EXPECT_EQ(i1.at("reason"), "connect");
  EXPECT_EQ(i1.at("step"), "submit");
  EXPECT_EQ(i1.at("ongoing"), false);
  ASSERT_EQ(i1.at("fault_windows").as_array().size(), 1u);  // the kill of node2
  EXPECT_EQ(i1.at("fault_windows").as_array()[0].as_int64(), 0);
  const json::object& i2 = incidents[1].as_object();
  EXPECT_EQ(i2.at("runs").as_int64(), 1);
  EXPECT_EQ(i2.at("reason"), "timeout");
  EXPECT_EQ(i2.at("step"), "confirm");
  EXPECT_TRUE(i2.at("fault_windows").as_array().empty());
  const json::object& i3 = incidents[2].as_object();
  EXPECT_EQ(i3.at("target"), "http://y.example:1");
  EXPECT_EQ(i3.at("runs").as_int64(), 2);
  EXPECT_EQ(i3.at("reason"), "http_status");
  EXPECT_EQ(i3.at("ongoing"), true);

  const json::array& daily = s.at("daily").as_array();
  ASSERT_EQ(daily.size(), 2u);
  EXPECT_EQ(daily[0].at("day"), "2026-11-01");
  EXPECT_EQ(daily[0].at("good").as_int64(), 96);
  EXPECT_EQ(daily[0].at("bad").as_int64(), 4);
  EXPECT_DOUBLE_EQ(daily[0].at("sli").to_number<double>(), 0.96);
  EXPECT_DOUBLE_EQ(daily[0].at("latency_seconds").at("p50").to_number<double>(), 0.05);
  EXPECT_EQ(daily[1].at("day"), "2026-11-02");
  EXPECT_EQ(daily[1].at("total").as_int64(), 50);
  EXPECT_DOUBLE_EQ(daily[1].at("sli").to_number<double>(), 0.96);
  EXPECT_DOUBLE_EQ(daily[1].at("latency_seconds").at("p99").to_number<double>(), 0.01);

  const json::array& faults = report.at("fault_windows").as_array();
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0].at("kind"), "kill");
  EXPECT_EQ(faults[0].at("end"), "2026-11-01T00:13:00Z");
  const json::array& drills = report.at("drills").as_array();
  ASSERT_EQ(drills.size(), 1u);
  EXPECT_EQ(drills[0].at("verdict"), "pass");
  EXPECT_EQ(drills[0].at("seed").as_int64(), 7);
}

TEST_F(SlaReportTest, LatencyWarningAndNoDataSlos) {
  const json::object report = Json(false);
  const json::object& lat = Slo(report, "tx_latency");
  // Slower than 50 ms: the day-1 runs of 51..100 ms.
  EXPECT_EQ(lat.at("runs").at("good").as_int64(), 100);
  EXPECT_EQ(lat.at("runs").at("bad").as_int64(), 50);
  EXPECT_DOUBLE_EQ(lat.at("sli").to_number<double>(), 100.0 / 150.0);
  EXPECT_DOUBLE_EQ(lat.at("under_threshold").to_number<double>(), 100.0 / 150.0);
  EXPECT_EQ(lat.at("threshold_seconds").to_number<double>(), 0.05);
  EXPECT_EQ(lat.at("status"), "BREACHED");
  EXPECT_EQ(lat.at("incidents").as_array().size(), 1u);  // runs 50..99 on x, in a row
  EXPECT_EQ(lat.at("incidents").as_array()[0].at("reason"), "slow");

  const json::object& lenient = Slo(report, "tx_lenient");
  // 6 bad of 150 against 95 %: allowed 7.5, more than 75 % of it spent.
  EXPECT_EQ(lenient.at("met"), true);
  EXPECT_EQ(lenient.at("status"), "WARNING");
  EXPECT_DOUBLE_EQ(lenient.at("error_budget").at("remaining_runs").to_number<double>(), 1.5);
  EXPECT_DOUBLE_EQ(lenient.at("error_budget").at("remaining_ratio").to_number<double>(), 0.2);

  const json::object& none = Slo(report, "other_availability");
  EXPECT_EQ(none.at("status"), "NO_DATA");
  EXPECT_TRUE(none.at("sli").is_null());
  EXPECT_EQ(none.at("runs").at("total").as_int64(), 0);
  EXPECT_TRUE(none.at("latency_seconds").at("p50").is_null());
}

// The status page and the chaos schedule count SLOs in SQL (CountSloInStore)
// rather than over facts in memory: every SLO, and each narrowed to a
// target or a location, gets the very numbers of the report's arithmetic.
TEST_F(SlaReportTest, CountingInTheStoreGivesTheReportsNumbers) {
  const ReportPeriod period{kT0, kT0 + 2 * kDay};
  std::vector<SloSpec> slos = config_->slos;
  for (const SloSpec& base : config_->slos) {
    SloSpec on_y = base;
    on_y.target = "http://y.example:1";
    slos.push_back(on_y);
    SloSpec elsewhere = base;
    elsewhere.location = "nowhere";
    slos.push_back(elsewhere);
  }
  ResultStore store(dir_, ResultStore::Mode::kReadOnly);
  StringPool pool;
  const std::vector<RunFact> facts =
      store.RunFactsFinishedBetween(period.from_us, period.to_us, nullptr, pool);
  std::set<std::string> statuses;
  for (const SloSpec& slo : slos) {
    SCOPED_TRACE(slo.name + " target=" + slo.target + " location=" + slo.location);
    const SloReport want = BuildSloReport(slo, period, facts, {}, nullptr);
    const SloReport got = CountSloInStore(store, slo, period);
    EXPECT_EQ(got.good, want.good);
    EXPECT_EQ(got.bad, want.bad);
    EXPECT_EQ(got.total, want.total);
    EXPECT_EQ(got.excluded_maintenance, want.excluded_maintenance);
    EXPECT_EQ(got.excluded_infra, want.excluded_infra);
    EXPECT_EQ(got.sli, want.sli);
    EXPECT_EQ(got.under_threshold, want.under_threshold);
    EXPECT_EQ(got.met, want.met);
    EXPECT_EQ(got.status, want.status);
    EXPECT_EQ(got.budget.allowed_runs, want.budget.allowed_runs);
    EXPECT_EQ(got.budget.remaining_runs, want.budget.remaining_runs);
    EXPECT_EQ(got.budget.remaining_ratio, want.budget.remaining_ratio);
    EXPECT_EQ(got.budget.period_minutes, want.budget.period_minutes);
    EXPECT_EQ(got.budget.allowed_down_minutes, want.budget.allowed_down_minutes);
    statuses.insert(std::string(ToString(got.status)));
  }
  // The comparison covered every status.
  EXPECT_EQ(statuses, (std::set<std::string>{"OK", "WARNING", "BREACHED", "NO_DATA"}));
}

// The store's own aggregates on day 1's target x (100 counted runs of
// 1..100 ms, 4 failed; 2 in maintenance, 1 infra_error).
TEST_F(SlaReportTest, TheStoreCountsAndRanksTheRunsItSelects) {
  ResultStore store(dir_, ResultStore::Mode::kReadOnly);
  const RunSelection x{"tx", "http://x.example:1", ""};
  const RunCounts c = store.CountRuns(x, kT0, kT0 + kDay, std::nullopt);
  EXPECT_EQ(c.good, 96);
  EXPECT_EQ(c.bad, 4);
  EXPECT_EQ(c.excluded_maintenance, 2);
  EXPECT_EQ(c.excluded_infra, 1);
  // Slower than 50 ms is bad, failed or not.
  const RunCounts slow = store.CountRuns(x, kT0, kT0 + kDay, 50'000);
  EXPECT_EQ(slow.good, 50);
  EXPECT_EQ(slow.bad, 50);
  // [from, to): the run finishing at 00:00:30 is in the first minute only.
  EXPECT_EQ(store.CountRuns(x, kT0, kT0 + 30 * kSec, std::nullopt).good, 0);
  EXPECT_EQ(store.CountRuns(x, kT0, kT0 + 30 * kSec + 1, std::nullopt).good, 1);
  EXPECT_EQ(store.CountRuns({"tx", "", "elsewhere"}, kT0, kT0 + kDay, std::nullopt).good, 0);

  EXPECT_EQ(store.DurationPercentile(x, kT0, kT0 + kDay, 95), 95'000);
  EXPECT_EQ(store.DurationPercentile(x, kT0, kT0 + kDay, 50), 50'000);
  EXPECT_EQ(store.DurationPercentile(x, kT0, kT0 + kDay, 100), 100'000);
  EXPECT_EQ(store.DurationPercentile(x, kT0, kT0 + kDay, 1), 1'000);
  // The first three runs: 1, 2, 3 ms; the 900 ms infra_error run and the
  // 500 ms maintenance runs never count.
  EXPECT_EQ(store.DurationPercentile(x, kT0, kT0 + 3 * kMin, 95), 3'000);
  EXPECT_EQ(store.DurationPercentile(x, kT0 + 20 * kMin + 35 * kSec, kT0 + 20 * kMin + 50 * kSec, 95),
            std::nullopt);
  EXPECT_EQ(store.DurationPercentile(x, kT0 + 30 * kMin + 40 * kSec, kT0 + 30 * kMin + 50 * kSec, 95),
            std::nullopt);
  EXPECT_EQ(store.DurationPercentile({"tx", "http://y.example:1", ""}, kT0 + kDay, kT0 + 2 * kDay, 95),
            10'000);
  EXPECT_EQ(store.DurationPercentile({"other", "", ""}, kT0, kT0 + 2 * kDay, 95), std::nullopt);
}

TEST_F(SlaReportTest, ExcludingDrillsDropsTheRunsThatOverlapThem) {
  const json::object report = Json(true);
  EXPECT_EQ(report.at("drills_excluded"), true);
  const json::object& s = Slo(report, "tx_availability");
  // y's runs 47-49 overlap the drill from 00:47 to 00:50 on day 2.
  EXPECT_EQ(s.at("runs").at("excluded").at("drill").as_int64(), 3);
  EXPECT_EQ(s.at("runs").at("good").as_int64(), 143);
  EXPECT_EQ(s.at("runs").at("bad").as_int64(), 4);
  EXPECT_EQ(s.at("incidents").as_array().size(), 2u);
}

TEST_F(SlaReportTest, HtmlAndMarkdownCarryTheSameNumbers) {
  const SlaReport report = Report(false);
  const std::string html = RenderHtml(report);
  const std::string md = RenderMarkdown(report);
  const SloReport& s = report.slos[0];
  const std::vector<std::string> numbers = {
      FormatPercent(s.sli),                                    // 96.000%
      FormatAmount(s.budget.allowed_runs),                     // 1.5
      FormatAmount(s.budget.remaining_runs),                   // -4.5
      FormatAmount(s.budget.allowed_down_minutes),             // 28.8
      FormatAmount(s.budget.remaining_down_minutes),           // 22.8
      FormatLatency(s.latency.p50_us),                         // 25.0 ms
      FormatLatency(s.latency.p90_us),                         // 85.0 ms
      FormatLatency(s.latency.p99_us),                         // 99.0 ms
      FormatTimestamp(s.incidents[0].start_us),                // 2026-11-01T00:10:29Z
      FormatTimestamp(s.incidents[0].end_us),
      FormatPercent(report.slos[1].under_threshold),           // 66.667%
  };
  EXPECT_EQ(numbers[0], "96.000%");
  EXPECT_EQ(numbers[2], "-4.5");
  EXPECT_EQ(numbers[5], "25.0 ms");
  EXPECT_EQ(numbers[10], "66.667%");
  // As whole cells, so a short number cannot match inside other text
  // (CSS holds "1.5").
  for (const std::string& n : numbers) {
    EXPECT_NE(html.find(">" + n + "<"), std::string::npos) << "HTML lacks a cell " << n;
    EXPECT_NE(md.find("| " + n + " |"), std::string::npos) << "Markdown lacks a cell " << n;
  }
  for (const char* status : {"BREACHED", "WARNING", "NO_DATA"}) {
    EXPECT_NE(html.find(status), std::string::npos) << status;
    EXPECT_NE(md.find(status), std::string::npos) << status;
  }
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST_F(SlaReportTest, SignedReportsVerifyAndAnyEditedByteFails) {
  const SlaReport report = Report(false);
  const signer::KeyPair key = signer::KeyPair::Generate();
  const signer::KeyPair other = signer::KeyPair::Generate();
  for (ReportFormat format :
       {ReportFormat::kJson, ReportFormat::kCsv, ReportFormat::kMarkdown, ReportFormat::kHtml}) {
    SCOPED_TRACE(std::string(ToString(format)));
    const std::string body = RenderReport(report, format);
    const std::string signed_text = SignReport(body, format, key);
    ReportCheck ok = VerifySignedReport(signed_text, std::nullopt);
    ASSERT_TRUE(ok.ok) << ok.problem;
    EXPECT_EQ(*ok.signer, key.public_key());
    EXPECT_TRUE(VerifySignedReport(signed_text, key.public_key()).ok);
    const ReportCheck wrong_key = VerifySignedReport(signed_text, other.public_key());
    EXPECT_FALSE(wrong_key.ok);
    EXPECT_NE(wrong_key.problem.find("not by the expected key"), std::string::npos);
    if (format == ReportFormat::kJson) {
      // Still JSON, with the report inside.
      const json::value wrapped = json::parse(signed_text);
      EXPECT_EQ(wrapped.at("report").at("kind"), "sonde.sla_report");
    }
    // One byte changed anywhere: in the body, in the signature line, at the ends.
    for (size_t at : {size_t{0}, size_t{20}, body.size() / 2, body.size() - 2,
                      signed_text.size() - 40, signed_text.size() - 100}) {
      std::string edited = signed_text;
      edited[at] = edited[at] == '7' ? '8' : '7';
      const ReportCheck check = VerifySignedReport(edited, std::nullopt);
      EXPECT_FALSE(check.ok) << "edit at " << at;
      // Inside the report itself, it is the signature that catches it.
      if (at == 20 || at == body.size() / 2) {
        EXPECT_NE(check.problem.find("does not match the content"), std::string::npos)
            << "edit at " << at << ": " << check.problem;
      }
    }
    EXPECT_FALSE(VerifySignedReport(body, std::nullopt).ok);  // unsigned
    EXPECT_FALSE(VerifySignedReport(signed_text + "x", std::nullopt).ok);
  }
}

// The cells of RFC 4180 text (quoted cells with "" for a quote), by row.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(cell));
      cell.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(std::move(cell));
      cell.clear();
      rows.emplace_back();
      ++i;
    } else {
      cell += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

TEST_F(SlaReportTest, IncidentsCarryTheEvidenceOfTheirFirstAndLastBadRuns) {
  const SlaReport report = Report(false);
  const json::object j = json::parse(RenderJson(report)).as_object();
  const json::array& incidents = Slo(j, "tx_availability").at("incidents").as_array();
  ASSERT_EQ(incidents.size(), 3u);
  const json::array& first = incidents[0].at("evidence").as_array();
  ASSERT_EQ(first.size(), 2u);  // runs 10 and 12 (rows 11 and 13); 11 kept none
  EXPECT_EQ(first[0].at("run_id").as_int64(), 11);
  EXPECT_EQ(first[0].at("started_us").as_int64(), kT0 + 10 * kMin + 30 * kSec - 11'000);
  EXPECT_EQ(first[0].at("started"), "2026-11-01T00:10:29Z");
  const json::object& values = first[0].at("values").as_object();
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values.begin()->key(), "tx_hash");  // in the order declared
  EXPECT_EQ(values.at("tx_hash"), "0xaa10");
  EXPECT_EQ(values.at("block"), "0x10");
  EXPECT_EQ(first[1].at("run_id").as_int64(), 13);
  EXPECT_EQ(first[1].at("values").at("tx_hash"), "0xaa12");
  const json::array& single = incidents[1].at("evidence").as_array();
  ASSERT_EQ(single.size(), 1u);  // one run: listed once
  EXPECT_EQ(single[0].at("values").at("note"), kNastyEvidence);
  EXPECT_TRUE(incidents[2].at("evidence").as_array().empty());  // y's runs kept none
  // The latency SLO's one long incident (runs 50..99): bounded to its first
  // and last runs with evidence, here both run 50.
  const json::array& slow = Slo(j, "tx_latency").at("incidents").as_array();
  ASSERT_EQ(slow.size(), 1u);
  ASSERT_EQ(slow[0].at("evidence").as_array().size(), 1u);
  EXPECT_EQ(slow[0].at("evidence").as_array()[0].at("run_id").as_int64(), 51);

  // CSV: a row per incident of every SLO, as wide as the header, the
  // evidence cell holding the JSON form's array.
  const std::vector<std::vector<std::string>> csv = ParseCsv(RenderCsv(report));
  ASSERT_FALSE(csv.empty());
  const std::vector<std::string>& header = csv[0];
  const auto column = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << name;
    return static_cast<size_t>(it - header.begin());
  };
  const size_t evidence_col = column("incident_evidence");
  const size_t start_col = column("incident_start");
  size_t incident_rows = 0;
  bool found = false;
  for (const auto& row : csv) {
    ASSERT_EQ(row.size(), header.size()) << row[0];
    if (row[0] != "incident") continue;
    ++incident_rows;
    if (row[1] == "tx_availability" && row[start_col] == "2026-11-01T00:10:29Z") {
      found = true;
      EXPECT_EQ(json::parse(row[evidence_col]), json::value(first));
      EXPECT_EQ(row[column("incident_runs")], "3");
      EXPECT_EQ(row[column("incident_target")], "http://x.example:1");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(incident_rows, 3u + 1u + 0u + 3u);  // availability, latency, other, lenient

  // HTML and Markdown: the values as `sonde once` shows them, escaped.
  const std::string html = RenderHtml(report);
  const std::string md = RenderMarkdown(report);
  EXPECT_NE(html.find("<code>tx_hash=0xaa10 block=0x10</code>"), std::string::npos);
  EXPECT_NE(html.find("<code>tx_hash=0xbb50 note=&lt;b&gt;&amp;a|b,c</code>"), std::string::npos);
  EXPECT_EQ(html.find(kNastyEvidence), std::string::npos);
  EXPECT_NE(md.find("2026-11-01T00:10:29Z: tx_hash=0xaa10 block=0x10; "
                    "2026-11-01T00:12:29Z: tx_hash=0xaa12 block=0x12 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("tx_hash=0xbb50 note=\\<b\\>\\&a\\|b,c |"), std::string::npos) << md;
}

TEST(ListedIncidents, ManyIncidentsListTheLongestInStartOrder) {
  SlaReport report;
  report.period = {kT0, kT0 + kDay};
  SloReport slo;
  slo.spec.name = "s";
  for (int i = 0; i < 150; ++i) {
    // Incident i lasts (i % 50 + 1) seconds.
    slo.incidents.push_back({.target = "t", .start_us = kT0 + i * kMin,
                             .end_us = kT0 + i * kMin + (i % 50 + 1) * kSec, .runs = 1,
                             .reason = "connect", .step = "", .ongoing = false,
                             .fault_windows = {}, .evidence = {}});
  }
  const std::vector<const Incident*> listed = ListedIncidents(slo);
  ASSERT_EQ(listed.size(), 100u);
  for (size_t i = 1; i < listed.size(); ++i) EXPECT_LT(listed[i - 1]->start_us, listed[i]->start_us);
  // Durations 1..50 s, three of each: the 100 longest are every one of 18 s
  // and more (33 x 3 = 99) and one of the 17 s ones.
  int of_17s = 0;
  for (const Incident* i : listed) {
    EXPECT_GE(i->end_us - i->start_us, 17 * kSec);
    of_17s += i->end_us - i->start_us == 17 * kSec ? 1 : 0;
  }
  EXPECT_EQ(of_17s, 1);
  report.slos.push_back(slo);
  const std::string html = RenderHtml(report);
  const std::string md = RenderMarkdown(report);
  EXPECT_NE(html.find("The 100 longest of 150 incidents"), std::string::npos);
  EXPECT_NE(md.find("The 100 longest of 150 incidents"), std::string::npos);
}

TEST(ReportTime, ParsesDatesTimesAndOffsets) {
  const int64_t now = kT0 + 5 * kDay + 123;
  std::string why;
  EXPECT_EQ(ParseReportTime("2026-11-01", now, false, &why), kT0);
  EXPECT_EQ(ParseReportTime("2026-11-01", now, true, &why), kT0 + kDay);
  EXPECT_EQ(ParseReportTime("2026-11-01T00:10:29Z", now, true, &why), kT0 + 629 * kSec);
  EXPECT_EQ(ParseReportTime("2026-11-01T02:00:00+02:00", now, false, &why), kT0);
  EXPECT_EQ(ParseReportTime("now", now, false, &why), now);
  EXPECT_EQ(ParseReportTime("-2d", now, false, &why), now - 2 * kDay);
  EXPECT_FALSE(ParseReportTime("2026-02-30", now, false, &why));
  EXPECT_NE(why.find("not a real date"), std::string::npos) << why;
  EXPECT_FALSE(ParseReportTime("yesterday", now, false, &why));
  EXPECT_NE(why.find("is not a date"), std::string::npos) << why;
  EXPECT_FALSE(ParseReportTime("2026-11-01T10:00:00", now, false, &why));
  EXPECT_NE(why.find("zone"), std::string::npos) << why;
}

}  // namespace
}  // namespace sonde
