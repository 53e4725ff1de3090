// The `sonde` binary as a user runs it: --version, check, once, and the
// daemon's admin endpoints and signal handling.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <regex>
#include <set>
#include <thread>

#include "tests/support/journey_harness.h"
#include "tests/support/prom_text.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_certs.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;
using testing::RunProcess;
using testing::Subprocess;

const std::string kSonde = SONDE_BINARY;

// A config file that lives as long as the test.
class TempConfig {
 public:
  explicit TempConfig(const std::string& text) {
    char tmpl[] = "/tmp/sonde-cli-XXXXXX.toml";
    int fd = mkstemps(tmpl, 5);
    path_ = tmpl;
    close(fd);
    std::ofstream(path_) << text;
  }
  ~TempConfig() { unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string Lines(const std::string& s) { return "\n" + s; }

// Answers {"ok":true}, after `delay`.
testing::TestServer::Handler OkJson(std::chrono::milliseconds delay = 0ms) {
  return [delay](const testing::TestRequest&) {
    testing::TestResponse r;
    r.body = R"({"ok":true})";
    r.delay = delay;
    return r;
  };
}

// Waits until the server has received a request: with a slow handler, a run
// is then in flight.
bool WaitForFirstRequest(const testing::TestServer& server, std::chrono::milliseconds within) {
  const auto give_up = std::chrono::steady_clock::now() + within;
  while (server.requests().empty() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(5ms);
  }
  return !server.requests().empty();
}

TEST(Cli, Version) {
  auto r = RunProcess({kSonde, "--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "sonde 0.1.0\n");
}

TEST(Cli, CheckAcceptsTheDemoConfig) {
  const std::string path = std::string(SONDE_SOURCE_DIR) + "/config/examples/demo.toml";
  auto r = RunProcess({kSonde, "check", "-c", path});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(": ok ("), std::string::npos) << r.out;
}

// A valid journey for tests about everything around it (it never runs).
constexpr const char* kOneJourney = R"(
[targets.t]
urls = ["http://127.0.0.1:1"]
[journey.j]
interval = "10s"
timeout = "5s"
targets = "t"
[[journey.j.step]]
name = "ping"
http = { path = "/" }
)";

// [service] tls_cert_file/tls_key_file: the daemon's admin server speaks
// HTTPS (curl with the CA reads /metrics); `sonde check` refuses a key file
// that others may read, and a certificate without its key.
TEST(Cli, TheAdminServerServesHttpsWithItsCertificate) {
  testing::TestCerts certs;
  const std::string journey = kOneJourney;
  const std::string tls = "tls_cert_file = \"" + certs.server_cert_file() + "\"\ntls_key_file = \"" +
                          certs.server_key_file() + "\"\n";
  chmod(certs.server_key_file().c_str(), 0644);
  TempConfig config("[service]\nlisten = \"127.0.0.1:0\"\n" + tls + journey);
  auto loose = RunProcess({kSonde, "check", "-c", config.path()});
  EXPECT_EQ(loose.exit_code, 1) << loose.out << loose.err;
  EXPECT_NE((loose.out + loose.err).find("tls_key_file " + certs.server_key_file() + ": mode 0644"),
            std::string::npos)
      << loose.out << loose.err;
  TempConfig half("[service]\ntls_cert_file = \"" + certs.server_cert_file() + "\"\n" + journey);
  auto alone = RunProcess({kSonde, "check", "-c", half.path()});
  EXPECT_NE((alone.out + alone.err).find("\"tls_cert_file\" and \"tls_key_file\" must be given together"),
            std::string::npos)
      << alone.out << alone.err;

  chmod(certs.server_key_file().c_str(), 0600);
  Subprocess daemon({kSonde, "run", "-c", config.path()});
  std::string admin;
  for (int i = 0; i < 100 && admin.empty(); ++i) {
    std::smatch m;
    const std::string log = daemon.StderrSoFar();
    if (std::regex_search(log, m, std::regex("on (https://127\\.0\\.0\\.1:[0-9]+)/"))) admin = m[1];
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_FALSE(admin.empty()) << daemon.StderrSoFar();
  auto metrics = RunProcess({"/usr/bin/curl", "-sS", "--cacert", certs.ca_file(), admin + "/metrics"});
  EXPECT_EQ(metrics.exit_code, 0) << metrics.err;
  EXPECT_NE(metrics.out.find("sonde_build_info"), std::string::npos) << metrics.out.substr(0, 300);
  // Plain HTTP on the HTTPS port gets no answer, and the daemon goes on.
  EXPECT_NE(RunProcess({"/usr/bin/curl", "-sS", "--max-time", "5",
                        "http" + admin.substr(5) + "/healthz"})
                .exit_code,
            0);
  EXPECT_EQ(RunProcess({"/usr/bin/curl", "-sS", "--cacert", certs.ca_file(), admin + "/healthz"}).out,
            "ok\n");
  daemon.Signal(SIGTERM);
  auto r = daemon.Wait(10s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0) << r->err;
}

// An admin server open beyond loopback is allowed, but never silently.
TEST(Cli, CheckWarnsWhenTheAdminServerListensBeyondLoopback) {
  const std::string journey = kOneJourney;
  TempConfig open("[service]\nlisten = \"0.0.0.0:9464\"\n" + journey);
  auto r = RunProcess({kSonde, "check", "-c", open.path()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("warning: service.listen 0.0.0.0:9464 is reachable beyond this machine"),
            std::string::npos)
      << r.out;
  TempConfig local("[service]\nlisten = \"127.0.0.1:9464\"\n" + journey);
  auto quiet = RunProcess({kSonde, "check", "-c", local.path()});
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.out.find("warning"), std::string::npos) << quiet.out;
}

// The API token is a secret: a missing token file, or one that group or
// others can read, fails `sonde check` (and the daemon's start) at its
// position, as a key file does.
TEST(Cli, CheckRefusesAMissingOrReadableApiTokenFile) {
  char dir_tmpl[] = "/tmp/sonde-token-XXXXXX";
  const std::string dir = mkdtemp(dir_tmpl);
  const std::string token = dir + "/api.token";
  const std::string text = "[service]\napi_token_file = \"" + token + "\"\n" + kOneJourney;
  TempConfig config(text);
  auto missing = RunProcess({kSonde, "check", "-c", config.path()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find(":2:18: service: api_token_file " + token +
                             ": No such file or directory"),
            std::string::npos)
      << missing.out;
  std::ofstream(token) << "s3cret\n";
  chmod(token.c_str(), 0644);
  auto readable = RunProcess({kSonde, "check", "-c", config.path()});
  EXPECT_EQ(readable.exit_code, 1);
  EXPECT_NE(readable.out.find("mode 0644 lets group or others read the token; it must be 0600"),
            std::string::npos)
      << readable.out;
  chmod(token.c_str(), 0600);
  auto ok = RunProcess({kSonde, "check", "-c", config.path()});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  std::remove(token.c_str());
  rmdir(dir.c_str());
}

// CPU seconds a process has used (user + system), from /proc.
double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string f;
  unsigned long utime = 0, stime = 0;
  for (int k = 3; k <= 15 && fields >> f; ++k) {
    if (k == 14) utime = std::stoul(f);
    if (k == 15) stime = std::stoul(f);
  }
  return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

// Out of descriptors, the admin server backs off instead of spinning: 120
// idle connections against a daemon limited to 48 descriptors used to cost
// a whole core and millions of "accept failed" lines. When they go, the
// daemon answers again.
TEST(Cli, RunningOutOfDescriptorsDoesNotSpinTheAcceptLoop) {
  testing::TestServer server;
  server.SetHandler(OkJson());
  const uint16_t port = testing::UnusedLoopbackPort();
  TempConfig config("[service]\nlisten = \"127.0.0.1:" + std::to_string(port) +
                    "\"\n[targets.t]\nurls = [\"" + server.base_url() + R"("]
[journey.j]
interval = "1s"
timeout = "500ms"
targets = "t"
[[journey.j.step]]
name = "ping"
http = { path = "/" }
)");
  Subprocess daemon({"/bin/bash", "-c", "ulimit -n 48 && exec " + kSonde + " run -c " + config.path()});
  const std::string admin = "http://127.0.0.1:" + std::to_string(port);
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {
    up = testing::FetchSync(admin + "/healthz").status == 200;
    if (!up) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(up) << daemon.StderrSoFar();

  std::vector<int> flood;
  for (int i = 0; i < 120; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    flood.push_back(fd);
  }
  const double cpu_before = CpuSeconds(daemon.pid());
  std::this_thread::sleep_for(3s);
  const double cpu = CpuSeconds(daemon.pid()) - cpu_before;
  EXPECT_LT(cpu, 0.6) << "CPU seconds in 3 s while out of descriptors";
  const std::string log = daemon.StderrSoFar();
  size_t lines = 0;
  for (size_t at = log.find("accept failed"); at != std::string::npos;
       at = log.find("accept failed", at + 1)) {
    ++lines;
  }
  EXPECT_GE(lines, 1u) << "the exhaustion is reported";
  EXPECT_LE(lines, 3u) << "and rate-limited";

  for (int fd : flood) close(fd);
  bool back = false;
  for (int i = 0; i < 60 && !back; ++i) {
    back = testing::FetchSync(admin + "/healthz", 1s).status == 200;
    if (!back) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(back) << "the daemon answers again once descriptors are free";
  daemon.Signal(SIGTERM);
  daemon.Wait(5s);
}

// A config that would overflow the TOML parser's stack is refused with its
// position: `sonde check` used to die of SIGSEGV on it.
TEST(Cli, CheckRefusesAKeyTooDeepForTheParserInsteadOfCrashing) {
  std::string key;
  for (int i = 0; i < 40000; ++i) key += "a.";
  TempConfig config("[service]\n" + key + "a = 1\n");
  auto r = RunProcess({kSonde, "check", "-c", config.path()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.term_signal, 0);
  EXPECT_NE(r.out.find(":2:128: a key with more than 64 dotted parts"), std::string::npos) << r.out;
}

// Every planted error is listed, each as FILE:LINE:COL, and the exit is 1.
TEST(Cli, CheckListsEveryPlantedError) {
  TempConfig config(R"([service]
listen = "127.0.0.1:9464"
[targets.web]
urls = ["http://127.0.0.1:1"]
[journey.a]
intervall = "5s"
timeout = "2s"
targets = "web"
[[journey.a.step]]
name = "x"
http = { path = "/" }
[journey.b]
interval = "5sec"
timeout = "1s"
targets = "wbe"
[[journey.b.step]]
name = "s"
http = { path = "/" }
[[journey.b.step]]
name = "s"
http = { path = "/" }
[journey.c]
interval = "1s"
timeout = "2s"
targets = "web"
[[journey.c.step]]
name = "y"
http = { path = 42 }
)");
  auto r = RunProcess({kSonde, "check", "-c", config.path()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const std::string& f = config.path();
  // (line, col, fragment) of each planted error.
  const std::vector<std::tuple<int, int, std::string>> planted = {
      {5, 1, "missing required key \"interval\""},
      {6, 1, "did you mean \"interval\"?"},
      {13, 12, "unknown unit \"sec\""},
      {15, 11, "did you mean \"web\"?"},
      {20, 8, "duplicate step name \"s\""},
      {24, 11, "shorter than"},
      {28, 17, "must be a string"},
  };
  for (const auto& [line, col, fragment] : planted) {
    const std::string prefix = f + ":" + std::to_string(line) + ":" + std::to_string(col) + ": ";
    bool found = false;
    std::istringstream lines(r.out);
    for (std::string l; std::getline(lines, l);) {
      if (l.rfind(prefix, 0) == 0 && l.find(fragment) != std::string::npos) found = true;
    }
    EXPECT_TRUE(found) << "expected a line starting " << prefix << " with \"" << fragment
                       << "\" in:" << Lines(r.out);
  }
}

TEST(Cli, CheckReportsTheShippedBrokenExample) {
  const std::string path = std::string(SONDE_SOURCE_DIR) + "/config/examples/broken.toml";
  auto r = RunProcess({kSonde, "check", "-c", path});
  EXPECT_EQ(r.exit_code, 1);
  // The file marks each planted error with "# ERROR" on its line: the
  // binary must report exactly those lines, one diagnostic each.
  std::set<int> marked, reported;
  std::ifstream file(path);
  int n = 0;
  for (std::string l; std::getline(file, l);) {
    ++n;
    if (l.find("# ERROR") != std::string::npos) marked.insert(n);
  }
  const std::regex diag("^" + path + R"(:(\d+):\d+: .+$)");
  std::istringstream lines(r.out);
  std::smatch m;
  for (std::string l; std::getline(lines, l);) {
    if (!std::regex_match(l, m, diag)) continue;
    EXPECT_TRUE(reported.insert(std::stoi(m[1])).second) << "two diagnostics on one line: " << l;
  }
  EXPECT_EQ(reported, marked) << r.out;
  EXPECT_EQ(marked.size(), 33u);
}

TEST(Cli, CheckOnAMissingFileNamesIt) {
  auto r = RunProcess({kSonde, "check", "-c", "/nonexistent/sonde.toml"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("/nonexistent/sonde.toml:0:0: cannot read file"), std::string::npos)
      << r.out;
}

std::string OnceConfig(const std::string& url, uint16_t admin_port = 9464) {
  return "[service]\nlisten = \"127.0.0.1:" + std::to_string(admin_port) + "\"\n" +
         "[targets.t]\nurls = [\"" + url + "\"]\n" + R"(
[journey.ping]
interval = "2s"
timeout = "1500ms"
targets = "t"
[[journey.ping.step]]
name = "get"
http = { path = "/" }
expect = { json = { "/ok" = true } }
)";
}

TEST(Cli, OncePrintsATableAndExitsZeroOnlyWhenAllSucceed) {
  testing::TestServer server;
  server.SetHandler(OkJson());
  TempConfig good(OnceConfig(server.base_url()));
  auto r = RunProcess({kSonde, "once", "-c", good.path()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("JOURNEY"), std::string::npos);
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex("ping +" + server.base_url() + " +success +- +- +[0-9.]+ +resolve=")))
      << r.out;

  const std::string refused = "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort());
  TempConfig bad(OnceConfig(refused));
  auto f = RunProcess({kSonde, "once", "-c", bad.path()});
  EXPECT_EQ(f.exit_code, 1) << f.out << f.err;
  EXPECT_TRUE(std::regex_search(f.out, std::regex("ping +" + refused + " +failed +connect +get ")))
      << f.out;

  auto unknown = RunProcess({kSonde, "once", "-c", good.path(), "--journey", "nope"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no journey named \"nope\""), std::string::npos) << unknown.err;
}

// Polls `url` until it answers `status` or the deadline passes.
bool WaitForStatus(const std::string& url, int status, std::chrono::milliseconds within) {
  const auto give_up = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < give_up) {
    if (testing::FetchSync(url, 500ms).status == status) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

TEST(Cli, DaemonServesMetricsAndHealth) {
  testing::TestServer server;
  server.SetHandler(OkJson());
  const uint16_t admin = testing::UnusedLoopbackPort();
  TempConfig config(OnceConfig(server.base_url(), admin));
  Subprocess daemon({kSonde, "run", "-c", config.path()});
  const std::string base = "http://127.0.0.1:" + std::to_string(admin);
  ASSERT_TRUE(WaitForStatus(base + "/healthz", 200, 5s)) << daemon.StderrSoFar();
  // Ready only after every journey/target ran once (within one interval).
  ASSERT_TRUE(WaitForStatus(base + "/readyz", 200, 5s)) << daemon.StderrSoFar();
  auto metrics = testing::FetchSync(base + "/metrics");
  EXPECT_EQ(metrics.status, 200);
  auto samples = testing::ParsePromText(metrics.body);
  auto runs = testing::FindSample(samples, "sonde_journey_runs_total",
                                  {{"journey", "ping"}, {"outcome", "success"}});
  ASSERT_TRUE(runs) << metrics.body;
  EXPECT_GE(*runs, 1);
  EXPECT_EQ(testing::FetchSync(base + "/nope").status, 404);

  daemon.Signal(SIGTERM);
  auto r = daemon.Wait(5s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0) << r->err;
}

// SIGTERM while a run is in flight: the run is allowed to finish, then the
// daemon exits 0.
TEST(Cli, SigtermDuringASlowRunLetsItFinishAndExitsCleanly) {
  testing::TestServer server;
  server.SetHandler(OkJson(700ms));
  TempConfig config(OnceConfig(server.base_url(), testing::UnusedLoopbackPort()));
  Subprocess daemon({kSonde, "run", "-c", config.path()});
  ASSERT_TRUE(WaitForFirstRequest(server, 5s)) << daemon.StderrSoFar();
  const auto signalled = std::chrono::steady_clock::now();
  daemon.Signal(SIGTERM);
  auto r = daemon.Wait(5s);
  ASSERT_TRUE(r) << "daemon did not exit";
  const auto took = std::chrono::steady_clock::now() - signalled;
  EXPECT_EQ(r->exit_code, 0) << r->err;
  EXPECT_NE(r->err.find("1 run(s) in flight"), std::string::npos) << r->err;
  EXPECT_EQ(r->err.find("aborting"), std::string::npos) << r->err;
  // It waited for the slow response (~700 ms from its start) but no longer.
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 3s);
}

TEST(Cli, SigtermPastTheGracePeriodAbortsAndExitsCleanly) {
  testing::TestServer server;
  server.SetHandler(OkJson(1400ms));
  TempConfig config(OnceConfig(server.base_url(), testing::UnusedLoopbackPort()));
  Subprocess daemon({kSonde, "run", "-c", config.path(), "--shutdown-grace", "100ms"});
  ASSERT_TRUE(WaitForFirstRequest(server, 5s)) << daemon.StderrSoFar();
  const auto signalled = std::chrono::steady_clock::now();
  daemon.Signal(SIGTERM);
  auto r = daemon.Wait(5s);
  ASSERT_TRUE(r) << "daemon did not exit";
  EXPECT_EQ(r->exit_code, 0) << r->err;
  EXPECT_NE(r->err.find("aborting 1 run(s) still in flight"), std::string::npos) << r->err;
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 1s);
}

TEST(Cli, DaemonRefusesATakenPortClearly) {
  testing::TestServer server;  // its port is taken
  TempConfig config(OnceConfig(server.base_url(), server.port()));
  auto r = RunProcess({kSonde, "run", "-c", config.path()}, 10s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot listen on 127.0.0.1:" + std::to_string(server.port())),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace sonde
