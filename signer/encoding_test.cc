#include "signer/encoding.h"

#include <gtest/gtest.h>

#include <array>

namespace sonde::signer {
namespace {

TEST(Hex, RoundTrips) {
  const std::vector<uint8_t> bytes = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(ToHex(bytes), "0001abff");
  auto back = FromHex("0001abff", "x");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value(), bytes);
  EXPECT_EQ(FromHex("0001ABFF", "x").value(), bytes);
  EXPECT_EQ(ToHex({}), "");
  EXPECT_TRUE(FromHex("", "x").value().empty());
}

TEST(Hex, RejectsWhatIsNotHexAndNamesTheField) {
  for (const char* bad : {"0", "0g", "00 ", " 00", "0x00", "zz"}) {
    auto r = FromHex(bad, "/share");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidEncoding);
    EXPECT_EQ(r.error().message.rfind("/share: ", 0), 0u) << r.error().message;
  }
}

TEST(Hex, IntoFixedSizeNeedsTheExactLength) {
  std::array<uint8_t, 2> out{};
  EXPECT_TRUE(FromHexInto("beef", out, "k").ok());
  EXPECT_EQ(out[0], 0xbe);
  EXPECT_EQ(out[1], 0xef);
  Status s = FromHexInto("bee", out, "k");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "k: expected 4 hex digits, got 3 characters");
  s = FromHexInto("beefbe", out, "k");
  EXPECT_FALSE(s.ok());
  s = FromHexInto("bexf", out, "k");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(out[0], 0);  // wiped on failure
}

TEST(Base64, RoundTripsWithPadding) {
  const std::string text = "sonde";
  const std::vector<uint8_t> bytes(text.begin(), text.end());
  EXPECT_EQ(ToBase64(bytes), "c29uZGU=");
  auto back = FromBase64("c29uZGU=", "b");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value(), bytes);
  EXPECT_EQ(ToBase64({}), "");
  EXPECT_TRUE(FromBase64("", "b").value().empty());
}

TEST(Base64, RejectsMalformedInput) {
  for (const char* bad : {"c29uZGU", "c29uZGU==", "c29u ZGU=", "c29uZGV=", "!!!!"}) {
    auto r = FromBase64(bad, "b");
    EXPECT_FALSE(r.ok()) << bad;
  }
}

}  // namespace
}  // namespace sonde::signer
