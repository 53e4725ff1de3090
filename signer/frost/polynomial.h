// Polynomial arithmetic over scalars for FROST (RFC 9591 section 4.2 and
// appendix C): evaluating the dealer's polynomial, Lagrange coefficients at
// zero, and evaluating a VSS commitment "in the exponent".
// Thread-safety: pure functions.
#pragma once

#include <span>

#include "signer/frost/scalar_point.h"
#include "signer/frost/types.h"
#include "signer/result.h"

namespace sonde::signer::frost {

// coefficients[0] + coefficients[1]*x + ... (Horner's rule).
Scalar EvaluatePolynomial(const Scalar& x, std::span<const Scalar> coefficients);

// derive_interpolating_value: the Lagrange coefficient of x_i at 0 over
// `participants`. kUnknownParticipant if x_i is not among them,
// kDuplicateParticipant if one repeats, kInvalidArgument for identifier 0.
Result<Scalar> DeriveInterpolatingValue(std::span<const Identifier> participants, Identifier x_i);

// sum_j vss_commitment[j] * x^j: participant x's verifying share.
Point EvaluateVssCommitment(std::span<const Point> vss_commitment, Identifier x);

}  // namespace sonde::signer::frost
