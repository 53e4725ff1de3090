#include "signer/frost/hash.h"

#include <sodium.h>

#include "signer/sodium_init.h"

namespace sonde::signer::frost {
namespace {

Bytes AsBytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

// SHA-512 over contextString || label || m, or over m alone when label is
// empty and with_context is false.
Digest Sha512(bool with_context, std::string_view label, std::initializer_list<Bytes> m) {
  EnsureSodium();
  crypto_hash_sha512_state state;
  crypto_hash_sha512_init(&state);
  if (with_context) {
    crypto_hash_sha512_update(&state, AsBytes(kContextString).data(), kContextString.size());
    crypto_hash_sha512_update(&state, AsBytes(label).data(), label.size());
  }
  for (Bytes part : m) crypto_hash_sha512_update(&state, part.data(), part.size());
  Digest out;
  crypto_hash_sha512_final(&state, out.data());
  // The state has absorbed nonce inputs (which include a secret share).
  sodium_memzero(&state, sizeof state);
  return out;
}

Scalar Reduce(Digest d) {
  Scalar s = Scalar::ReduceWide(d);
  sodium_memzero(d.data(), d.size());
  return s;
}

}  // namespace

Scalar H1(std::initializer_list<Bytes> m) { return Reduce(Sha512(true, "rho", m)); }
Scalar H2(std::initializer_list<Bytes> m) { return Reduce(Sha512(false, "", m)); }
Scalar H3(std::initializer_list<Bytes> m) { return Reduce(Sha512(true, "nonce", m)); }
Digest H4(std::initializer_list<Bytes> m) { return Sha512(true, "msg", m); }
Digest H5(std::initializer_list<Bytes> m) { return Sha512(true, "com", m); }

}  // namespace sonde::signer::frost
