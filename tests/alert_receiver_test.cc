// `sonde alert-receiver` as demos and end-to-end tests meet it: an
// Alertmanager-shaped notification comes out as one line per alert on stdout,
// one JSON line in the --log file and one entry of /api/v1/notifications;
// bad bodies are refused naming the field; a taken port is exit 2 naming the
// address; SIGTERM and SIGINT end it with 0. Plus the line format and the
// payload check on their own.
#include "service/alert_receiver.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <csignal>
#include <fstream>
#include <regex>
#include <thread>

#include "probes/http_client.h"
#include "tests/support/files.h"
#include "tests/support/journey_harness.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using testing::ReadFile;

using namespace std::chrono_literals;
using testing::RunProcess;
using testing::Subprocess;
namespace json = boost::json;

constexpr const char* kSonde = SONDE_BINARY;

// What Alertmanager (v0.27) posts for a group with one firing and one
// resolved alert.
constexpr const char* kPayload = R"({
  "version": "4",
  "groupKey": "{}:{alertname=\"SondeSLOErrorBudgetBurn\"}",
  "truncatedAlerts": 0,
  "status": "firing",
  "receiver": "demo",
  "groupLabels": {"alertname": "SondeSLOErrorBudgetBurn"},
  "commonLabels": {"alertname": "SondeSLOErrorBudgetBurn", "severity": "page"},
  "commonAnnotations": {},
  "externalURL": "http://127.0.0.1:9093",
  "alerts": [
    {
      "status": "firing",
      "labels": {"window": "1h", "slo": "tx_availability", "journey": "tx_submit_confirm",
                 "alertname": "SondeSLOErrorBudgetBurn", "severity": "page",
                 "location": "eu 1"},
      "annotations": {"summary": "tx_availability burns its error budget 14.4x too fast"},
      "startsAt": "2026-11-21T09:59:58.123Z",
      "endsAt": "0001-01-01T00:00:00Z",
      "generatorURL": "http://127.0.0.1:9090/graph?g0.expr=x",
      "fingerprint": "4c1b8a1f5e9d2a07"
    },
    {
      "status": "resolved",
      "labels": {"alertname": "SondeSLOErrorBudgetBurn", "severity": "page",
                 "slo": "reward_claim_latency", "journey": "reward_claim"},
      "annotations": {},
      "startsAt": "2026-11-21T09:40:00Z",
      "endsAt": "2026-11-21T09:55:00Z",
      "generatorURL": "http://127.0.0.1:9090/graph?g0.expr=y",
      "fingerprint": "9e0d3c2b1a4f5e6d"
    }
  ]
})";

constexpr const char* kFiringLine =
    " FIRING   SondeSLOErrorBudgetBurn severity=page slo=tx_availability "
    "journey=tx_submit_confirm location=\"eu 1\" window=1h "
    "(receiver demo, since 2026-11-21T09:59:58.123Z)";
constexpr const char* kResolvedLine =
    " RESOLVED SondeSLOErrorBudgetBurn severity=page slo=reward_claim_latency "
    "journey=reward_claim (receiver demo, since 2026-11-21T09:40:00Z, ended 2026-11-21T09:55:00Z)";

const std::regex kReceivedAt(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    out.push_back(text.substr(start, nl - start));
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

// The lines of `out` that report alerts (the listening line aside).
std::vector<std::string> AlertLines(const std::string& out) {
  std::vector<std::string> lines;
  for (std::string& line : Lines(out)) {
    if (!line.starts_with("alert-receiver:")) lines.push_back(std::move(line));
  }
  return lines;
}

json::value ParseOrNull(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value() : v;
}

// A receiver process on a free loopback port, ready when constructed.
class Receiver {
 public:
  explicit Receiver(std::vector<std::string> extra = {})
      : port_(testing::UnusedLoopbackPort()),
        base_("http://127.0.0.1:" + std::to_string(port_)),
        process_(Argv(port_, std::move(extra))) {
    for (int i = 0; i < 200 && !ready_; ++i) {
      ready_ = testing::FetchSync(base_ + "/healthz", 1s).status == 200;
      if (!ready_) std::this_thread::sleep_for(25ms);
    }
  }

  bool ready() const { return ready_; }
  uint16_t port() const { return port_; }
  const std::string& base() const { return base_; }
  Subprocess& process() { return process_; }

  HttpResponse Post(const std::string& path, const std::string& body) {
    return testing::FetchSync(base_ + path, 5s, "POST", body);
  }
  HttpResponse Get(const std::string& path) { return testing::FetchSync(base_ + path, 5s); }

  // Ends it with `signo`; the result, or a test failure when it lingers.
  testing::ProcessResult Stop(int signo) {
    process_.Signal(signo);
    auto r = process_.Wait(10s);
    EXPECT_TRUE(r.has_value()) << "still running 10 s after signal " << signo;
    return r.value_or(testing::ProcessResult{});
  }

 private:
  static std::vector<std::string> Argv(uint16_t port, std::vector<std::string> extra) {
    std::vector<std::string> argv = {kSonde, "alert-receiver", "--listen",
                                     "127.0.0.1:" + std::to_string(port)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  uint16_t port_;
  std::string base_;
  Subprocess process_;
  bool ready_ = false;
};

TEST(AlertReceiverCli, PrintsEachAlertLogsTheNotificationAndListsIt) {
  TempDir tmp("sonde-alert-receiver");
  const std::string log = tmp / "alerts.jsonl";
  Receiver receiver({"--log", log});
  ASSERT_TRUE(receiver.ready()) << receiver.process().StderrSoFar();

  const auto posted = receiver.Post("/webhook", kPayload);
  ASSERT_EQ(posted.status, 200) << posted.error << posted.body;
  const json::value expected = json::parse(kPayload);

  // The log: one line, parsed back to the payload as sent.
  const std::vector<std::string> logged = Lines(ReadFile(log));
  ASSERT_EQ(logged.size(), 1u) << ReadFile(log);
  const json::value entry = ParseOrNull(logged[0]);
  ASSERT_TRUE(entry.is_object()) << logged[0];
  EXPECT_EQ(entry.at("payload"), expected);
  const std::string received_at(entry.at("received_at").as_string());
  EXPECT_TRUE(std::regex_match(received_at, kReceivedAt)) << received_at;

  // The API: the same notification, and a second one after it.
  ASSERT_EQ(receiver.Post("/", R"({"alerts": []})").status, 200);
  const auto listed = receiver.Get("/api/v1/notifications");
  ASSERT_EQ(listed.status, 200);
  const json::value list = ParseOrNull(listed.body);
  ASSERT_TRUE(list.is_array()) << listed.body;
  ASSERT_EQ(list.as_array().size(), 2u);
  EXPECT_EQ(list.as_array()[0], entry);
  EXPECT_EQ(list.as_array()[1].at("payload"), json::parse(R"({"alerts": []})"));
  EXPECT_EQ(Lines(ReadFile(log)).size(), 2u);

  // stdout: written and flushed as each notification came, so it survives
  // a SIGKILL; one line per alert, in the payload's order.
  const testing::ProcessResult r = receiver.Stop(SIGKILL);
  EXPECT_NE(r.out.find("alert-receiver: listening on http://127.0.0.1:" +
                       std::to_string(receiver.port()) + "\n"),
            std::string::npos)
      << r.out;
  const std::vector<std::string> lines = AlertLines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[0], received_at + kFiringLine);
  EXPECT_EQ(lines[1], received_at + kResolvedLine);
}

TEST(AlertReceiverCli, RefusesBadBodiesNamingWhatIsWrong) {
  Receiver receiver;
  ASSERT_TRUE(receiver.ready()) << receiver.process().StderrSoFar();

  const std::pair<std::string, std::string> cases[] = {
      {"alerts: [", "body: not JSON"},
      {"[]", "body: expected a JSON object"},
      {R"({"receiver": "demo"})", "alerts: missing"},
      {R"({"alerts": {}})", "alerts: expected an array"},
      {R"({"alerts": [{"status": "firing", "labels": {}}, {"status": "firing", "labels": {}},
                      {"status": "firing", "labels": ["a"]}]})",
       "alerts[2].labels: expected an object"},
      {R"({"alerts": [{"status": "firing"}]})", "alerts[0].labels: missing"},
      {R"({"alerts": [{"labels": {}}]})", "alerts[0].status: missing"},
      {R"({"alerts": [{"status": 1, "labels": {}}]})", "alerts[0].status: expected a string"},
      {R"({"alerts": [{"status": "pending", "labels": {}}]})",
       R"(alerts[0].status: expected "firing" or "resolved", got "pending")"},
      {R"({"alerts": [{"status": "firing", "labels": {"alertname": 3}}]})",
       "alerts[0].labels.alertname: expected a string"},
  };
  for (const auto& [body, error] : cases) {
    const auto r = receiver.Post("/", body);
    EXPECT_EQ(r.status, 400) << body;
    const json::value reply = ParseOrNull(r.body);
    ASSERT_TRUE(reply.is_object()) << r.body;
    const std::string said(reply.at("error").as_string());
    EXPECT_TRUE(said.starts_with(error)) << said << "\nexpected: " << error;
  }

  // Wrong methods on the known paths, and on the webhook.
  EXPECT_EQ(receiver.Post("/healthz", kPayload).status, 405);
  EXPECT_EQ(receiver.Post("/api/v1/notifications", kPayload).status, 405);
  const auto get = receiver.Get("/webhook");
  EXPECT_EQ(get.status, 405);
  ASSERT_NE(get.Header("allow"), nullptr);
  EXPECT_EQ(*get.Header("allow"), "POST");

  // Over the 4 MiB limit: refused before it is read.
  std::string big = R"({"alerts": [], "pad": ")" + std::string(5 * 1024 * 1024, 'x') + "\"}";
  EXPECT_EQ(receiver.Post("/", big).status, 413);

  // Nothing refused was kept or printed; every refusal is a line on stderr.
  const auto listed = receiver.Get("/api/v1/notifications");
  EXPECT_EQ(listed.status, 200);
  EXPECT_EQ(ParseOrNull(listed.body), json::array());
  const testing::ProcessResult r = receiver.Stop(SIGTERM);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(AlertLines(r.out).empty()) << r.out;
  for (const auto& [body, error] : cases) {
    EXPECT_NE(r.err.find("alert-receiver: POST /: 400: " + error), std::string::npos)
        << error << "\n"
        << r.err;
  }
}

TEST(AlertReceiverCli, APortInUseIsExitTwoNamingTheAddress) {
  testing::TestServer taken;
  const std::string address = "127.0.0.1:" + std::to_string(taken.port());
  const auto r = RunProcess({kSonde, "alert-receiver", "--listen", address}, 10s);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("cannot listen on " + address + ": Address already in use"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;

  const auto bad = RunProcess({kSonde, "alert-receiver", "--listen", "nowhere:x"}, 10s);
  EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
  EXPECT_NE(bad.err.find("nowhere:x"), std::string::npos) << bad.err;
}

TEST(AlertReceiverCli, SigtermAndSigintEndItWithZero) {
  for (int signo : {SIGTERM, SIGINT}) {
    Receiver receiver;
    ASSERT_TRUE(receiver.ready()) << receiver.process().StderrSoFar();
    // After a notification, so the signal finds a server that has served.
    ASSERT_EQ(receiver.Post("/", kPayload).status, 200);
    const testing::ProcessResult r = receiver.Stop(signo);
    EXPECT_EQ(r.exit_code, 0) << "signal " << signo << "\n" << r.err;
    EXPECT_EQ(AlertLines(r.out).size(), 2u) << r.out;
  }
}

TEST(AlertReceiverFormat, OrdersLabelsAndQuotesWhatIsNotOneWord) {
  const json::value payload = json::parse(R"({"alerts": [
      {"status": "firing", "labels": {"b": "", "journey": "j", "a": "x=y",
                                      "alertname": "Name", "c": "say \"hi\""}},
      {"status": "resolved", "labels": {"severity": "ticket"}, "endsAt": "E"}]})");
  ASSERT_EQ(CheckAlertPayload(payload), "");
  EXPECT_EQ(FormatAlertLines(payload.as_object(), "T"),
            "T FIRING   Name journey=j a=\"x=y\" b=\"\" c=\"say \\\"hi\\\"\"\n"
            "T RESOLVED (no alertname) severity=ticket (ended E)\n");
}

TEST(AlertReceiverFormat, TheCheckNamesTheFirstBadField) {
  EXPECT_EQ(CheckAlertPayload(json::parse(kPayload)), "");
  EXPECT_EQ(
      CheckAlertPayload(json::parse(R"({"alerts": [{"status": "firing", "labels": {}}, 7]})")),
      "alerts[1]: expected an object");
  EXPECT_EQ(CheckAlertPayload(json::parse(R"({"alerts": [{"status": "resolved", "labels": 1}]})")),
            "alerts[0].labels: expected an object");
}

}  // namespace
}  // namespace sonde
