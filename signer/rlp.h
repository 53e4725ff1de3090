// RLP, the Recursive Length Prefix encoding of the Ethereum Yellow Paper
// (appendix B): the serialisation of EVM transactions. Encoding only; sonde
// never needs to parse RLP. Hand-written because no Debian package offers
// it, and it is short: a byte string or a list gets a length prefix, an
// integer is its minimal big-endian bytes (zero is the empty string).
//
// Build a list by appending its items to one buffer, then wrapping that
// buffer with RlpAppendList into the outer one.
//
// Thread-safety: pure functions over the caller's buffers.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/integer.h"
#include "signer/result.h"

namespace sonde::signer {

// A single byte below 0x80 is itself; otherwise a length prefix and the bytes.
void RlpAppendBytes(std::vector<uint8_t>* out, std::span<const uint8_t> bytes);

// An unsigned integer as its minimal big-endian bytes (0 -> 0x80).
void RlpAppendUint(std::vector<uint8_t>* out, uint64_t value);

// The same for up to 256 bits. A negative value has no RLP form:
// kInvalidArgument naming `what`, and nothing is appended.
Status RlpAppendInteger(std::vector<uint8_t>* out, const Int256& value, std::string_view what);

// A list whose items' encodings, concatenated, are `payload`.
void RlpAppendList(std::vector<uint8_t>* out, std::span<const uint8_t> payload);

// The minimal big-endian bytes of a non-negative value: empty for zero,
// never a leading zero byte. REQUIRES: value >= 0.
std::vector<uint8_t> MinimalBigEndian(const Int256& value);

}  // namespace sonde::signer
