// Trusted-dealer key generation for FROST (RFC 9591 appendix C): Shamir
// shares of a group secret with Feldman VSS commitments to the polynomial,
// so every participant can check its share against public data.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "signer/frost/types.h"
#include "signer/result.h"

namespace sonde::signer::frost {

struct DealerOutput {
  std::vector<KeyPackage> key_packages;  // participants 1..max_signers, in order
  // The commitments to the polynomial's coefficients; [0] is the group
  // public key. Published so that each share can be verified (VerifyShare).
  std::vector<Point> vss_commitment;
  PublicKeyPackage public_key_package;
};

// A fresh random group secret, t-of-n. kInvalidArgument unless
// 2 <= min_signers <= max_signers.
Result<DealerOutput> TrustedDealerKeygen(uint16_t min_signers, uint16_t max_signers);

// Deterministic form (test vectors, and splitting an existing key): the
// polynomial is group_secret + coefficients[0]*x + ..., so min_signers is
// coefficients.size() + 1. A zero group secret is refused.
Result<DealerOutput> TrustedDealerKeygen(const SecretScalar& group_secret,
                                         std::span<const SecretScalar> coefficients,
                                         uint16_t max_signers);

// vss_verify: kInvalidShare (naming the participant) unless
// share * B == sum_j vss_commitment[j] * identifier^j.
Status VerifyShare(Identifier identifier, const SecretScalar& share,
                   std::span<const Point> vss_commitment);

// derive_group_info: the group public key and every verifying share, from
// the VSS commitment alone.
Result<PublicKeyPackage> DeriveGroupInfo(uint16_t min_signers, uint16_t max_signers,
                                         std::span<const Point> vss_commitment);

}  // namespace sonde::signer::frost
