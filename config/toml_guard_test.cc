// The shape check in front of the TOML parser: texts that would overflow
// toml++'s recursion are refused with a position, before it sees them.
#include "config/toml_guard.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "config/loader.h"

namespace sonde {
namespace {

std::string Repeat(std::string_view s, int n) {
  std::string out;
  out.reserve(s.size() * n);
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// Before the guard, each of these killed the process with SIGSEGV inside
// toml::parse (the dotted key was what a mutation fuzz of the examples found).
TEST(TomlGuard, ADottedKeyOfFortyThousandPartsIsRefusedNotACrash) {
  const std::string text = "[service]\n" + Repeat("a.", 40000) + "a = 1\n";
  LoadResult r = LoadConfigString(text, "t.toml");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].ToString(),
            "t.toml:2:128: a key with more than 64 dotted parts; sonde refuses it before parsing");
}

TEST(TomlGuard, ATableHeaderOfFortyThousandPartsIsRefused) {
  LoadResult r = LoadConfigString("[" + Repeat("x.", 40000) + "x]\n", "t.toml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("more than 64 dotted parts"), std::string::npos);
}

TEST(TomlGuard, NestingFortyThousandDeepIsRefused) {
  for (const auto& [open, close] : {std::pair{"[", "]"}, std::pair{"{a=", "}"}}) {
    const std::string text = "v = " + Repeat(open, 40000) + Repeat(close, 40000) + "\n";
    LoadResult r = LoadConfigString(text, "t.toml");
    ASSERT_EQ(r.errors.size(), 1u) << open;
    EXPECT_NE(r.errors[0].message.find("nested more than 64 deep"), std::string::npos)
        << r.errors[0].message;
  }
}

// Dots and brackets inside strings and comments are text, not structure.
TEST(TomlGuard, StringsAndCommentsDoNotCount) {
  const std::string dots = Repeat(".", 500), brackets = Repeat("[", 500);
  const std::string text = "# " + dots + brackets + "\n" + "a = \"" + dots + brackets + "\"\n" +
                           "b = '" + dots + "'\n" + "c = \"\"\"\n" + dots + "\n" + brackets +
                           "\"\"\"\n" + "d = '''" + dots + "'''\n" + "e = \"esc\\\"" + dots +
                           "\"\n" + "f = 1.5\ng = 1979-05-27T07:32:00.999Z\n" +
                           Repeat("[", 10) + Repeat("]", 10);
  EXPECT_FALSE(CheckTomlShape(text)) << CheckTomlShape(text)->message;
  EXPECT_FALSE(CheckTomlShape("k = [" + Repeat("[1],", 1000) + "]\n")) << "wide is fine, deep is not";
  EXPECT_FALSE(CheckTomlShape(Repeat("a.", 63) + "a = 1\n"));
  EXPECT_TRUE(CheckTomlShape(Repeat("a.", 64) + "a = 1\n"));
}

// Random damage to every example config: whatever the loader says, it says
// it; it never crashes. (A short form of the fuzzing that found the bug.)
TEST(TomlGuard, DamagedExamplesNeverCrashTheLoader) {
  std::mt19937 rng(20261207);
  const std::string dir = std::string(SONDE_SOURCE_DIR) + "/config/examples";
  int loads = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string original = buffer.str();
    for (int round = 0; round < 300; ++round) {
      std::string text = original;
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !text.empty(); ++e) {
        const size_t at = rng() % text.size();
        switch (rng() % 4) {
          case 0:  // a byte changed
            text[at] = static_cast<char>(rng() % 256);
            break;
          case 1:  // a run of dots or brackets, as the crashing inputs had
            text.insert(at, Repeat(rng() % 2 ? "a." : "[", 1 + static_cast<int>(rng() % 50000)));
            break;
          case 2:  // a piece cut out
            text.erase(at, rng() % 64);
            break;
          default:  // a piece repeated
            text.insert(at, text.substr(at, rng() % 64));
        }
      }
      LoadResult r = LoadConfigString(text, entry.path().filename().string());
      ++loads;
      EXPECT_EQ(r.ok(), r.errors.empty());
    }
  }
  EXPECT_GE(loads, 1500);
}

}  // namespace
}  // namespace sonde
