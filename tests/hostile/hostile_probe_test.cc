// Probes against hostile targets (tests/support/hostile_server.h and TLS
// servers with bad certificates): each run must end in its exact outcome and
// reason, within its timeout, with a bounded detail. Also: sonde running out
// of descriptors is its own fault (infra_error), never the target's.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "probes/http_client.h"
#include "probes/wallets.h"
#include "scenarios/runner.h"
#include "tests/hostile/hostile_targets.h"
#include "tests/support/journey_harness.h"
#include "tests/support/test_certs.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::HostileCase;
using testing::HostileTargets;

// Room for a loaded machine between a deadline and the run's end.
constexpr auto kSlack = 3s;
// What a run's detail may hold (core/text.h bounds it at 1 KiB).
constexpr size_t kMaxDetail = 4096;

std::string Describe(const JourneyResult& r) {
  return std::string(ToString(r.outcome)) + "/" + std::string(ToString(r.reason)) + ": " +
         r.detail.substr(0, 300);
}

class HostileProbeTest : public ::testing::TestWithParam<HostileCase> {
 protected:
  static void SetUpTestSuite() { targets_ = new HostileTargets(); }
  static void TearDownTestSuite() {
    delete targets_;
    targets_ = nullptr;
  }
  static HostileTargets* targets_;
};

HostileTargets* HostileProbeTest::targets_ = nullptr;

TEST_P(HostileProbeTest, EndsInItsReasonWithinItsTimeout) {
  const HostileCase& c = GetParam();
  auto config = testing::MustLoad(targets_->TargetsToml() +
                                  HostileTargets::JourneyToml(c, c.timeout + 500ms));
  ASSERT_TRUE(config);
  const Clock::time_point start = Clock::now();
  const JourneyResult r = testing::RunOnce(*config, c.name);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  RecordProperty("took_ms", static_cast<int>(took.count()));
  std::printf("[ hostile  ] %-24s %-30s %5lld ms\n", c.name.c_str(),
              Describe(r).substr(0, 30).c_str(), static_cast<long long>(took.count()));

  EXPECT_EQ(r.outcome, c.outcome) << Describe(r);
  EXPECT_EQ(r.reason, c.reason) << Describe(r);
  EXPECT_LT(took, c.timeout + kSlack) << Describe(r);
  if (c.reason == Reason::kTimeout) {
    // It waited for its deadline, not for something else.
    EXPECT_GE(took, c.timeout - 100ms) << Describe(r);
  }
  EXPECT_LE(r.detail.size(), kMaxDetail);
  for (const StepResult& s : r.steps) EXPECT_LE(s.detail.size(), kMaxDetail);
}

INSTANTIATE_TEST_SUITE_P(Cases, HostileProbeTest, ::testing::ValuesIn(testing::HostileCases()),
                         [](const ::testing::TestParamInfo<HostileCase>& info) {
                           return info.param.name;
                         });

// The client neither asks for gzip nor inflates it, so a bomb stays as small
// as it came: the compressed bytes are the body.
TEST(HostileHttpClient, GzipIsNeitherRequestedNorDecoded) {
  const std::string bomb = testing::GzipBomb(testing::kGzipBombInflated);
  testing::HostileServer server(testing::HostileServer::Options{bomb});
  ASSERT_LT(bomb.size(), 1u << 20);
  const HttpResponse r = testing::FetchSync(
      server.base_url() + std::string(testing::PathOf(testing::Behaviour::kGzipBomb)));
  EXPECT_EQ(r.failure, Reason::kNone) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.size(), bomb.size());
  ASSERT_EQ(server.requests().size(), 1u);
  std::string head = server.requests()[0].head;
  for (char& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(head.find("accept-encoding"), std::string::npos) << head;
}

// Redirects are not followed: a loop costs one request and ends http_status.
TEST(HostileHttpClient, RedirectLoopCostsOneRequest) {
  testing::HostileServer server;
  const HttpResponse r = testing::FetchSync(
      server.base_url() + std::string(testing::PathOf(testing::Behaviour::kRedirectLoop)));
  EXPECT_EQ(r.failure, Reason::kNone) << r.error;
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(server.CountRequests(testing::Behaviour::kRedirectLoop), 1u);
}

// A port this test holds bound but not listening: connecting is refused,
// and nobody else can take the port meanwhile.
class RefusingPort {
 public:
  RefusingPort() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "cannot bind 127.0.0.1:0";
    }
    port_ = ntohs(addr.sin_port);
  }
  ~RefusingPort() { ::close(fd_); }
  uint16_t port() const { return port_; }

 private:
  int fd_;
  uint16_t port_ = 0;
};

// One journey "j" of one step "s" against `url`; `group_extra` goes into
// its [targets.t] table.
std::string OneStep(const std::string& url, const std::string& step,
                    const std::string& group_extra = "") {
  return "[targets.t]\nurls = [\"" + url + "\"]\n" + group_extra +
         "[journey.j]\ninterval = \"10s\"\ntimeout = \"2s\"\ntargets = \"t\"\n"
         "[[journey.j.step]]\nname = \"s\"\n" +
         step + "\n";
}

// What stays the target's fault next to the fixes above: a refused
// connection is connect, for every kind that connects.
TEST(HostileHttpClient, RefusedConnectionStaysConnect) {
  RefusingPort refusing;
  const std::string url = "http://127.0.0.1:" + std::to_string(refusing.port());
  for (const std::string step :
       {"http = { path = \"/\" }", "jsonrpc = { method = \"m\" }", "tcp = {}", "tls = {}"}) {
    auto config = testing::MustLoad(OneStep(url, step));
    ASSERT_TRUE(config);
    const JourneyResult r = testing::RunOnce(*config, "j");
    EXPECT_EQ(r.outcome, Outcome::kFailed) << step << ": " << Describe(r);
    EXPECT_EQ(r.reason, Reason::kConnect) << step << ": " << Describe(r);
  }
}

// --- Out of descriptors -----------------------------------------------------
//
// Each case runs in a child process (a gtest death test in the threadsafe
// style: the child re-executes this binary for this one test) that makes
// its client, then fills its descriptor table under a lowered
// RLIMIT_NOFILE, then runs one journey. The child exits 0 when the run
// ended infra_error/internal, and says what it got either way.

// Uses up every descriptor this process may open; gives them back (and the
// old limit) when it goes.
class DescriptorsExhausted {
 public:
  // Leaves `spare` descriptors free.
  explicit DescriptorsExhausted(int spare) {
    getrlimit(RLIMIT_NOFILE, &old_);
    rlimit low = old_;
    low.rlim_cur = std::min<rlim_t>(old_.rlim_cur, 256);
    setrlimit(RLIMIT_NOFILE, &low);
    for (int i = 0; i < 512; ++i) {  // bounded: the limit is 256
      const int fd = ::dup(STDERR_FILENO);
      if (fd < 0) break;
      fds_.push_back(fd);
    }
    for (int i = 0; i < spare && !fds_.empty(); ++i) {
      ::close(fds_.back());
      fds_.pop_back();
    }
  }
  ~DescriptorsExhausted() {
    for (int fd : fds_) ::close(fd);
    setrlimit(RLIMIT_NOFILE, &old_);
  }

 private:
  rlimit old_{};
  std::vector<int> fds_;
};

// `leftover` is removed before exiting: _Exit skips the destructors of the
// test body (the certificates' directory).
[[noreturn]] void RunExhaustedAndExit(const Config& config, int spare,
                                      const std::string& leftover) {
  const Journey& journey = *config.FindJourney("j");
  const TargetGroup& group = *config.FindTargets(journey.target_group);
  boost::asio::io_context io;
  HttpClient http(io.get_executor());
  Wallets wallets;
  JourneyRunner runner(ProbeEnv{http, &wallets});
  JourneyResult result;
  {
    DescriptorsExhausted exhausted(spare);
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
          result = co_await runner.Run(journey, group, group.urls.front());
        },
        boost::asio::detached);
    io.run();
  }
  std::error_code ignored;
  std::filesystem::remove_all(leftover, ignored);
  std::fprintf(stderr, "run ended %s\n", Describe(result).c_str());
  std::fflush(stderr);
  std::_Exit(result.outcome == Outcome::kInfraError && result.reason == Reason::kInternal ? 0 : 1);
}

struct ExhaustedCase {
  std::string name;
  std::string step;
  bool tls = false;  // against an HTTPS server whose CA the group trusts
  // Descriptors left free: 0 fails the socket itself; 1 lets the socket
  // open and connect, then loading ca_file fails.
  int spare = 0;
};

void PrintTo(const ExhaustedCase& c, std::ostream* os) { *os << c.name; }

class OutOfDescriptorsTest : public ::testing::TestWithParam<ExhaustedCase> {};

TEST_P(OutOfDescriptorsTest, IsInfraErrorNotTheTargets) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  testing::TestCerts certs;
  testing::TestServer plain;
  testing::TestServer secure(
      testing::TestServer::Tls{certs.server_cert_file(), certs.server_key_file(), "", false});
  const ExhaustedCase& c = GetParam();
  auto config =
      testing::MustLoad(c.tls ? OneStep(secure.base_url(), c.step,
                                        "tls = { ca_file = \"" + certs.ca_file() + "\" }\n")
                              : OneStep(plain.base_url(), c.step));
  ASSERT_TRUE(config);
  // First, so that the child (which re-runs this test up to here) has made
  // no connection whose late close could free a descriptor mid-run.
  EXPECT_EXIT(RunExhaustedAndExit(*config, c.spare, certs.dir()), ::testing::ExitedWithCode(0),
              "run ended");
  // The same run with descriptors to spare succeeds: the target is healthy.
  EXPECT_EQ(testing::RunOnce(*config, "j").outcome, Outcome::kSuccess);
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, OutOfDescriptorsTest,
    ::testing::Values(ExhaustedCase{"http", "http = { path = \"/\" }"},
                      ExhaustedCase{"https", "http = { path = \"/\" }", true},
                      ExhaustedCase{"tcp", "tcp = {}"}, ExhaustedCase{"tls", "tls = {}", true},
                      ExhaustedCase{"https_one_spare", "http = { path = \"/\" }", true, 1},
                      ExhaustedCase{"tls_one_spare", "tls = {}", true, 1}),
    [](const ::testing::TestParamInfo<ExhaustedCase>& info) { return info.param.name; });

}  // namespace
}  // namespace sonde
