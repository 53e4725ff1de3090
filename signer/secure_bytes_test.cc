#include "signer/secure_bytes.h"

#include <gtest/gtest.h>

#include <cstring>
#include <utility>

namespace sonde::signer {
namespace {

TEST(SecureBytes, StartsZeroed) {
  SecureBytes b(48);
  ASSERT_EQ(b.size(), 48u);
  for (uint8_t x : b.span()) EXPECT_EQ(x, 0);
}

TEST(SecureBytes, CloneIsAnIndependentCopy) {
  SecureBytes a(4);
  std::memcpy(a.data(), "abcd", 4);
  SecureBytes b = a.Clone();
  EXPECT_TRUE(b.Equals(a.span()));
  b.data()[0] = 'z';
  EXPECT_FALSE(b.Equals(a.span()));
  EXPECT_EQ(a.data()[0], 'a');
}

TEST(SecureBytes, MoveTransfersOwnership) {
  SecureBytes a(8);
  a.data()[7] = 9;
  uint8_t* p = a.data();
  SecureBytes b(std::move(a));
  EXPECT_EQ(b.data(), p);
  EXPECT_EQ(b.data()[7], 9);
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): the contract under test
  SecureBytes c(1);
  c = std::move(b);
  EXPECT_EQ(c.size(), 8u);
  EXPECT_EQ(c.data()[7], 9);
}

TEST(SecureBytes, EqualsComparesSizeAndContent) {
  SecureBytes a(3);
  const uint8_t zeros[3] = {0, 0, 0};
  const uint8_t other[3] = {0, 1, 0};
  EXPECT_TRUE(a.Equals(zeros));
  EXPECT_FALSE(a.Equals(other));
  EXPECT_FALSE(a.Equals(std::span(zeros, 2)));
}

}  // namespace
}  // namespace sonde::signer
