#include "signer/encoding.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

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

// Bitcoin Core, src/test/data/base58_encode_decode.json: every pair.
TEST(Base58, BitcoinCoreVectors) {
  const std::pair<const char*, const char*> kVectors[] = {
      {"", ""},
      {"61", "2g"},
      {"626262", "a3gV"},
      {"636363", "aPEr"},
      {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
      {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
      {"516b6fcd0f", "ABnLTmg"},
      {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
      {"572e4794", "3EFU7m"},
      {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
      {"10c8511e", "Rt5zm"},
      {"00000000000000000000", "1111111111"},
      {"00000000000000000000000000000000000000000000000000000000000000000000000000000000",
       "1111111111111111111111111111111111111111"},
      {"00000000000000000000000000000000000000000000000000000000000000000000000000000001",
       "1111111111111111111111111111111111111112"},

      {"000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5",
       "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"},
      {"271f359e", "zzzzy"},
      {"271f359f", "zzzzz"},
      {"271f35a0", "211111"},
      {"271f35a1", "211112"},
  };
  // Plus the file's 86 zero bytes then ec39d04c37e71e5d591881f6.
  std::vector<std::pair<std::string, std::string>> vectors(std::begin(kVectors),
                                                           std::end(kVectors));
  vectors.emplace_back(std::string(172, '0') + "ec39d04c37e71e5d591881f6",
                       std::string(86, '1') + "5TYzLYH1udmLdzCLM");
  for (const auto& [hex, text] : vectors) {
    auto bytes = FromHex(hex, "vector");
    ASSERT_TRUE(bytes.ok()) << hex;
    EXPECT_EQ(ToBase58(bytes.value()), text) << hex;
    auto back = FromBase58(text, "vector");
    ASSERT_TRUE(back.ok()) << text;
    EXPECT_EQ(ToHex(back.value()), hex) << text;
  }
}

TEST(Base58, AllByteValues) {
  // The last vector of the same file: bytes 0x00..0xff.
  std::vector<uint8_t> bytes(256);
  for (int i = 0; i < 256; ++i) bytes[i] = static_cast<uint8_t>(i);
  const std::string want =
      "1cWB5HCBdLjAuqGGReWE3R3CguuwSjw6RHn39s2yuDRTS5NsBgNiFpWgAnEx6VQi8csexkgYw3mdYrMHr8x9i7aEwP8k"
      "Z7"
      "vccXWqKDvGv3u1GxFKPuAkn8JCPPGDMf3vMMnbzm6Nh9zh1gcNsMvH3ZNLmP5fSG6DGbbi2tuwMWPthr4boWwCxf7ewS"
      "gNQeacyozhKDDQQ1qL5fQFUW52QKUZDZ5fw3KXNQJMcNTcaB723LchjeKun7MuGW5qyCBZYzA1KjofN1gYBV3NqyhQJ"
      "3Ns746GNuf9N2pQPmHz4xpnSrrfCvy6TVVz5d4PdrjeshsWQwpZsZGzvbdAdN8MKV5QsBDY";
  EXPECT_EQ(ToBase58(bytes), want);
  auto back = FromBase58(want, "b");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value(), bytes);
}

// draft-msporny-base58 (IETF), section 5: "Hello World!" and leading zeros.
TEST(Base58, IetfDraftExamples) {
  const std::string hello = "Hello World!";
  EXPECT_EQ(ToBase58(std::span(reinterpret_cast<const uint8_t*>(hello.data()), hello.size())),
            "2NEpo7TZRRrLZSi2U");
  const std::vector<uint8_t> zeros = {0x00, 0x00, 0x28, 0x7f, 0xb4, 0xcd};
  EXPECT_EQ(ToBase58(zeros), "11233QC4");
  auto back = FromBase58("11233QC4", "b");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value(), zeros);
}

TEST(Base58, RejectsCharactersOutsideTheAlphabetNamingTheField) {
  for (const auto& [text, position] :
       {std::pair{"0abc", 1}, {"abO", 3}, {"aIb", 2}, {"ab l", 3}, {"abc\xff", 4}, {"2g=", 3}}) {
    auto r = FromBase58(text, "pubkey");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidEncoding);
    EXPECT_EQ(r.error().message, "pubkey: not valid base58 (character " + std::to_string(position) +
                                     " is outside its alphabet)");
  }
}

}  // namespace
}  // namespace sonde::signer
