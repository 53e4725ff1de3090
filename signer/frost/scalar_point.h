// The prime-order group of FROST(Ed25519, SHA-512) (RFC 9591 section 6.1):
// scalars mod L and points of edwards25519's prime-order subgroup, on
// libsodium's crypto_core_ed25519_* and crypto_scalarmult_ed25519_*_noclamp.
//
// Invariants the types keep, so the protocol code need not re-check them:
//  - a Scalar is canonical (its little-endian value is < L);
//  - a Point is a canonical encoding of an element of the prime-order
//    subgroup. Decode() also rejects the identity (RFC 9591
//    DeserializeElement); arithmetic may produce it.
// Thread-safety: immutable values.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "signer/result.h"
#include "signer/secure_bytes.h"

namespace sonde::signer::frost {

inline constexpr size_t kScalarSize = 32;
inline constexpr size_t kElementSize = 32;

// A scalar mod L. Copies on the stack are wiped when destroyed, because
// scalars that pass through arithmetic may be secret (shares, nonces); at
// rest, secrets live in SecretScalar.
class Scalar {
 public:
  Scalar() = default;  // zero
  ~Scalar();
  Scalar(const Scalar&) = default;
  Scalar& operator=(const Scalar&) = default;

  // SerializeScalar's inverse: 32 bytes little-endian, < L, else
  // kNonCanonicalScalar. `what` names the value in the error.
  static Result<Scalar> Decode(std::span<const uint8_t> bytes, std::string_view what);
  static Scalar FromU64(uint64_t v);
  // A 64-byte little-endian integer reduced mod L (how H1, H2, H3 end).
  static Scalar ReduceWide(std::span<const uint8_t, 64> wide);
  static Scalar Random();

  const std::array<uint8_t, kScalarSize>& bytes() const { return b_; }
  bool IsZero() const;
  // kInvalidArgument for zero.
  Result<Scalar> Invert() const;

  friend Scalar operator+(const Scalar& a, const Scalar& b);
  friend Scalar operator-(const Scalar& a, const Scalar& b);
  friend Scalar operator*(const Scalar& a, const Scalar& b);
  friend Scalar operator-(const Scalar& a);
  friend bool operator==(const Scalar& a, const Scalar& b);  // constant time

 private:
  std::array<uint8_t, kScalarSize> b_{};
};

// A secret scalar at rest, in SecureBytes. Move-only.
class SecretScalar {
 public:
  explicit SecretScalar(const Scalar& value);
  static Result<SecretScalar> Decode(std::span<const uint8_t> bytes, std::string_view what);
  // A copy to compute with; it wipes itself when it goes out of scope.
  Scalar Expose() const;
  std::span<const uint8_t> bytes() const { return b_.span(); }
  SecretScalar Clone() const;

 private:
  SecureBytes b_;
};

class Point {
 public:
  Point();  // the identity
  // DeserializeElement: kIdentityPoint for the identity, kInvalidPoint for
  // anything that is not a canonical point of the prime-order subgroup.
  static Result<Point> Decode(std::span<const uint8_t> bytes, std::string_view what);
  static Point Identity() { return Point(); }
  // ScalarBaseMult; a zero scalar gives the identity (libsodium refuses it).
  static Point BaseMul(const Scalar& s);

  const std::array<uint8_t, kElementSize>& bytes() const { return b_; }
  bool IsIdentity() const;

  friend Point operator+(const Point& a, const Point& b);
  friend Point operator*(const Point& p, const Scalar& s);
  friend bool operator==(const Point& a, const Point& b) { return a.b_ == b.b_; }

 private:
  std::array<uint8_t, kElementSize> b_;
};

}  // namespace sonde::signer::frost
