// What one run of one journey against one target produced. Plain data: the
// runner fills it, the scheduler hands it to observers (metrics, later the
// result store), nobody changes it afterwards.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/duration.h"
#include "core/result.h"
#include "probes/http_client.h"
#include "probes/probe.h"

namespace sonde {

struct StepResult {
  std::string name;
  Reason failure = Reason::kNone;
  std::string detail;  // free text: logs and store only
  Duration duration{};
  int status = 0;
  HttpPhases phases;
  bool has_phases = false;
  int retries = 0;                        // attempts before the one that counts
  int polls = 0;                          // requests made by a polling step (its last attempt)
  std::optional<int64_t> blocks;          // chain heights a polling step waited, where known
  std::optional<int64_t> rpc_error_code;  // jsonrpc steps that got an error object
  std::vector<ProbeResult::Participant> participants;  // frost steps
  std::optional<double> wallet_balance;                // wallet steps: the balance read
  std::string wallet_name;                             // wallet steps
  std::string tls_version;                             // tls steps
  std::optional<std::chrono::system_clock::time_point> cert_not_after;  // tls steps
  std::vector<std::pair<std::string, std::string>> evidence;            // frost: signature, message
};

struct JourneyResult {
  std::string journey;
  std::string target;  // the target URL, also the `target` label
  Outcome outcome = Outcome::kSuccess;
  Reason reason = Reason::kNone;
  std::string failing_step;  // empty on success, and for journey-level degradation
  std::string detail;
  std::chrono::system_clock::time_point started_at;
  Duration duration{};            // monotonic
  bool maintenance = false;       // ran in a maintenance window in mark mode: kept out of SLIs
  std::vector<StepResult> steps;  // the steps that ran, in order
  // What an auditor needs to look the run up elsewhere (a tx hash, a block,
  // an MPC signature and its message): the values of the journey's
  // `evidence` variables that the run reached, in the order declared, then
  // what steps keep on their own (frost: signature, message). Bounded
  // (kMaxEvidence entries of kMaxEvidenceValue bytes) and never a secret:
  // only extracted or public values are eligible.
  std::vector<std::pair<std::string, std::string>> evidence;
};

inline constexpr size_t kMaxEvidence = 16;
inline constexpr size_t kMaxEvidenceValue = 256;

}  // namespace sonde
