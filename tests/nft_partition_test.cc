// An nftables partition between network namespaces this test creates:
// packets between the groups are dropped while it holds, and kill -9 of
// the sonde process holding it removes the rules by itself (the table is
// owned by the process). Needs root, ip and nft: skipped loudly without
// them, except in CI (CI=true), where that is a failure.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;
using testing::RunProcess;
using testing::Subprocess;

constexpr const char* kSonde = SONDE_BINARY;

int Sh(const std::string& script) {
  return RunProcess({"/bin/sh", "-c", script}, 30s).exit_code;
}

class NftPartition : public ::testing::Test {
 protected:
  void SetUp() override {
    const bool ci = std::getenv("CI") != nullptr;
    std::string missing;
    if (::geteuid() != 0) missing = "root";
    else if (Sh("command -v ip >/dev/null && command -v nft >/dev/null") != 0) missing = "ip and nft";
    if (!missing.empty()) {
      if (ci) FAIL() << "the nftables partition test needs " << missing << " in CI";
      GTEST_SKIP() << "SKIPPED LOUDLY: the nftables partition test needs " << missing;
    }
    const std::string n = std::to_string(::getpid() % 100000);
    ns_a_ = "sdA" + n;
    ns_b_ = "sdB" + n;
    forward_ = Sh("test \"$(cat /proc/sys/net/ipv4/ip_forward)\" = 1") == 0;
    const std::string script =
        "set -e\n"
        "ip netns add " + ns_a_ + "\nip netns add " + ns_b_ + "\n"
        "ip link add vA" + n + " type veth peer name vA" + n + "p\n"
        "ip link set vA" + n + "p netns " + ns_a_ + "\n"
        "ip addr add 10.213.1.1/24 dev vA" + n + "\nip link set vA" + n + " up\n"
        "ip -n " + ns_a_ + " addr add 10.213.1.2/24 dev vA" + n + "p\n"
        "ip -n " + ns_a_ + " link set vA" + n + "p up\nip -n " + ns_a_ + " link set lo up\n"
        "ip -n " + ns_a_ + " route add default via 10.213.1.1\n"
        "ip link add vB" + n + " type veth peer name vB" + n + "p\n"
        "ip link set vB" + n + "p netns " + ns_b_ + "\n"
        "ip addr add 10.213.2.1/24 dev vB" + n + "\nip link set vB" + n + " up\n"
        "ip -n " + ns_b_ + " addr add 10.213.2.2/24 dev vB" + n + "p\n"
        "ip -n " + ns_b_ + " link set vB" + n + "p up\nip -n " + ns_b_ + " link set lo up\n"
        "ip -n " + ns_b_ + " route add default via 10.213.2.1\n"
        "echo 1 > /proc/sys/net/ipv4/ip_forward\n";
    ASSERT_EQ(Sh(script), 0) << "could not build the namespaces";
    made_ = true;
  }

  void TearDown() override {
    if (!made_) return;
    server_.reset();
    Sh("ip netns del " + ns_a_ + "; ip netns del " + ns_b_ +
       (forward_ ? "" : "; echo 0 > /proc/sys/net/ipv4/ip_forward"));
  }

  // Whether a request from namespace A reaches the server in namespace B.
  bool Reaches() {
    return RunProcess({"/bin/sh", "-c",
                       "ip netns exec " + ns_a_ +
                           " curl -s -m 1 -o /dev/null -w %{http_code} http://10.213.2.2:8474/version"},
                      10s)
               .out == "200";
  }

  bool WaitFor(bool reach, std::chrono::milliseconds within) {
    const auto give_up = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < give_up) {
      if (Reaches() == reach) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  std::string ns_a_, ns_b_;
  bool forward_ = false;
  bool made_ = false;
  std::unique_ptr<Subprocess> server_;
  TempDir tmp_{"sonde-nft"};
};

TEST_F(NftPartition, DropsWhileHeldAndKillDashNineRemovesTheRules) {
  // Something to reach in B: sonde's own proxy API answers GET /version.
  server_ = std::make_unique<Subprocess>(std::vector<std::string>{
      "/usr/sbin/ip", "netns", "exec", ns_b_, kSonde, "proxy", "--listen", "10.213.2.2:8474"});
  ASSERT_TRUE(WaitFor(true, 10s)) << "no route between the namespaces: " << server_->StderrSoFar();

  testing::TestServer web;
  web.SetHandler([](const testing::TestRequest&) { return testing::TestResponse{}; });
  const std::string config = tmp_ / "sonde.toml";
  std::ofstream(config) << "[targets.t]\nurls = [\"" << web.base_url() << "\"]\n" << R"(
[journey.ping]
interval = "200ms"
timeout = "150ms"
targets = "t"
[[journey.ping.step]]
name = "get"
http = { path = "/" }
[chaos.targets.a]
address = "10.213.1.2"
[chaos.targets.b]
address = "10.213.2.2"
[drill.split]
journeys = ["ping"]
steady_state = { duration = "300ms" }
[[drill.split.fault]]
name = "cut"
kind = "partition"
backend = "nftables"
groups = [["a"], ["b"]]
duration = "60s"
)";
  Subprocess drill({kSonde, "drill", "-c", config, "split", "--arm"});
  EXPECT_TRUE(WaitFor(false, 10s)) << "packets still pass while the partition holds\n" << drill.StderrSoFar();
  auto tables = RunProcess({"/bin/sh", "-c", "nft list tables"}, 10s);
  EXPECT_NE(tables.out.find("table inet sonde_"), std::string::npos) << tables.out;
  drill.Signal(SIGKILL);
  ASSERT_TRUE(drill.Wait(5s));
  // Nobody reverted anything: the kernel removed the owner's table.
  EXPECT_TRUE(WaitFor(true, 5s)) << "still partitioned after kill -9";
  tables = RunProcess({"/bin/sh", "-c", "nft list tables"}, 10s);
  EXPECT_EQ(tables.out.find("table inet sonde_"), std::string::npos) << tables.out;
  // The journal still names the fault; heal finds the table gone and is done.
  auto healed = RunProcess({kSonde, "heal", "-c", config});
  EXPECT_EQ(healed.exit_code, 0) << healed.out << healed.err;
  EXPECT_NE((healed.out + healed.err).find("reverted split/cut (partition on a)"), std::string::npos)
      << healed.out << healed.err;
  auto again = RunProcess({kSonde, "heal", "-c", config});
  EXPECT_NE((again.out + again.err).find("nothing to revert"), std::string::npos) << again.out << again.err;
}

}  // namespace
}  // namespace sonde
