// secp256k1 keys for EVM chains, on libsecp256k1 (its headers stay in
// secp256k1_key.cc): the 32-byte secret in SecureBytes, the uncompressed
// public key (X || Y), the EVM address, and recoverable ECDSA signatures
// over 32-byte digests. Nonces are RFC 6979 (libsecp256k1's default), so a
// signature is a function of key and digest; s is always low (s <= n/2), as
// Ethereum requires since Homestead (EIP-2).
//
// One libsecp256k1 context serves the process: created on first use
// (thread-safely, as a function-local static) and randomised with
// libsodium's randombytes against side channels. libsecp256k1 allows
// concurrent use of a context for signing and recovery.
//
// Thread-safety: a Secp256k1Key is immutable after construction, so
// concurrent SignDigest() calls are safe.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "signer/evm_address.h"
#include "signer/result.h"
#include "signer/secure_bytes.h"

namespace sonde::signer {

inline constexpr size_t kSecp256k1SecretSize = 32;

using Secp256k1PublicKey = std::array<uint8_t, kSecp256k1PublicKeySize>;
using Digest32 = std::array<uint8_t, 32>;

struct RecoverableSignature {
  std::array<uint8_t, 32> r;  // big-endian
  std::array<uint8_t, 32> s;  // big-endian, low (<= n/2)
  uint8_t recovery_id;        // 0 or 1: the parity of the nonce point's Y
};

class Secp256k1Key {
 public:
  static Secp256k1Key Generate();
  // kInvalidArgument unless `secret` is 32 bytes encoding a number in
  // [1, n-1] (n the group order). The message never holds the bytes.
  static Result<Secp256k1Key> FromSecret(std::span<const uint8_t> secret);

  // What a key file stores.
  const SecureBytes& secret() const { return secret_; }
  const Secp256k1PublicKey& public_key() const { return public_key_; }
  const EvmAddress& address() const { return address_; }

  // Signs a 32-byte digest (a Keccak-256 signing hash). Cannot fail for a
  // valid key; if libsecp256k1 ever refused, the process aborts rather than
  // hand back a bad signature.
  RecoverableSignature SignDigest(const Digest32& digest) const;

 private:
  Secp256k1Key(SecureBytes secret, const Secp256k1PublicKey& public_key);

  SecureBytes secret_;
  Secp256k1PublicKey public_key_;
  EvmAddress address_;
};

// The address of the key that made (r, s, recovery_id) over `digest`, as an
// EVM node recovers a transaction's sender. kVerificationFailed when r or s
// is zero or not below n, s is high (EIP-2), recovery_id is not 0 or 1, or
// no key recovers.
Result<EvmAddress> RecoverAddress(const Digest32& digest, const std::array<uint8_t, 32>& r,
                                  const std::array<uint8_t, 32>& s, int recovery_id);

}  // namespace sonde::signer
