// The fixed vocabularies every run ends in. These strings become metric label
// values, so they are a closed set: adding one is an API change.
#pragma once

#include <optional>
#include <string_view>

namespace sonde {

// How a journey run ended. `infra_error` means sonde itself (or its setup) was
// at fault; such runs are kept out of every SLI.
enum class Outcome { kSuccess, kDegraded, kFailed, kInfraError };

// Why a run (or step) did not succeed. kInternal and kWallet are sonde's
// own problems: their runs end infra_error and stay out of every SLI. kNone only with Outcome::kSuccess or
// a degraded-but-correct run.
enum class Reason {
  kNone,
  kDns,               // name resolution failed
  kConnect,           // TCP connect refused/unreachable, or the connection broke
  kTls,               // handshake or certificate verification failed
  kTimeout,           // the step's or journey's deadline passed
  kHttpStatus,        // status not in the expected set
  kRpcError,          // JSON-RPC error object
  kAssertion,         // a JSON/header/body assertion did not hold
  kInvalidResponse,   // unparsable, truncated, or larger than the cap
  kNotConfirmed,      // a poll's deadline passed before its condition held
  kSignatureInvalid,  // a signature (or a FROST share) did not verify
  kQuorumNotReached,  // too few signers answered in time
  kSlow,              // correct but slower than `fail_after`
  kDivergence,        // this target's value is out of line with the other targets'
  kInternal,          // sonde's own fault (resource exhausted, aborted at shutdown)
  kWallet,            // the probe wallet is below its floor or past its daily cap (infra_error)
};

std::string_view ToString(Outcome o);
std::string_view ToString(Reason r);
std::optional<Reason> ReasonFromString(std::string_view s);
std::optional<Outcome> OutcomeFromString(std::string_view s);

inline constexpr Outcome kAllOutcomes[] = {Outcome::kSuccess, Outcome::kDegraded, Outcome::kFailed,
                                           Outcome::kInfraError};

}  // namespace sonde
