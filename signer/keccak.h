// Keccak-256 as Ethereum uses it: the original Keccak submission (padding
// byte 0x01), not NIST's SHA3-256 (padding 0x06), which gives different
// digests. Addresses, transaction hashes and signing hashes all use it.
// Crypto++'s Keccak_256 does the work; its headers stay in keccak.cc.
// Thread-safety: a pure function.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace sonde::signer {

inline constexpr size_t kKeccak256Size = 32;
using Keccak256Digest = std::array<uint8_t, kKeccak256Size>;

Keccak256Digest Keccak256(std::span<const uint8_t> data);
// The bytes of `text` as they are (no encoding, no terminator).
Keccak256Digest Keccak256(std::string_view text);

}  // namespace sonde::signer
