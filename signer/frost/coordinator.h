// The FROST coordinator (RFC 9591 sections 5.3-5.4): checks every
// signature share against the sender's verifying share, so a bad signer is
// named rather than merely suspected, then aggregates and verifies the
// result as a plain Ed25519 signature. sonde's MPC journey runs this.
// Thread-safety: pure functions.
#pragma once

#include <span>

#include "signer/ed25519.h"
#include "signer/frost/commitment_list.h"
#include "signer/frost/types.h"
#include "signer/result.h"

namespace sonde::signer::frost {

// verify_signature_share for one share. kInvalidShare names the participant;
// kUnknownParticipant when it has no verifying share or did not commit.
Status VerifySignatureShare(const PublicKeyPackage& keys, const SigningPackage& package,
                            const SignatureShare& share);

// Checks, in this order, and fails with the first that applies:
//  - kTooFewParticipants: fewer commitments than the threshold;
//  - kUnknownParticipant: a commitment or share from an identifier the keys
//    do not know, or a share from one that did not commit;
//  - kDuplicateParticipant: two shares from one participant;
//  - kMissingShare: committed participants that sent no share;
//  - kInvalidShare: every participant whose share fails verification;
//  - kVerificationFailed: the aggregate does not verify (cannot happen when
//    every share verified; checked because this is the result we hand out).
// Error::participants lists whom the error is about.
Result<Signature> Aggregate(const PublicKeyPackage& keys, const SigningPackage& package,
                            std::span<const SignatureShare> shares);

}  // namespace sonde::signer::frost
