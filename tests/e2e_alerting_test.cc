// End to end with the stack every user runs: scripts/stack.sh brings up the
// devnet, `sonde run`, a real Prometheus (Debian's prometheus) evaluating
// the rules `sonde rules` wrote, a real Alertmanager (Debian's
// prometheus-alertmanager) and `sonde alert-receiver` as its webhook — here
// on free ports, with every SLO's period scaled to 6h and a 1s scrape, so
// the burn-rate alerts act within seconds (reporter/burn_windows.h).
//
//   1. healthy: no alert fires;
//   2. a drill kills the majority of the network for 90 s: the page alert
//      for tx_submit_confirm's availability fires in Prometheus, is active
//      in Alertmanager's /api/v2/alerts and arrives at the webhook, each
//      with its slo, journey and severity labels;
//   3. while the fault holds, every query of the Grafana dashboard returns
//      data from this Prometheus (a TLS endpoint on loopback feeds the
//      certificate panel);
//   4. after the drill's revert, the alert resolves, in Prometheus and at
//      the webhook.
// Whatever happens, the stack is stopped: SIGTERM to its process group
// (stack.sh then stops everything and takes the devnet down), SIGKILL and
// `sonde-devnet down` for anything left.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "tests/support/dashboard_queries.h"
#include "tests/support/devnet_harness.h"
#include "tests/support/files.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certs.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using testing::ReadFile;

namespace json = boost::json;
using namespace std::chrono_literals;
using testing::HttpJson;
using testing::JsonReply;
using testing::Subprocess;

constexpr const char* kSonde = SONDE_BINARY;
constexpr const char* kPrometheus = "/usr/bin/prometheus";
constexpr const char* kAlertmanager = "/usr/bin/prometheus-alertmanager";

// The drill the test appends to the devnet's config: the majority down long
// enough for the 1m/1m and 3m/1m page windows, then back.
constexpr const char* kDrill = R"(
[drill.e2e_majority_loss]
journeys = ["tx_submit_confirm"]
steady_state = { duration = "30s", min_success = 0.9 }
recovery_timeout = "2m"

[[drill.e2e_majority_loss.fault]]
name = "kill_majority"
kind = "kill"
targets = ["node3", "node4", "node5"]
duration = "90s"

[[drill.e2e_majority_loss.expect]]
journey = "tx_submit_confirm"
recover_within = "90s"
)";

std::string UrlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string Str(const json::value& v, std::initializer_list<std::string_view> keys) {
  return testing::String(testing::Path(v, keys));
}

std::string Now() {
  const auto t = std::chrono::system_clock::now();
  const std::time_t s = std::chrono::system_clock::to_time_t(t);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", std::gmtime(&s));
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03lldZ", buf, static_cast<long long>(ms));
  return out;
}

// Does `alert` (an object with "labels") carry these labels?
bool HasLabels(const json::value& alert, const std::map<std::string, std::string>& want) {
  for (const auto& [k, v] : want) {
    if (Str(alert, {"labels", k}) != v) return false;
  }
  return true;
}

// The stack, started by scripts/stack.sh in a process group of its own.
class Stack {
 public:
  Stack(const std::string& dir, const std::string& append_file) : dir_(dir) {
    const std::string build = std::filesystem::path(kSonde).parent_path().parent_path().string();
    const uint16_t base = testing::PickBasePort({});
    auto env = [](const char* name, uint16_t port) {
      return std::string(name) + "=" + std::to_string(port);
    };
    process_ = std::make_unique<Subprocess>(std::vector<std::string>{
        "/usr/bin/env", "SONDE_BUILD_DIR=" + build,
        env("SONDE_PORT", testing::UnusedLoopbackPort()),
        env("PROMETHEUS_PORT", testing::UnusedLoopbackPort()),
        env("ALERTMANAGER_PORT", testing::UnusedLoopbackPort()),
        env("RECEIVER_PORT", testing::UnusedLoopbackPort()), env("DEVNET_BASE_PORT", base),
        // A session of its own: its pid is its process group, and the
        // group is everything it started but the detached devnet nodes.
        "/usr/bin/setsid", "/bin/bash", std::string(SONDE_SOURCE_DIR) + "/scripts/stack.sh",
        "--dir", dir, "--slo-window", "6h", "--scrape-interval", "1s", "--config-append",
        append_file});
  }

  ~Stack() {
    const pid_t group = process_->pid();
    ::kill(-group, SIGTERM);
    if (!process_->Wait(90s)) {
      ::kill(-group, SIGKILL);
      process_->Wait(10s);
    }
    ::kill(-group, SIGKILL);  // anything the script left behind in its group
    // The nodes are detached from the group: `down` stops them by pidfile.
    if (std::filesystem::exists(dir_ + "/devnet/devnet.toml")) {
      testing::RunProcess({testing::DevnetBinary(), "down", "--dir", dir_ + "/devnet"}, 60s);
    }
  }

  // Waits for DIR/stack.env with READY=1; false (and the script's output
  // as a test failure) when it does not come.
  bool WaitReady(std::chrono::seconds within) {
    const bool ready = testing::WaitFor(
        [&] {
          std::map<std::string, std::string> env;
          std::istringstream lines(ReadFile(dir_ + "/stack.env"));
          for (std::string line; std::getline(lines, line);) {
            const size_t eq = line.find('=');
            if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
          }
          if (env["READY"] != "1") return false;
          env_ = env;
          return true;
        },
        within);
    if (!ready) {
      ADD_FAILURE() << "the stack did not come up within " << within.count() << " s\nstdout:\n"
                    << process_->StdoutSoFar() << "\nstderr:\n"
                    << process_->StderrSoFar();
    }
    return ready;
  }

  const std::string& operator[](const std::string& key) { return env_[key]; }
  std::string Output() const { return process_->StdoutSoFar() + process_->StderrSoFar(); }

 private:
  std::string dir_;
  std::unique_ptr<Subprocess> process_;
  std::map<std::string, std::string> env_;
};

// An instant query's result vector (empty on any error, which is recorded).
json::array Query(const std::string& prometheus, const std::string& promql) {
  JsonReply r = HttpJson(prometheus, "GET", "/api/v1/query?query=" + UrlEncode(promql));
  const json::value* result = testing::Path(r.body, {"data", "result"});
  if (r.status != 200 || !result || !result->is_array()) {
    ADD_FAILURE() << "query " << promql << ": HTTP " << r.status << " " << r.error << " " << r.raw;
    return {};
  }
  return result->as_array();
}

// Prometheus' active alerts (pending and firing). A failed call is a test
// failure and an empty list, never a quiet "no alerts".
json::array PrometheusAlerts(const std::string& prometheus) {
  JsonReply r = HttpJson(prometheus, "GET", "/api/v1/alerts");
  const json::value* alerts = testing::Path(r.body, {"data", "alerts"});
  if (r.status != 200 || !alerts || !alerts->is_array()) {
    ADD_FAILURE() << "GET " << prometheus << "/api/v1/alerts: HTTP " << r.status << " " << r.error;
    return {};
  }
  return alerts->as_array();
}

// A JSON array answer (Alertmanager's alerts, the receiver's notifications);
// anything else is a test failure.
json::array Array(const JsonReply& r) {
  if (r.status != 200 || !r.body.is_array()) {
    ADD_FAILURE() << "expected a JSON array: HTTP " << r.status << " " << r.error << " " << r.raw;
    return {};
  }
  return r.body.as_array();
}

// When the webhook got, from Alertmanager's receiver "page" (the route for
// severity="page"), a notification with an alert carrying `labels` in
// `status` ("firing" or "resolved"), by the webhook's clock; "" if not yet.
std::string ReceivedAt(const std::string& receiver,
                       const std::map<std::string, std::string>& labels,
                       const std::string& status) {
  for (const json::value& n : Array(HttpJson(receiver, "GET", "/api/v1/notifications"))) {
    const json::value* alerts = testing::Path(n, {"payload", "alerts"});
    if (!alerts || !alerts->is_array() || Str(n, {"payload", "receiver"}) != "page") continue;
    for (const json::value& a : alerts->as_array()) {
      if (HasLabels(a, labels) && Str(a, {"status"}) == status) return Str(n, {"received_at"});
    }
  }
  return "";
}

TEST(E2eAlerting, BurnRateAlertFiresThroughAlertmanagerToTheWebhookAndResolves) {
  for (const char* bin : {kPrometheus, kAlertmanager}) {
    if (access(bin, X_OK) != 0) {
      if (std::getenv("CI")) FAIL() << bin << " is missing in CI: scripts/setup.sh installs it";
      GTEST_SKIP() << "\n\n*** " << bin
                   << " not installed: the end-to-end alerting test did NOT run ***\n";
    }
  }
  TempDir tmp("sonde-e2e");
  // A TLS endpoint on loopback whose handshake one extra journey checks,
  // so the dashboard's certificate-expiry panel has a certificate to show.
  testing::TestCerts certs;
  testing::TestServer::Tls tls;
  tls.cert_pem_file = certs.server_cert_file();
  tls.key_pem_file = certs.server_key_file();
  testing::TestServer tls_site(tls);
  const std::string append = tmp / "append.toml";
  std::ofstream(append) << kDrill << "\n[targets.tls_site]\nurls = [\"" << tls_site.base_url()
                        << "\"]\ntls = { ca_file = \"" << certs.ca_file() << "\" }\n\n"
                        << "[journey.tls_site]\ninterval = \"5s\"\ntimeout = \"2s\"\n"
                        << "targets = \"tls_site\"\n[[journey.tls_site.step]]\n"
                        << "name = \"handshake\"\ntls = {}\n";

  Stack stack(tmp / "stack", append);
  ASSERT_TRUE(stack.WaitReady(180s));
  const std::string prometheus = stack["PROMETHEUS_URL"];
  const std::string alertmanager = stack["ALERTMANAGER_URL"];
  const std::string receiver = stack["RECEIVER_URL"];
  const std::string config = stack["CONFIG"];
  std::cout << Now() << " stack up: Prometheus " << prometheus << ", Alertmanager " << alertmanager
            << ", receiver " << receiver << std::endl;

  // 1. Healthy: transfers confirm, and for 30 s no alert fires.
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        json::array r = Query(prometheus,
                              "sum(sonde_journey_runs_total{journey=\"tx_submit_confirm\","
                              "outcome=\"success\"})");
        return !r.empty() &&
               std::stod(std::string(r[0].at("value").as_array()[1].as_string())) >= 2;
      },
      90s))
      << stack.Output();
  const auto healthy_until = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < healthy_until) {
    for (const json::value& a : PrometheusAlerts(prometheus)) {
      ASSERT_NE(Str(a, {"state"}), "firing") << "healthy, yet: " << json::serialize(a);
    }
    ASSERT_FALSE(::testing::Test::HasFailure());
    std::this_thread::sleep_for(2s);
  }
  ASSERT_TRUE(Array(HttpJson(receiver, "GET", "/api/v1/notifications")).empty());
  std::cout << Now() << " healthy for 30 s: no alert firing in Prometheus, none at the webhook"
            << std::endl;

  // 2. The majority goes down, in the daemon, through its drill API.
  Subprocess drill({kSonde, "drill", "-c", config, "e2e_majority_loss", "--daemon", "--arm"});
  const std::map<std::string, std::string> page = {{"alertname", "SondeSLOErrorBudgetBurn"},
                                                   {"slo", "tx_availability"},
                                                   {"journey", "tx_submit_confirm"},
                                                   {"severity", "page"},
                                                   {"long", "1m"}};
  std::string active_at;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        for (const json::value& a : PrometheusAlerts(prometheus)) {
          if (HasLabels(a, page) && Str(a, {"state"}) == "firing") {
            active_at = Str(a, {"activeAt"});
            return true;
          }
        }
        std::this_thread::sleep_for(500ms);
        return false;
      },
      120s))
      << "no firing page alert for tx_availability\n"
      << drill.StdoutSoFar() << stack.Output();
  std::cout << Now() << " Prometheus: firing, activeAt " << active_at << std::endl;

  std::string am_starts, am_seen;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        for (const json::value& a : Array(HttpJson(alertmanager, "GET", "/api/v2/alerts"))) {
          if (HasLabels(a, page) && Str(a, {"status", "state"}) == "active") {
            am_starts = Str(a, {"startsAt"});
            am_seen = Now();
            return true;
          }
        }
        std::this_thread::sleep_for(200ms);
        return false;
      },
      30s));
  std::cout << am_seen << " Alertmanager /api/v2/alerts: active, startsAt " << am_starts
            << std::endl;

  std::string received_at;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        received_at = ReceivedAt(receiver, page, "firing");
        if (received_at.empty()) std::this_thread::sleep_for(200ms);
        return !received_at.empty();
      },
      30s));
  std::cout << received_at << " webhook (receiver \"page\"): FIRING received" << std::endl;
  EXPECT_NE(ReadFile(stack["ALERTS_LOG"]).find("\"slo\":\"tx_availability\""), std::string::npos);

  // 3. Every dashboard query has data now, the fault still holding.
  const std::string dashboard_text =
      ReadFile(std::string(SONDE_SOURCE_DIR) + "/reporter/dashboards/sonde.json");
  const std::vector<testing::DashboardQuery> queries =
      testing::DashboardQueries(json::parse(dashboard_text));
  ASSERT_GT(queries.size(), 30u);
  std::vector<std::string> empty;
  for (const testing::DashboardQuery& q : queries) {
    const std::string promql =
        testing::WithVariables(q.expr, {.interval = "1m", .label_value = ".*"});
    if (Query(prometheus, promql).empty()) empty.push_back(q.where + ": " + promql);
  }
  EXPECT_TRUE(empty.empty()) << empty.size() << " of " << queries.size()
                             << " dashboard queries returned no data:\n"
                             << [&] {
                                  std::string s;
                                  for (const std::string& e : empty) s += "  " + e + "\n";
                                  return s;
                                }();
  std::cout << Now() << " " << queries.size() - empty.size() << " of " << queries.size()
            << " dashboard queries returned data\n";

  // 4. The drill reverts (the nodes restart) and passes its recovery
  // expectation; the alert then resolves in Prometheus and at the webhook.
  auto verdict = drill.Wait(180s);
  ASSERT_TRUE(verdict) << drill.StdoutSoFar();
  EXPECT_EQ(verdict->exit_code, 0) << verdict->out << verdict->err;
  EXPECT_NE(verdict->out.find("drill e2e_majority_loss: pass"), std::string::npos) << verdict->out;
  std::cout << Now() << " drill over: " << verdict->out.substr(verdict->out.rfind("drill e2e"))
            << std::flush;

  ASSERT_TRUE(testing::WaitFor(
      [&] {
        for (const json::value& a : PrometheusAlerts(prometheus)) {
          if (HasLabels(a, page)) {
            std::this_thread::sleep_for(1s);
            return false;
          }
        }
        return true;
      },
      150s))
      << "the page alert did not resolve";
  std::cout << Now() << " Prometheus: the page alert is gone\n";
  std::string resolved_at;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        resolved_at = ReceivedAt(receiver, page, "resolved");
        if (resolved_at.empty()) std::this_thread::sleep_for(500ms);
        return !resolved_at.empty();
      },
      60s));
  std::cout << resolved_at << " webhook: RESOLVED received\n";
}

}  // namespace
}  // namespace sonde
