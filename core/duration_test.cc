#include "core/duration.h"

#include <gtest/gtest.h>

namespace sonde {
namespace {

using namespace std::chrono_literals;

TEST(Duration, ParsesEveryUnitAndCompounds) {
  EXPECT_EQ(ParseDuration("250ms"), Duration(250ms));
  EXPECT_EQ(ParseDuration("15s"), Duration(15s));
  EXPECT_EQ(ParseDuration("1h"), Duration(1h));
  EXPECT_EQ(ParseDuration("1m30s"), Duration(90s));
  EXPECT_EQ(ParseDuration("1.5s"), Duration(1500ms));
  EXPECT_EQ(ParseDuration("2d"), Duration(48h));
  EXPECT_EQ(ParseDuration("10us"), Duration(10us));
  EXPECT_EQ(ParseDuration("7ns"), Duration(7ns));
}

TEST(Duration, RejectsWithAReason) {
  std::string why;
  EXPECT_FALSE(ParseDuration("5", &why));
  EXPECT_NE(why.find("missing unit"), std::string::npos) << why;
  EXPECT_FALSE(ParseDuration("5sec", &why));
  EXPECT_NE(why.find("unknown unit \"sec\""), std::string::npos) << why;
  EXPECT_FALSE(ParseDuration("", &why));
  EXPECT_FALSE(ParseDuration("ms", &why));
  EXPECT_FALSE(ParseDuration("1..5s", &why));
  EXPECT_FALSE(ParseDuration("-1s", &why));
  EXPECT_FALSE(ParseDuration("1000000000d", &why));
  EXPECT_EQ(why, "duration too large");
}

TEST(Duration, FormatsShortestExact) {
  EXPECT_EQ(FormatDuration(1500ms), "1.5s");
  EXPECT_EQ(FormatDuration(90s), "1m30s");
  EXPECT_EQ(FormatDuration(250ms), "250ms");
  EXPECT_EQ(FormatDuration(3h), "3h");
  EXPECT_EQ(FormatDuration(std::chrono::hours(24 * 30)), "30d");
  EXPECT_EQ(FormatDuration(std::chrono::hours(24 * 400 + 25)), "401d1h");
  EXPECT_EQ(FormatDuration(0s), "0s");
  for (auto d : {Duration(1ms), Duration(61s), Duration(3723500ms), Duration(7ns)}) {
    EXPECT_EQ(ParseDuration(FormatDuration(d)), d) << FormatDuration(d);
  }
}

}  // namespace
}  // namespace sonde
