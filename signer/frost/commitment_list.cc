#include "signer/frost/commitment_list.h"

#include <algorithm>
#include <string>

namespace sonde::signer::frost {

Result<CommitmentList> CommitmentList::Make(std::vector<SigningCommitment> commitments) {
  if (commitments.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "the commitment list is empty");
  }
  std::sort(commitments.begin(), commitments.end(),
            [](const SigningCommitment& a, const SigningCommitment& b) {
              return a.identifier < b.identifier;
            });
  if (commitments.front().identifier == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "participant identifier 0 is not allowed");
  }
  for (size_t i = 1; i < commitments.size(); ++i) {
    if (commitments[i].identifier == commitments[i - 1].identifier) {
      Error e = MakeError(ErrorCode::kDuplicateParticipant,
                          "participant " + std::to_string(commitments[i].identifier) +
                              " appears twice in the commitment list");
      e.participants = {commitments[i].identifier};
      return e;
    }
  }
  return CommitmentList(std::move(commitments));
}

std::vector<Identifier> CommitmentList::Participants() const {
  std::vector<Identifier> ids;
  ids.reserve(commitments_.size());
  for (const SigningCommitment& c : commitments_) ids.push_back(c.identifier);
  return ids;
}

const SigningCommitment* CommitmentList::Find(Identifier id) const {
  auto it =
      std::lower_bound(commitments_.begin(), commitments_.end(), id,
                       [](const SigningCommitment& c, Identifier v) { return c.identifier < v; });
  return it != commitments_.end() && it->identifier == id ? &*it : nullptr;
}

std::vector<uint8_t> CommitmentList::Encode() const {
  std::vector<uint8_t> out;
  out.reserve(commitments_.size() * (kScalarSize + 2 * kElementSize));
  for (const SigningCommitment& c : commitments_) {
    const Scalar id = IdentifierScalar(c.identifier);
    out.insert(out.end(), id.bytes().begin(), id.bytes().end());
    out.insert(out.end(), c.hiding.bytes().begin(), c.hiding.bytes().end());
    out.insert(out.end(), c.binding.bytes().begin(), c.binding.bytes().end());
  }
  return out;
}

}  // namespace sonde::signer::frost
