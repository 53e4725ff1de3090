// Faults on real processes, the journal, and heal: a paused process is
// resumed by `sonde heal` run as a separate process (as after a crash) and
// by the next `sonde run`; a recycled PID is never signalled; an undeclared
// target is refused before anything happens; kill restarts through the
// target's command; exec reverts; a failed inject is undone at once.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "chaos/injector.h"
#include "chaos/process.h"
#include "chaos/revert.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace sonde::chaos {
namespace {

using namespace std::chrono_literals;
using sonde::testing::RunProcess;
using sonde::testing::Subprocess;

constexpr const char* kSonde = SONDE_BINARY;

// A `sleep` whose PID is in `pidfile` (sh execs into it, keeping its PID).
std::unique_ptr<Subprocess> StartSleeper(const std::string& pidfile) {
  auto p = std::make_unique<Subprocess>(std::vector<std::string>{
      "/bin/sh", "-c", "echo $$ > '" + pidfile + "'; exec sleep 30"});
  for (int i = 0; i < 200 && !std::filesystem::exists(pidfile); ++i) std::this_thread::sleep_for(5ms);
  std::this_thread::sleep_for(20ms);  // the exec
  return p;
}

char StateOf(const std::string& pidfile) {
  auto h = ProcessHandle::FromPidfile(pidfile);
  return std::holds_alternative<ProcessHandle>(h) ? std::get<ProcessHandle>(h).State() : 0;
}

bool WaitForState(const std::string& pidfile, auto pred, std::chrono::milliseconds within) {
  const auto give_up = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < give_up) {
    if (pred(StateOf(pidfile))) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

ChaosConfig Targets(const std::string& pidfile, const std::string& restart = "") {
  ChaosConfig c;
  ChaosTarget t;
  t.name = "svc";
  t.pidfile = pidfile;
  t.restart = restart;
  c.targets["svc"] = t;
  return c;
}

FaultSpec Spec(FaultKind kind, std::string target = "svc") {
  return FaultSpec{std::string(FaultKindName(kind)) + "_svc", std::move(target), std::move(kind)};
}

TEST(Chaos, APauseLeftByACrashIsResumedBySondeHeal) {
  TempDir tmp("sonde-chaos");
  const std::string pidfile = tmp / "svc.pid";
  auto sleeper = StartSleeper(pidfile);
  const ChaosConfig chaos = Targets(pidfile);
  Journal journal(tmp / "chaos.journal");
  {
    FaultSession session(journal, "drill1");
    Planned plan = PlanFault(Spec(PauseFault{}), chaos);
    ASSERT_TRUE(std::holds_alternative<FaultAction>(plan)) << std::get<std::string>(plan);
    auto id = session.Inject(Spec(PauseFault{}), std::get<FaultAction>(plan));
    ASSERT_EQ(id.index(), 0u) << std::get<1>(id);
    ASSERT_TRUE(WaitForState(pidfile, [](char s) { return s == 'T'; }, 2s));
    // The session ends without reverting: a crash, as far as the journal knows.
  }
  ASSERT_EQ(journal.Outstanding(nullptr).size(), 1u);
  // Another process heals it.
  const std::string config = tmp / "sonde.toml";
  std::ofstream(config) << "[chaos]\njournal = \"chaos.journal\"\n[chaos.targets.svc]\npidfile = \""
                        << pidfile << "\"\n";
  auto healed = RunProcess({kSonde, "heal", "-c", config});
  EXPECT_EQ(healed.exit_code, 0) << healed.err;
  EXPECT_NE(healed.err.find("reverted drill1/pause_svc (pause on svc)"), std::string::npos)
      << healed.err;
  EXPECT_TRUE(WaitForState(pidfile, [](char s) { return s != 'T' && s != 0; }, 2s));
  EXPECT_TRUE(journal.Outstanding(nullptr).empty());
  // Healing again has nothing to do.
  auto again = RunProcess({kSonde, "heal", "-c", config});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find("nothing to revert"), std::string::npos) << again.err;
}

TEST(Chaos, SondeRunHealsAtStart) {
  TempDir tmp("sonde-chaos-run");
  const std::string pidfile = tmp / "svc.pid";
  auto sleeper = StartSleeper(pidfile);
  Journal journal(tmp / "sonde-chaos.journal");  // the default name, beside the config
  {
    FaultSession session(journal, "");
    Planned plan = PlanFault(Spec(PauseFault{}), Targets(pidfile));
    ASSERT_TRUE(std::holds_alternative<FaultAction>(plan));
    ASSERT_EQ(session.Inject(Spec(PauseFault{}), std::get<FaultAction>(plan)).index(), 0u);
  }
  ASSERT_TRUE(WaitForState(pidfile, [](char s) { return s == 'T'; }, 2s));
  const std::string config = tmp / "sonde.toml";
  const uint16_t admin = sonde::testing::UnusedLoopbackPort();
  std::ofstream(config) << "[service]\nlisten = \"127.0.0.1:" << admin << "\"\n";
  Subprocess daemon({kSonde, "run", "-c", config});
  EXPECT_TRUE(WaitForState(pidfile, [](char s) { return s != 'T' && s != 0; }, 5s))
      << daemon.StderrSoFar();
  // SIGTERM only once the daemon handles it (it heals before anything else).
  for (int i = 0; i < 250 && daemon.StderrSoFar().find("serving") == std::string::npos; ++i) {
    std::this_thread::sleep_for(20ms);
  }
  daemon.Signal(SIGTERM);
  auto r = daemon.Wait(5s);
  ASSERT_TRUE(r);
  EXPECT_NE((r->err + r->out).find("heal: reverted pause_svc"), std::string::npos)
      << r->out << r->err;
}

TEST(Chaos, UndeclaredTargetsAreRefusedBeforeAnything) {
  TempDir tmp("sonde-chaos-refuse");
  const std::string pidfile = tmp / "svc.pid";
  auto sleeper = StartSleeper(pidfile);
  Journal journal(tmp / "chaos.journal");
  Planned plan = PlanFault(Spec(KillFault{}, "db"), Targets(pidfile));
  ASSERT_TRUE(std::holds_alternative<std::string>(plan));
  EXPECT_NE(std::get<std::string>(plan).find(
                "target \"db\" is not declared under [chaos.targets] (declared: svc)"),
            std::string::npos)
      << std::get<std::string>(plan);
  EXPECT_EQ(StateOf(pidfile), 'S');
  // Nothing planned, so nothing journaled: there is no revert to run.
  EXPECT_TRUE(journal.Outstanding(nullptr).empty());
  EXPECT_TRUE(Heal(journal).reverted.empty());
}

TEST(Chaos, ARecycledPidIsNeverSignalled) {
  TempDir tmp("sonde-chaos-pid");
  const std::string pidfile = tmp / "svc.pid";
  auto sleeper = StartSleeper(pidfile);
  auto handle = ProcessHandle::FromPidfile(pidfile);
  ASSERT_TRUE(std::holds_alternative<ProcessHandle>(handle));
  const ProcessIdentity id = std::get<ProcessHandle>(handle).identity();
  ASSERT_FALSE(std::get<ProcessHandle>(handle).Signal(SIGSTOP));
  ASSERT_TRUE(WaitForState(pidfile, [](char s) { return s == 'T'; }, 2s));
  // A journal naming the same PID with another start time: another process.
  const boost::json::object stranger{{"action", "signal"},
                                     {"pid", id.pid},
                                     {"start_time", id.start_time + 1},
                                     {"signal", SIGCONT}};
  EXPECT_FALSE(ExecuteRevert(stranger));  // nothing of ours to resume: done
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(StateOf(pidfile), 'T');
  auto other = ProcessHandle::FromIdentity({id.pid, id.start_time + 1});
  ASSERT_TRUE(std::holds_alternative<std::string>(other));
  EXPECT_NE(std::get<std::string>(other).find("now belongs to another process"), std::string::npos);
  ASSERT_FALSE(std::get<ProcessHandle>(handle).Signal(SIGCONT));
}

TEST(Chaos, KillSignalsThroughThePidfdAndRevertRestarts) {
  TempDir tmp("sonde-chaos-kill");
  const std::string pidfile = tmp / "svc.pid";
  auto sleeper = StartSleeper(pidfile);
  const std::string restarted = tmp / "restarted";
  Journal journal(tmp / "chaos.journal");
  FaultSession session(journal, "d");
  const ChaosConfig chaos = Targets(pidfile, "touch '" + restarted + "'");
  Planned plan = PlanFault(Spec(KillFault{}), chaos);
  ASSERT_TRUE(std::holds_alternative<FaultAction>(plan));
  EXPECT_NE(std::get<FaultAction>(plan).description.find("SIGKILL to svc (pid"), std::string::npos);
  auto id = session.Inject(Spec(KillFault{}), std::get<FaultAction>(plan));
  ASSERT_EQ(id.index(), 0u) << std::get<1>(id);
  auto r = sleeper->Wait(5s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->term_signal, SIGKILL);
  EXPECT_FALSE(std::filesystem::exists(restarted));
  EXPECT_FALSE(session.Revert(std::get<0>(id)));
  EXPECT_TRUE(std::filesystem::exists(restarted));
  EXPECT_TRUE(journal.Outstanding(nullptr).empty());
  // Killing a process that is gone: refused at planning, with the pidfile named.
  Planned gone = PlanFault(Spec(KillFault{}), chaos);
  ASSERT_TRUE(std::holds_alternative<std::string>(gone));
  EXPECT_NE(std::get<std::string>(gone).find("is not running"), std::string::npos)
      << std::get<std::string>(gone);
}

TEST(Chaos, ExecRevertsAndAFailedInjectIsUndoneAtOnce) {
  TempDir tmp("sonde-chaos-exec");
  Journal journal(tmp / "chaos.journal");
  FaultSession session(journal, "d");
  ChaosConfig chaos = Targets(tmp / "none.pid");
  const std::string marker = tmp / "broken";
  FaultSpec spec = Spec(ExecFault{.command = "touch '" + marker + "'",
                                  .revert_command = "rm -f '" + marker + "'"});
  Planned plan = PlanFault(spec, chaos);
  ASSERT_TRUE(std::holds_alternative<FaultAction>(plan));
  auto id = session.Inject(spec, std::get<FaultAction>(plan));
  ASSERT_EQ(id.index(), 0u);
  EXPECT_TRUE(std::filesystem::exists(marker));
  EXPECT_EQ(session.RevertAll().size(), 0u);
  EXPECT_FALSE(std::filesystem::exists(marker));

  // An inject that fails half-way: its revert runs before Inject returns.
  std::get<ExecFault>(spec.kind).command = "touch '" + marker + "'; echo broken pipe >&2; exit 3";
  plan = PlanFault(spec, chaos);
  auto failed = session.Inject(spec, std::get<FaultAction>(plan));
  ASSERT_EQ(failed.index(), 1u);
  EXPECT_NE(std::get<1>(failed).find("exited 3: broken pipe"), std::string::npos)
      << std::get<1>(failed);
  EXPECT_FALSE(std::filesystem::exists(marker));
  EXPECT_TRUE(journal.Outstanding(nullptr).empty());
  EXPECT_TRUE(session.held().empty());
}

TEST(Chaos, HttpFaultsAndAFailingRevertStaysInTheJournal) {
  TempDir tmp("sonde-chaos-http");
  sonde::testing::TestServer server;
  std::atomic<int> stalls{0};
  server.SetHandler([&](const sonde::testing::TestRequest& req) {
    sonde::testing::TestResponse res;
    if (req.target == "/stall") ++stalls;
    if (req.target == "/broken") res.status = 500;
    return res;
  });
  Journal journal(tmp / "chaos.journal");
  FaultSession session(journal, "d");
  FaultSpec spec = Spec(HttpFault{.inject = {"POST", server.base_url() + "/stall", "", "{}"},
                                  .revert = {"POST", server.base_url() + "/broken", "", ""}});
  Planned plan = PlanFault(spec, Targets(tmp / "x.pid"));
  ASSERT_TRUE(std::holds_alternative<FaultAction>(plan));
  auto id = session.Inject(spec, std::get<FaultAction>(plan));
  ASSERT_EQ(id.index(), 0u);
  EXPECT_EQ(stalls.load(), 1);
  auto why = session.Revert(std::get<0>(id));
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("HTTP 500"), std::string::npos) << *why;
  EXPECT_EQ(journal.Outstanding(nullptr).size(), 1u);  // kept for a later heal
  HealReport report = Heal(journal);
  EXPECT_EQ(report.failed.size(), 1u);
  EXPECT_EQ(journal.Outstanding(nullptr).size(), 1u);
  // The revert was tried twice: by the session, then by the heal.
  int broken = 0;
  for (const auto& req : server.requests()) broken += req.target == "/broken" ? 1 : 0;
  EXPECT_EQ(broken, 2);
}

TEST(Chaos, ATornLastJournalLineIsReportedAndIgnored) {
  TempDir tmp("sonde-chaos-torn");
  Journal journal(tmp / "chaos.journal");
  JournalEntry e{"abc", 1, "d", "f", "exec", "svc",
                 {{"action", "exec"}, {"command", "true"}}};
  ASSERT_FALSE(journal.RecordInject(e));
  std::ofstream(tmp / "chaos.journal", std::ios::app) << R"({"op":"rever)";
  std::vector<std::string> problems;
  EXPECT_EQ(journal.Outstanding(&problems).size(), 1u);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find(":2: torn last line"), std::string::npos) << problems[0];
  HealReport report = Heal(journal);
  EXPECT_EQ(report.reverted.size(), 1u);
  EXPECT_TRUE(journal.Outstanding(nullptr).empty());
}

}  // namespace
}  // namespace sonde::chaos
