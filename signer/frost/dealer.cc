#include "signer/frost/dealer.h"

#include <string>

#include "signer/frost/polynomial.h"

namespace sonde::signer::frost {
namespace {

Status CheckCounts(size_t min_signers, size_t max_signers) {
  if (min_signers < 2 || min_signers > max_signers || max_signers > 0xffff) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a t-of-n key needs 2 <= t <= n <= 65535, got t=" +
                         std::to_string(min_signers) + " n=" + std::to_string(max_signers));
  }
  return Status::Ok();
}

}  // namespace

Result<DealerOutput> TrustedDealerKeygen(uint16_t min_signers, uint16_t max_signers) {
  if (Status s = CheckCounts(min_signers, max_signers); !s.ok()) return s.error();
  SecretScalar secret(Scalar::Random());
  std::vector<SecretScalar> coefficients;
  for (int i = 1; i < min_signers; ++i) coefficients.emplace_back(Scalar::Random());
  return TrustedDealerKeygen(secret, coefficients, max_signers);
}

Result<DealerOutput> TrustedDealerKeygen(const SecretScalar& group_secret,
                                         std::span<const SecretScalar> coefficients,
                                         uint16_t max_signers) {
  const size_t min_signers = coefficients.size() + 1;
  if (Status s = CheckCounts(min_signers, max_signers); !s.ok()) return s.error();
  // The polynomial, exposed only for the duration of this function.
  std::vector<Scalar> poly;
  poly.reserve(min_signers);
  poly.push_back(group_secret.Expose());
  for (const SecretScalar& c : coefficients) poly.push_back(c.Expose());
  if (poly[0].IsZero()) {
    return MakeError(ErrorCode::kInvalidArgument, "the group secret must not be zero");
  }

  DealerOutput out;
  for (const Scalar& c : poly) out.vss_commitment.push_back(Point::BaseMul(c));
  Result<PublicKeyPackage> info =
      DeriveGroupInfo(static_cast<uint16_t>(min_signers), max_signers, out.vss_commitment);
  if (!info.ok()) return info.error();
  out.public_key_package = std::move(info).value();

  out.key_packages.reserve(max_signers);
  for (uint32_t i = 1; i <= max_signers; ++i) {
    const Identifier id = static_cast<Identifier>(i);
    out.key_packages.push_back(KeyPackage{
        .identifier = id,
        .signing_share = SecretScalar(EvaluatePolynomial(IdentifierScalar(id), poly)),
        .verifying_share = out.public_key_package.verifying_shares.at(id),
        .group_public_key = out.public_key_package.group_public_key,
        .min_signers = static_cast<uint16_t>(min_signers),
    });
  }
  return out;
}

Status VerifyShare(Identifier identifier, const SecretScalar& share,
                   std::span<const Point> vss_commitment) {
  if (Point::BaseMul(share.Expose()) == EvaluateVssCommitment(vss_commitment, identifier)) {
    return Status::Ok();
  }
  Error e = MakeError(ErrorCode::kInvalidShare, "the secret share of participant " +
                                                    std::to_string(identifier) +
                                                    " does not match the dealer's VSS commitment");
  e.participants = {identifier};
  return e;
}

Result<PublicKeyPackage> DeriveGroupInfo(uint16_t min_signers, uint16_t max_signers,
                                         std::span<const Point> vss_commitment) {
  if (Status s = CheckCounts(min_signers, max_signers); !s.ok()) return s.error();
  if (vss_commitment.size() != min_signers) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a VSS commitment for t=" + std::to_string(min_signers) + " has " +
                         std::to_string(min_signers) + " points, got " +
                         std::to_string(vss_commitment.size()));
  }
  PublicKeyPackage pkg;
  pkg.group_public_key = vss_commitment[0];
  pkg.min_signers = min_signers;
  for (uint32_t i = 1; i <= max_signers; ++i) {
    const Identifier id = static_cast<Identifier>(i);
    pkg.verifying_shares.emplace(id, EvaluateVssCommitment(vss_commitment, id));
  }
  return pkg;
}

}  // namespace sonde::signer::frost
