#include "signer/rlp.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "signer/encoding.h"

namespace sonde::signer {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Str(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes EncStr(std::string_view s) {
  Bytes out;
  RlpAppendBytes(&out, Str(s));
  return out;
}

Bytes EncInt(const Int256& v) {
  Bytes out;
  EXPECT_TRUE(RlpAppendInteger(&out, v, "v").ok());
  return out;
}

Bytes List(std::initializer_list<Bytes> items) {
  Bytes payload;
  for (const Bytes& item : items) payload.insert(payload.end(), item.begin(), item.end());
  Bytes out;
  RlpAppendList(&out, payload);
  return out;
}

std::string Hex(const Bytes& b) { return ToHex(b); }

// The examples of ethereum.org's "Recursive-length prefix (RLP)
// serialization" page (the Yellow Paper, appendix B, worked through).
TEST(Rlp, CanonicalExamples) {
  EXPECT_EQ(EncStr("dog"), (Bytes{0x83, 'd', 'o', 'g'}));
  EXPECT_EQ(List({EncStr("cat"), EncStr("dog")}),
            (Bytes{0xc8, 0x83, 'c', 'a', 't', 0x83, 'd', 'o', 'g'}));
  EXPECT_EQ(EncStr(""), (Bytes{0x80}));
  EXPECT_EQ(List({}), (Bytes{0xc0}));
  EXPECT_EQ(EncInt(0), (Bytes{0x80}));
  EXPECT_EQ(EncStr(std::string_view("\x00", 1)), (Bytes{0x00}));
  EXPECT_EQ(EncStr("\x0f"), (Bytes{0x0f}));
  EXPECT_EQ(EncInt(15), (Bytes{0x0f}));
  EXPECT_EQ(EncInt(1024), (Bytes{0x82, 0x04, 0x00}));
  // The set-theoretical representation of three, [ [], [[]], [ [], [[]] ] ].
  const Bytes empty = List({});
  EXPECT_EQ(List({empty, List({empty}), List({empty, List({empty})})}),
            (Bytes{0xc7, 0xc0, 0xc1, 0xc0, 0xc3, 0xc0, 0xc1, 0xc0}));
  Bytes lorem = {0xb8, 0x38};
  const Bytes text = Str("Lorem ipsum dolor sit amet, consectetur adipisicing elit");
  ASSERT_EQ(text.size(), 56u);
  lorem.insert(lorem.end(), text.begin(), text.end());
  EXPECT_EQ(EncStr("Lorem ipsum dolor sit amet, consectetur adipisicing elit"), lorem);
}

// ethereum/tests, RLPTests/rlptest.json.
TEST(Rlp, EthereumTestsStrings) {
  EXPECT_EQ(Hex(EncStr(std::string_view("\x00", 1))), "00");
  EXPECT_EQ(Hex(EncStr("\x01")), "01");
  EXPECT_EQ(Hex(EncStr("\x7f")), "7f");
  EXPECT_EQ(Hex(EncStr("\x80")), "8180");  // not in the file: the first byte that needs a prefix
  // shortstring2: 55 bytes, the longest with a one-byte header.
  EXPECT_EQ(Hex(EncStr("Lorem ipsum dolor sit amet, consectetur adipisicing eli")),
            "b74c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e73656374657475722061"
            "64697069736963696e6720656c69");
}

TEST(Rlp, EthereumTestsIntegers) {
  EXPECT_EQ(Hex(EncInt(0)), "80");
  EXPECT_EQ(Hex(EncInt(1)), "01");
  EXPECT_EQ(Hex(EncInt(16)), "10");
  EXPECT_EQ(Hex(EncInt(79)), "4f");
  EXPECT_EQ(Hex(EncInt(127)), "7f");
  EXPECT_EQ(Hex(EncInt(128)), "8180");
  EXPECT_EQ(Hex(EncInt(1000)), "8203e8");
  EXPECT_EQ(Hex(EncInt(100000)), "830186a0");
  EXPECT_EQ(Hex(EncInt(*ParseInteger("83729609699884896815286331701780722"))),
            "8f102030405060708090a0b0c0d0e0f2");
  EXPECT_EQ(Hex(EncInt(*ParseInteger(
                "105315505618206987246253880190783558935785933862974822347068935681"))),
            "9c0100020003000400050006000700080009000a000b000c000d000e01");
  // The file's "bigint" is 2^256, one past what a uint256 field holds; its
  // largest value, 2^256 - 1, is 32 bytes of 0xff behind 0xa0.
  EXPECT_EQ(Hex(EncInt(*ParseInteger("0x" + std::string(64, 'f')))), "a0" + std::string(64, 'f'));
}

TEST(Rlp, Uint64AgreesWithInt256) {
  for (uint64_t v : {0ull, 1ull, 15ull, 127ull, 128ull, 255ull, 256ull, 1024ull, 100000ull,
                     0xffffffffull, 0x100000000ull, ~0ull}) {
    Bytes a;
    RlpAppendUint(&a, v);
    EXPECT_EQ(a, EncInt(Int256(v))) << v;
  }
  Bytes max;
  RlpAppendUint(&max, ~0ull);
  EXPECT_EQ(Hex(max), "88ffffffffffffffff");
}

TEST(Rlp, EthereumTestsLists) {
  EXPECT_EQ(Hex(List({EncStr("dog"), EncStr("god"), EncStr("cat")})), "cc83646f6783676f6483636174");
  EXPECT_EQ(Hex(List({EncStr("zw"), List({EncInt(4)}), EncInt(1)})), "c6827a77c10401");
  EXPECT_EQ(Hex(List({List({List({}), List({})}), List({})})), "c4c2c0c0c0");
  EXPECT_EQ(
      Hex(List({List({EncStr("key1"), EncStr("val1")}), List({EncStr("key2"), EncStr("val2")}),
                List({EncStr("key3"), EncStr("val3")}), List({EncStr("key4"), EncStr("val4")})})),
      "ecca846b6579318476616c31ca846b6579328476616c32ca846b6579338476616c33ca846b657934847661"
      "6c34");

  // shortListMax1: a 55-byte payload, the longest with a one-byte header.
  Bytes payload;
  const char* words[] = {"asdf", "qwer", "zxcv"};
  for (int i = 0; i < 11; ++i) RlpAppendBytes(&payload, Str(words[i % 3]));
  Bytes short_max;
  RlpAppendList(&short_max, payload);
  EXPECT_EQ(Hex(short_max),
            "f784617364668471776572847a78637684617364668471776572847a78637684617364668471776572847a"
            "78637684617364668471776572");

  // longList1 (4 items, 64 bytes: header f840) and longList2 (32 items, 512
  // bytes: header f90200, a two-byte length).
  const Bytes triple = List({EncStr("asdf"), EncStr("qwer"), EncStr("zxcv")});
  EXPECT_EQ(Hex(triple), "cf84617364668471776572847a786376");
  for (auto [count, header] :
       {std::pair{4, std::string("f840")}, std::pair{32, std::string("f90200")}}) {
    Bytes items;
    for (int i = 0; i < count; ++i) items.insert(items.end(), triple.begin(), triple.end());
    Bytes list;
    RlpAppendList(&list, items);
    std::string want = header;
    for (int i = 0; i < count; ++i) want += Hex(triple);
    EXPECT_EQ(Hex(list), want) << count;
  }
}

TEST(Rlp, LongStringLengthOfLength) {
  // 1024 bytes: 0xb9 (two length bytes) then 0x0400.
  Bytes out;
  RlpAppendBytes(&out, Bytes(1024, 'a'));
  ASSERT_EQ(out.size(), 1027u);
  EXPECT_EQ(Hex(Bytes(out.begin(), out.begin() + 3)), "b90400");
  // 256 bytes: 0xb9 0x0100; 255 bytes: 0xb8 0xff.
  out.clear();
  RlpAppendBytes(&out, Bytes(256, 0));
  EXPECT_EQ(Hex(Bytes(out.begin(), out.begin() + 3)), "b90100");
  out.clear();
  RlpAppendBytes(&out, Bytes(255, 0));
  EXPECT_EQ(Hex(Bytes(out.begin(), out.begin() + 2)), "b8ff");
}

TEST(Rlp, RefusesNegativeIntegersNamingTheField) {
  Bytes out = {0xaa};
  Status s = RlpAppendInteger(&out, -1, "value");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().message, "value: must not be negative (got -1)");
  EXPECT_EQ(out, Bytes{0xaa});  // nothing appended
}

TEST(Rlp, MinimalBigEndian) {
  EXPECT_TRUE(MinimalBigEndian(0).empty());
  EXPECT_EQ(MinimalBigEndian(1), Bytes{1});
  EXPECT_EQ(MinimalBigEndian(0x0100), (Bytes{1, 0}));
  EXPECT_EQ(Hex(MinimalBigEndian(*ParseInteger("1000000000000000000"))), "0de0b6b3a7640000");
}

}  // namespace
}  // namespace sonde::signer
