#include "signer/frost/coordinator.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "signer/frost/binding.h"
#include "signer/frost/polynomial.h"

namespace sonde::signer::frost {
namespace {

std::string List(const std::vector<Identifier>& ids) {
  std::string s;
  for (Identifier id : ids) s += (s.empty() ? "" : ", ") + std::to_string(id);
  return s;
}

Error About(ErrorCode code, std::string message, std::vector<Identifier> ids) {
  Error e = MakeError(code, std::move(message));
  e.participants = std::move(ids);
  return e;
}

Status CheckParticipants(const PublicKeyPackage& keys, const SigningPackage& package) {
  const std::vector<Identifier> ids = package.commitments.Participants();
  if (ids.size() < keys.min_signers) {
    return About(ErrorCode::kTooFewParticipants,
                 std::to_string(ids.size()) + " participants committed (" + List(ids) +
                     "), the threshold is " + std::to_string(keys.min_signers),
                 ids);
  }
  std::vector<Identifier> unknown;
  for (Identifier id : ids) {
    if (!keys.verifying_shares.contains(id)) unknown.push_back(id);
  }
  if (!unknown.empty()) {
    return About(ErrorCode::kUnknownParticipant,
                 "commitments from unknown participants: " + List(unknown), unknown);
  }
  return Status::Ok();
}

// The verification equation, with the round's values already computed:
// share * B == hiding + binding * rho + verifying_share * (c * lambda).
bool ShareHolds(const PublicKeyPackage& keys, const SigningPackage& package,
                const RoundValues& round, const SignatureShare& share) {
  const SigningCommitment* c = package.commitments.Find(share.identifier);
  const Scalar* rho = round.BindingFactorOf(share.identifier);
  auto vs = keys.verifying_shares.find(share.identifier);
  if (c == nullptr || rho == nullptr || vs == keys.verifying_shares.end()) return false;
  Result<Scalar> lambda =
      DeriveInterpolatingValue(package.commitments.Participants(), share.identifier);
  if (!lambda.ok()) return false;
  const Point commitment_share = c->hiding + c->binding * *rho;
  const Point right = commitment_share + vs->second * (round.challenge * lambda.value());
  return Point::BaseMul(share.share) == right;
}

Error InvalidShares(const std::vector<Identifier>& ids) {
  return About(ErrorCode::kInvalidShare,
               std::string(ids.size() == 1 ? "the signature share from participant "
                                           : "the signature shares from participants ") +
                   List(ids) + (ids.size() == 1 ? " is invalid" : " are invalid"),
               ids);
}

}  // namespace

Status VerifySignatureShare(const PublicKeyPackage& keys, const SigningPackage& package,
                            const SignatureShare& share) {
  if (package.commitments.Find(share.identifier) == nullptr ||
      !keys.verifying_shares.contains(share.identifier)) {
    return About(ErrorCode::kUnknownParticipant,
                 "a share from participant " + std::to_string(share.identifier) +
                     ", who did not commit or is not a key holder",
                 {share.identifier});
  }
  const RoundValues round = ComputeRoundValues(keys.group_public_key, package);
  if (!ShareHolds(keys, package, round, share)) return InvalidShares({share.identifier});
  return Status::Ok();
}

Result<Signature> Aggregate(const PublicKeyPackage& keys, const SigningPackage& package,
                            std::span<const SignatureShare> shares) {
  if (Status s = CheckParticipants(keys, package); !s.ok()) return s.error();

  std::vector<Identifier> from;
  for (const SignatureShare& s : shares) from.push_back(s.identifier);
  std::sort(from.begin(), from.end());
  std::vector<Identifier> strangers;
  for (Identifier id : from) {
    if (package.commitments.Find(id) == nullptr) strangers.push_back(id);
  }
  if (!strangers.empty()) {
    return About(ErrorCode::kUnknownParticipant,
                 "signature shares from participants who did not commit: " + List(strangers),
                 strangers);
  }
  if (auto dup = std::adjacent_find(from.begin(), from.end()); dup != from.end()) {
    return About(ErrorCode::kDuplicateParticipant,
                 "two signature shares from participant " + std::to_string(*dup), {*dup});
  }
  std::vector<Identifier> missing;
  for (Identifier id : package.commitments.Participants()) {
    if (!std::binary_search(from.begin(), from.end(), id)) missing.push_back(id);
  }
  if (!missing.empty()) {
    return About(ErrorCode::kMissingShare, "no signature share from participants " + List(missing),
                 missing);
  }

  const RoundValues round = ComputeRoundValues(keys.group_public_key, package);
  std::vector<Identifier> invalid;
  Scalar z;
  for (const SignatureShare& s : shares) {
    if (!ShareHolds(keys, package, round, s)) invalid.push_back(s.identifier);
    z = z + s.share;
  }
  if (!invalid.empty()) {
    std::sort(invalid.begin(), invalid.end());
    return InvalidShares(invalid);
  }

  Signature sig;
  std::memcpy(sig.data(), round.group_commitment.bytes().data(), kElementSize);
  std::memcpy(sig.data() + kElementSize, z.bytes().data(), kScalarSize);
  PublicKey group_key;
  std::memcpy(group_key.data(), keys.group_public_key.bytes().data(), kElementSize);
  if (Status s = Verify(group_key, package.message, sig); !s.ok()) {
    return About(ErrorCode::kVerificationFailed,
                 "the aggregate signature does not verify under the group public key",
                 package.commitments.Participants());
  }
  return sig;
}

}  // namespace sonde::signer::frost
