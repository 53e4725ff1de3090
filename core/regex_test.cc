#include "core/regex.h"

#include <gtest/gtest.h>

namespace sonde {
namespace {

TEST(Regex, SearchesAnywhere) {
  auto r = Regex::Compile("conf(irm)?ed");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->Search("status: confirmed"));
  EXPECT_FALSE(r->Search("status: pending"));
  EXPECT_EQ(r->pattern(), "conf(irm)?ed");
}

TEST(Regex, AnchorsAndClasses) {
  auto r = Regex::Compile(R"(^application/json(;\s*charset=utf-8)?$)");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->Search("application/json; charset=utf-8"));
  EXPECT_FALSE(r->Search("text/application/json"));
}

TEST(Regex, BadPatternSaysWhy) {
  std::string why;
  EXPECT_FALSE(Regex::Compile("(unclosed", &why));
  EXPECT_FALSE(why.empty());
}

TEST(Regex, PathologicalBacktrackingDoesNotHang) {
  auto r = Regex::Compile("(a+)+b");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->Search(std::string(40, 'a')));
}

}  // namespace
}  // namespace sonde
