// The result store on a full disk: on a 1 MiB tmpfs the test mounts (root
// only; skipped otherwise), `sonde run` keeps probing and exporting while
// the store cannot write, says so once, counts what it had to drop, and
// writes again once there is room.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "tests/support/eventually.h"
#include "tests/support/journey_harness.h"
#include "tests/support/prom_text.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;

// The admin URL the daemon logged (it listens on port 0), or "".
std::string AdminUrl(const testing::Subprocess& daemon) {
  std::smatch m;
  const std::string log = daemon.StderrSoFar();
  if (std::regex_search(log, m, std::regex("on (http://127\\.0\\.0\\.1:[0-9]+)/"))) return m[1];
  return "";
}

double Sample(const std::string& admin, const std::string& name,
              const std::map<std::string, std::string>& labels = {}) {
  auto r = testing::FetchSync(admin + "/metrics");
  return testing::FindSample(testing::ParsePromText(r.body), name, labels).value_or(-1);
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class Mounted {
 public:
  explicit Mounted(const std::string& dir) : dir_(dir) {
    std::filesystem::create_directories(dir);
    ok_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=1m") == 0;
  }
  ~Mounted() {
    if (ok_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool ok() const { return ok_; }

 private:
  std::string dir_;
  bool ok_ = false;
};

TEST(StoreDiskFull, ProbingGoesOnTheErrorIsSaidOnceAndWritingResumes) {
  TempDir tmp("sonde-disk-full");
  const std::string mnt = tmp / "mnt";
  Mounted fs(mnt);
  if (!fs.ok()) GTEST_SKIP() << "mounting a tmpfs needs root: " << std::strerror(errno);
  testing::TestServer server;
  const std::string config = tmp / "sonde.toml";
  std::ofstream(config) << "[service]\nlisten = \"127.0.0.1:0\"\n"
                        << "[targets.t]\nurls = [\"" << server.base_url() << "\"]\n"
                        << "[journey.ping]\ninterval = \"50ms\"\ntimeout = \"40ms\"\ntargets = \"t\"\n"
                        << "[[journey.ping.step]]\nname = \"get\"\nhttp = { path = \"/\" }\n"
                        << "[store]\ndir = \"" << mnt << "/data\"\nqueue = 50\n";
  testing::Subprocess daemon({SONDE_BINARY, "run", "-c", config});
  std::string admin;
  ASSERT_TRUE(testing::Eventually([&] { return !(admin = AdminUrl(daemon)).empty(); }, 10s))
      << daemon.StderrSoFar();
  ASSERT_TRUE(testing::Eventually([&] { return Sample(admin, "sonde_store_rows_written_total") >= 5; }, 10s))
      << daemon.StderrSoFar();

  // Fill the filesystem to the last byte.
  {
    std::ofstream filler(mnt + "/filler", std::ios::binary);
    const std::string block(64 * 1024, 'x');
    for (int i = 0; i < 64 && filler.write(block.data(), block.size()); ++i) filler.flush();
  }
  ASSERT_TRUE(testing::Eventually([&] { return Sample(admin, "sonde_store_write_errors_total") >= 3; }, 20s))
      << daemon.StderrSoFar();
  // Probing and exporting go on; what the queue could not hold is counted.
  const double runs = Sample(admin, "sonde_journey_runs_total", {{"journey", "ping"}, {"outcome", "success"}});
  EXPECT_TRUE(testing::Eventually(
      [&] {
        return Sample(admin, "sonde_journey_runs_total", {{"journey", "ping"}, {"outcome", "success"}}) >=
               runs + 20;
      },
      10s));
  EXPECT_TRUE(testing::Eventually([&] { return Sample(admin, "sonde_store_dropped_total") > 0; }, 10s));
  EXPECT_EQ(Count(daemon.StderrSoFar(), "result store: write failed"), 1u) << daemon.StderrSoFar();

  // Room again: the store writes, and says so.
  std::filesystem::remove(mnt + "/filler");
  const double written = Sample(admin, "sonde_store_rows_written_total");
  EXPECT_TRUE(testing::Eventually([&] { return Sample(admin, "sonde_store_rows_written_total") > written + 20; }, 15s))
      << daemon.StderrSoFar();
  EXPECT_NE(daemon.StderrSoFar().find("result store: writing again after"), std::string::npos)
      << daemon.StderrSoFar();
  daemon.Signal(SIGTERM);
  auto r = daemon.Wait(10s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0) << r->err;
}

}  // namespace
}  // namespace sonde
