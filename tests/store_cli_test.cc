// The result store and reports as a user meets them: `sonde run` stores every
// run and serves the status page and its API; `sonde store verify` passes on
// the live store and names the row edited behind its back; `sonde report`
// over the status page's period gives the status page's numbers; signed
// reports verify and fail after an edit; runs' evidence verifies, reaches
// the report's incidents, and an edit of it is named.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <boost/json.hpp>
#include <csignal>
#include <fstream>
#include <regex>
#include <thread>

#include "core/unix_time.h"
#include "reporter/result_store.h"
#include "tests/support/files.h"
#include "tests/support/journey_harness.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using testing::ReadFile;
using testing::WriteFile;

using namespace std::chrono_literals;
using testing::RunProcess;
using testing::Subprocess;
namespace json = boost::json;

constexpr const char* kSonde = SONDE_BINARY;

void Sql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_close(db);
}

std::string Config(const std::string& url, uint16_t admin) {
  return "[service]\nlisten = \"127.0.0.1:" + std::to_string(admin) + "\"\n" +
         "[targets.t]\nurls = [\"" + url + "\"]\n" + R"(
# Relative: resolved against this file's directory.
[store]
dir = "data"

[journey.ping]
interval = "200ms"
timeout = "150ms"
targets = "t"
[[journey.ping.step]]
name = "get"
http = { path = "/" }
expect = { status = [200] }

[slo.ping_availability]
journey = "ping"
objective = 99
)";
}

json::value GetJson(const std::string& url) {
  const auto r = testing::FetchSync(url, 2s);
  if (r.status != 200) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  return ec ? json::value() : v;
}

TEST(StoreCli, TheDaemonStoresRunsServesStatusAndTheReportAgrees) {
  TempDir tmp("sonde-store-cli");
  std::atomic<bool> failing{false};
  testing::TestServer server;
  server.SetHandler([&](const testing::TestRequest&) {
    testing::TestResponse res;
    res.status = failing ? 503 : 200;
    res.body = "{}";
    return res;
  });
  const uint16_t admin = testing::UnusedLoopbackPort();
  const std::string config = tmp / "sonde.toml";
  WriteFile(config, Config(server.base_url(), admin));
  const std::string base = "http://127.0.0.1:" + std::to_string(admin);

  Subprocess daemon({kSonde, "run", "-c", config});
  std::this_thread::sleep_for(1500ms);
  failing = true;  // about 5 failed runs in a row
  std::this_thread::sleep_for(1000ms);
  failing = false;
  std::this_thread::sleep_for(1000ms);

  // Recent runs, newest first, with their steps; failures among them.
  const json::value runs = GetJson(base + "/api/v1/runs?journey=ping&limit=200");
  ASSERT_TRUE(runs.is_object()) << daemon.StderrSoFar();
  const json::array& list = runs.at("runs").as_array();
  ASSERT_GE(list.size(), 10u);
  int failed = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(list[i].at("journey"), "ping");
    EXPECT_EQ(list[i].at("steps").as_array().size(), 1u);
    if (i > 0) {
      EXPECT_GE(list[i - 1].at("started_us").as_int64(), list[i].at("started_us").as_int64());
    }
    if (list[i].at("outcome") == "failed") {
      ++failed;
      EXPECT_EQ(list[i].at("reason"), "http_status");
      EXPECT_EQ(list[i].at("steps").as_array()[0].at("status").as_int64(), 503);
    }
  }
  EXPECT_GE(failed, 2);
  EXPECT_EQ(GetJson(base + "/api/v1/runs?limit=3").at("runs").as_array().size(), 3u);
  EXPECT_EQ(testing::FetchSync(base + "/api/v1/runs?limit=0").status, 400);
  EXPECT_EQ(testing::FetchSync(base + "/api/v1/runs?jorney=ping").status, 400);
  const auto page = testing::FetchSync(base + "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("/api/v1/status"), std::string::npos);

  // The status page's numbers come from the store, read every 5 s: wait for
  // a snapshot that has seen the failures.
  json::value status;
  const auto give_up = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < give_up) {
    status = GetJson(base + "/api/v1/status");
    if (status.is_object() && !status.at("slos").as_array().empty() &&
        status.at("slos").as_array()[0].at("bad").as_int64() >= 2)
      break;
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_TRUE(status.is_object());
  const json::object& slo = status.at("slos").as_array()[0].as_object();
  ASSERT_GE(slo.at("bad").as_int64(), 2) << json::serialize(status);
  const json::object& row = status.at("journeys").as_array()[0].as_object();
  EXPECT_EQ(row.at("journey"), "ping");
  EXPECT_FALSE(row.at("last").is_null());
  EXPECT_GE(row.at("24h").at("total").as_int64(), 10);

  daemon.Signal(SIGTERM);
  auto exited = daemon.Wait(10s);
  ASSERT_TRUE(exited);
  EXPECT_EQ(exited->exit_code, 0) << exited->err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(exited->err, m, std::regex("(\\d+) row\\(s\\) written, 0 dropped")))
      << exited->err;
  const std::string written = m[1];

  // Every row written verifies.
  auto verify = RunProcess({kSonde, "store", "verify", "-c", config});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("OK: " + written + " runs"), std::string::npos) << verify.out;

  // The report over the status page's period has the status page's numbers.
  const std::string from(slo.at("period").at("from").as_string());
  const std::string to(slo.at("period").at("to").as_string());
  auto report =
      RunProcess({kSonde, "report", "-c", config, "--from", from, "--to", to, "--format", "json"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const json::value r = json::parse(report.out);
  const json::object& rs = r.at("slos").as_array()[0].as_object();
  EXPECT_EQ(rs.at("runs").at("good"), slo.at("good"));
  EXPECT_EQ(rs.at("runs").at("bad"), slo.at("bad"));
  EXPECT_EQ(rs.at("runs").at("total"), slo.at("total"));
  EXPECT_EQ(rs.at("sli").to_number<double>(), slo.at("sli").to_number<double>());
  EXPECT_EQ(rs.at("error_budget").at("remaining_runs").to_number<double>(),
            slo.at("budget_remaining_runs").to_number<double>());
  EXPECT_EQ(rs.at("status"), slo.at("status"));

  // Edited behind sonde's back: named.
  Sql(tmp / "data/results.db", "UPDATE runs SET duration_us = duration_us + 1 WHERE id = 3");
  auto tampered = RunProcess({kSonde, "store", "verify", "--dir", tmp / "data"});
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out << tampered.err;
  EXPECT_NE(tampered.out.find("runs row 3: content does not match its hash"), std::string::npos)
      << tampered.out;
}

// Runs with evidence (and without) as the daemon stores them: `sonde store
// verify` passes, `sonde report` lists the incident's evidence, and an edit
// of a stored value is named.
TEST(StoreCli, StoredEvidenceVerifiesReachesTheReportAndAnEditIsNamed) {
  TempDir tmp("sonde-store-evidence");
  const std::string config = tmp / "sonde.toml";
  WriteFile(config, Config("http://127.0.0.1:1", 1));
  {
    ResultStore store(tmp / "data", ResultStore::Mode::kReadWrite);
    std::vector<RunRecord> runs;
    const int64_t now = NowUnixMicros();
    for (int i = 0; i < 10; ++i) {
      RunRecord r;
      r.journey = "ping";
      r.target = "http://127.0.0.1:1";
      r.duration_us = 1000;
      r.finished_us = now - (30 - i) * 60'000'000LL;
      r.started_us = r.finished_us - r.duration_us;
      r.steps_json = "[]";
      if (i == 3 || i == 4) {
        r.outcome = Outcome::kFailed;
        r.reason = Reason::kNotConfirmed;
        r.failing_step = "get";
        r.evidence = {{"tx_hash", "0xfe" + std::to_string(i)}, {"block", "0x2" + std::to_string(i)}};
      }
      if (i == 7) r.evidence = {{"tx_hash", "0xok"}};
      runs.push_back(std::move(r));
    }
    store.AppendRuns(runs);
  }
  auto verify = RunProcess({kSonde, "store", "verify", "-c", config});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("OK: 10 runs"), std::string::npos) << verify.out;

  auto report = RunProcess({kSonde, "report", "-c", config, "--from", "-1h", "--format", "json"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const json::value parsed = json::parse(report.out);
  const json::array& slos = parsed.as_object().at("slos").as_array();
  ASSERT_EQ(slos.size(), 1u);
  const json::array& incidents = slos.at(0).as_object().at("incidents").as_array();
  ASSERT_EQ(incidents.size(), 1u);
  const json::array& evidence = incidents[0].at("evidence").as_array();
  ASSERT_EQ(evidence.size(), 2u);
  EXPECT_EQ(evidence[0].at("values").at("tx_hash"), "0xfe3");
  EXPECT_EQ(evidence[1].at("values").at("block"), "0x24");
  auto md = RunProcess({kSonde, "report", "-c", config, "--from", "-1h", "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_NE(md.out.find("tx_hash=0xfe4 block=0x24"), std::string::npos) << md.out;

  Sql(tmp / "data/results.db", "UPDATE runs SET evidence = replace(evidence, '0xfe4', '0xfe5')");
  auto tampered = RunProcess({kSonde, "store", "verify", "--dir", tmp / "data"});
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out << tampered.err;
  EXPECT_NE(tampered.out.find("runs row 5: content does not match its hash"), std::string::npos)
      << tampered.out;
}

// kill -9 while runs are being written: whatever made it to disk verifies
// (each batch is one transaction; the chain head moves with it).
TEST(StoreCli, KillDashNineMidWriteLeavesAVerifiableStore) {
  TempDir tmp("sonde-store-kill");
  testing::TestServer server;
  server.SetHandler([](const testing::TestRequest&) { return testing::TestResponse{}; });
  const uint16_t admin = testing::UnusedLoopbackPort();
  const std::string config = tmp / "sonde.toml";
  // Ten targets every 100 ms: about a hundred rows a second.
  std::string urls;
  for (int i = 0; i < 10; ++i)
    urls += (i ? ", \"" : "\"") + server.base_url() + "/n" + std::to_string(i) + "\"";
  WriteFile(config, "[service]\nlisten = \"127.0.0.1:" + std::to_string(admin) + "\"\n" +
                        "[targets.t]\nurls = [" + urls + "]\n" + R"(
[store]
dir = "data"
[journey.ping]
interval = "100ms"
timeout = "90ms"
targets = "t"
[[journey.ping.step]]
name = "get"
http = { path = "/" }
)");
  int stored = 0;
  for (int round = 0; round < 3; ++round) {
    Subprocess daemon({kSonde, "run", "-c", config});
    std::this_thread::sleep_for(std::chrono::milliseconds(700 + 300 * round));
    daemon.Signal(SIGKILL);
    ASSERT_TRUE(daemon.Wait(5s));
    auto verify = RunProcess({kSonde, "store", "verify", "-c", config});
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(verify.out, m, std::regex("OK: (\\d+) runs"))) << verify.out;
    // Every restart after a kill -9 writes on, chaining from the last row.
    EXPECT_GT(std::stoi(m[1]), stored) << "round " << round;
    stored = std::stoi(m[1]);
  }
}

TEST(StoreCli, SignedReportsVerifyAndFailAfterAnEdit) {
  TempDir tmp("sonde-report-cli");
  const std::string config = tmp / "sonde.toml";
  WriteFile(config, Config("http://127.0.0.1:1", 1));
  auto key = RunProcess({kSonde, "keys", "new", "--out", tmp / "report.key"});
  ASSERT_EQ(key.exit_code, 0) << key.err;
  const std::string pubkey = key.out.substr(0, 64);

  // No store yet: a clear error.
  auto none = RunProcess({kSonde, "report", "-c", config, "--from", "-1d"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no result store in"), std::string::npos) << none.err;

  // Let a daemon create the store, then report on it in every format.
  testing::TestServer server;
  server.SetHandler([](const testing::TestRequest&) { return testing::TestResponse{}; });
  const uint16_t admin = testing::UnusedLoopbackPort();
  WriteFile(config, Config(server.base_url(), admin));
  {
    Subprocess daemon({kSonde, "run", "-c", config});
    std::this_thread::sleep_for(1000ms);
    daemon.Signal(SIGTERM);
    ASSERT_TRUE(daemon.Wait(10s));
  }
  for (const char* format : {"html", "md", "json", "csv"}) {
    SCOPED_TRACE(format);
    const std::string out = tmp / (std::string("report.") + format);
    auto r = RunProcess({kSonde, "report", "-c", config, "--from", "-1h", "--format", format,
                         "--out", out, "--sign", tmp / "report.key"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("signed"), std::string::npos) << r.err;
    auto ok = RunProcess({kSonde, "report", "verify", out, "--pubkey", pubkey});
    EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
    EXPECT_NE(ok.out.find("signature OK"), std::string::npos) << ok.out;
    std::string text = ReadFile(out);
    text[text.size() / 2] ^= 0x01;
    WriteFile(out, text);
    auto bad = RunProcess({kSonde, "report", "verify", out});
    EXPECT_EQ(bad.exit_code, 1) << bad.out;
    EXPECT_NE(bad.out.find("NOT VERIFIED"), std::string::npos) << bad.out;
  }
  auto format = RunProcess({kSonde, "report", "-c", config, "--from", "-1h", "--format", "pdf"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_NE(format.err.find("unknown format \"pdf\""), std::string::npos) << format.err;
  auto date = RunProcess({kSonde, "report", "-c", config, "--from", "2026-13-01"});
  EXPECT_EQ(date.exit_code, 2);
  EXPECT_NE(date.err.find("--from: \"2026-13-01\" is out of range"), std::string::npos) << date.err;
}

}  // namespace
}  // namespace sonde
