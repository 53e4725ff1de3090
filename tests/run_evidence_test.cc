// A run's evidence after the runner: ToRunRecord holds it to its limits
// (entries, value bytes, names) whatever the runner handed over; the stored
// JSON form keeps the declared order; /api/v1/runs, served by the admin
// server from the recent-runs ring, shows it per run; `sonde once` prints it
// under the run's row.
#include "reporter/run_evidence.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <future>
#include <thread>

#include "reporter/recent_runs.h"
#include "reporter/run_record.h"
#include "service/admin_server.h"
#include "service/once_table.h"
#include "tests/support/journey_harness.h"

namespace sonde {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

JourneyResult Result(std::string journey, Outcome outcome, Evidence evidence) {
  JourneyResult r;
  r.journey = std::move(journey);
  r.target = "http://127.0.0.1:8545";
  r.outcome = outcome;
  if (outcome == Outcome::kFailed) {
    r.reason = Reason::kNotConfirmed;
    r.failing_step = "confirm";
  }
  r.started_at = std::chrono::system_clock::time_point(1'793'491'200s);
  r.duration = 1234us;
  r.evidence = std::move(evidence);
  return r;
}

TEST(RunEvidence, ToRunRecordHoldsItToItsLimits) {
  Evidence in = {{"tx_hash", "0xabc"},
                 {"bad name", "dropped"},
                 {"", "dropped"},
                 {"a/b", "dropped"},
                 {"tx_hash", "a repeat: dropped"},
                 {"ok.Name-1_", std::string(300, 'x')},
                 // 255 ASCII bytes, then a 2-byte character across the limit.
                 {"cut", std::string(255, 'y') + "\xc3\xa9"},
                 {"bad_utf8",
                  "a\xff"
                  "b\xc3"}};
  for (int i = 0; i < 20; ++i) in.emplace_back("n" + std::to_string(i), std::to_string(i));
  const RunRecord r = ToRunRecord(Result("tx", Outcome::kFailed, in), "eu-1");
  ASSERT_EQ(r.evidence.size(), kMaxEvidence);
  EXPECT_EQ(r.evidence[0], (std::pair<std::string, std::string>{"tx_hash", "0xabc"}));
  EXPECT_EQ(r.evidence[1].first, "ok.Name-1_");
  EXPECT_EQ(r.evidence[1].second, std::string(kMaxEvidenceValue, 'x'));
  EXPECT_EQ(r.evidence[2].second, std::string(255, 'y'));  // not half a character
  EXPECT_EQ(r.evidence[3].second, "a?b?");
  EXPECT_EQ(r.evidence[4].first, "n0");
  EXPECT_EQ(r.evidence.back().first, "n11");  // the first 16 that count
  EXPECT_EQ(BoundEvidence(r.evidence), r.evidence);

  // The stored form is a JSON object in the order declared, "" for none.
  const std::string stored = EvidenceToJson(r.evidence);
  EXPECT_EQ(stored.rfind(R"({"tx_hash":"0xabc","ok.Name-1_":")", 0), 0u) << stored;
  EXPECT_EQ(EvidenceFromJson(stored), r.evidence);
  EXPECT_EQ(EvidenceToJson({}), "");
  EXPECT_TRUE(EvidenceFromJson("").empty());
  EXPECT_TRUE(EvidenceFromJson("not json").empty());
}

TEST(RunEvidence, TextFormQuotesWhatWouldNotSplitBack) {
  EXPECT_EQ(EvidenceText({{"tx_hash", "0x12"}, {"block", "0x1a"}}), "tx_hash=0x12 block=0x1a");
  EXPECT_EQ(EvidenceText({{"msg", "a b=c"}, {"e", ""}, {"q", "say \"hi\"\n"}}),
            R"(msg="a b=c" e="" q="say \"hi\"\n")");
  EXPECT_EQ(EvidenceText({}), "");
}

// The admin server on a thread of its own, serving /api/v1/runs from a
// recent-runs ring as the daemon does.
class AdminRuns {
 public:
  explicit AdminRuns(RecentRuns& recent)
      : server_(io_.get_executor(),
                {.metrics = [] { return std::string(); },
                 .ready = [] { return true; },
                 .authorize = nullptr,
                 .reload = nullptr,
                 .status = nullptr,
                 .control = nullptr,
                 .runs = [&recent](RunsQuery q) -> boost::asio::awaitable<std::string> {
                   co_return RecentRunsJson(recent.Latest(q.journey, q.limit + 1, q.before_us), q.limit);
                 }}) {
    if (auto error = server_.Listen("127.0.0.1", 0)) ADD_FAILURE() << *error;
    thread_ = std::thread([this] { io_.run(); });
  }
  ~AdminRuns() {
    std::promise<void> stopped;
    boost::asio::post(io_, [&] {
      server_.Stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
    work_.reset();
    io_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  AdminServer server_;
  std::thread thread_;
};

TEST(RunEvidence, ApiRunsShowsEachRunsEvidence) {
  RecentRuns recent("eu-1", {});
  JourneyResult failed = Result("eth_transfer", Outcome::kFailed,
                                {{"tx_hash", "0x5e"}, {"block", "0x1a"}, {"bad name", "x"}});
  failed.started_at += 1s;  // newest first
  recent.OnRunFinished(Result("eth_transfer", Outcome::kSuccess, {}));
  recent.OnRunFinished(failed);
  AdminRuns admin(recent);
  const HttpResponse r = testing::FetchSync(admin.base() + "/api/v1/runs?journey=eth_transfer", 5s);
  ASSERT_EQ(r.status, 200) << r.error << r.body;
  const json::array runs = json::parse(r.body).at("runs").as_array();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].at("outcome"), "failed");
  const json::object& evidence = runs[0].at("evidence").as_object();
  ASSERT_EQ(evidence.size(), 2u);  // the bad name dropped
  EXPECT_EQ(evidence.begin()->key(), "tx_hash");
  EXPECT_EQ(evidence.at("tx_hash"), "0x5e");
  EXPECT_EQ(evidence.at("block"), "0x1a");
  EXPECT_TRUE(runs[1].at("evidence").as_object().empty());  // {} when none
}

// /api/v1/runs is paged: `limit` runs at most, newest first, and
// next_before_us leads to the next page until the last, where it is null.
// A page also ends once its runs reach the size cap.
TEST(RunEvidence, ApiRunsPagesThroughEveryRunOnce) {
  RecentRuns recent("eu-1", {});
  for (int i = 0; i < 5; ++i) {
    JourneyResult r = Result("eth_transfer", Outcome::kFailed, {{"tx_hash", "0x" + std::to_string(i)}});
    r.started_at += std::chrono::seconds(i);
    recent.OnRunFinished(r);
  }
  AdminRuns admin(recent);
  std::vector<std::string> seen;
  std::string url = admin.base() + "/api/v1/runs?limit=2";
  int pages = 0;
  for (; pages < 10; ++pages) {
    const HttpResponse r = testing::FetchSync(url, 5s);
    ASSERT_EQ(r.status, 200) << r.body;
    const boost::json::value page = boost::json::parse(r.body);
    for (const auto& run : page.at("runs").as_array()) {
      seen.emplace_back(run.at("evidence").at("tx_hash").as_string());
    }
    if (page.at("next_before_us").is_null()) break;
    url = admin.base() + "/api/v1/runs?limit=2&before_us=" +
          std::to_string(page.at("next_before_us").as_int64());
  }
  EXPECT_EQ(pages, 2);  // 2 + 2 + 1
  EXPECT_EQ(seen, (std::vector<std::string>{"0x4", "0x3", "0x2", "0x1", "0x0"}));
  EXPECT_EQ(testing::FetchSync(admin.base() + "/api/v1/runs?before_us=x", 5s).status, 400);

  // The size cap: a page of one run, however many were asked for.
  const std::vector<RunRecord> all = recent.Latest("", 10);
  const boost::json::value capped = boost::json::parse(RecentRunsJson(all, 10, /*max_bytes=*/1));
  EXPECT_EQ(capped.at("runs").as_array().size(), 1u);
  EXPECT_EQ(capped.at("next_before_us").as_int64(), all[0].finished_us);
}

TEST(RunEvidence, OnceTablePrintsItUnderTheRun) {
  JourneyResult with = Result("eth_transfer", Outcome::kFailed,
                              {{"tx_hash", "0x5e"}, {"block", "0x1a"}, {"note", "a b"}});
  with.detail = "not confirmed within 20s";
  const std::vector<JourneyResult> results = {with,
                                              Result("node_activation", Outcome::kSuccess, {})};
  const std::string table = FormatOnceTable(results);
  std::vector<std::string> lines;
  for (size_t at = 0, nl; (nl = table.find('\n', at)) != std::string::npos; at = nl + 1) {
    lines.push_back(table.substr(at, nl - at));
  }
  ASSERT_EQ(lines.size(), 5u) << table;
  EXPECT_EQ(lines[0].rfind("JOURNEY", 0), 0u) << table;
  EXPECT_EQ(lines[1].rfind("eth_transfer", 0), 0u) << table;
  EXPECT_NE(lines[1].find("not_confirmed"), std::string::npos) << table;
  EXPECT_EQ(lines[2], R"(  evidence: tx_hash=0x5e block=0x1a note="a b")");
  EXPECT_EQ(lines[3].rfind("node_activation", 0), 0u) << table;  // no evidence: no line
  EXPECT_EQ(lines[4], "eth_transfer @ http://127.0.0.1:8545: not confirmed within 20s");
  // The columns still line up.
  EXPECT_EQ(lines[1].find("http://"), lines[3].find("http://"));
}

}  // namespace
}  // namespace sonde
