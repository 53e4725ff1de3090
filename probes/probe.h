// The one signature every step kind implements (http today; jsonrpc, tcp,
// tls and frost later). A prober performs its step's action against one
// target and reports what happened; it does not judge the response against
// the step's `expect` — the runner does that the same way for every kind.
//
// The deadline is computed in one place (the runner) and every prober only
// honours it. Probers never throw for network failures.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/model.h"
#include "config/template.h"
#include "core/duration.h"
#include "core/result.h"
#include "probes/http_client.h"

namespace sonde {

// What probers share: the client(s) they use. Owned by the caller, outlives
// every probe.
class Wallets;
struct ProbeEnv {
  HttpClient& http;
  Wallets* wallets = nullptr;  // the probe wallets' state (wallet steps)
};

namespace signer {
class KeyPair;
class Secp256k1Key;
}  // namespace signer

// Finds a signing key by name for sign steps; nullptr when there is none
// (of that type).
struct KeyLookup {
  std::function<const signer::KeyPair*(std::string_view name)> ed25519;
  std::function<const signer::Secp256k1Key*(std::string_view name)> secp256k1;
};

// One step to perform against one target.
struct ProbeRequest {
  const Step& step;
  const TargetGroup& group;
  const std::string& target_url;  // one of group.urls
  const Template::Lookup& vars;   // variables visible to this step
  std::chrono::steady_clock::time_point deadline;
  const KeyLookup* keys = nullptr;  // the run's keys (sign steps)
};

struct ProbeResult {
  Reason failure = Reason::kNone;  // transport-level failure, or kNone
  std::string detail;              // for logs and the result store, never labels
  // HTTP-like kinds fill these; others leave status 0 and has_phases false.
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  HttpPhases phases;
  bool has_phases = false;
  std::optional<int64_t> rpc_error_code;  // jsonrpc: the error object's code
  // frost: every signer of the round, how long it took and what went wrong.
  struct Participant {
    uint16_t id = 0;  // 0 when it never said (unreachable)
    std::string url;
    Duration elapsed{};
    std::string failure;  // "", "absent", "late", "invalid_share"
  };
  std::vector<Participant> participants;
  std::optional<double> wallet_balance;  // wallet: the balance read
  // Values the step keeps as the run's evidence (frost: the signature and
  // its message), name -> value; public values only.
  std::vector<std::pair<std::string, std::string>> evidence;
  // The tls kind fills these.
  std::string tls_version;  // e.g. "TLSv1.3"
  std::optional<std::chrono::system_clock::time_point> cert_not_after;
};

using ProbeFn = boost::asio::awaitable<ProbeResult> (*)(ProbeEnv&, const ProbeRequest&);

// The explicit map from a step's kind to its prober.
ProbeFn ProberFor(const StepAction& action);

// Every reason a step of this kind can fail with (the prober's own plus the
// runner's checks on its response). The reporter initialises a zero failure
// counter for each, so that increase() sees the very first failure.
std::span<const Reason> PossibleFailures(const StepAction& action);

}  // namespace sonde
