#include "signer/frost/scalar_point.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "signer/sodium_init.h"

namespace sonde::signer::frost {
namespace {

// L = 2^252 + 27742317777372353535851937790883648493, little-endian.
constexpr std::array<uint8_t, kScalarSize> kOrder = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

// The identity (0, 1) in RFC 8032 encoding.
constexpr std::array<uint8_t, kElementSize> kIdentity = {1};

// libsodium reports failure only for inputs the types above rule out, so a
// failure here is a bug in this file, not bad input: stop rather than compute
// with garbage.
[[noreturn]] void InvariantViolated(const char* what) {
  std::fprintf(stderr, "sonde: FROST group invariant violated: %s\n", what);
  std::abort();
}

// bytes < L, in time independent of the value (shares are decoded with it).
// Walks from the most significant byte keeping "all higher bytes were equal"
// and "already known to be smaller" as masks.
bool LessThanOrder(std::span<const uint8_t> bytes) {
  unsigned smaller = 0;
  unsigned equal = 1;
  for (int i = kScalarSize - 1; i >= 0; --i) {
    unsigned a = bytes[i];
    unsigned b = kOrder[i];
    smaller |= ((a - b) >> 8) & equal;
    equal &= ((a ^ b) - 1) >> 8;
  }
  return smaller != 0;
}

}  // namespace

Scalar::~Scalar() { sodium_memzero(b_.data(), b_.size()); }

Result<Scalar> Scalar::Decode(std::span<const uint8_t> bytes, std::string_view what) {
  if (bytes.size() != kScalarSize) {
    return MakeError(
        ErrorCode::kInvalidEncoding,
        std::string(what) + ": a scalar is 32 bytes, got " + std::to_string(bytes.size()));
  }
  if (!LessThanOrder(bytes)) {
    return MakeError(ErrorCode::kNonCanonicalScalar,
                     std::string(what) + ": scalar is not canonical (not below the group order)");
  }
  Scalar s;
  std::memcpy(s.b_.data(), bytes.data(), kScalarSize);
  return s;
}

Scalar Scalar::FromU64(uint64_t v) {
  Scalar s;
  for (size_t i = 0; i < 8; ++i) s.b_[i] = static_cast<uint8_t>(v >> (8 * i));
  return s;
}

Scalar Scalar::ReduceWide(std::span<const uint8_t, 64> wide) {
  EnsureSodium();
  Scalar s;
  crypto_core_ed25519_scalar_reduce(s.b_.data(), wide.data());
  return s;
}

Scalar Scalar::Random() {
  EnsureSodium();
  Scalar s;
  crypto_core_ed25519_scalar_random(s.b_.data());  // uniform in [1, L)
  return s;
}

bool Scalar::IsZero() const { return sodium_is_zero(b_.data(), b_.size()) == 1; }

Result<Scalar> Scalar::Invert() const {
  Scalar r;
  if (crypto_core_ed25519_scalar_invert(r.b_.data(), b_.data()) != 0) {
    return MakeError(ErrorCode::kInvalidArgument, "zero has no inverse");
  }
  return r;
}

Scalar operator+(const Scalar& a, const Scalar& b) {
  Scalar r;
  crypto_core_ed25519_scalar_add(r.b_.data(), a.b_.data(), b.b_.data());
  return r;
}

Scalar operator-(const Scalar& a, const Scalar& b) {
  Scalar r;
  crypto_core_ed25519_scalar_sub(r.b_.data(), a.b_.data(), b.b_.data());
  return r;
}

Scalar operator*(const Scalar& a, const Scalar& b) {
  Scalar r;
  crypto_core_ed25519_scalar_mul(r.b_.data(), a.b_.data(), b.b_.data());
  return r;
}

Scalar operator-(const Scalar& a) {
  Scalar r;
  crypto_core_ed25519_scalar_negate(r.b_.data(), a.b_.data());
  return r;
}

bool operator==(const Scalar& a, const Scalar& b) {
  return sodium_memcmp(a.b_.data(), b.b_.data(), kScalarSize) == 0;
}

SecretScalar::SecretScalar(const Scalar& value) : b_(kScalarSize) {
  std::memcpy(b_.data(), value.bytes().data(), kScalarSize);
}

Result<SecretScalar> SecretScalar::Decode(std::span<const uint8_t> bytes, std::string_view what) {
  Result<Scalar> s = Scalar::Decode(bytes, what);
  if (!s.ok()) return s.error();
  return SecretScalar(s.value());
}

Scalar SecretScalar::Expose() const {
  // Cannot fail: the bytes were canonical when stored.
  return Scalar::Decode(b_.span(), "secret").value();
}

SecretScalar SecretScalar::Clone() const { return SecretScalar(Expose()); }

Point::Point() : b_(kIdentity) {}

Result<Point> Point::Decode(std::span<const uint8_t> bytes, std::string_view what) {
  EnsureSodium();
  if (bytes.size() != kElementSize) {
    return MakeError(
        ErrorCode::kInvalidEncoding,
        std::string(what) + ": a point is 32 bytes, got " + std::to_string(bytes.size()));
  }
  if (std::memcmp(bytes.data(), kIdentity.data(), kElementSize) == 0) {
    return MakeError(ErrorCode::kIdentityPoint, std::string(what) + ": is the identity element");
  }
  // Canonical, on the curve, not of small order, and in the subgroup of order L.
  if (crypto_core_ed25519_is_valid_point(bytes.data()) != 1) {
    return MakeError(
        ErrorCode::kInvalidPoint,
        std::string(what) + ": not a canonical point of the prime-order subgroup of edwards25519");
  }
  Point p;
  std::memcpy(p.b_.data(), bytes.data(), kElementSize);
  return p;
}

Point Point::BaseMul(const Scalar& s) {
  EnsureSodium();
  if (s.IsZero()) return Point();
  Point p;
  // For 0 < s < L the result is never the identity, the one case libsodium rejects.
  if (crypto_scalarmult_ed25519_base_noclamp(p.b_.data(), s.bytes().data()) != 0) {
    InvariantViolated("base multiplication failed");
  }
  return p;
}

bool Point::IsIdentity() const { return b_ == kIdentity; }

Point operator+(const Point& a, const Point& b) {
  Point r;
  if (crypto_core_ed25519_add(r.b_.data(), a.b_.data(), b.b_.data()) != 0) {
    InvariantViolated("point addition failed");
  }
  return r;
}

Point operator*(const Point& p, const Scalar& s) {
  if (s.IsZero() || p.IsIdentity()) return Point();
  Point r;
  // p has order L and 0 < s < L, so p*s is neither invalid nor the identity.
  if (crypto_scalarmult_ed25519_noclamp(r.b_.data(), s.bytes().data(), p.b_.data()) != 0) {
    InvariantViolated("scalar multiplication failed");
  }
  return r;
}

}  // namespace sonde::signer::frost
