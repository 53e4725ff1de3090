// EVM account addresses: the last 20 bytes of the Keccak-256 of an
// uncompressed secp256k1 public key (X || Y, 64 bytes, no 0x04 prefix),
// written as "0x" and 40 hex digits with the EIP-55 mixed-case checksum.
//
// Parsing follows EIP-55 as wallets do: all-lowercase and all-uppercase
// digits carry no checksum and are accepted; mixed case is a checksum and
// must be right, so a mistyped address is refused instead of being funded.
//
// Thread-safety: pure functions over values.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "signer/result.h"

namespace sonde::signer {

inline constexpr size_t kEvmAddressSize = 20;
inline constexpr size_t kSecp256k1PublicKeySize = 64;  // X || Y, big-endian

using EvmAddress = std::array<uint8_t, kEvmAddressSize>;

EvmAddress EvmAddressFromPublicKey(std::span<const uint8_t, kSecp256k1PublicKeySize> public_key);

// "0x" and 40 hex digits, letters capitalised per EIP-55.
std::string ToChecksumAddress(const EvmAddress& address);

// "0x" (lowercase x) and 40 hex digits. kInvalidEncoding, naming `what`,
// for anything else and for a mixed-case address whose checksum is wrong.
Result<EvmAddress> ParseEvmAddress(std::string_view text, std::string_view what);

}  // namespace sonde::signer
