#include "signer/keccak.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "signer/encoding.h"

namespace sonde::signer {
namespace {

std::string Hex(const Keccak256Digest& d) { return ToHex(d); }

// Vectors: Zig's standard library, lib/std/crypto/sha3.zig
// (testKeccak256Single: "", "abc" and the 112-byte message), which checks
// the original Keccak-256 as Ethereum uses it.
TEST(Keccak256, EmptyInput) {
  EXPECT_EQ(Hex(Keccak256(std::string_view(""))),
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(Hex(Keccak256(std::span<const uint8_t>())),
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

TEST(Keccak256, Abc) {
  EXPECT_EQ(Hex(Keccak256(std::string_view("abc"))),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

TEST(Keccak256, OneHundredTwelveBytes) {
  EXPECT_EQ(Hex(Keccak256(std::string_view(
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                "klmnopqrlmnopqrsmnopqrstnopqrstu"))),
            "f519747ed599024f3882238e5ab43960132572b7345fbeb9a90769dafd21ad67");
}

// The pangram's digest as the Ethereum tooling publishes it (e.g. the
// Keccak-256 tests of the `keccak-batch` and `chainlens` vector lists).
TEST(Keccak256, QuickBrownFox) {
  EXPECT_EQ(Hex(Keccak256(std::string_view("The quick brown fox jumps over the lazy dog"))),
            "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
}

TEST(Keccak256, IsNotSha3) {
  // SHA3-256("") (FIPS 202) is a7ffc6f8...; Keccak-256 must differ from it.
  EXPECT_NE(Hex(Keccak256(std::string_view(""))),
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
}

TEST(Keccak256, SpanAndStringAgree) {
  const std::vector<uint8_t> bytes = {'a', 'b', 'c'};
  EXPECT_EQ(Keccak256(bytes), Keccak256(std::string_view("abc")));
}

}  // namespace
}  // namespace sonde::signer
