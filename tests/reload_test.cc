// `sonde run` reloads: SIGHUP and POST /-/reload (with the API token) take a
// valid new config without restarting unchanged journeys, and refuse a
// broken one whole.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "tests/support/eventually.h"
#include "tests/support/journey_harness.h"
#include "tests/support/prom_text.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;

std::string Config(uint16_t admin, const std::string& url, bool with_second) {
  std::string s = "[service]\nlisten = \"127.0.0.1:" + std::to_string(admin) + "\"\n" +
                  "api_token_file = \"token\"\n" +
                  "[targets.t]\nurls = [\"" + url + "\"]\n" +
                  "[journey.first]\ninterval = \"300ms\"\ntimeout = \"200ms\"\ntargets = \"t\"\n"
                  "[[journey.first.step]]\nname = \"get\"\nhttp = { path = \"/first\" }\n";
  if (with_second) {
    s += "[journey.second]\ninterval = \"300ms\"\ntimeout = \"200ms\"\ntargets = \"t\"\n"
         "[[journey.second.step]]\nname = \"get\"\nhttp = { path = \"/second\" }\n";
  }
  return s;
}

void Write(const std::string& path, const std::string& text) {
  // Write then rename, as an editor or a config manager would: the daemon
  // never reads half a file.
  std::ofstream(path + ".tmp") << text;
  std::rename((path + ".tmp").c_str(), path.c_str());
}

std::optional<double> Sample(const std::string& admin, const std::string& name,
                             const std::map<std::string, std::string>& labels) {
  auto r = testing::FetchSync(admin + "/metrics");
  return testing::FindSample(testing::ParsePromText(r.body), name, labels);
}

TEST(Reload, SighupAndPostReloadAndRefuseBrokenFiles) {
  testing::TestServer server;
  const uint16_t port = testing::UnusedLoopbackPort();
  const std::string admin = "http://127.0.0.1:" + std::to_string(port);
  char dir_tmpl[] = "/tmp/sonde-reload-XXXXXX";
  const std::string dir = mkdtemp(dir_tmpl);
  const std::string path = dir + "/sonde.toml";
  Write(path, Config(port, server.base_url(), false));
  std::ofstream(dir + "/token") << "r3load\n";
  chmod((dir + "/token").c_str(), 0600);
  const std::vector<std::pair<std::string, std::string>> bearer = {
      {"Authorization", "Bearer r3load"}};

  testing::Subprocess daemon({SONDE_BINARY, "run", "-c", path});
  ASSERT_TRUE(testing::Eventually([&] { return testing::FetchSync(admin + "/readyz").status == 200; }, 5s))
      << daemon.StderrSoFar();
  EXPECT_EQ(Sample(admin, "sonde_config_last_reload_successful", {}), 1);

  // 1. SIGHUP with a second journey: it starts; the first keeps running.
  Write(path, Config(port, server.base_url(), true));
  daemon.Signal(SIGHUP);
  ASSERT_TRUE(testing::Eventually(
      [&] {
        auto v = Sample(admin, "sonde_journey_runs_total",
                        {{"journey", "second"}, {"outcome", "success"}});
        return v && *v >= 1;
      },
      5s))
      << daemon.StderrSoFar();
  EXPECT_NE(daemon.StderrSoFar().find("1 journey/target slots kept, 1 started, 0 retired"),
            std::string::npos)
      << daemon.StderrSoFar();

  // 2. A broken file over POST /-/reload: refused with its diagnostics, and
  // both journeys go on.
  Write(path, Config(port, server.base_url(), true) + "[journey.third]\ninterval = \"1x\"\n");
  auto refused = testing::FetchSync(admin + "/-/reload", 5s, "POST", "", bearer);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find(path + ":"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("bad duration \"1x\""), std::string::npos) << refused.body;
  EXPECT_EQ(Sample(admin, "sonde_config_last_reload_successful", {}), 0);
  const double second_before =
      Sample(admin, "sonde_journey_runs_total", {{"journey", "second"}, {"outcome", "success"}})
          .value_or(0);
  EXPECT_TRUE(testing::Eventually(
      [&] {
        auto v = Sample(admin, "sonde_journey_runs_total",
                        {{"journey", "second"}, {"outcome", "success"}});
        return v && *v > second_before;
      },
      3s));

  // 2b. A key too deep for the TOML parser's stack (it used to kill the
  // daemon here, SIGSEGV inside the parser): refused, and the daemon lives.
  std::string deep;
  for (int i = 0; i < 40000; ++i) deep += "a.";
  Write(path, Config(port, server.base_url(), true) + deep + "a = 1\n");
  auto too_deep = testing::FetchSync(admin + "/-/reload", 5s, "POST", "", bearer);
  EXPECT_EQ(too_deep.status, 400) << too_deep.error;
  EXPECT_NE(too_deep.body.find("more than 64 dotted parts"), std::string::npos) << too_deep.body;
  EXPECT_EQ(testing::FetchSync(admin + "/readyz").status, 200) << daemon.StderrSoFar();

  // 3. Back to one journey over POST: accepted; GET is refused.
  Write(path, Config(port, server.base_url(), false));
  auto accepted = testing::FetchSync(admin + "/-/reload", 5s, "POST", "", bearer);
  EXPECT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_NE(accepted.body.find("1 journey/target slots kept, 0 started, 1 retired"),
            std::string::npos)
      << accepted.body;
  EXPECT_EQ(Sample(admin, "sonde_config_last_reload_successful", {}), 1);
  EXPECT_EQ(testing::FetchSync(admin + "/-/reload").status, 405);
  // It mutates, so it needs the token, as the drill API does.
  auto anonymous = testing::FetchSync(admin + "/-/reload", 5s, "POST");
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_NE(anonymous.body.find("or send the daemon SIGHUP"), std::string::npos) << anonymous.body;
  EXPECT_EQ(testing::FetchSync(admin + "/-/reload", 5s, "POST", "",
                               {{"Authorization", "Bearer r3loa"}})
                .status,
            401);

  daemon.Signal(SIGTERM);
  auto r = daemon.Wait(5s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0) << r->err;
  std::remove(path.c_str());
  std::remove((dir + "/token").c_str());
  rmdir(dir.c_str());
}

}  // namespace
}  // namespace sonde
