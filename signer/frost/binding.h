// The per-round values both participants and the coordinator derive from a
// signing package (RFC 9591 sections 4.4-4.6): binding factors over the group
// public key, message digest and encoded commitment list; the group
// commitment; the Ed25519 challenge. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "signer/frost/commitment_list.h"
#include "signer/frost/hash.h"

namespace sonde::signer::frost {

struct BindingFactor {
  Identifier identifier = 0;
  // rho_input: group_public_key || H4(msg) || H5(commitments) || identifier.
  std::vector<uint8_t> input;
  Scalar factor;  // H1(input)
};

// compute_binding_factors; one per commitment, in commitment-list order.
std::vector<BindingFactor> ComputeBindingFactors(const Point& group_public_key,
                                                 const CommitmentList& commitments, Bytes message);

// compute_group_commitment: sum of hiding_i + binding_i * rho_i.
// `binding_factors` must come from ComputeBindingFactors on the same list.
Point ComputeGroupCommitment(const CommitmentList& commitments,
                             const std::vector<BindingFactor>& binding_factors);

// compute_challenge: H2(group_commitment || group_public_key || msg).
Scalar ComputeChallenge(const Point& group_commitment, const Point& group_public_key,
                        Bytes message);

// Everything above for one signing package, computed once.
struct RoundValues {
  std::vector<BindingFactor> binding_factors;
  Point group_commitment;
  Scalar challenge;
  // The binding factor of `id`; nullptr if `id` is not in the commitment list.
  const Scalar* BindingFactorOf(Identifier id) const;
};
RoundValues ComputeRoundValues(const Point& group_public_key, const SigningPackage& package);

}  // namespace sonde::signer::frost
