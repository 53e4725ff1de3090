#include "probes/probe.h"

#include <type_traits>

#include "probes/frost_probe.h"
#include "probes/http_probe.h"
#include "probes/jsonrpc_probe.h"
#include "probes/sign_probe.h"
#include "probes/sleep_probe.h"
#include "probes/tcp_probe.h"
#include "probes/tls_probe.h"
#include "probes/wallet_probe.h"

namespace sonde {
namespace {

constexpr Reason kHttpFailures[] = {Reason::kDns,
                                    Reason::kConnect,
                                    Reason::kTls,
                                    Reason::kTimeout,
                                    Reason::kHttpStatus,
                                    Reason::kAssertion,
                                    Reason::kInvalidResponse};
constexpr Reason kJsonRpcFailures[] = {
    Reason::kDns,        Reason::kConnect,  Reason::kTls,       Reason::kTimeout,
    Reason::kHttpStatus, Reason::kRpcError, Reason::kAssertion, Reason::kInvalidResponse};
constexpr Reason kSignFailures[] = {Reason::kInvalidResponse, Reason::kAssertion};
constexpr Reason kFrostFailures[] = {Reason::kQuorumNotReached, Reason::kSignatureInvalid,
                                     Reason::kInvalidResponse, Reason::kTimeout};
constexpr Reason kWalletFailures[] = {Reason::kConnect, Reason::kTimeout, Reason::kInvalidResponse};
constexpr Reason kSleepFailures[] = {Reason::kTimeout};
constexpr Reason kTcpFailures[] = {Reason::kDns, Reason::kConnect, Reason::kTimeout};
constexpr Reason kTlsFailures[] = {Reason::kDns, Reason::kConnect, Reason::kTls, Reason::kTimeout};

}  // namespace

ProbeFn ProberFor(const StepAction& action) {
  return std::visit(
      [](const auto& spec) -> ProbeFn {
        using T = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<T, HttpStep>) return &ProbeHttp;
        if constexpr (std::is_same_v<T, JsonRpcStep>) return &ProbeJsonRpc;
        if constexpr (std::is_same_v<T, SignStep>) return &ProbeSign;
        if constexpr (std::is_same_v<T, FrostStep>) return &ProbeFrost;
        if constexpr (std::is_same_v<T, WalletStep>) return &ProbeWallet;
        if constexpr (std::is_same_v<T, SleepStep>) return &ProbeSleep;
        if constexpr (std::is_same_v<T, TcpStep>) return &ProbeTcp;
        if constexpr (std::is_same_v<T, TlsStep>) return &ProbeTls;
      },
      action);
}

std::span<const Reason> PossibleFailures(const StepAction& action) {
  return std::visit(
      [](const auto& spec) -> std::span<const Reason> {
        using T = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<T, HttpStep>) return kHttpFailures;
        if constexpr (std::is_same_v<T, JsonRpcStep>) return kJsonRpcFailures;
        if constexpr (std::is_same_v<T, SignStep>) return kSignFailures;
        if constexpr (std::is_same_v<T, FrostStep>) return kFrostFailures;
        if constexpr (std::is_same_v<T, WalletStep>) return kWalletFailures;
        if constexpr (std::is_same_v<T, SleepStep>) return kSleepFailures;
        if constexpr (std::is_same_v<T, TcpStep>) return kTcpFailures;
        if constexpr (std::is_same_v<T, TlsStep>) return kTlsFailures;
      },
      action);
}

}  // namespace sonde
