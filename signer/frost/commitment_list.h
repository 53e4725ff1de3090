// The commitment list of a signing round (RFC 9591 section 4.3): one
// commitment per participant, sorted by identifier, no duplicates. The type
// keeps those rules so everything downstream can rely on them.
// Thread-safety: immutable value.
#pragma once

#include <cstdint>
#include <vector>

#include "signer/frost/types.h"
#include "signer/result.h"

namespace sonde::signer::frost {

class CommitmentList {
 public:
  // Sorts by identifier. kInvalidArgument when empty or an identifier is 0,
  // kDuplicateParticipant (naming it) when one appears twice.
  static Result<CommitmentList> Make(std::vector<SigningCommitment> commitments);

  const std::vector<SigningCommitment>& commitments() const { return commitments_; }
  size_t size() const { return commitments_.size(); }
  std::vector<Identifier> Participants() const;
  // nullptr when `id` did not commit.
  const SigningCommitment* Find(Identifier id) const;
  // encode_group_commitment_list: identifier || hiding || binding, per entry.
  std::vector<uint8_t> Encode() const;

 private:
  explicit CommitmentList(std::vector<SigningCommitment> c) : commitments_(std::move(c)) {}
  std::vector<SigningCommitment> commitments_;
};

// What the coordinator sends every participant in round 2.
struct SigningPackage {
  CommitmentList commitments;
  std::vector<uint8_t> message;
};

}  // namespace sonde::signer::frost
