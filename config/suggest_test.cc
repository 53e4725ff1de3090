#include "config/suggest.h"

#include <gtest/gtest.h>

namespace sonde {
namespace {

TEST(EditDistanceTest, CountsInsertsDeletesAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("interval", "interval"), 0u);
  EXPECT_EQ(EditDistance("intervall", "interval"), 1u);  // insert
  EXPECT_EQ(EditDistance("iterval", "interval"), 1u);    // delete
  EXPECT_EQ(EditDistance("intarval", "interval"), 1u);   // substitute
  EXPECT_EQ(EditDistance("tiemout", "timeout"), 2u);     // a swap is two edits
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("flaw", "lawn"), 2u);
}

TEST(ClosestMatchTest, SuggestsNearMisses) {
  const std::vector<std::string> keys = {"interval", "timeout", "targets", "degraded_after"};
  EXPECT_EQ(ClosestMatch("intervall", keys), "interval");
  EXPECT_EQ(ClosestMatch("tiemout", keys), "timeout");
  EXPECT_EQ(ClosestMatch("target", keys), "targets");
  // Long words may be further off: 3 edits, a third of its 11 characters.
  EXPECT_EQ(ClosestMatch("dgrded_aftr", keys), "degraded_after");
}

TEST(ClosestMatchTest, RejectsDistantWords) {
  const std::vector<std::string> keys = {"interval", "eq"};
  EXPECT_EQ(ClosestMatch("abcerval", keys), std::nullopt);  // 3 edits in 8 characters
  EXPECT_EQ(ClosestMatch("zzzzzz", keys), std::nullopt);
  EXPECT_EQ(ClosestMatch("a", keys), std::nullopt);  // would rewrite all of "eq"
  EXPECT_EQ(ClosestMatch("x", {}), std::nullopt);
}

TEST(ClosestMatchTest, PrefersTheClosestThenTheFirst) {
  EXPECT_EQ(ClosestMatch("abcd", {"abxy", "abcx"}), "abcx");
  EXPECT_EQ(ClosestMatch("abcd", {"abcx", "abcy"}), "abcx");
}

}  // namespace
}  // namespace sonde
