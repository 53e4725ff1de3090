#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"

namespace sonde {
namespace {

using namespace std::chrono;
using ::testing::ElementsAre;

const char kBase[] = R"([targets.t]
urls = ["http://127.0.0.1:1"]
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "t"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)";

system_clock::time_point At(int y, unsigned mo, unsigned d, int h, int mi) {
  return system_clock::time_point(sys_days(year(y) / month(mo) / day(d)).time_since_epoch() +
                                  hours(h) + minutes(mi));
}

TEST(Maintenance, TimeRangeWithOffsetsAndJourneyFilter) {
  LoadResult r = LoadConfigString(std::string(kBase) + R"(
[[maintenance]]
journeys = ["tx"]
start = 2026-11-21T10:00:00+01:00
end = 2026-11-21T11:30:00Z
mode = "mark"
)",
                                  "t.toml");
  ASSERT_TRUE(r.ok()) << r.errors.at(0).ToString();
  ASSERT_EQ(r.config->maintenance.size(), 1u);
  const MaintenanceWindow& w = r.config->maintenance[0];
  EXPECT_EQ(w.mode, MaintenanceWindow::Mode::kMark);
  EXPECT_FALSE(w.Covers("tx", At(2026, 11, 21, 8, 59)));  // 10:00+01:00 is 09:00Z
  EXPECT_TRUE(w.Covers("tx", At(2026, 11, 21, 9, 0)));
  EXPECT_TRUE(w.Covers("tx", At(2026, 11, 21, 11, 29)));
  EXPECT_FALSE(w.Covers("tx", At(2026, 11, 21, 11, 30)));
  EXPECT_FALSE(w.Covers("other", At(2026, 11, 21, 10, 0)));
  EXPECT_EQ(r.config->MaintenanceFor("tx", At(2026, 11, 21, 10, 0)), &w);
}

TEST(Maintenance, WeeklyWindowAcrossTheWeekBoundary) {
  LoadResult r = LoadConfigString(std::string(kBase) + R"(
[[maintenance]]
weekly = { day = "sat", at = "23:00", duration = "2h" }
)",
                                  "t.toml");
  ASSERT_TRUE(r.ok()) << r.errors.at(0).ToString();
  const MaintenanceWindow& w = r.config->maintenance.at(0);
  EXPECT_EQ(w.mode, MaintenanceWindow::Mode::kPause);
  // 2026-11-21 is a Saturday.
  EXPECT_FALSE(w.Covers("tx", At(2026, 11, 21, 22, 59)));
  EXPECT_TRUE(w.Covers("tx", At(2026, 11, 21, 23, 0)));
  EXPECT_TRUE(w.Covers("tx", At(2026, 11, 22, 0, 59)));  // Sunday, into the next week
  EXPECT_FALSE(w.Covers("tx", At(2026, 11, 22, 1, 0)));
  EXPECT_TRUE(w.Covers("tx", At(2026, 11, 28, 23, 30)));   // the next Saturday
  EXPECT_FALSE(w.Covers("tx", At(2026, 11, 25, 23, 30)));  // a Wednesday
}

TEST(Maintenance, ReportsEveryProblem) {
  LoadResult r = LoadConfigString(std::string(kBase) + R"(
[[maintenance]]
journeys = ["xt"]
start = 2026-11-21T10:00:00
end = 2026-11-21T09:00:00Z
[[maintenance]]
weekly = { day = "sunday", at = "2:00", duration = "1h" }
mode = "skip"
[[maintenance]]
journeys = ["tx"]
)",
                                  "t.toml");
  std::vector<std::string> got;
  for (const Diagnostic& d : r.errors) got.push_back(d.ToString());
  EXPECT_THAT(
      got,
      ElementsAre(
          R"(t.toml:12:13: maintenance[1]: unknown journey "xt")",
          R"(t.toml:13:9: maintenance[1]: "start" must be a date-time with an offset, like 2026-11-21T02:00:00Z, got date-time)",
          R"(t.toml:16:18: maintenance[2].weekly: unknown day "sunday" (use sun, mon, tue, wed, thu, fri or sat))",
          R"(t.toml:16:33: maintenance[2].weekly: "at" must be HH:MM (UTC), got "2:00")",
          R"(t.toml:17:8: maintenance[2]: unknown mode "skip" (use pause or mark))",
          R"(t.toml:18:1: maintenance[3]: give a time range (start, end) or weekly = { day, at, duration })"));
}

}  // namespace
}  // namespace sonde
