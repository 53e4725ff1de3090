// A FROST signer (RFC 9591 sections 5.1-5.2): round 1 commits to two fresh
// nonces, round 2 turns them and the coordinator's signing package into a
// signature share. The devnet's signer nodes run exactly this code.
// Thread-safety: pure functions; the caller owns the nonces between rounds.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "signer/frost/commitment_list.h"
#include "signer/frost/types.h"
#include "signer/result.h"

namespace sonde::signer::frost {

// Round 1 (commit), with 32 fresh random bytes per nonce from libsodium.
SigningNonces Commit(const KeyPackage& key);

// Round 1 with caller-chosen randomness: nonce = H3(random || signing_share).
// Only for reproducing RFC test vectors; real signing must use Commit().
SigningNonces CommitWithRandomness(const KeyPackage& key,
                                   std::span<const uint8_t, 32> hiding_randomness,
                                   std::span<const uint8_t, 32> binding_randomness);

// Round 2 (sign). Consumes `nonces` whatever the outcome. Refuses (typed
// error, no share) when the package has fewer than min_signers commitments
// (kTooFewParticipants), lacks this participant's own round-1 commitment or
// carries a different one (kInvalidArgument).
Result<SignatureShare> Sign(const KeyPackage& key, SigningNonces nonces,
                            const SigningPackage& package);

}  // namespace sonde::signer::frost
