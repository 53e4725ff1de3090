// The `frost` step kind: sonde as the FROST(Ed25519, SHA-512) coordinator
// (RFC 9591) across the signer nodes of a target group, over HTTP:
//   1. GET /v1/mpc/group on every signer (in parallel) — who is there, and
//      the group's public key and verifying shares;
//   2. POST /v1/mpc/round1 to the chosen participants — their commitments;
//   3. POST /v1/mpc/round2 with the signing package — their shares;
//   4. verify every share, aggregate, verify the Ed25519 signature.
// Each participant has the step's per-participant deadline in each round.
// A participant that does not answer in time is `late`; one that cannot be
// reached or answers nonsense is `absent`; a share that fails verification
// is `invalid_share`. ProbeResult::participants says so for each.
#pragma once

#include "probes/probe.h"

namespace sonde {

boost::asio::awaitable<ProbeResult> ProbeFrost(ProbeEnv& env, const ProbeRequest& request);

}  // namespace sonde
