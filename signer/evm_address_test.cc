#include "signer/evm_address.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "signer/encoding.h"

namespace sonde::signer {
namespace {

// Every example of EIP-55 ("Test Cases", ethereum/ERCs ERCS/erc-55.md):
// addresses whose checksum happens to be all caps, all lower, and normal.
const char* const kEip55Examples[] = {
    "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string UpperDigits(const std::string& s) {
  std::string out = s;
  std::transform(out.begin() + 2, out.end(), out.begin() + 2,
                 [](unsigned char c) { return std::toupper(c); });
  return out;
}

TEST(EvmAddress, ChecksumsEveryEip55Example) {
  for (const std::string example : kEip55Examples) {
    auto bytes = FromHex(Lower(example.substr(2)), "example");
    ASSERT_TRUE(bytes.ok());
    EvmAddress address;
    std::copy(bytes->begin(), bytes->end(), address.begin());
    EXPECT_EQ(ToChecksumAddress(address), example);
  }
}

TEST(EvmAddress, ParsesEveryEip55ExampleInEveryAcceptedSpelling) {
  for (const std::string example : kEip55Examples) {
    const std::string lower = Lower(example);
    for (const std::string& text : {example, lower, UpperDigits(lower)}) {
      auto parsed = ParseEvmAddress(text, "to");
      ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
      EXPECT_EQ(ToHex(parsed.value()), lower.substr(2)) << text;
    }
  }
}

TEST(EvmAddress, RefusesAWrongChecksumNamingTheField) {
  for (const std::string example : kEip55Examples) {
    // Swap the case of the last letter: the all-caps and all-lower examples
    // become mixed case, the normal ones a different mixed case; all wrong.
    std::string typo = example;
    for (size_t i = typo.size(); i-- > 2;) {
      if (std::isalpha(static_cast<unsigned char>(typo[i]))) {
        typo[i] = std::islower(static_cast<unsigned char>(typo[i])) ? std::toupper(typo[i])
                                                                    : std::tolower(typo[i]);
        break;
      }
    }
    auto parsed = ParseEvmAddress(typo, "vars.to");
    ASSERT_FALSE(parsed.ok()) << typo;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidEncoding);
    EXPECT_EQ(parsed.error().message,
              "vars.to: the EIP-55 checksum is wrong (the mixed-case letters do not match the "
              "address; it may be mistyped)");
  }
}

TEST(EvmAddress, RefusesMalformedText) {
  const std::string ok = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed";
  for (const std::string& text :
       {std::string(""), ok.substr(2), "0X" + ok.substr(2), ok.substr(0, 41), ok + "0",
        " " + ok.substr(1), std::string("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg")}) {
    auto parsed = ParseEvmAddress(text, "to");
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidEncoding) << text;
    EXPECT_EQ(parsed.error().message.rfind("to: an EVM address is \"0x\" and 40 hex digits", 0), 0u)
        << parsed.error().message;
  }
}

TEST(EvmAddress, FromPublicKeyIsTheLastTwentyBytesOfItsKeccak) {
  // The public key of secret 1 is the generator G; its address,
  // 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf, is the one every EVM tool
  // derives for private key 0x00..01 (e.g. ethers.js, `cast wallet address`).
  auto g = FromHex(
      "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
      "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
      "G");
  ASSERT_TRUE(g.ok());
  std::array<uint8_t, kSecp256k1PublicKeySize> key;
  std::copy(g->begin(), g->end(), key.begin());
  EXPECT_EQ(ToChecksumAddress(EvmAddressFromPublicKey(key)),
            "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
}

}  // namespace
}  // namespace sonde::signer
