#include "signer/frost/polynomial.h"

#include <string>

namespace sonde::signer::frost {

Scalar EvaluatePolynomial(const Scalar& x, std::span<const Scalar> coefficients) {
  Scalar value;
  for (auto it = coefficients.rbegin(); it != coefficients.rend(); ++it) value = value * x + *it;
  return value;
}

Result<Scalar> DeriveInterpolatingValue(std::span<const Identifier> participants, Identifier x_i) {
  bool found = false;
  for (size_t a = 0; a < participants.size(); ++a) {
    if (participants[a] == 0) {
      return MakeError(ErrorCode::kInvalidArgument, "participant identifier 0 is not allowed");
    }
    for (size_t b = a + 1; b < participants.size(); ++b) {
      if (participants[a] == participants[b]) {
        Error e = MakeError(ErrorCode::kDuplicateParticipant,
                            "participant " + std::to_string(participants[a]) + " appears twice");
        e.participants = {participants[a]};
        return e;
      }
    }
    found = found || participants[a] == x_i;
  }
  if (!found) {
    Error e = MakeError(ErrorCode::kUnknownParticipant,
                        "participant " + std::to_string(x_i) + " is not among the signers");
    e.participants = {x_i};
    return e;
  }
  const Scalar xi = IdentifierScalar(x_i);
  Scalar numerator = Scalar::FromU64(1);
  Scalar denominator = Scalar::FromU64(1);
  for (Identifier id : participants) {
    if (id == x_i) continue;
    const Scalar xj = IdentifierScalar(id);
    numerator = numerator * xj;
    denominator = denominator * (xj - xi);
  }
  // Distinct non-zero identifiers below L make every factor non-zero.
  Result<Scalar> inverse = denominator.Invert();
  if (!inverse.ok()) return inverse.error();
  return numerator * inverse.value();
}

Point EvaluateVssCommitment(std::span<const Point> vss_commitment, Identifier x) {
  const Scalar xs = IdentifierScalar(x);
  Scalar power = Scalar::FromU64(1);
  Point sum;
  for (const Point& c : vss_commitment) {
    sum = sum + c * power;
    power = power * xs;
  }
  return sum;
}

}  // namespace sonde::signer::frost
