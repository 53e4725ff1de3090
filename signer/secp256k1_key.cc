#include "signer/secp256k1_key.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "signer/sodium_init.h"

namespace sonde::signer {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "sonde: libsecp256k1: %s\n", what);
  std::abort();
}

// The process's one context. Created and randomised before any other
// thread can see it; afterwards libsecp256k1 only reads it.
const secp256k1_context* Context() {
  static const secp256k1_context* const ctx = [] {
    EnsureSodium();
    secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (c == nullptr) Die("cannot create a context");
    unsigned char seed[32];
    randombytes_buf(seed, sizeof seed);
    const int ok = secp256k1_context_randomize(c, seed);
    sodium_memzero(seed, sizeof seed);
    if (!ok) Die("cannot randomise the context");
    return c;
  }();
  return ctx;
}

Secp256k1PublicKey SerializeUncompressed(const secp256k1_pubkey& pubkey) {
  unsigned char out[65];
  size_t size = sizeof out;
  if (!secp256k1_ec_pubkey_serialize(Context(), out, &size, &pubkey, SECP256K1_EC_UNCOMPRESSED) ||
      size != 65) {
    Die("cannot serialise a public key");
  }
  Secp256k1PublicKey key;
  std::memcpy(key.data(), out + 1, key.size());  // drop the 0x04 tag
  return key;
}

Error BadSignature(const std::string& why) {
  return MakeError(ErrorCode::kVerificationFailed, "secp256k1 signature: " + why);
}

}  // namespace

Secp256k1Key::Secp256k1Key(SecureBytes secret, const Secp256k1PublicKey& public_key)
    : secret_(std::move(secret)),
      public_key_(public_key),
      address_(EvmAddressFromPublicKey(public_key_)) {}

Secp256k1Key Secp256k1Key::Generate() {
  EnsureSodium();
  SecureBytes secret(kSecp256k1SecretSize);
  // A uniform 32-byte string is a valid secret except with probability
  // about 2^-128 (zero, or n and above); draw again in that case.
  do {
    randombytes_buf(secret.data(), secret.size());
  } while (!secp256k1_ec_seckey_verify(Context(), secret.data()));
  return std::move(FromSecret(secret.span())).value();
}

Result<Secp256k1Key> Secp256k1Key::FromSecret(std::span<const uint8_t> secret) {
  if (secret.size() != kSecp256k1SecretSize) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a secp256k1 secret is 32 bytes, got " + std::to_string(secret.size()));
  }
  SecureBytes own(kSecp256k1SecretSize);
  std::memcpy(own.data(), secret.data(), own.size());
  if (!secp256k1_ec_seckey_verify(Context(), own.data())) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not a valid secp256k1 secret: it must be a number from 1 to n-1 (n the "
                     "curve order)");
  }
  secp256k1_pubkey pubkey;
  if (!secp256k1_ec_pubkey_create(Context(), &pubkey, own.data())) {
    Die("cannot derive the public key of a verified secret");
  }
  return Secp256k1Key(std::move(own), SerializeUncompressed(pubkey));
}

RecoverableSignature Secp256k1Key::SignDigest(const Digest32& digest) const {
  secp256k1_ecdsa_recoverable_signature sig;
  // nullptr nonce function: RFC 6979, libsecp256k1's default.
  if (!secp256k1_ecdsa_sign_recoverable(Context(), &sig, digest.data(), secret_.data(), nullptr,
                                        nullptr)) {
    Die("signing failed");
  }
  unsigned char compact[64];
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(Context(), compact, &recid, &sig);
  RecoverableSignature out;
  std::memcpy(out.r.data(), compact, 32);
  std::memcpy(out.s.data(), compact + 32, 32);
  out.recovery_id = static_cast<uint8_t>(recid);
  return out;
}

Result<EvmAddress> RecoverAddress(const Digest32& digest, const std::array<uint8_t, 32>& r,
                                  const std::array<uint8_t, 32>& s, int recovery_id) {
  if (recovery_id != 0 && recovery_id != 1) {
    return BadSignature("recovery id " + std::to_string(recovery_id) + " is not 0 or 1");
  }
  unsigned char compact[64];
  std::memcpy(compact, r.data(), 32);
  std::memcpy(compact + 32, s.data(), 32);
  secp256k1_ecdsa_recoverable_signature sig;
  // parse_compact refuses r or s at or above n; zero is caught by recover.
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact(Context(), &sig, compact, recovery_id)) {
    return BadSignature("r or s is not below the curve order");
  }
  secp256k1_ecdsa_signature plain;
  secp256k1_ecdsa_recoverable_signature_convert(Context(), &plain, &sig);
  secp256k1_ecdsa_signature normalized;
  if (secp256k1_ecdsa_signature_normalize(Context(), &normalized, &plain)) {
    return BadSignature("s is high (above n/2); EIP-2 refuses such signatures");
  }
  secp256k1_pubkey pubkey;
  if (!secp256k1_ecdsa_recover(Context(), &pubkey, &sig, digest.data())) {
    return BadSignature("no public key recovers from it");
  }
  return EvmAddressFromPublicKey(SerializeUncompressed(pubkey));
}

}  // namespace sonde::signer
