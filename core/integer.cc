#include "core/integer.h"

#include <limits>
#include <stdexcept>

namespace sonde {
namespace {

bool AllOf(std::string_view s, bool (*pred)(char)) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

std::optional<Int256> ParseInteger(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::string_view digits = text.substr(2);
    if (!AllOf(digits, IsHexDigit)) return std::nullopt;
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    if (digits.size() > 64) return std::nullopt;
    Int256 value = 0;
    for (char c : digits) {
      const int d = IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
      value = (value << 4) | d;
    }
    return value;
  }
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || !AllOf(text, IsDigit)) return std::nullopt;
  // 2^256 has 78 decimal digits; anything longer (after leading zeros)
  // cannot fit, and the checked multiply below catches the 78-digit ones.
  while (text.size() > 1 && text.front() == '0') text.remove_prefix(1);
  if (text.size() > 78) return std::nullopt;
  try {
    Int256 value = 0;
    for (char c : text) value = value * 10 + (c - '0');
    return negative ? Int256(-value) : value;
  } catch (const std::overflow_error&) {
    return std::nullopt;
  }
}

std::optional<uint64_t> ParseUint64(std::string_view text) {
  std::optional<Int256> v = ParseInteger(text);
  if (!v || *v < 0 || *v > std::numeric_limits<uint64_t>::max()) return std::nullopt;
  return v->convert_to<uint64_t>();
}

std::optional<int64_t> ParseInt64(std::string_view text) {
  std::optional<Int256> v = ParseInteger(text);
  if (!v || *v < std::numeric_limits<int64_t>::min() || *v > std::numeric_limits<int64_t>::max())
    return std::nullopt;
  return v->convert_to<int64_t>();
}

std::string ToDecimal(const Int256& value) { return value.str(); }

std::string ToHexQuantity(const Int256& value) {
  Int256 magnitude = value < 0 ? Int256(-value) : value;
  std::string digits;
  do {
    const int d = static_cast<int>(magnitude & 0xf);
    digits.push_back("0123456789abcdef"[d]);
    magnitude >>= 4;
  } while (magnitude != 0);
  return std::string(value < 0 ? "-0x" : "0x") + std::string(digits.rbegin(), digits.rend());
}

}  // namespace sonde
