#include "core/integer.h"

#include <gtest/gtest.h>

namespace sonde {
namespace {

TEST(ParseInteger, ReadsDecimalHexAndSignedText) {
  EXPECT_EQ(ParseInteger("0"), Int256(0));
  EXPECT_EQ(ParseInteger("42"), Int256(42));
  EXPECT_EQ(ParseInteger("-7"), Int256(-7));
  EXPECT_EQ(ParseInteger("+7"), Int256(7));
  EXPECT_EQ(ParseInteger("010"), Int256(10)) << "leading zeros are decimal, not octal";
  EXPECT_EQ(ParseInteger("0x1a"), Int256(26));
  EXPECT_EQ(ParseInteger("0X1A"), Int256(26));
  EXPECT_EQ(ParseInteger("0x0"), Int256(0));
  EXPECT_EQ(ParseInteger("0x000000ff"), Int256(255));
}

TEST(ParseInteger, KeepsEveryDigitAbove2To53) {
  // 2^53 + 1 is the first integer a double cannot hold.
  EXPECT_EQ(ToDecimal(*ParseInteger("9007199254740993")), "9007199254740993");
  // 10,000 ether in wei, as anvil funds its accounts: above 2^64.
  EXPECT_EQ(ToDecimal(*ParseInteger("0x21e19e0c9bab2400000")), "10000000000000000000000");
  const std::string max256 =
      "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  EXPECT_EQ(ToDecimal(*ParseInteger(max256)), max256);
  EXPECT_EQ(ToDecimal(*ParseInteger("0x" + std::string(64, 'f'))), max256);
  EXPECT_EQ(ToHexQuantity(*ParseInteger(max256)), "0x" + std::string(64, 'f'));
}

TEST(ParseInteger, RefusesWhatIsNotAnInteger) {
  for (const char* bad : {"", "-", "0x", "0x-1", "-0x1", "1.5", "1e3", " 1", "1 ", "0xg", "12a",
                          "NaN", "true"}) {
    EXPECT_FALSE(ParseInteger(bad)) << "\"" << bad << "\"";
  }
  // 2^256 does not fit; 2^256 - 1 (above) does.
  EXPECT_FALSE(ParseInteger(
      "115792089237316195423570985008687907853269984665640564039457584007913129639936"));
  EXPECT_FALSE(ParseInteger("0x1" + std::string(64, '0')));
  EXPECT_FALSE(ParseInteger(std::string(100, '9')));
}

TEST(ParseInteger, NarrowsOnlyWhatFits) {
  EXPECT_EQ(ParseUint64("0xffffffffffffffff"), UINT64_MAX);
  EXPECT_FALSE(ParseUint64("0x10000000000000000"));
  EXPECT_FALSE(ParseUint64("-1"));
  EXPECT_EQ(ParseInt64("-9223372036854775808"), INT64_MIN);
  EXPECT_FALSE(ParseInt64("9223372036854775808"));
}

TEST(ToHexQuantity, WritesEthereumQuantities) {
  EXPECT_EQ(ToHexQuantity(0), "0x0");
  EXPECT_EQ(ToHexQuantity(1024), "0x400");
  EXPECT_EQ(ToHexQuantity(-26), "-0x1a");
}

}  // namespace
}  // namespace sonde
