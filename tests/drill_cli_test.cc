// `sonde drill` as a release pipeline runs it, against real processes:
// verdicts in both directions with a JUnit file naming the failed
// expectation; refusals (unarmed, dry run touching nothing); SIGTERM
// reverting everything; kill -9 mid-drill healed by `sonde heal`, with the
// heal recorded in the result store; a slow heal over HTTP that leaves the
// daemon serving.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "chaos/journal.h"
#include "chaos/process.h"
#include "tests/support/files.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using testing::ReadFile;

using namespace std::chrono_literals;
using testing::RunProcess;
using testing::Subprocess;

constexpr const char* kSonde = SONDE_BINARY;

// curl: status code, then the body.
std::pair<int, std::string> Curl(const std::string& method, const std::string& url,
                                 const std::string& token = "");

class DrillCli : public ::testing::Test {
 protected:
  void SetUp() override {
    sleeper_ = std::make_unique<Subprocess>(
        std::vector<std::string>{"/bin/sh", "-c", "echo $$ > '" + pidfile_ + "'; exec sleep 60"});
    for (int i = 0; i < 200 && !std::filesystem::exists(pidfile_); ++i)
      std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(30ms);
    // The journey fails while the flag file exists (an exec fault creates it).
    server_.SetHandler([flag = flag_](const testing::TestRequest&) {
      testing::TestResponse r;
      r.status = std::filesystem::exists(flag) ? 503 : 200;
      return r;
    });
  }

  // A config with one journey, the sleeper as target "svc", and `drills`.
  std::string Config(const std::string& drills) {
    const std::string path = tmp_ / "sonde.toml";
    std::ofstream(path) << "[targets.t]\nurls = [\"" << server_.base_url() << "\"]\n"
                        << R"(
[journey.ping]
interval = "200ms"
timeout = "150ms"
targets = "t"
[[journey.ping.step]]
name = "get"
http = { path = "/" }
[chaos.targets.svc]
pidfile = ")" << pidfile_
                        << "\"\n"
                        << drills;
    return path;
  }

  std::string BreakServer(const std::string& name, const std::string& extra) {
    return "[drill." + name +
           "]\njourneys = [\"ping\"]\nsteady_state = { duration = \"1s\" }\n"
           // exec runs a command of the config's: the drill is armed for it.
           "armed = true\nrecovery_timeout = \"5s\"\n[[drill." +
           name +
           ".fault]]\nname = \"break\"\nkind = \"exec\"\n"
           "target = \"svc\"\nduration = \"1500ms\"\ncommand = \"touch '" +
           flag_ +
           "'\"\n"
           "revert_command = \"rm -f '" +
           flag_ + "'\"\n[[drill." + name + ".expect]]\n" + extra;
  }

  std::string PauseDrill(const std::string& duration) {
    return "[drill.hold]\njourneys = [\"ping\"]\nsteady_state = { duration = \"500ms\" }\n"
           "[[drill.hold.fault]]\nname = \"freeze\"\nkind = \"pause\"\ntarget = \"svc\"\n"
           "duration = \"" +
           duration + "\"\n";
  }

  // `sonde run` with PauseDrill("60s") and the API token "s3cret", answering
  // /healthz at the base URL returned.
  std::pair<std::unique_ptr<Subprocess>, std::string> StartPauseDrillDaemon() {
    std::ofstream(tmp_ / "token") << "s3cret\n";
    chmod((tmp_ / "token").c_str(), 0600);
    const uint16_t admin = testing::UnusedLoopbackPort();
    const std::string config =
        Config(PauseDrill("60s") + "[service]\nlisten = \"127.0.0.1:" + std::to_string(admin) +
               "\"\napi_token_file = \"token\"\n");
    auto daemon = std::make_unique<Subprocess>(std::vector<std::string>{kSonde, "run", "-c", config});
    const std::string base = "http://127.0.0.1:" + std::to_string(admin);
    for (int i = 0; i < 100 && Curl("GET", base + "/healthz").first != 200; ++i)
      std::this_thread::sleep_for(50ms);
    return {std::move(daemon), base};
  }

  // `sonde proxy` with these links (each to a closed port), its API
  // answering at `api_url`; nullptr (said) when it does not come up.
  std::unique_ptr<Subprocess> StartProxy(const std::vector<std::string>& links,
                                         std::string& api_url) {
    const uint16_t api = testing::UnusedLoopbackPort();
    std::string list;
    for (const std::string& name : links) {
      list += std::string(list.empty() ? "" : ", ") + "{\"name\": \"" + name +
              "\", \"listen\": \"127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort()) +
              "\", \"upstream\": \"127.0.0.1:9\"}";
    }
    std::ofstream(tmp_ / "proxies.json") << "[" << list << "]";
    api_url = "http://127.0.0.1:" + std::to_string(api);
    auto proxy = std::make_unique<Subprocess>(std::vector<std::string>{
        kSonde, "proxy", "--listen", "127.0.0.1:" + std::to_string(api), "--config",
        tmp_ / "proxies.json"});
    for (int i = 0; i < 100; ++i) {
      if (Curl("GET", api_url + "/version").first == 200) return proxy;
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "the fault proxy did not come up: " << proxy->StderrSoFar();
    return nullptr;
  }

  char State() {
    auto h = chaos::ProcessHandle::FromPidfile(pidfile_);
    return std::holds_alternative<chaos::ProcessHandle>(h)
               ? std::get<chaos::ProcessHandle>(h).State()
               : 0;
  }

  bool WaitForState(bool paused, std::chrono::milliseconds within) {
    const auto give_up = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < give_up) {
      const char s = State();
      if (s != 0 && (s == 'T') == paused) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  TempDir tmp_{"sonde-drill-cli"};
  std::string pidfile_ = tmp_ / "svc.pid";
  std::string flag_ = tmp_ / "broken";
  testing::TestServer server_;
  std::unique_ptr<Subprocess> sleeper_;
};

TEST_F(DrillCli, AnExpectationThatHoldsPassesAndOneThatCannotFailsNamingIt) {
  const std::string config = Config(
      BreakServer("tolerant", "journey = \"ping\"\nmin_success = 0.0\nrecover_within = \"3s\"\n") +
      BreakServer("impossible", "journey = \"ping\"\nmin_success = 0.99\n"));
  auto pass =
      RunProcess({kSonde, "drill", "-c", config, "tolerant", "--junit", tmp_ / "pass.xml"}, 60s);
  EXPECT_EQ(pass.exit_code, 0) << pass.err;
  EXPECT_NE(pass.err.find("drill tolerant: pass"), std::string::npos) << pass.err;
  EXPECT_NE(ReadFile(tmp_ / "pass.xml").find("failures=\"0\""), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(flag_));  // reverted

  auto fail = RunProcess({kSonde, "drill", "-c", config, "impossible", "--junit", tmp_ / "fail.xml",
                          "--report", tmp_ / "fail.md"},
                         60s);
  EXPECT_EQ(fail.exit_code, 1) << fail.err;
  const std::string junit = ReadFile(tmp_ / "fail.xml");
  EXPECT_NE(junit.find("failures=\"1\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("<failure message=\"ping @ http://127.0.0.1:"), std::string::npos) << junit;
  EXPECT_NE(junit.find(": min_success expected ≥ 99.000%, observed "), std::string::npos) << junit;
  EXPECT_NE(ReadFile(tmp_ / "fail.md").find("# Drill impossible: fail"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(flag_));
}

// A relapse after the heal (a re-election a healed member forces, say):
// recovery is quick, so only the settle window's expectation sees it.
TEST_F(DrillCli, TheSettleWindowCatchesFailuresAfterTheHeal) {
  std::string drill = BreakServer("relapse", "journey = \"ping\"\nrecover_within = \"3s\"\n"
                                             "[[drill.relapse.expect]]\njourney = \"ping\"\n"
                                             "during = \"settle\"\nmin_success = 1.0\n");
  // The revert heals at once, then breaks the server again 1.5 s later for
  // 1 s, in the background.
  const std::string revert = "revert_command = \"rm -f '" + flag_ + "'\"";
  drill.replace(drill.find(revert), revert.size(),
                "revert_command = \"rm -f '" + flag_ + "'; (sleep 1.5; touch '" + flag_ +
                    "'; sleep 1; rm -f '" + flag_ + "') >/dev/null 2>&1 &\"");
  drill.replace(drill.find("recovery_timeout"), 0, "settle = \"4s\"\n");
  const std::string config = Config(drill);
  auto r = RunProcess({kSonde, "drill", "-c", config, "relapse", "--junit", tmp_ / "relapse.xml",
                       "--report", tmp_ / "relapse.md"},
                      60s);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("  pass ping @ http://127.0.0.1:"), std::string::npos) << r.err;
  const std::string junit = ReadFile(tmp_ / "relapse.xml");
  EXPECT_NE(junit.find("failures=\"1\""), std::string::npos) << junit;
  EXPECT_NE(junit.find(": settle.min_success expected ≥ 100.000%, observed "), std::string::npos)
      << junit;
  const std::string report = ReadFile(tmp_ / "relapse.md");
  EXPECT_NE(report.find("- settle window: +"), std::string::npos) << report;
  EXPECT_NE(report.find("http_status at get ×"), std::string::npos) << report;  // why the runs failed
}

TEST_F(DrillCli, UnarmedAndDryRunsTouchNothing) {
  const std::string config = Config(PauseDrill("5s"));
  auto unarmed = RunProcess({kSonde, "drill", "-c", config, "hold"});
  EXPECT_EQ(unarmed.exit_code, 2);
  EXPECT_NE(unarmed.err.find("refusing to run it unarmed: pass --arm or set armed = true"),
            std::string::npos)
      << unarmed.err;
  auto dry = RunProcess({kSonde, "drill", "-c", config, "hold", "--dry-run", "--arm"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.err.find("would do    : SIGSTOP to svc (pid"), std::string::npos) << dry.err;
  EXPECT_NE(dry.err.find("dry run: nothing was touched"), std::string::npos);
  EXPECT_EQ(State(), 'S');
  EXPECT_FALSE(std::filesystem::exists(tmp_ / "sonde-chaos.journal"));
  auto unknown = RunProcess({kSonde, "drill", "-c", config, "nope"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no drill named \"nope\" (declared: hold)"), std::string::npos);
}

TEST_F(DrillCli, SigtermRevertsEverythingAndReportsAborted) {
  const std::string config = Config(PauseDrill("30s"));
  Subprocess drill({kSonde, "drill", "-c", config, "hold", "--arm", "--junit", tmp_ / "j.xml"});
  ASSERT_TRUE(WaitForState(true, 10s)) << drill.StderrSoFar();
  drill.Signal(SIGTERM);
  auto r = drill.Wait(10s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 2) << r->err;
  EXPECT_TRUE(WaitForState(false, 2s));
  EXPECT_NE(r->err.find("aborted (interrupted by signal 15; every fault reverted)"),
            std::string::npos)
      << r->err;
  EXPECT_NE(ReadFile(tmp_ / "j.xml").find("<error message=\"interrupted by signal 15"),
            std::string::npos);
}

// The fault and drill windows of `sonde report`'s JSON: (drill/fault, end_us
// or null) and (drill, verdict, end_us or null).
struct Windows {
  std::vector<std::pair<std::string, bool>> faults;  // name, ended
  std::vector<std::tuple<std::string, std::string, bool>> drills;
};
Windows ReportedWindows(const std::string& config) {
  auto report = RunProcess({kSonde, "report", "-c", config, "--from", "-1h", "--format", "json"});
  EXPECT_EQ(report.exit_code, 0) << report.err;
  Windows w;
  if (report.exit_code != 0) return w;
  const boost::json::value parsed = boost::json::parse(report.out);
  for (const auto& f : parsed.at("fault_windows").as_array()) {
    w.faults.emplace_back(std::string(f.at("drill").as_string()) + "/" +
                              std::string(f.at("fault").as_string()),
                          !f.at("end_us").is_null());
  }
  for (const auto& d : parsed.at("drills").as_array()) {
    w.drills.emplace_back(std::string(d.at("drill").as_string()),
                          std::string(d.at("verdict").as_string()), !d.at("end_us").is_null());
  }
  return w;
}

// After a kill -9, `sonde heal` reverts what the dead drill held and closes
// its windows in the result store: before the heal, the report shows the
// fault and the drill open; after it, both ended, the drill "aborted".
TEST_F(DrillCli, KillDashNineMidDrillIsHealedBySondeHeal) {
  const std::string config = Config(PauseDrill("60s") + "[store]\ndir = \"data\"\n");
  {
    Subprocess drill({kSonde, "drill", "-c", config, "hold", "--arm"});
    ASSERT_TRUE(WaitForState(true, 10s)) << drill.StderrSoFar();
    std::this_thread::sleep_for(300ms);  // the store's writer takes the inject
    drill.Signal(SIGKILL);
    ASSERT_TRUE(drill.Wait(5s));
  }
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(State(), 'T');  // still broken: nobody reverted it
  Windows open = ReportedWindows(config);
  EXPECT_EQ(open.faults, (std::vector<std::pair<std::string, bool>>{{"hold/freeze", false}}));
  EXPECT_EQ(open.drills,
            (std::vector<std::tuple<std::string, std::string, bool>>{{"hold", "", false}}));

  auto healed = RunProcess({kSonde, "heal", "-c", config});
  EXPECT_EQ(healed.exit_code, 0) << healed.out << healed.err;
  EXPECT_TRUE(WaitForState(false, 2s));
  EXPECT_NE((healed.out + healed.err).find("reverted hold/freeze (pause on svc)"),
            std::string::npos)
      << healed.out << healed.err;
  Windows closed = ReportedWindows(config);
  EXPECT_EQ(closed.faults, (std::vector<std::pair<std::string, bool>>{{"hold/freeze", true}}));
  EXPECT_EQ(closed.drills,
            (std::vector<std::tuple<std::string, std::string, bool>>{{"hold", "aborted", true}}));
}

std::pair<int, std::string> Curl(const std::string& method, const std::string& url,
                                 const std::string& token) {
  std::vector<std::string> argv = {"/usr/bin/curl",  "-s", "-X", method, "-w",
                                   "\n%{http_code}", url};
  if (!token.empty()) {
    argv.push_back("-H");
    argv.push_back("Authorization: Bearer " + token);
  }
  auto r = RunProcess(argv, 30s);
  const size_t nl = r.out.rfind('\n');
  if (nl == std::string::npos) return {0, r.out};
  return {std::atoi(r.out.c_str() + nl + 1), r.out.substr(0, nl)};
}

TEST_F(DrillCli, TheDaemonRunsDrillsWithATokenAndTheHaltButtonRevertsThem) {
  auto [daemon, base] = StartPauseDrillDaemon();

  EXPECT_EQ(Curl("POST", base + "/api/v1/drills/hold/run").first, 401);
  EXPECT_EQ(Curl("POST", base + "/api/v1/drills/hold/run", "wrong").first, 401);
  auto unarmed = Curl("POST", base + "/api/v1/drills/hold/run", "s3cret");
  EXPECT_EQ(unarmed.first, 403) << unarmed.second;
  EXPECT_EQ(Curl("POST", base + "/api/v1/drills/nope/run?arm=1", "s3cret").first, 404);
  auto started = Curl("POST", base + "/api/v1/drills/hold/run?arm=1", "s3cret");
  ASSERT_EQ(started.first, 202) << started.second;
  EXPECT_EQ(Curl("POST", base + "/api/v1/drills/hold/run?arm=1", "s3cret").first, 409);
  ASSERT_TRUE(WaitForState(true, 10s)) << daemon->StderrSoFar();
  auto status = Curl("GET", base + "/api/v1/drills");
  EXPECT_NE(status.second.find("\"running\": \"hold\""), std::string::npos) << status.second;
  auto metrics = Curl("GET", base + "/metrics");
  EXPECT_NE(metrics.second.find("sonde_chaos_fault_active{drill=\"hold\",fault=\"freeze\",kind="
                                "\"pause\",target=\"svc\"} 1"),
            std::string::npos);

  auto halted = Curl("POST", base + "/api/v1/heal", "s3cret");
  EXPECT_EQ(halted.first, 200) << halted.second;
  EXPECT_NE(halted.second.find("\"stopped_drill\": \"hold\""), std::string::npos) << halted.second;
  EXPECT_TRUE(WaitForState(false, 2s));
  metrics = Curl("GET", base + "/metrics");
  EXPECT_NE(metrics.second.find("sonde_chaos_fault_active{drill=\"hold\",fault=\"freeze\",kind="
                                "\"pause\",target=\"svc\"} 0"),
            std::string::npos)
      << metrics.second;
  EXPECT_NE(metrics.second.find("sonde_chaos_injections_total{kind=\"pause\",outcome=\"ok\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.second.find("sonde_drill_last_verdict{drill=\"hold\"} -1"), std::string::npos);
  status = Curl("GET", base + "/api/v1/drills");
  EXPECT_NE(status.second.find("stopped by POST /api/v1/heal"), std::string::npos) << status.second;
  daemon->Signal(SIGTERM);
  auto r = daemon->Wait(10s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0) << r->err;
}

// The drill runs on the daemon's loop: SIGTERM stops the journeys, and the
// drill reverts its fault and records its verdict before the loop stops.
TEST_F(DrillCli, SigtermToTheDaemonRevertsTheDrillItRuns) {
  auto [daemon, base] = StartPauseDrillDaemon();
  auto started = Curl("POST", base + "/api/v1/drills/hold/run?arm=1", "s3cret");
  ASSERT_EQ(started.first, 202) << started.second;
  ASSERT_TRUE(WaitForState(true, 10s)) << daemon->StderrSoFar();
  daemon->Signal(SIGTERM);
  auto r = daemon->Wait(20s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0) << r->err;
  EXPECT_TRUE(WaitForState(false, 1s)) << "the paused process was left paused";
  const std::string log = r->out + r->err;
  EXPECT_NE(log.find("drill: reverted freeze"), std::string::npos) << log;
  EXPECT_NE(log.find("drill hold: aborted (stopped: the daemon is shutting down"), std::string::npos)
      << log;
  chaos::Journal journal(tmp_ / "sonde-chaos.journal");
  EXPECT_TRUE(journal.Outstanding(nullptr).empty());
}

// A heal whose revert takes 3 s runs off the daemon's event loop: while it
// is in flight, /healthz answers at once and the journeys go on. (Run on
// the loop, it stalled both for the whole revert.)
TEST_F(DrillCli, ASlowHealOverHttpLeavesTheDaemonServing) {
  std::ofstream(tmp_ / "token") << "s3cret\n";
  chmod((tmp_ / "token").c_str(), 0600);
  const uint16_t admin = testing::UnusedLoopbackPort();
  const std::string slow =
      "[drill.slow]\njourneys = [\"ping\"]\nsteady_state = { duration = \"200ms\" }\n"
      "armed = true\n[[drill.slow.fault]]\nname = \"break\"\nkind = \"exec\"\n"
      "target = \"svc\"\nduration = \"60s\"\ncommand = \"touch '" +
      flag_ + "'\"\nrevert_command = \"sleep 3; rm -f '" + flag_ + "'\"\n";
  const std::string config = Config(slow + "[service]\nlisten = \"127.0.0.1:" +
                                    std::to_string(admin) + "\"\napi_token_file = \"token\"\n");
  Subprocess daemon({kSonde, "run", "-c", config});
  const std::string base = "http://127.0.0.1:" + std::to_string(admin);
  for (int i = 0; i < 100 && Curl("GET", base + "/healthz").first != 200; ++i)
    std::this_thread::sleep_for(50ms);
  ASSERT_EQ(Curl("POST", base + "/api/v1/drills/slow/run", "s3cret").first, 202);
  for (int i = 0; i < 200 && !std::filesystem::exists(flag_); ++i) std::this_thread::sleep_for(25ms);
  ASSERT_TRUE(std::filesystem::exists(flag_)) << daemon.StderrSoFar();

  std::atomic<bool> healing{true};
  std::pair<int, std::string> healed;
  const auto heal_started = std::chrono::steady_clock::now();
  std::thread heal([&] {
    healed = Curl("POST", base + "/api/v1/heal", "s3cret");
    healing = false;
  });
  std::chrono::milliseconds slowest{0};
  int answered = 0;
  while (healing) {
    const auto t0 = std::chrono::steady_clock::now();
    const int status = Curl("GET", base + "/healthz").first;
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    if (!healing) break;
    EXPECT_EQ(status, 200);
    slowest = std::max(slowest, took);
    ++answered;
    std::this_thread::sleep_for(100ms);
  }
  heal.join();
  const auto heal_took = std::chrono::steady_clock::now() - heal_started;
  EXPECT_EQ(healed.first, 200) << healed.second;
  EXPECT_FALSE(std::filesystem::exists(flag_));
  EXPECT_GE(heal_took, 2500ms) << "the revert sleeps 3 s";
  EXPECT_GE(answered, 5) << "/healthz answered while the heal ran";
  EXPECT_LT(slowest, 1000ms) << "the slowest /healthz while the heal ran";
  daemon.Signal(SIGTERM);
  auto r = daemon.Wait(10s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0) << r->err;
}

// `sonde drill --daemon`: the drill runs inside the daemon, the client
// follows its progress and exits with its verdict — 0 for one that passes,
// 1 for one whose expectation fails, 2 when the daemon refuses.
TEST_F(DrillCli, DrillDaemonFollowsTheDaemonsDrillToItsVerdict) {
  std::ofstream(tmp_ / "token") << "s3cret\n";
  chmod((tmp_ / "token").c_str(), 0600);
  const uint16_t admin = testing::UnusedLoopbackPort();
  const std::string config =
      Config(BreakServer("ok", "journey = \"ping\"\nrecover_within = \"3s\"\n") +
             BreakServer("bad", "journey = \"ping\"\nmin_success = 0.99\n") +
             "[service]\nlisten = \"127.0.0.1:" + std::to_string(admin) +
             "\"\napi_token_file = \"token\"\n");
  // No daemon yet: nothing to run it in.
  auto absent = RunProcess({kSonde, "drill", "-c", config, "ok", "--daemon"}, 30s);
  EXPECT_EQ(absent.exit_code, 2);
  EXPECT_NE(absent.err.find("cannot reach the daemon at http://127.0.0.1:" + std::to_string(admin)),
            std::string::npos)
      << absent.err;

  Subprocess daemon({kSonde, "run", "-c", config});
  const std::string base = "http://127.0.0.1:" + std::to_string(admin);
  for (int i = 0; i < 100 && Curl("GET", base + "/healthz").first != 200; ++i)
    std::this_thread::sleep_for(50ms);

  auto ok = RunProcess({kSonde, "drill", "-c", config, "ok", "--daemon", "--seed", "7"}, 60s);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("drill ok: running in the daemon at " + base + " (run 1, seed 7)"),
            std::string::npos)
      << ok.out;
  EXPECT_NE(ok.out.find("[hold "), std::string::npos) << ok.out;  // live progress
  EXPECT_NE(ok.out.find("drill ok: pass"), std::string::npos) << ok.out;
  // Judged for the journey's one target, named.
  EXPECT_NE(ok.out.find("  pass ping @ http://127.0.0.1:"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find(" recover_within ≤ 3s: observed "), std::string::npos) << ok.out;
  EXPECT_FALSE(std::filesystem::exists(flag_));  // reverted

  // The JUnit file and the report are written here from the daemon's
  // record of the run, as a local drill writes them.
  auto bad = RunProcess({kSonde, "drill", "-c", config, "bad", "--daemon", "--junit",
                         tmp_ / "bad.xml", "--report", tmp_ / "bad.md"},
                        60s);
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("(run 2, seed"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("drill bad: fail"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("  FAIL ping @ http://127.0.0.1:"), std::string::npos) << bad.out;
  const std::string junit = ReadFile(tmp_ / "bad.xml");
  EXPECT_NE(junit.find("failures=\"1\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("<property name=\"verdict\" value=\"fail\"/>"), std::string::npos) << junit;
  EXPECT_NE(junit.find("<failure message=\"ping @ http://127.0.0.1:"), std::string::npos) << junit;
  EXPECT_NE(junit.find(": min_success expected ≥ 99.000%, observed "), std::string::npos) << junit;
  const std::string report = ReadFile(tmp_ / "bad.md");
  EXPECT_NE(report.find("# Drill bad: fail"), std::string::npos) << report;
  EXPECT_NE(report.find("| ping @ http://127.0.0.1:"), std::string::npos) << report;
  // A run the daemon no longer keeps (or never had) is a 404 that says so.
  const auto gone = Curl("GET", base + "/api/v1/drills/bad/record?run=1");
  EXPECT_EQ(gone.first, 404);
  EXPECT_NE(gone.second.find("keeps the last finished run of each drill"), std::string::npos) << gone.second;
  EXPECT_EQ(Curl("GET", base + "/api/v1/drills/bad/record?run=x").first, 400);

  auto dry = RunProcess({kSonde, "drill", "-c", config, "ok", "--daemon", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 2);
  EXPECT_NE(dry.err.find("cannot be combined with --dry-run"), std::string::npos) << dry.err;
  daemon.Signal(SIGTERM);
  ASSERT_TRUE(daemon.Wait(10s));
}

// A partition over a link the proxy lacks is refused by `sonde check`, by
// --dry-run and by the drill itself before anything is touched (the pause
// that comes first in the drill never happens).
TEST_F(DrillCli, ALinkTheProxyLacksIsRefusedBeforeAnyAction) {
  std::string proxy_url;
  auto proxy = StartProxy({"svc_to_peer"}, proxy_url);
  ASSERT_TRUE(proxy);
  const std::string api_url = proxy_url;

  const std::string config =
      Config("[chaos]\nproxy_api = \"" + api_url +
             "\"\n[chaos.targets.peer]\nurl = \"http://127.0.0.1:9\"\n"
             "[drill.split]\njourneys = [\"ping\"]\narmed = true\n"
             "steady_state = { duration = \"500ms\" }\n"
             "[[drill.split.fault]]\nname = \"freeze\"\nkind = \"pause\"\ntarget = \"svc\"\n"
             "duration = \"2s\"\n"
             "[[drill.split.fault]]\nname = \"cut\"\nkind = \"partition\"\nat = \"1s\"\n"
             "groups = [[\"svc\"], [\"peer\"]]\nduration = \"1s\"\n");
  const std::string missing =
      "needs link peer_to_svc, which the proxy at " + api_url + " does not have";
  auto check = RunProcess({kSonde, "check", "-c", config});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  EXPECT_NE(check.out.find("error: fault \"split.cut\" " + missing), std::string::npos) << check.out;

  auto dry = RunProcess({kSonde, "drill", "-c", config, "split", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 2) << dry.err;
  EXPECT_NE(dry.err.find("would refuse: fault \"cut\" " + missing), std::string::npos) << dry.err;

  auto run = RunProcess({kSonde, "drill", "-c", config, "split", "--junit", tmp_ / "split.xml"}, 30s);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("drill split: aborted (fault \"cut\" " + missing + "; nothing was injected)"),
            std::string::npos)
      << run.err;
  EXPECT_NE(State(), 'T');  // the pause never happened
  EXPECT_EQ(Curl("GET", api_url + "/proxies/svc_to_peer/toxics").second, "[]\n");

  // With the link added at the proxy, the same config checks.
  const uint16_t link2 = testing::UnusedLoopbackPort();
  auto added = RunProcess({"/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X",
                          "POST", "-d",
                          "{\"name\": \"peer_to_svc\", \"listen\": \"127.0.0.1:" +
                              std::to_string(link2) + "\", \"upstream\": \"127.0.0.1:9\"}",
                          api_url + "/proxies"});
  ASSERT_EQ(added.out, "201") << added.err;
  auto again = RunProcess({kSonde, "check", "-c", config});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  proxy->Signal(SIGTERM);
  ASSERT_TRUE(proxy->Wait(5s));
}

// kill -9 of sonde while a drill holds a pause and a partition at a real
// fault proxy: both stay broken until `sonde heal`, which resumes the
// process and removes every toxic.
TEST_F(DrillCli, KillDashNineHoldingAPauseAndAPartitionIsHealedWhole) {
  std::string proxy_url;
  auto proxy = StartProxy({"svc_to_peer", "peer_to_svc"}, proxy_url);
  ASSERT_TRUE(proxy);
  const std::string api_url = proxy_url;

  const std::string config =
      Config("[chaos]\nproxy_api = \"" + api_url +
             "\"\n[chaos.targets.peer]\nurl = \"http://127.0.0.1:9\"\n"
             "[drill.both]\njourneys = [\"ping\"]\nsteady_state = { duration = \"500ms\" }\n"
             "[[drill.both.fault]]\nname = \"freeze\"\nkind = \"pause\"\ntarget = "
             "\"svc\"\nduration = \"60s\"\n"
             "[[drill.both.fault]]\nname = \"split\"\nkind = \"partition\"\n"
             "groups = [[\"svc\"], [\"peer\"]]\nduration = \"60s\"\n");
  {
    Subprocess drill({kSonde, "drill", "-c", config, "both", "--arm"});
    ASSERT_TRUE(WaitForState(true, 10s)) << drill.StderrSoFar();
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < give_up &&
           Curl("GET", api_url + "/proxies/peer_to_svc/toxics").second.find("sonde_split") ==
               std::string::npos) {
      std::this_thread::sleep_for(50ms);
    }
    ASSERT_NE(Curl("GET", api_url + "/proxies/peer_to_svc/toxics").second.find("sonde_split"),
              std::string::npos);
    drill.Signal(SIGKILL);
    ASSERT_TRUE(drill.Wait(5s));
  }
  EXPECT_EQ(State(), 'T');
  auto toxics = Curl("GET", api_url + "/proxies/svc_to_peer/toxics");
  EXPECT_NE(toxics.second.find("sonde_split_upstream"), std::string::npos) << toxics.second;
  EXPECT_NE(toxics.second.find("sonde_split_downstream"), std::string::npos) << toxics.second;

  auto healed = RunProcess({kSonde, "heal", "-c", config});
  EXPECT_EQ(healed.exit_code, 0) << healed.out << healed.err;
  EXPECT_TRUE(WaitForState(false, 2s));
  for (const char* link : {"svc_to_peer", "peer_to_svc"}) {
    EXPECT_EQ(Curl("GET", api_url + "/proxies/" + link + "/toxics").second, "[]\n") << link;
  }
  proxy->Signal(SIGTERM);
  auto p = proxy->Wait(5s);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->exit_code, 0);
}

std::string Schedule(const std::string& flag, uint16_t admin) {
  return "[service]\nlisten = \"127.0.0.1:" + std::to_string(admin) +
         "\"\n[store]\ndir = \"data\"\n"
         "[slo.ping_availability]\njourney = \"ping\"\nobjective = 50\nwindow = \"1h\"\n"
         "[chaos.schedule]\narmed = true\nevery = \"1s\"\nslo = \"ping_availability\"\nmin_budget_remaining = "
         "0.5\n"
         "abort_burn_rate = 1.5\nburn_window = \"2s\"\n[[chaos.schedule.fault]]\nname = \"break\"\n"
         "kind = \"exec\"\ntarget = \"svc\"\nduration = \"20s\"\ncommand = \"touch '" +
         flag + "'\"\nrevert_command = \"rm -f '" + flag + "'\"\n";
}

TEST_F(DrillCli, ScheduledChaosRevertsEarlyWhenTheSloBurnsFast) {
  const uint16_t admin = testing::UnusedLoopbackPort();
  const std::string config = Config(Schedule(flag_, admin));
  Subprocess daemon({kSonde, "run", "-c", config});
  // A fault is due within 1.5 s; it breaks every run; at a burn rate of 2
  // (all bad, budget 50 %) it is reverted long before its 20 s.
  const auto give_up = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < give_up &&
         daemon.StderrSoFar().find("reverted break early") == std::string::npos) {
    std::this_thread::sleep_for(100ms);
  }
  daemon.Signal(SIGTERM);
  auto r = daemon.Wait(10s);
  ASSERT_TRUE(r);
  const std::string log = r->out + r->err;
  EXPECT_NE(log.find("chaos schedule: injected break"), std::string::npos) << log;
  EXPECT_TRUE(std::regex_search(
      log, std::regex("reverted break early: burn rate [0-9.]+ over 2s is above 1.5")))
      << log;
  EXPECT_FALSE(std::filesystem::exists(flag_));
}

TEST_F(DrillCli, ScheduledChaosWaitsWhileTheErrorBudgetIsSpent) {
  std::ofstream(flag_) << "";  // every run fails from the start: no budget left
  const uint16_t admin = testing::UnusedLoopbackPort();
  const std::string config = Config(Schedule(flag_, admin));
  Subprocess daemon({kSonde, "run", "-c", config});
  const auto give_up = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < give_up &&
         daemon.StderrSoFar().find("of its error budget left") == std::string::npos) {
    std::this_thread::sleep_for(100ms);
  }
  std::this_thread::sleep_for(2s);
  daemon.Signal(SIGTERM);
  auto r = daemon.Wait(10s);
  ASSERT_TRUE(r);
  const std::string log = r->out + r->err;
  EXPECT_NE(
      log.find("no fault: ping_availability has -100.0% of its error budget left, below 50.0%"),
      std::string::npos)
      << log;
  EXPECT_EQ(log.find("chaos schedule: injected"), std::string::npos) << log;
}

}  // namespace
}  // namespace sonde
