#include "core/result.h"

namespace sonde {
namespace {

constexpr std::string_view kReasonNames[] = {
    "none",
    "dns",
    "connect",
    "tls",
    "timeout",
    "http_status",
    "rpc_error",
    "assertion",
    "invalid_response",
    "not_confirmed",
    "signature_invalid",
    "quorum_not_reached",
    "slow",
    "divergence",
    "internal",
    "wallet",
};
static_assert(std::size(kReasonNames) == static_cast<size_t>(Reason::kWallet) + 1);

}  // namespace

std::string_view ToString(Outcome o) {
  switch (o) {
    case Outcome::kSuccess:
      return "success";
    case Outcome::kDegraded:
      return "degraded";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kInfraError:
      return "infra_error";
  }
  return "unknown";
}

std::string_view ToString(Reason r) { return kReasonNames[static_cast<size_t>(r)]; }

std::optional<Reason> ReasonFromString(std::string_view s) {
  for (size_t i = 0; i < std::size(kReasonNames); ++i) {
    if (kReasonNames[i] == s) return static_cast<Reason>(i);
  }
  return std::nullopt;
}

std::optional<Outcome> OutcomeFromString(std::string_view s) {
  for (Outcome o : kAllOutcomes) {
    if (ToString(o) == s) return o;
  }
  return std::nullopt;
}

}  // namespace sonde
