#include "signer/evm_address.h"

#include <cstring>

#include "signer/encoding.h"
#include "signer/keccak.h"

namespace sonde::signer {
namespace {

bool IsLowerHexLetter(char c) { return c >= 'a' && c <= 'f'; }
bool IsUpperHexLetter(char c) { return c >= 'A' && c <= 'F'; }

// Nibble i of the digest: the EIP-55 rule capitalises hex letter i when it is >= 8.
int Nibble(const Keccak256Digest& digest, size_t i) {
  const uint8_t byte = digest[i / 2];
  return i % 2 == 0 ? byte >> 4 : byte & 0x0f;
}

}  // namespace

EvmAddress EvmAddressFromPublicKey(std::span<const uint8_t, kSecp256k1PublicKeySize> public_key) {
  const Keccak256Digest digest = Keccak256(std::span<const uint8_t>(public_key));
  EvmAddress address;
  std::memcpy(address.data(), digest.data() + digest.size() - kEvmAddressSize, kEvmAddressSize);
  return address;
}

std::string ToChecksumAddress(const EvmAddress& address) {
  std::string lower = ToHex(address);  // lowercase: what EIP-55 hashes
  const Keccak256Digest digest = Keccak256(std::string_view(lower));
  for (size_t i = 0; i < lower.size(); ++i) {
    if (IsLowerHexLetter(lower[i]) && Nibble(digest, i) >= 8) lower[i] = lower[i] - 'a' + 'A';
  }
  return "0x" + lower;
}

Result<EvmAddress> ParseEvmAddress(std::string_view text, std::string_view what) {
  const std::string name(what);
  if (text.size() != 2 + 2 * kEvmAddressSize || text.substr(0, 2) != "0x") {
    return MakeError(ErrorCode::kInvalidEncoding,
                     name + ": an EVM address is \"0x\" and 40 hex digits, got " +
                         std::to_string(text.size()) + " characters");
  }
  const std::string_view digits = text.substr(2);
  bool has_lower = false, has_upper = false;
  for (char c : digits) {
    has_lower |= IsLowerHexLetter(c);
    has_upper |= IsUpperHexLetter(c);
  }
  EvmAddress address;
  if (!FromHexInto(digits, address, name).ok()) {
    return MakeError(
        ErrorCode::kInvalidEncoding,
        name + ": an EVM address is \"0x\" and 40 hex digits; it has other characters");
  }
  if (has_lower && has_upper && ToChecksumAddress(address).substr(2) != digits) {
    return MakeError(ErrorCode::kInvalidEncoding,
                     name +
                         ": the EIP-55 checksum is wrong (the mixed-case letters do not match "
                         "the address; it may be mistyped)");
  }
  return address;
}

}  // namespace sonde::signer
