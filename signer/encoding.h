// Hex and base64 for bytes, on libsodium's constant-time codecs (so secret
// bytes may pass through them), and base58 for public identifiers (Bitcoin's
// alphabet, as Solana and IPFS use it). Decoding is strict: hex is lowercase
// or uppercase digits with nothing else around them; base64 is the standard
// alphabet with padding; base58 is its alphabet only. Errors name the field
// (`what`) but never echo the input, which may be secret. Thread-safe: pure
// functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "signer/result.h"

namespace sonde::signer {

std::string ToHex(std::span<const uint8_t> bytes);
Result<std::vector<uint8_t>> FromHex(std::string_view hex, std::string_view what);
// Exactly out.size() bytes, written into `out` (which may be secure memory).
Status FromHexInto(std::string_view hex, std::span<uint8_t> out, std::string_view what);

std::string ToBase64(std::span<const uint8_t> bytes);
Result<std::vector<uint8_t>> FromBase64(std::string_view text, std::string_view what);

// Base58 with Bitcoin's alphabet (digits and letters without 0, O, I and l):
// the bytes as one big-endian number in base 58, and each leading zero byte
// as a leading '1'. Not constant-time: for public data
// (addresses, public keys), not for secrets. No checksum (not Base58Check).
std::string ToBase58(std::span<const uint8_t> bytes);
Result<std::vector<uint8_t>> FromBase58(std::string_view text, std::string_view what);

}  // namespace sonde::signer
