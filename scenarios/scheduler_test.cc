#include "scenarios/scheduler.h"

#include <gtest/gtest.h>

#include <set>

namespace sonde {
namespace {

using namespace std::chrono_literals;

TEST(StartOffset, StableAndInsideTheInterval) {
  const Duration interval = 15s;
  const Duration a = StartOffset("tx", "http://a", interval);
  EXPECT_EQ(a, StartOffset("tx", "http://a", interval));
  EXPECT_GE(a, Duration(0));
  EXPECT_LT(a, interval);
  // Pairs spread out: 100 targets don't land on a handful of offsets.
  std::set<int64_t> seconds;
  for (int i = 0; i < 100; ++i) {
    seconds.insert(std::chrono::duration_cast<std::chrono::seconds>(
                       StartOffset("tx", "http://t" + std::to_string(i), interval))
                       .count());
  }
  EXPECT_EQ(seconds.size(), 15u);
  // The journey name is part of the key.
  EXPECT_NE(StartOffset("tx", "http://a", interval), StartOffset("ty", "http://a", interval));
}

TEST(FirstSlot, NextGridInstantAtOrAfterNow) {
  using TP = std::chrono::system_clock::time_point;
  const TP now{std::chrono::seconds(1'000'003)};
  // Grid: k*10s + 2s -> 1'000'002 is past, so 1'000'012.
  EXPECT_EQ(FirstSlot(now, 10s, 2s), TP{std::chrono::seconds(1'000'012)});
  // Grid: k*10s + 5s -> 1'000'005.
  EXPECT_EQ(FirstSlot(now, 10s, 5s), TP{std::chrono::seconds(1'000'005)});
  // Exactly on the grid counts as now.
  EXPECT_EQ(FirstSlot(now, 10s, 3s), now);
}

}  // namespace
}  // namespace sonde
