// The values FROST(Ed25519, SHA-512) passes between its roles (RFC 9591
// sections 4-5 and appendix C). Thread-safety: plain values; the ones holding
// secrets (KeyPackage, SigningNonces) are move-only.
#pragma once

#include <cstdint>
#include <map>

#include "signer/frost/scalar_point.h"

namespace sonde::signer::frost {

// A participant's identifier: the non-zero scalar it stands for. The trusted
// dealer numbers participants 1..n, so 16 bits are plenty.
using Identifier = uint16_t;

inline Scalar IdentifierScalar(Identifier id) { return Scalar::FromU64(id); }

// Round 1 output, public: commitments to the two nonces.
struct SigningCommitment {
  Identifier identifier = 0;
  Point hiding;
  Point binding;
  bool operator==(const SigningCommitment&) const = default;
};

// Round 1 state a participant keeps until round 2, secret and single-use:
// Sign() consumes it, so a nonce pair can never sign twice.
struct SigningNonces {
  SecretScalar hiding;
  SecretScalar binding;
  SigningCommitment commitment;
};

// Round 2 output, public.
struct SignatureShare {
  Identifier identifier = 0;
  Scalar share;
};

// What one participant holds after key generation.
struct KeyPackage {
  Identifier identifier = 0;
  SecretScalar signing_share;
  Point verifying_share;  // signing_share * B, public
  Point group_public_key;
  uint16_t min_signers = 0;
};

// What the coordinator holds: the public half of every participant's key.
struct PublicKeyPackage {
  Point group_public_key;
  std::map<Identifier, Point> verifying_shares;
  uint16_t min_signers = 0;
};

}  // namespace sonde::signer::frost
