#include "config/template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

namespace sonde {
namespace {

using ::testing::ElementsAre;

// Segments as "L:text@offset" / "V:name@offset", easy to compare whole.
std::vector<std::string> Describe(const Template& t) {
  std::vector<std::string> out;
  for (const Template::Segment& s : t.segments()) {
    out.push_back((s.is_variable ? "V:" : "L:") + s.text + "@" + std::to_string(s.offset));
  }
  return out;
}

Template MustCompile(std::string_view text) {
  std::string error;
  std::optional<Template> t = Template::Compile(text, &error);
  EXPECT_TRUE(t.has_value()) << text << ": " << error;
  return t.value_or(Template());
}

std::string Render(const Template& t, const std::map<std::string, std::string>& vars) {
  std::string out;
  std::string missing;
  auto lookup = [&](std::string_view name) -> const std::string* {
    auto it = vars.find(std::string(name));
    return it == vars.end() ? nullptr : &it->second;
  };
  EXPECT_TRUE(t.Render(lookup, out, &missing)) << "missing " << missing;
  return out;
}

struct Malformed {
  std::string text;
  std::string error;
  size_t offset;
};

TEST(TemplateTest, PlainTextIsOneLiteral) {
  Template t = MustCompile("/v1/head");
  EXPECT_THAT(Describe(t), ElementsAre("L:/v1/head@0"));
  EXPECT_FALSE(t.HasVariables());
  EXPECT_FALSE(t.empty());
  EXPECT_EQ(t.source(), "/v1/head");
  EXPECT_EQ(Render(t, {}), "/v1/head");
}

TEST(TemplateTest, EmptyTextHasNoSegments) {
  Template t = MustCompile("");
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(Render(t, {}), "");
  EXPECT_TRUE(Template().empty());
}

TEST(TemplateTest, VariablesSplitTheTextAndRecordOffsets) {
  Template t = MustCompile("/a/${x}/b${vars.to}${target.url}");
  EXPECT_THAT(Describe(t),
              ElementsAre("L:/a/@0", "V:x@3", "L:/b@7", "V:vars.to@9", "V:target.url@19"));
  EXPECT_TRUE(t.HasVariables());
  EXPECT_EQ(Render(t, {{"x", "1"}, {"vars.to", "abc"}, {"target.url", "http://h"}}),
            "/a/1/babchttp://h");
}

TEST(TemplateTest, NamesMayHoldDotsDashesAndDigits) {
  Template t = MustCompile("${vars.api-key}${_n2}");
  EXPECT_THAT(Describe(t), ElementsAre("V:vars.api-key@0", "V:_n2@15"));
}

TEST(TemplateTest, DoubleDollarEscapesALiteralOpening) {
  Template t = MustCompile("a$${b}${c}");
  EXPECT_THAT(Describe(t), ElementsAre("L:a${b}@0", "V:c@6"));
  EXPECT_EQ(Render(t, {{"c", "C"}}), "a${b}C");
}

TEST(TemplateTest, DollarWithoutBraceIsLiteral) {
  Template t = MustCompile("$5 and $x and }");
  EXPECT_THAT(Describe(t), ElementsAre("L:$5 and $x and }@0"));
  EXPECT_FALSE(t.HasVariables());
}

TEST(TemplateTest, MalformedTemplatesNameTheProblemAndItsOffset) {
  const Malformed cases[] = {
      {"ab${x", "unterminated \"${\" in template", 2},
      {"${a}${", "unterminated \"${\" in template", 3 + 1},
      {"${}", "bad variable name \"\" in template", 0},
      {"x${1a}", "bad variable name \"1a\" in template", 1},
      {"/p/${a b}", "bad variable name \"a b\" in template", 3},
      {"${.a}", "bad variable name \".a\" in template", 0},
  };
  for (const Malformed& c : cases) {
    std::string error;
    size_t offset = 999;
    EXPECT_FALSE(Template::Compile(c.text, &error, &offset).has_value()) << c.text;
    EXPECT_EQ(error, c.error) << c.text;
    EXPECT_EQ(offset, c.offset) << c.text;
  }
}

TEST(TemplateTest, MalformedWithoutOutParametersStillFails) {
  EXPECT_FALSE(Template::Compile("${").has_value());
}

TEST(TemplateTest, RenderNamesTheMissingVariable) {
  Template t = MustCompile("/blocks/${height}/${hash}");
  std::string out, missing;
  const std::string height = "7";
  auto lookup = [&](std::string_view name) -> const std::string* {
    return name == "height" ? &height : nullptr;
  };
  EXPECT_FALSE(t.Render(lookup, out, &missing));
  EXPECT_EQ(missing, "hash");
}

TEST(TemplateTest, RenderAppendsToExistingOutput) {
  Template t = MustCompile("${a}!");
  std::string out = "say ";
  const std::string a = "hi";
  EXPECT_TRUE(t.Render([&](std::string_view) { return &a; }, out));
  EXPECT_EQ(out, "say hi!");
}

}  // namespace
}  // namespace sonde
