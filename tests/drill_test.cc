// Drills without processes: parsing and its refusals, seeded target choice,
// and the verdict from recorded runs (both directions: a drill whose
// expectations should fail does fail, and says which).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <csignal>
#include <cstdlib>
#include <set>

#include "chaos/drill_plan.h"
#include "chaos/drill_verdict.h"
#include "config/loader.h"
#include "chaos/drill_record_json.h"
#include "chaos/drill_report.h"

namespace sonde::chaos {
namespace {

constexpr const char* kBase = R"(
[targets.t]
urls = ["http://127.0.0.1:1"]
[journey.tx]
interval = "1s"
timeout = "500ms"
targets = "t"
[[journey.tx.step]]
name = "get"
http = { path = "/" }
[chaos.targets.node1]
pidfile = "/tmp/none1.pid"
url = "http://127.0.0.1:2"
[chaos.targets.node2]
pidfile = "/tmp/none2.pid"
[chaos.targets.node3]
pidfile = "/tmp/none3.pid"
)";

LoadResult Load(const std::string& drills) {
  return LoadConfigString(std::string(kBase) + drills, "d.toml");
}

std::string Errors(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.errors) out += d.ToString() + "\n";
  return out;
}

TEST(DrillConfig, ParsesAFullDrill) {
  auto r = Load(R"(
[drill.k]
journeys = ["tx"]
armed = true
seed = 5
steady_state = { duration = "10s", min_success = 0.95 }
abort_below = 0.1
recovery_timeout = "30s"
[[drill.k.fault]]
name = "kill"
kind = "kill"
targets = ["node1", "node2", "node3"]
pick = 2
at = "5s"
duration = "20s"
signal = "SIGTERM"
[[drill.k.fault]]
name = "hook"
kind = "http"
target = "node1"
request = { path = "/v1/admin/faults", body = "{}" }
revert_request = { method = "DELETE", url = "http://127.0.0.1:2/x" }
[[drill.k.expect]]
journey = "tx"
min_success = 0.9
max_p95 = "2s"
recover_within = "15s"
)");
  ASSERT_TRUE(r.ok()) << Errors(r);
  const DrillSpec& d = r.config->drills.at(0);
  EXPECT_TRUE(d.armed);
  EXPECT_EQ(d.seed, 5u);
  EXPECT_EQ(d.steady_duration, std::chrono::seconds(10));
  EXPECT_DOUBLE_EQ(d.steady_min_success, 0.95);
  EXPECT_DOUBLE_EQ(*d.abort_below, 0.1);
  EXPECT_EQ(d.recovery_timeout, std::chrono::seconds(30));
  ASSERT_EQ(d.faults.size(), 2u);
  EXPECT_EQ(std::get<KillFault>(d.faults[0].kind).signal, SIGTERM);
  EXPECT_EQ(d.faults[0].targets, (std::vector<std::string>{"node1", "node2", "node3"}));
  EXPECT_EQ(d.faults[0].at, std::chrono::seconds(5));
  EXPECT_EQ(d.faults[0].duration, std::chrono::seconds(20));
  const auto& hook = std::get<HttpFault>(d.faults[1].kind);
  EXPECT_EQ(hook.revert.url, "http://127.0.0.1:2/x");
  EXPECT_EQ(d.faults[0].pick, 2);
  EXPECT_EQ(hook.inject.path, "/v1/admin/faults");
  EXPECT_EQ(hook.inject.method, "POST");
  EXPECT_EQ(hook.revert.method, "DELETE");
  ASSERT_EQ(d.expect.size(), 1u);
  EXPECT_EQ(*d.expect[0].max_p95, std::chrono::seconds(2));
  EXPECT_DOUBLE_EQ(*d.expect[0].min_success, 0.9);
  EXPECT_EQ(*d.expect[0].recover_within, std::chrono::seconds(15));
}

TEST(DrillConfig, RefusesUndeclaredTargetsAndOtherMistakesWithPositions) {
  auto r = Load(R"(
[drill.k]
journeys = ["tz"]
[[drill.k.fault]]
name = "kill"
kind = "kill"
target = "node9"
pick = 3
signal = "SIGNOPE"
[[drill.k.expect]]
journey = "tx"
min_success = 90
[[drill.k.fault]]
name = "typo"
kind = "kil"
target = "node1"
)");
  ASSERT_FALSE(r.ok());
  const std::string e = Errors(r);
  EXPECT_NE(e.find("d.toml:20:12: drill.k: unknown journey \"tz\" (did you mean \"tx\"?)"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("unknown fault kind \"kil\" (kill, pause, exec, http, partition, latency, "
                   "bandwidth, blackhole, reset_peer, slicer, limit_data); did you mean \"kill\"?"),
            std::string::npos)
      << e;
  EXPECT_NE(
      e.find("target \"node9\" is not declared under [chaos.targets] (did you mean \"node1\"?)"),
      std::string::npos)
      << e;
  EXPECT_NE(e.find("\"pick\" must be 1..1"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown signal"), std::string::npos) << e;
  EXPECT_NE(e.find("\"min_success\" must be a ratio from 0 to 1"), std::string::npos) << e;
  EXPECT_NE(e.find("journey \"tx\" is not among the drill's \"journeys\""), std::string::npos) << e;
}

// Each kind reads its own keys: one that belongs to another kind is an
// error at its line and column, not a setting silently ignored.
TEST(DrillConfig, AKeyOfAnotherKindIsRefusedWhereItIsWritten) {
  const std::string drills = R"(
[drill.k]
journeys = ["tx"]
[[drill.k.fault]]
name = "kill"
kind = "kill"
target = "node1"
toxicity = 0.5
[[drill.k.fault]]
name = "split"
kind = "partition"
groups = [["node1"], ["node2"]]
signal = "SIGTERM"
[[drill.k.fault]]
name = "pause"
kind = "pause"
target = "node2"
comand = "true"
)";
  auto r = Load(drills);
  ASSERT_FALSE(r.ok());
  const std::string e = Errors(r);
  const std::string text = std::string(kBase) + drills;
  // "d.toml:LINE:1: ..." for the line on which `key` starts.
  auto at = [&](const std::string& key) {
    const size_t pos = text.find("\n" + key + " = ");
    return "d.toml:" + std::to_string(std::count(text.begin(), text.begin() + pos + 1, '\n') + 1) +
           ":1: ";
  };
  EXPECT_NE(e.find(at("toxicity") +
                   "drill.k.fault[0]: unknown key \"toxicity\" for a kill fault (its keys: name, "
                   "kind, at, duration, target, targets, pick, signal)"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find(at("signal") + "drill.k.fault[1]: unknown key \"signal\" for a partition fault"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find(at("comand") + "drill.k.fault[2]: unknown key \"comand\" for a pause fault"),
            std::string::npos)
      << e;
  // The same keys where they belong load.
  auto ok = Load(R"(
[drill.k]
journeys = ["tx"]
armed = true
[[drill.k.fault]]
name = "kill"
kind = "kill"
target = "node1"
signal = "SIGTERM"
[[drill.k.fault]]
name = "run"
kind = "exec"
target = "node2"
command = "true"
revert_command = "true"
)");
  EXPECT_TRUE(ok.ok()) << Errors(ok);
}

TEST(DrillConfig, PartitionsAndLinkFaultsNeedTheProxyAndDeclaredEnds) {
  auto missing = Load(R"(
[drill.p]
journeys = ["tx"]
[[drill.p.fault]]
name = "split"
kind = "partition"
groups = [["node1"], ["node2", "node3"]]
[[drill.p.fault]]
name = "slow"
kind = "latency"
links = ["node1_to_node3", "node1_to_db"]
attributes = { latency = 300 }
)");
  ASSERT_FALSE(missing.ok());
  const std::string e = Errors(missing);
  EXPECT_NE(e.find("a partition fault needs [chaos] proxy_api"), std::string::npos) << e;
  EXPECT_NE(
      e.find("link \"node1_to_db\" must be \"A_to_B\" with A and B declared under [chaos.targets]"),
      std::string::npos)
      << e;
  auto ok = LoadConfigString(std::string(kBase) + R"(
[drill.p]
journeys = ["tx"]
[[drill.p.fault]]
name = "split"
kind = "partition"
groups = [["node1"], ["node2", "node3"]]
[[drill.p.fault]]
name = "slow"
kind = "latency"
links = ["node1_to_node3"]
stream = "downstream"
toxicity = 0.5
attributes = { latency = 300, jitter = 50 }
)" + "\n[chaos]\nproxy_api = \"http://127.0.0.1:8474\"\n",
                             "d.toml");
  ASSERT_TRUE(ok.ok()) << Errors(ok);
  const DrillPlan plan = PlanDrill(ok.config->drills.at(0), 1);
  ASSERT_EQ(plan.faults.size(), 2u);
  EXPECT_TRUE(plan.destructive);
  EXPECT_EQ(std::get<PartitionFault>(plan.faults[0].spec.kind).groups.size(), 2u);
  const auto& slow = std::get<LinkFault>(plan.faults[1].spec.kind);
  EXPECT_EQ(slow.toxic, LinkFault::Toxic::kLatency);
  EXPECT_EQ(slow.attributes.at("jitter"), 50);
  EXPECT_EQ(slow.stream, LinkFault::Stream::kDownstream);
  EXPECT_EQ(slow.toxicity, 0.5);
  // Both plan without touching anything: the proxy is only called on inject.
  for (const PlannedFault& f : plan.faults) {
    Planned p = PlanFault(f.spec, ok.config->chaos);
    ASSERT_TRUE(std::holds_alternative<FaultAction>(p)) << std::get<std::string>(p);
  }
  EXPECT_NE(std::get<FaultAction>(PlanFault(plan.faults[0].spec, ok.config->chaos))
                .description.find("partition node1 | node2,node3 (4 links cut"),
            std::string::npos);
}

TEST(DrillPlan, NamedPartitionShapes) {
  std::string text = std::string(kBase);
  text.replace(text.find("[chaos.targets.node1]"), 0,
               "[chaos]\nproxy_api = "
               "\"http://127.0.0.1:8474\"\n[chaos.targets.node4]\n[chaos.targets.node5]\n");
  // One partition fault per shape, over all five nodes, in this order.
  std::string drill = "[drill.s]\njourneys = [\"tx\"]\n";
  for (const char* shape : {"isolate", "majority_minority", "bridge", "ring"}) {
    drill += "[[drill.s.fault]]\nname = \"" + std::string(shape) +
             "\"\nkind = \"partition\"\nshape = \"" + shape +
             "\"\ntargets = [\"node1\", \"node2\", \"node3\", \"node4\", \"node5\"]\n";
  }
  auto r = LoadConfigString(text + drill, "d.toml");
  ASSERT_TRUE(r.ok()) << Errors(r);
  const ChaosConfig& chaos = r.config->chaos;
  for (uint64_t seed : {1u, 2u, 3u}) {
    const DrillPlan plan = PlanDrill(r.config->drills.at(0), seed);
    ASSERT_EQ(plan.faults.size(), 4u);
    auto partition = [&](size_t i) -> const PartitionFault& {
      return std::get<PartitionFault>(plan.faults[i].spec.kind);
    };
    auto cuts = [&](size_t i) { return std::get<0>(PartitionCuts("f", partition(i), chaos)); };
    // isolate: one node alone, cut both ways from the other four.
    EXPECT_EQ(partition(0).groups.at(0).size(), 1u);
    EXPECT_EQ(cuts(0).size(), 8u);
    // majority/minority: 3 | 2.
    EXPECT_EQ(partition(1).groups.at(0).size(), 3u);
    EXPECT_EQ(partition(1).groups.at(1).size(), 2u);
    EXPECT_EQ(cuts(1).size(), 12u);
    // bridge: 2 | 2 cut apart, the fifth linked to all.
    EXPECT_EQ(partition(2).groups.at(0).size() + partition(2).groups.at(1).size(),
              4u);
    EXPECT_EQ(cuts(2).size(), 8u);
    // ring of 5: each node keeps its two neighbours, loses the other two.
    EXPECT_EQ(cuts(3).size(), 10u);
    // Every cut pair is two steps apart on the ring node1..node5.
    for (const auto& [a, b] : cuts(3)) {
      const int d = std::abs((a.back() - '0') - (b.back() - '0'));
      EXPECT_EQ(std::min(d, 5 - d), 2) << a << " -> " << b;
    }
  }
  // The seed chooses which node is isolated.
  std::set<std::string> isolated;
  for (uint64_t seed = 0; seed < 40; ++seed) {
    isolated.insert(std::get<PartitionFault>(PlanDrill(r.config->drills.at(0), seed).faults[0].spec.kind)
                        .groups.at(0)
                        .at(0));
  }
  EXPECT_EQ(isolated.size(), 5u);
  auto small = LoadConfigString(text + R"(
[drill.s]
journeys = ["tx"]
[[drill.s.fault]]
name = "ring"
kind = "partition"
shape = "ring"
targets = ["node1", "node2", "node3"]
)",
                                "d.toml");
  ASSERT_FALSE(small.ok());
  EXPECT_NE(Errors(small).find("shape \"ring\" needs at least 4 targets"), std::string::npos)
      << Errors(small);
}

TEST(DrillPlan, TheSeedChoosesTheTargetsAndReplays) {
  auto r = Load(R"(
[drill.k]
journeys = ["tx"]
[[drill.k.fault]]
name = "kill"
kind = "kill"
targets = ["node1", "node2", "node3"]
pick = 1
duration = "10s"
[[drill.k.fault]]
name = "later"
kind = "pause"
targets = ["node1", "node2"]
at = "5s"
duration = "20s"
)");
  ASSERT_TRUE(r.ok()) << Errors(r);
  const DrillSpec& d = r.config->drills.at(0);
  std::set<std::string> chosen;
  for (uint64_t seed = 0; seed < 40; ++seed) {
    const DrillPlan a = PlanDrill(d, seed);
    const DrillPlan b = PlanDrill(d, seed);
    ASSERT_EQ(a.faults.size(), 3u);  // one picked + both of the second
    EXPECT_EQ(a.faults[0].spec.target, b.faults[0].spec.target);
    chosen.insert(a.faults[0].spec.target);
    EXPECT_TRUE(a.destructive);
    EXPECT_EQ(a.hold, std::chrono::seconds(25));
    EXPECT_EQ(a.faults[1].spec.name, "later@node1");
  }
  EXPECT_EQ(chosen.size(), 3u);  // every target gets its turn over 40 seeds
}

DrillRun MakeRun(const std::string& journey, int64_t start_s, Outcome o, int64_t dur_ms = 100,
                 const std::string& target = "t") {
  return {journey, target, start_s * 1'000'000, start_s * 1'000'000 + dur_ms * 1000, o, Reason::kNone, ""};
}

DrillExpectation Expect(const std::string& journey, std::optional<double> min_success,
                        std::optional<Duration> max_p95, std::optional<Duration> recover_within) {
  DrillExpectation x;
  x.journey = journey;
  x.min_success = min_success;
  x.max_p95 = max_p95;
  x.recover_within = recover_within;
  return x;
}

// `exec` runs whatever command the config names: like kill and partition,
// it needs the drill armed. Requests and toxics that only slow things do not.
TEST(DrillPlan, ExecFaultsNeedArming) {
  const std::pair<const char*, bool> kinds[] = {{"exec", true},       {"kill", true},
                                                {"partition", true},  {"http", false},
                                                {"latency", false},   {"blackhole", true}};
  for (const auto& [kind, destructive] : kinds) {
    DrillSpec spec;
    spec.name = "d";
    DrillFault f;
    f.name = "f";
    f.kind = *FaultKindNamed(kind);
    f.targets = {"svc"};
    spec.faults.push_back(f);
    EXPECT_EQ(PlanDrill(spec, 1).destructive, destructive) << kind;
  }
}

TEST(DrillVerdict, PassesFailsAndNamesTheExpectation) {
  DrillSpec spec;
  spec.name = "d";
  spec.journeys = {"tx"};
  spec.expect.push_back(Expect("tx", 0.75, std::chrono::seconds(1), std::chrono::seconds(5)));
  DrillRecord r;
  r.drill = "d";
  r.started_us = 0;
  r.hold_start_us = 10'000'000;
  r.hold_end_us = 20'000'000;
  r.faults.push_back({"kill", "kill", "node3", "SIGKILL", 10'000'000, 20'000'000, {}, {}, "", {}});
  for (int s = 0; s < 10; ++s) r.runs.push_back(MakeRun("tx", s, Outcome::kSuccess));
  // Started while the faults hold: 8 runs, 2 failed (75 %), the slowest 900 ms.
  // A run started before the inject, ending after it, does not count.
  r.runs.push_back({"tx", "t", 9'950'000, 10'050'000, Outcome::kSuccess, Reason::kNone, ""});
  for (int s = 10; s < 18; ++s) {
    r.runs.push_back(
        MakeRun("tx", s, s < 12 ? Outcome::kFailed : Outcome::kSuccess, s == 17 ? 900 : 100));
  }
  r.runs.push_back(MakeRun("tx", 20, Outcome::kFailed));
  r.runs.push_back(MakeRun("tx", 23, Outcome::kSuccess));  // recovered 3.1 s after the revert
  DrillRecord pass = r;
  JudgeDrill(spec, pass);
  ASSERT_EQ(pass.checks.size(), 3u);
  EXPECT_EQ(pass.checks[0].observed, "75.000% (6 of 8 runs)");
  EXPECT_EQ(pass.checks[1].observed, "900.0 ms over 8 runs");
  EXPECT_EQ(pass.checks[2].observed, "3.100 s after the last revert");
  for (const DrillCheck& c : pass.checks) EXPECT_TRUE(c.passed) << c.name << ": " << c.observed;
  EXPECT_EQ(pass.faults[0].detect_us, 10'100'000);
  EXPECT_EQ(pass.faults[0].recovered_us, 23'100'000);
  EXPECT_EQ(pass.verdict, DrillVerdict::kPass);
  EXPECT_EQ(DrillExitCode(pass), 0);

  // Stricter expectations on the same runs: every one fails, each named.
  spec.expect[0] = Expect("tx", 0.8, std::chrono::milliseconds(500), std::chrono::seconds(3));
  DrillRecord fail = r;
  JudgeDrill(spec, fail);
  ASSERT_EQ(fail.checks.size(), 3u);
  for (const DrillCheck& c : fail.checks) EXPECT_FALSE(c.passed) << c.name;
  EXPECT_EQ(fail.verdict, DrillVerdict::kFail);
  EXPECT_EQ(DrillExitCode(fail), 1);
  const std::string junit = RenderDrillJUnit(fail);
  EXPECT_NE(junit.find("failures=\"3\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("<failure message=\"tx @ t: min_success expected ≥ 80.000%, observed 75.000% (6 "
                       "of 8 runs)\"/>"),
            std::string::npos)
      << junit;

  // No runs at all while the faults held: a failure, not a pass by default.
  DrillRecord empty = r;
  empty.runs.clear();
  JudgeDrill(spec, empty);
  ASSERT_FALSE(empty.checks.empty());
  EXPECT_EQ(empty.checks[0].observed, "no runs started while the faults held");
  EXPECT_EQ(empty.verdict, DrillVerdict::kFail);

  // An aborted drill stays aborted, and JUnit reports it as an error.
  DrillRecord aborted = r;
  aborted.verdict = DrillVerdict::kAborted;
  aborted.why = "abort floor: tx at 10.000%";
  JudgeDrill(spec, aborted);
  EXPECT_EQ(aborted.verdict, DrillVerdict::kAborted);
  EXPECT_EQ(DrillExitCode(aborted), 2);
  EXPECT_NE(RenderDrillJUnit(aborted).find("<error message=\"abort floor: tx at 10.000%\"/>"),
            std::string::npos);
}

// One journey over three targets; a kill of b from 10 s to 20 s (reverted
// at 19.5 s, before the hold's end at 20 s). a never fails; b fails from
// 11 s and is back at 21 s; c fails from 15 s (a fault b's loss caused)
// and is back only at 30 s.
DrillRecord ThreeTargets() {
  DrillRecord r;
  r.drill = "d";
  r.hold_start_us = 10'000'000;
  r.hold_end_us = 20'000'000;
  r.faults.push_back({"kill_b", "kill", "b", "SIGKILL", 10'000'000, 19'500'000, {}, {}, "", {}});
  for (int s = 0; s < 32; ++s) {
    r.runs.push_back(MakeRun("tx", s, Outcome::kSuccess, 100, "a"));
    r.runs.push_back(MakeRun("tx", s, s >= 11 && s < 21 ? Outcome::kFailed : Outcome::kSuccess, 100, "b"));
    r.runs.push_back(MakeRun("tx", s, s >= 15 && s < 30 ? Outcome::kFailed : Outcome::kSuccess, 100, "c"));
  }
  r.ended_us = 32'000'000;
  return r;
}

// A target whose every run ended infra_error (sonde's side: out of
// descriptors, a wallet floor) says nothing about the network: the drill's
// recovery does not wait for it.
TEST(DrillVerdict, RecoveryDoesNotWaitForATargetOnlySeenAsInfraError) {
  DrillSpec spec;
  spec.journeys = {"tx"};
  DrillRecord r = ThreeTargets();
  for (int s = 0; s < 32; ++s) r.runs.push_back(MakeRun("tx", s, Outcome::kInfraError, 100, "d"));
  JudgeDrill(spec, r);
  EXPECT_EQ(r.recovered_us, 30'100'000);  // when c came back, as without d
  // One run of d that the network answered, and failed: now it is waited for.
  r.runs.push_back(MakeRun("tx", 12, Outcome::kFailed, 100, "d"));
  JudgeDrill(spec, r);
  EXPECT_EQ(r.recovered_us, std::nullopt);
}

TEST(DrillVerdict, RecoveryIsJudgedForEachTargetFromTheActualRevert) {
  DrillSpec spec;
  spec.journeys = {"tx"};
  spec.expect.push_back(Expect("tx", std::nullopt, std::nullopt, std::chrono::seconds(3)));
  DrillRecord r = ThreeTargets();
  JudgeDrill(spec, r);
  ASSERT_EQ(r.checks.size(), 3u);
  EXPECT_EQ(r.checks[0].target, "a");
  EXPECT_TRUE(r.checks[0].passed) << r.checks[0].observed;
  EXPECT_EQ(r.checks[0].observed, "0.600 s after the last revert");  // the run started at 20 s
  EXPECT_EQ(r.checks[1].target, "b");
  EXPECT_TRUE(r.checks[1].passed) << r.checks[1].observed;
  EXPECT_EQ(r.checks[1].observed, "1.600 s after the last revert");
  EXPECT_EQ(r.checks[2].target, "c");
  EXPECT_FALSE(r.checks[2].passed);
  EXPECT_EQ(r.checks[2].observed, "10.600 s after the last revert");
  EXPECT_EQ(r.verdict, DrillVerdict::kFail);
  EXPECT_EQ(r.last_revert_us, 19'500'000);
  EXPECT_EQ(r.recovered_us, 30'100'000);
  EXPECT_NE(RenderDrillJUnit(r).find("<failure message=\"tx @ c: recover_within expected ≤ 3s"),
            std::string::npos)
      << RenderDrillJUnit(r);

  // The fault: detected at b's first failure; it affected b and c, not a;
  // recovered when both are back.
  EXPECT_EQ(r.faults[0].detect_us, 11'100'000);
  EXPECT_EQ(r.faults[0].affected, (std::vector<std::string>{"tx @ b", "tx @ c"}));
  EXPECT_EQ(r.faults[0].recovered_us, 30'100'000);
  const std::string md = RenderDrillMarkdown(r);
  EXPECT_NE(md.find("| tx @ b, tx @ c |"), std::string::npos) << md;

  // Pooled, as before: any target's success is a recovery.
  spec.expect[0].pooled = true;
  DrillRecord pooled = ThreeTargets();
  JudgeDrill(spec, pooled);
  ASSERT_EQ(pooled.checks.size(), 1u);
  EXPECT_EQ(pooled.checks[0].target, "");
  EXPECT_TRUE(pooled.checks[0].passed);
  EXPECT_EQ(pooled.verdict, DrillVerdict::kPass);
}

TEST(DrillVerdict, AFaultsRecoveryCountsOnlyWhatItAffected) {
  DrillSpec spec;
  spec.journeys = {"tx", "read"};
  DrillRecord r;
  r.hold_start_us = 10'000'000;
  r.hold_end_us = 20'000'000;
  // Two faults: one breaks tx on a (back 2 s after its revert), the other
  // breaks nothing. `read` never fails, and its first run after the
  // reverts comes late: it must not delay tx's recovery.
  r.faults.push_back({"f1", "kill", "a", "", 10'000'000, 14'000'000, {}, {}, "", {}});
  r.faults.push_back({"f2", "pause", "z", "", 15'000'000, 19'000'000, {}, {}, "", {}});
  for (int s = 0; s < 10; ++s) r.runs.push_back(MakeRun("tx", s, Outcome::kSuccess, 100, "a"));
  r.runs.push_back(MakeRun("tx", 11, Outcome::kFailed, 100, "a"));
  r.runs.push_back(MakeRun("tx", 13, Outcome::kFailed, 100, "a"));
  r.runs.push_back(MakeRun("tx", 16, Outcome::kSuccess, 100, "a"));
  r.runs.push_back(MakeRun("read", 5, Outcome::kSuccess, 100, "a"));
  r.runs.push_back(MakeRun("read", 40, Outcome::kSuccess, 100, "a"));
  r.ended_us = 41'000'000;
  JudgeDrill(spec, r);
  EXPECT_EQ(r.faults[0].affected, (std::vector<std::string>{"tx @ a"}));
  EXPECT_EQ(r.faults[0].recovered_us, 16'100'000);  // not read's 40 s
  EXPECT_TRUE(r.faults[1].affected.empty());
  EXPECT_EQ(r.faults[1].recovered_us, std::nullopt);
  EXPECT_EQ(r.faults[1].detect_us, std::nullopt);
  EXPECT_EQ(r.last_revert_us, 19'000'000);
}

TEST(DrillVerdict, MaxSuccessPassesWhenTheJourneyFailsAndFailsWhenItHolds) {
  DrillSpec spec;
  spec.journeys = {"tx"};
  DrillExpectation x;
  x.journey = "tx";
  x.max_success = 0.1;
  spec.expect.push_back(x);
  DrillRecord broken;
  broken.hold_start_us = 10'000'000;
  broken.hold_end_us = 20'000'000;
  broken.faults.push_back({"f", "kill", "a", "", 10'000'000, 20'000'000, {}, {}, "", {}});
  DrillRecord healthy = broken;
  for (int s = 10; s < 20; ++s) {
    broken.runs.push_back(MakeRun("tx", s, s == 10 ? Outcome::kSuccess : Outcome::kFailed));
    healthy.runs.push_back(MakeRun("tx", s, Outcome::kSuccess));
  }
  JudgeDrill(spec, broken);
  ASSERT_EQ(broken.checks.size(), 1u);
  EXPECT_EQ(broken.checks[0].name, "max_success");
  EXPECT_EQ(broken.checks[0].expected, "≤ 10.000%");
  EXPECT_EQ(broken.checks[0].observed, "10.000% (1 of 10 runs)");
  EXPECT_TRUE(broken.checks[0].passed);
  EXPECT_EQ(broken.verdict, DrillVerdict::kPass);
  JudgeDrill(spec, healthy);
  EXPECT_FALSE(healthy.checks[0].passed);
  EXPECT_EQ(healthy.verdict, DrillVerdict::kFail);
}

TEST(DrillVerdict, TheSettleWindowHasItsOwnExpectations) {
  DrillSpec spec;
  spec.journeys = {"tx"};
  spec.settle = std::chrono::seconds(10);
  DrillExpectation during;
  during.journey = "tx";
  during.min_success = 0.5;
  DrillExpectation settled = during;
  settled.during = DrillExpectation::Window::kSettle;
  settled.min_success = 1.0;
  spec.expect = {during, settled};
  DrillRecord r;
  r.hold_start_us = 10'000'000;
  r.hold_end_us = 20'000'000;
  r.settle_start_us = 22'000'000;
  r.settle_end_us = 32'000'000;
  r.faults.push_back({"f", "partition", "a", "", 10'000'000, 20'000'000, {}, {}, "", {}});
  // Healthy while the faults hold; after the heal, a re-election: 2 of the
  // 10 runs in the settle window time out.
  for (int s = 0; s < 32; ++s) {
    r.runs.push_back(MakeRun("tx", s, s == 25 || s == 26 ? Outcome::kFailed : Outcome::kSuccess));
  }
  JudgeDrill(spec, r);
  ASSERT_EQ(r.checks.size(), 2u);
  EXPECT_EQ(r.checks[0].name, "min_success");
  EXPECT_TRUE(r.checks[0].passed);
  EXPECT_EQ(r.checks[1].name, "settle.min_success");
  EXPECT_EQ(r.checks[1].observed, "80.000% (8 of 10 runs)");
  EXPECT_FALSE(r.checks[1].passed);
  EXPECT_EQ(r.verdict, DrillVerdict::kFail);

  // A drill that never reached its settle window fails that check, named.
  DrillRecord cut = r;
  cut.checks.clear();
  cut.verdict = DrillVerdict::kPending;
  cut.settle_start_us = cut.settle_end_us = 0;
  JudgeDrill(spec, cut);
  EXPECT_EQ(cut.checks[1].observed, "the drill ended before its settle window");
  EXPECT_FALSE(cut.checks[1].passed);
}

TEST(DrillConfig, ExpectationsNameTheirWindowPoolingAndBounds) {
  auto ok = Load(R"(
[drill.k]
journeys = ["tx"]
settle = "20s"
[[drill.k.fault]]
name = "kill"
kind = "kill"
target = "node1"
[[drill.k.expect]]
journey = "tx"
max_success = 0.1
pooled = true
[[drill.k.expect]]
journey = "tx"
during = "settle"
min_success = 1.0
)");
  ASSERT_TRUE(ok.ok()) << Errors(ok);
  const DrillSpec& d = ok.config->drills.at(0);
  EXPECT_EQ(d.settle, std::chrono::seconds(20));
  EXPECT_TRUE(d.expect[0].pooled);
  EXPECT_DOUBLE_EQ(*d.expect[0].max_success, 0.1);
  EXPECT_EQ(d.expect[0].during, DrillExpectation::Window::kFaults);
  EXPECT_EQ(d.expect[1].during, DrillExpectation::Window::kSettle);
  EXPECT_FALSE(d.expect[1].pooled);

  auto bad = Load(R"(
[drill.k]
journeys = ["tx"]
[[drill.k.fault]]
name = "kill"
kind = "kill"
target = "node1"
[[drill.k.expect]]
journey = "tx"
during = "after"
min_success = 0.5
[[drill.k.expect]]
journey = "tx"
during = "settle"
recover_within = "5s"
[[drill.k.expect]]
journey = "tx"
min_success = 0.9
max_success = 0.1
)");
  ASSERT_FALSE(bad.ok());
  const std::string e = Errors(bad);
  EXPECT_NE(e.find("d.toml:27:10: drill.k.expect[0]: \"during\" must be \"faults\" or \"settle\", not \"after\""),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("\"recover_within\" is judged after the faults, not in the settle window"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("drill \"k\" has none: give it settle = \"30s\""), std::string::npos) << e;
  EXPECT_NE(e.find("\"max_success\" is below \"min_success\""), std::string::npos) << e;
}

// What `sonde drill --daemon` writes its files from: the daemon's record
// as JSON, read back whole.
TEST(DrillRecordJson, EveryFieldRoundTripsAndABadFieldIsNamed) {
  DrillSpec spec;
  spec.journeys = {"tx"};
  spec.expect.push_back(Expect("tx", 0.5, std::nullopt, std::chrono::seconds(3)));
  DrillRecord r = ThreeTargets();
  r.drill = "d<&>";
  r.seed = 18'446'744'073'709'551'615ull;
  r.settle_start_us = 31'000'000;
  r.settle_end_us = 32'000'000;
  r.runs[5].reason = Reason::kTimeout;
  r.runs[5].failing_step = "confirm";
  JudgeDrill(spec, r);
  const boost::json::value v = DrillRecordToJson(r);
  std::string why;
  const auto back = DrillRecordFromJson(boost::json::parse(boost::json::serialize(v)), &why);
  ASSERT_TRUE(back) << why;
  EXPECT_EQ(boost::json::serialize(DrillRecordToJson(*back)), boost::json::serialize(v));
  EXPECT_EQ(RenderDrillJUnit(*back), RenderDrillJUnit(r));
  EXPECT_EQ(RenderDrillMarkdown(*back), RenderDrillMarkdown(r));
  EXPECT_EQ(RenderDrillHtml(*back), RenderDrillHtml(r));
  EXPECT_EQ(back->seed, r.seed);
  EXPECT_EQ(back->faults[0].affected, r.faults[0].affected);

  boost::json::value bad = v;
  bad.at("runs").as_array()[2].as_object()["outcome"] = "fine";
  EXPECT_FALSE(DrillRecordFromJson(bad, &why));
  EXPECT_EQ(why, "record.runs[2].outcome: not an outcome sonde knows");
  bad = v;
  bad.as_object().erase("hold_end_us");
  EXPECT_FALSE(DrillRecordFromJson(bad, &why));
  EXPECT_EQ(why, "record.hold_end_us: missing");
  bad = v;
  bad.at("faults").as_array()[0].as_object()["revert_us"] = "soon";
  EXPECT_FALSE(DrillRecordFromJson(bad, &why));
  EXPECT_EQ(why, "record.faults[0].revert_us: expected an integer");
}

}  // namespace
}  // namespace sonde::chaos
