// A drill against a real 3-member etcd cluster whose members all dial one
// cluster-wide peer address each ("unix://node2:2380"), wired as README's
// etcd example shows: every member runs in its own directory, where that
// address is the unix socket of the `sonde proxy` link from it to node2
// (node1_to_node2 in node1's directory, node3_to_node2 in node3's). So one
// proxy per directed link, with no change to etcd, and a partition cuts
// exactly the links it names. The members' client APIs are reached through
// the same proxy (TCP ports the kernel chose, read back from its API).
//
// Isolating node1: writes to node1 stop (it has no quorum), the majority
// keeps writing, and once healed node1 takes writes again. Judged by the
// drill itself, from the real `sonde` binary.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>

#include "tests/support/files.h"
#include "tests/support/journey_harness.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;
using testing::ProcessResult;
using testing::ReadFile;
using testing::RunProcess;
using testing::Subprocess;

constexpr const char* kSonde = SONDE_BINARY;
constexpr int kMembers = 3;

std::string Member(int n) { return "node" + std::to_string(n); }

class EtcdDrill : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists("/usr/bin/etcd"))
        << "etcd is not installed: scripts/setup.sh installs etcd-server";
    for (int n = 1; n <= kMembers; ++n) std::filesystem::create_directories(dir_ / Member(n));
    StartProxy();
    if (HasFatalFailure()) return;
    const std::string cluster = "node1=unix://node1:2380,node2=unix://node2:2380,"
                                "node3=unix://node3:2380";
    for (int n = 1; n <= kMembers; ++n) {
      // Each member in its own directory: its listener is "self:2380" there,
      // and "nodeK:2380" there is the proxy link from it to nodeK.
      members_.push_back(std::make_unique<Subprocess>(std::vector<std::string>{
          "/bin/sh", "-c",
          "cd '" + (dir_ / Member(n)) + "' && exec /usr/bin/etcd --name " + Member(n) +
              " --data-dir data --listen-peer-urls unix://self:2380"
              " --initial-advertise-peer-urls unix://" +
              Member(n) +
              ":2380 --listen-client-urls unix://client:2379"
              " --advertise-client-urls unix://client:2379 --initial-cluster " +
              cluster + " --initial-cluster-state new --heartbeat-interval 100"
              " --election-timeout 1000"}));
    }
    // Up when a write through every member's client proxy is answered.
    for (int n = 1; n <= kMembers; ++n) {
      bool up = false;
      for (int i = 0; i < 300 && !up; ++i) {
        up = testing::FetchSync(client_urls_[n - 1] + "/v3/kv/put", 2s, "POST",
                                R"({"key":"dXA=","value":"MQ=="})")
                 .status == 200;
        if (!up) std::this_thread::sleep_for(100ms);
      }
      ASSERT_TRUE(up) << Member(n) << " did not take a write: "
                      << members_[n - 1]->StderrSoFar().substr(0, 4000);
    }
  }

  // `sonde proxy` on an API port the kernel chooses: the six peer links
  // between the members' directories, and a TCP front for each client API.
  void StartProxy() {
    std::string list;
    auto add = [&](const std::string& name, const std::string& listen, const std::string& up) {
      list += std::string(list.empty() ? "" : ",\n") + R"({"name": ")" + name +
              R"(", "listen": ")" + listen + R"(", "upstream": ")" + up + R"("})";
    };
    for (int from = 1; from <= kMembers; ++from) {
      for (int to = 1; to <= kMembers; ++to) {
        if (from == to) continue;
        add(Member(from) + "_to_" + Member(to), "unix:" + (dir_ / Member(from)) + "/" + Member(to) + ":2380",
            "unix:" + (dir_ / Member(to)) + "/self:2380");
      }
    }
    for (int n = 1; n <= kMembers; ++n) {
      add("client_" + Member(n), "127.0.0.1:0", "unix:" + (dir_ / Member(n)) + "/client:2379");
    }
    std::ofstream(dir_ / "proxies.json") << "[" << list << "]";
    proxy_ = std::make_unique<Subprocess>(std::vector<std::string>{
        kSonde, "proxy", "--listen", "127.0.0.1:0", "--config", dir_ / "proxies.json"});
    const std::regex api("API on (http://127\\.0\\.0\\.1:[0-9]+)");
    std::smatch m;
    for (int i = 0; i < 200 && api_url_.empty(); ++i) {
      const std::string err = proxy_->StderrSoFar();
      if (std::regex_search(err, m, api)) api_url_ = m[1];
      if (api_url_.empty()) std::this_thread::sleep_for(25ms);
    }
    ASSERT_FALSE(api_url_.empty()) << "the proxy did not say where its API is: "
                                   << proxy_->StderrSoFar();
    const HttpResponse proxies = testing::FetchSync(api_url_ + "/proxies", 5s);
    ASSERT_EQ(proxies.status, 200) << proxies.body;
    const boost::json::value all = boost::json::parse(proxies.body);
    for (int n = 1; n <= kMembers; ++n) {
      const auto& listen = all.at("client_" + Member(n)).at("listen").as_string();
      client_urls_.push_back("http://" + std::string(listen));
    }
  }

  void TearDown() override {
    for (auto& m : members_) m->Signal(SIGTERM);
    for (auto& m : members_) {
      if (!m->Wait(10s)) m->Signal(SIGKILL);
    }
    if (proxy_) proxy_->Signal(SIGTERM);
  }

  TempDir dir_{"sonde-etcd"};
  std::unique_ptr<Subprocess> proxy_;
  std::vector<std::unique_ptr<Subprocess>> members_;
  std::string api_url_;
  std::vector<std::string> client_urls_;
};

// A journey writing one key through each member in `urls`.
std::string PutJourney(const std::string& name, const std::vector<std::string>& urls) {
  std::string list;
  for (const std::string& u : urls) list += std::string(list.empty() ? "" : ", ") + "\"" + u + "\"";
  return "[targets." + name + "]\nurls = [" + list + "]\n[journey." + name +
         "]\ninterval = \"500ms\"\ntimeout = \"450ms\"\ntargets = \"" + name +
         "\"\n[[journey." + name +
         ".step]]\nname = \"put\"\nhttp = { method = \"POST\", path = \"/v3/kv/put\", json = "
         "'{\"key\": \"c29uZGU=\", \"value\": \"MQ==\"}' }\nexpect = { status = [200] }\n";
}

TEST_F(EtcdDrill, IsolatingAMemberStopsItsWritesAndTheMajorityKeepsWriting) {
  const std::string config = dir_ / "etcd.toml";
  std::ofstream(config) << PutJourney("minority", {client_urls_[0]})
                        << PutJourney("majority", {client_urls_[1], client_urls_[2]})
                        << "[chaos]\nproxy_api = \"" << api_url_ << "\"\n"
                        << "journal = \"" << (dir_ / "chaos.journal") << "\"\n"
                        << R"(
[chaos.targets.node1]
[chaos.targets.node2]
[chaos.targets.node3]

[drill.isolate_node1]
journeys = ["minority", "majority"]
armed = true
steady_state = { duration = "3s", min_success = 1.0 }
recovery_timeout = "30s"
settle = "4s"
[[drill.isolate_node1.fault]]
name = "isolate"
kind = "partition"
groups = [["node1"], ["node2", "node3"]]
duration = "8s"
[[drill.isolate_node1.expect]]
journey = "minority"
max_success = 0.2
[[drill.isolate_node1.expect]]
journey = "majority"
min_success = 0.5
recover_within = "15s"
[[drill.isolate_node1.expect]]
journey = "minority"
during = "settle"
min_success = 1.0
)";
  // The links the partition needs are there: check and the plan agree.
  const ProcessResult check = RunProcess({kSonde, "check", "-c", config});
  ASSERT_EQ(check.exit_code, 0) << check.out << check.err;

  const ProcessResult drill =
      RunProcess({kSonde, "drill", "-c", config, "isolate_node1", "--junit", dir_ / "junit.xml",
                  "--report", dir_ / "report.md"},
                 120s);
  const std::string report = ReadFile(dir_ / "report.md");
  EXPECT_EQ(drill.exit_code, 0) << drill.err.substr(drill.err.size() > 6000 ? drill.err.size() - 6000 : 0)
                                << report;
  // node1 took no write while cut off, and why: the requests timed out.
  EXPECT_NE(drill.err.find("pass minority @ " + client_urls_[0] + " max_success"), std::string::npos)
      << drill.err;
  // The partition named by its groups (the pipe escaped in Markdown).
  EXPECT_NE(report.find("| isolate | partition | node1 \\| node2,node3 |"), std::string::npos)
      << report;
  EXPECT_NE(report.find("minority @ " + client_urls_[0]), std::string::npos) << report;
  EXPECT_NE(report.find("timeout at put"), std::string::npos) << report;
  const std::string junit = ReadFile(dir_ / "junit.xml");
  EXPECT_NE(junit.find("failures=\"0\""), std::string::npos) << junit;
  // The partition was healed: node1 takes a write again, now.
  EXPECT_EQ(testing::FetchSync(client_urls_[0] + "/v3/kv/put", 5s, "POST",
                               R"({"key":"ZW5k","value":"MQ=="})")
                .status,
            200);
  const HttpResponse toxics = testing::FetchSync(api_url_ + "/proxies/node1_to_node2/toxics", 5s);
  ASSERT_EQ(toxics.status, 200) << toxics.body;
  EXPECT_TRUE(boost::json::parse(toxics.body).as_array().empty()) << toxics.body;
}

}  // namespace
}  // namespace sonde
