#include "core/text.h"

#include <gtest/gtest.h>

namespace sonde {
namespace {

TEST(Bounded, KeepsShortTextAndCutsLongTextSayingHowLong) {
  EXPECT_EQ(Bounded("short"), "short");
  const std::string huge(3 * 1024 * 1024, 'x');
  const std::string cut = Bounded(huge);
  EXPECT_LE(cut.size(), kMaxDetailBytes);
  EXPECT_TRUE(cut.ends_with("x... (3145728 bytes)")) << cut.substr(cut.size() - 40);
}

TEST(Bounded, NeverSplitsAUtf8Character) {
  std::string text;
  for (int i = 0; i < 600; ++i) text += "é";  // two bytes each
  const std::string cut = Bounded(text, 101);
  const std::string kept = cut.substr(0, cut.find("..."));
  EXPECT_EQ(kept.size() % 2, 0u) << "a character cut in half";
  EXPECT_LE(cut.size(), 101u);
}

TEST(Excerpt, OneLineOfTheBody) {
  EXPECT_EQ(Excerpt("node 2 cannot reach\n\tthe leader (node 1)\r\n"),
            "node 2 cannot reach the leader (node 1)");
  EXPECT_EQ(Excerpt(std::string(1000, 'a'), 10), "aaaaaaaaaa...");
  EXPECT_EQ(Excerpt(""), "");
}

}  // namespace
}  // namespace sonde
