// The JSON wire format of a FROST signing round between sonde's coordinator
// and the devnet's signer nodes. Every byte field is lowercase hex; every
// message names the ciphersuite and carries the coordinator's session id so
// a node can match round 2 to the nonces it kept from round 1. Parsing is
// strict: unknown keys, wrong types, a foreign ciphersuite, bad hex and
// invalid points or scalars are all typed errors that name the field.
// The layout is specified in signer/ENCODING.md. Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "signer/frost/commitment_list.h"
#include "signer/frost/types.h"
#include "signer/result.h"

namespace sonde::signer::frost {

inline constexpr size_t kMaxSessionSize = 128;

// Round 1, participant -> coordinator.
struct Round1Message {
  std::string session;
  SigningCommitment commitment;
};

// Round 2, coordinator -> participant.
struct Round2Request {
  std::string session;
  SigningPackage package;
};

// Round 2, participant -> coordinator.
struct Round2Response {
  std::string session;
  SignatureShare share;
};

std::string ToJson(const Round1Message& m);
std::string ToJson(const Round2Request& m);
std::string ToJson(const Round2Response& m);

Result<Round1Message> ParseRound1Message(std::string_view json);
Result<Round2Request> ParseRound2Request(std::string_view json);
Result<Round2Response> ParseRound2Response(std::string_view json);

}  // namespace sonde::signer::frost
