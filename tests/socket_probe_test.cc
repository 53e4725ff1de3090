// The tcp and tls step kinds against loopback servers (plain and TLS, with a
// throwaway CA), through the runner.
#include <gtest/gtest.h>

#include "reporter/metrics.h"
#include "tests/support/journey_harness.h"
#include "tests/support/prom_text.h"
#include "tests/support/test_certs.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;
using testing::MustLoad;
using testing::RunOnce;

std::string Journey(const std::string& url, const std::string& step, const std::string& tls = "") {
  return "[targets.t]\nurls = [\"" + url + "\"]\n" + tls + R"(
[journey.j]
interval = "10s"
timeout = "2s"
targets = "t"
[[journey.j.step]]
name = "s"
)" + step +
         "\n";
}

TEST(TcpStep, TimesAConnect) {
  testing::TestServer server;
  auto config = MustLoad(Journey(server.base_url(), "tcp = {}"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << r.detail;
  const StepResult& s = r.steps.at(0);
  ASSERT_TRUE(s.has_phases);
  EXPECT_GT(s.phases.connect.count(), 0);
  EXPECT_EQ(s.phases.total, s.phases.resolve + s.phases.connect);
  EXPECT_LE(s.phases.total, std::chrono::duration_cast<std::chrono::microseconds>(s.duration));
}

TEST(TcpStep, PortOverrideAndRefusal) {
  testing::TestServer server;
  const uint16_t closed = testing::UnusedLoopbackPort();
  // The URL names the closed port; the step's own port wins.
  auto ok = MustLoad(Journey("http://127.0.0.1:" + std::to_string(closed),
                             "tcp = { port = " + std::to_string(server.port()) + " }"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(RunOnce(*ok, "j").outcome, Outcome::kSuccess);

  auto refused = MustLoad(Journey("http://127.0.0.1:" + std::to_string(closed), "tcp = {}"));
  ASSERT_TRUE(refused);
  JourneyResult r = RunOnce(*refused, "j");
  EXPECT_EQ(r.reason, Reason::kConnect);
  EXPECT_NE(r.detail.find("cannot connect to 127.0.0.1:" + std::to_string(closed)),
            std::string::npos)
      << r.detail;
}

class TlsStepTest : public ::testing::Test {
 protected:
  testing::TestCerts certs_;
  testing::TestServer server_{
      testing::TestServer::Tls{certs_.server_cert_file(), certs_.server_key_file(), "", false}};
  std::string CaOption() { return "tls = { ca_file = \"" + certs_.ca_file() + "\" }\n"; }
};

TEST_F(TlsStepTest, HandshakeProtocolAndExpiry) {
  auto config = MustLoad(Journey(server_.base_url(), "tls = {}", CaOption()));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  ASSERT_EQ(r.outcome, Outcome::kSuccess) << r.detail;
  const StepResult& s = r.steps.at(0);
  EXPECT_EQ(s.tls_version, "TLSv1.3");
  EXPECT_GT(s.phases.tls.count(), 0);
  EXPECT_EQ(s.phases.total, s.phases.resolve + s.phases.connect + s.phases.tls);
  // The test CA issues for 24 hours from now.
  ASSERT_TRUE(s.cert_not_after);
  const auto left = *s.cert_not_after - std::chrono::system_clock::now();
  EXPECT_GT(left, 23h);
  EXPECT_LT(left, 25h);

  Metrics metrics(*config);
  metrics.OnRunFinished(r);
  auto samples = testing::ParsePromText(metrics.Serialize());
  auto expiry = testing::FindSample(samples, "sonde_tls_cert_expiry_timestamp_seconds",
                                    {{"target", server_.base_url()}});
  ASSERT_TRUE(expiry);
  EXPECT_NEAR(*expiry, std::chrono::duration<double>(s.cert_not_after->time_since_epoch()).count(),
              1);
}

TEST_F(TlsStepTest, UntrustedCertificateIsTls) {
  auto config = MustLoad(Journey(server_.base_url(), "tls = {}"));  // system store only
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.reason, Reason::kTls);
  EXPECT_NE(r.detail.find("certificate"), std::string::npos) << r.detail;
}

TEST_F(TlsStepTest, WrongServerNameIsTls) {
  auto config = MustLoad(
      Journey(server_.base_url(), "tls = { server_name = \"rpc.example.org\" }", CaOption()));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.reason, Reason::kTls) << r.detail;
}

TEST_F(TlsStepTest, LocalhostNameVerifies) {
  // The certificate names localhost too; the connection still goes to 127.0.0.1.
  auto config =
      MustLoad(Journey(server_.base_url(), "tls = { server_name = \"localhost\" }", CaOption()));
  ASSERT_TRUE(config);
  EXPECT_EQ(RunOnce(*config, "j").outcome, Outcome::kSuccess);
}

TEST_F(TlsStepTest, PlainServerIsTls) {
  testing::TestServer plain;
  auto config = MustLoad(Journey(plain.base_url(), "tls = {}", CaOption()));
  ASSERT_TRUE(config);
  EXPECT_EQ(RunOnce(*config, "j").reason, Reason::kTls);
}

}  // namespace
}  // namespace sonde
