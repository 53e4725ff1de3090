#include "signer/ed25519.h"

#include <sodium.h>

#include <cstring>
#include <string>

#include "signer/encoding.h"
#include "signer/sodium_init.h"

namespace sonde::signer {

KeyPair::KeyPair(SecureBytes seed, SecureBytes secret_key, const PublicKey& public_key)
    : seed_(std::move(seed)), secret_key_(std::move(secret_key)), public_key_(public_key) {}

KeyPair KeyPair::Generate() {
  EnsureSodium();
  SecureBytes seed(kEd25519SeedSize);
  randombytes_buf(seed.data(), seed.size());
  return std::move(FromSeed(seed.span())).value();  // a 32-byte seed cannot fail
}

Result<KeyPair> KeyPair::FromSeed(std::span<const uint8_t> seed) {
  EnsureSodium();
  if (seed.size() != kEd25519SeedSize) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "an Ed25519 seed is 32 bytes, got " + std::to_string(seed.size()));
  }
  SecureBytes own_seed(kEd25519SeedSize);
  std::memcpy(own_seed.data(), seed.data(), kEd25519SeedSize);
  SecureBytes secret_key(crypto_sign_SECRETKEYBYTES);
  PublicKey public_key;
  crypto_sign_seed_keypair(public_key.data(), secret_key.data(), own_seed.data());
  return KeyPair(std::move(own_seed), std::move(secret_key), public_key);
}

Signature KeyPair::Sign(std::span<const uint8_t> message) const {
  Signature signature;
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(),
                       secret_key_.data());
  return signature;
}

Status Verify(const PublicKey& public_key, std::span<const uint8_t> message,
              const Signature& signature) {
  EnsureSodium();
  if (crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                  public_key.data()) != 0) {
    return MakeError(ErrorCode::kVerificationFailed, "Ed25519 signature does not verify");
  }
  return Status::Ok();
}

Result<PublicKey> PublicKeyFromHex(std::string_view hex, std::string_view what) {
  PublicKey key;
  Status s = FromHexInto(hex, key, what);
  if (!s.ok()) return s.error();
  return key;
}

Result<Signature> SignatureFromHex(std::string_view hex, std::string_view what) {
  Signature signature;
  Status s = FromHexInto(hex, signature, what);
  if (!s.ok()) return s.error();
  return signature;
}

}  // namespace sonde::signer
