// Ed25519 (RFC 8032) key pairs, detached signatures and verification, on
// libsodium's crypto_sign. The seed and the expanded secret key live in
// SecureBytes; the public key and signatures are plain values.
// Thread-safety: a KeyPair is immutable after construction, so concurrent
// Sign() calls are safe.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "signer/result.h"
#include "signer/secure_bytes.h"

namespace sonde::signer {

inline constexpr size_t kEd25519SeedSize = 32;
inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;

using PublicKey = std::array<uint8_t, kEd25519PublicKeySize>;
using Signature = std::array<uint8_t, kEd25519SignatureSize>;

class KeyPair {
 public:
  static KeyPair Generate();
  // `seed` must be kEd25519SeedSize bytes.
  static Result<KeyPair> FromSeed(std::span<const uint8_t> seed);

  const PublicKey& public_key() const { return public_key_; }
  // The 32-byte seed the pair derives from; what a key file stores.
  const SecureBytes& seed() const { return seed_; }
  Signature Sign(std::span<const uint8_t> message) const;

 private:
  KeyPair(SecureBytes seed, SecureBytes secret_key, const PublicKey& public_key);

  SecureBytes seed_;
  SecureBytes secret_key_;  // libsodium's 64-byte form: seed || public key
  PublicKey public_key_;
};

// kVerificationFailed unless `signature` is a valid signature of `message`
// under `public_key` (libsodium also rejects non-canonical and small-order
// keys and R values).
Status Verify(const PublicKey& public_key, std::span<const uint8_t> message,
              const Signature& signature);

Result<PublicKey> PublicKeyFromHex(std::string_view hex, std::string_view what);
Result<Signature> SignatureFromHex(std::string_view hex, std::string_view what);

}  // namespace sonde::signer
