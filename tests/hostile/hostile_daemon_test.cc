// The real `sonde run` with every hostile journey of the suite at once, plus
// one healthy journey against a well-behaved server, for about 20 seconds:
// the healthy journey must not notice its neighbours (every run a success),
// each hostile journey must end in its own reason every time, and the
// daemon's memory must stay bounded.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "tests/hostile/hostile_targets.h"
#include "tests/support/files.h"
#include "tests/support/eventually.h"
#include "tests/support/journey_harness.h"
#include "tests/support/prom_text.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::HostileCase;
using testing::HostileTargets;

constexpr auto kSoak = 20s;
constexpr auto kHealthyInterval = 250ms;
// A healthy run every 250 ms for 20 s is 80; allow for start-up and a busy
// machine, but not for runs going missing wholesale.
constexpr double kMinHealthyRuns = 50;
constexpr long kMaxRssKiB = 150 * 1024;

// A "VmRSS:" style field of /proc/PID/status, in KiB; 0 when unreadable.
long StatusKiB(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(field + ":")) {
      std::istringstream value(line.substr(field.size() + 1));
      long kib = 0;
      value >> kib;
      return kib;
    }
  }
  return 0;
}

std::string Config(uint16_t admin_port, const HostileTargets& targets,
                   const std::string& healthy_url) {
  std::string s = "[service]\nlisten = \"127.0.0.1:" + std::to_string(admin_port) + "\"\n";
  s += targets.TargetsToml();
  s += "[targets.healthy]\nurls = [\"" + healthy_url + "\"]\n";
  s += "[journey.healthy]\ninterval = \"" + std::to_string(kHealthyInterval.count()) +
       "ms\"\ntimeout = \"200ms\"\ntargets = \"healthy\"\n"
       "[[journey.healthy.step]]\nname = \"get\"\nhttp = { path = \"/ok\" }\n"
       "expect = { json = { \"/ok\" = true } }\n";
  for (const HostileCase& c : testing::HostileCases()) {
    s += HostileTargets::JourneyToml(c, c.timeout + 500ms);
  }
  return s;
}

double Sum(const std::vector<testing::Sample>& samples, const std::string& name,
           const std::map<std::string, std::string>& labels) {
  double total = 0;
  for (const testing::Sample& s : samples) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [k, v] : labels) {
      auto it = s.labels.find(k);
      match = match && it != s.labels.end() && it->second == v;
    }
    if (match) total += s.value;
  }
  return total;
}

TEST(HostileDaemon, HealthyJourneyUnharmedAndMemoryBounded) {
  HostileTargets targets;
  testing::TestServer healthy;
  healthy.SetHandler([](const testing::TestRequest&) {
    return testing::TestResponse{
        .status = 200, .headers = {{"Content-Type", "application/json"}}, .body = R"({"ok":true})"};
  });
  TempDir dir("sonde-hostile");
  const std::string path = dir / "sonde.toml";

  // The config wants a fixed admin port (it refuses 0), so pick a free one
  // and start again on the rare clash with another process.
  std::unique_ptr<testing::Subprocess> daemon;
  std::string admin;
  for (int attempt = 0; attempt < 3 && !daemon; ++attempt) {
    const uint16_t port = testing::UnusedLoopbackPort();
    admin = "http://127.0.0.1:" + std::to_string(port);
    testing::WriteFile(path, Config(port, targets, healthy.base_url()));
    auto started = std::make_unique<testing::Subprocess>(
        std::vector<std::string>{SONDE_BINARY, "run", "-c", path});
    const bool ready =
        testing::Eventually([&] { return testing::FetchSync(admin + "/readyz", 1s).status == 200; }, 10s);
    if (ready) {
      daemon = std::move(started);
    } else if (started->StderrSoFar().find("in use") == std::string::npos) {
      FAIL() << "sonde did not become ready:\n" << started->StderrSoFar();
    }
  }
  ASSERT_TRUE(daemon) << "no free admin port after 3 attempts";

  long peak_rss_kib = 0;
  const Clock::time_point soak_end = Clock::now() + kSoak;
  while (Clock::now() < soak_end) {
    peak_rss_kib = std::max(peak_rss_kib, StatusKiB(daemon->pid(), "VmRSS"));
    std::this_thread::sleep_for(500ms);
  }
  const long hwm_kib = StatusKiB(daemon->pid(), "VmHWM");
  const HttpResponse metrics = testing::FetchSync(admin + "/metrics", 5s);
  ASSERT_EQ(metrics.status, 200) << metrics.error;
  const auto samples = testing::ParsePromText(metrics.body);

  // The healthy journey: every run a success.
  const double healthy_ok =
      Sum(samples, "sonde_journey_runs_total", {{"journey", "healthy"}, {"outcome", "success"}});
  const double healthy_all = Sum(samples, "sonde_journey_runs_total", {{"journey", "healthy"}});
  const double healthy_skipped =
      Sum(samples, "sonde_journey_skipped_total", {{"journey", "healthy"}});
  std::printf(
      "[ hostile  ] healthy runs %.0f, successes %.0f, skipped %.0f; VmRSS peak %ld KiB, "
      "VmHWM %ld KiB\n",
      healthy_all, healthy_ok, healthy_skipped, peak_rss_kib, hwm_kib);
  RecordProperty("healthy_runs", static_cast<int>(healthy_all));
  RecordProperty("vm_hwm_kib", static_cast<int>(hwm_kib));
  EXPECT_GE(healthy_ok, kMinHealthyRuns);
  EXPECT_EQ(healthy_ok, healthy_all) << "healthy runs that did not succeed";
  EXPECT_EQ(healthy_skipped, 0);
  EXPECT_GT(hwm_kib, 0);
  EXPECT_LT(hwm_kib, kMaxRssKiB);

  // Each hostile journey: every run in its own outcome and reason.
  for (const HostileCase& c : testing::HostileCases()) {
    const std::string outcome(ToString(c.outcome));
    const double all = Sum(samples, "sonde_journey_runs_total", {{"journey", c.name}});
    const double expected =
        Sum(samples, "sonde_journey_runs_total", {{"journey", c.name}, {"outcome", outcome}});
    std::printf("[ hostile  ] %-24s runs %3.0f, %s %3.0f\n", c.name.c_str(), all, outcome.c_str(),
                expected);
    EXPECT_GE(all, 1) << c.name;
    EXPECT_EQ(expected, all) << c.name << ": runs not " << outcome;
    if (c.reason != Reason::kNone) {
      const std::string reason(ToString(c.reason));
      EXPECT_EQ(
          Sum(samples, "sonde_step_failures_total", {{"journey", c.name}, {"reason", reason}}), all)
          << c.name << ": failures not " << reason;
    }
  }

  // Stops promptly even with connections that never answer.
  daemon->Signal(SIGTERM);
  const auto stopped = daemon->Wait(15s);
  ASSERT_TRUE(stopped) << "sonde did not stop within 15 s of SIGTERM";
  const std::string& err = stopped->err;
  EXPECT_EQ(stopped->exit_code, 0) << err.substr(err.size() > 4000 ? err.size() - 4000 : 0);
}

}  // namespace
}  // namespace sonde
