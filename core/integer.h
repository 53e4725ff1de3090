// Exact integers as chains write them. A chain answers with JSON numbers
// ("42"), hex quantities ("0x1a", Ethereum's JSON-RPC) or decimal strings
// ("9", etcd and Cosmos); wei balances pass 2^64 and must never go through a
// double. Everything sonde reads as a number (extractions compared with
// lt/le/gt/ge, chain heights, nonces, balances, transaction fields) goes
// through ParseInteger, so the three spellings mean the same thing
// everywhere.
//
// Thread-safety: pure functions over values.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace sonde {

// Signed, 256 bits of magnitude (so every uint256 fits), and checked:
// arithmetic that overflows throws std::overflow_error instead of wrapping.
using Int256 = boost::multiprecision::checked_int256_t;

// "123", "-7", "+7" (decimal), "0x1a" / "0X1A" (hex, no sign). Leading zeros
// are decimal, never octal ("010" is ten). nullopt for anything else: empty
// text, spaces, a fraction, an exponent, "0x" alone, or a magnitude of 2^256
// or more.
std::optional<Int256> ParseInteger(std::string_view text);

// The same, but only values that fit the target type (nonces, heights).
std::optional<uint64_t> ParseUint64(std::string_view text);
std::optional<int64_t> ParseInt64(std::string_view text);

std::string ToDecimal(const Int256& value);
// Ethereum's quantity encoding: "0x" then lowercase hex without leading
// zeros ("0x0" for zero). Negative values have no such form: "-0x..".
std::string ToHexQuantity(const Int256& value);

}  // namespace sonde
