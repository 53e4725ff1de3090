#include "probes/probe.h"

#include <type_traits>

#include "probes/http_probe.h"
#include "probes/sleep_probe.h"

namespace sonde {
namespace {

constexpr Reason kHttpFailures[] = {Reason::kDns,
                                    Reason::kConnect,
                                    Reason::kTls,
                                    Reason::kTimeout,
                                    Reason::kHttpStatus,
                                    Reason::kAssertion,
                                    Reason::kInvalidResponse};
constexpr Reason kSleepFailures[] = {Reason::kTimeout};

}  // namespace

ProbeFn ProberFor(const StepAction& action) {
  return std::visit(
      [](const auto& spec) -> ProbeFn {
        using T = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<T, HttpStep>) return &ProbeHttp;
        if constexpr (std::is_same_v<T, SleepStep>) return &ProbeSleep;
      },
      action);
}

std::span<const Reason> PossibleFailures(const StepAction& action) {
  return std::visit(
      [](const auto& spec) -> std::span<const Reason> {
        using T = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<T, HttpStep>) return kHttpFailures;
        if constexpr (std::is_same_v<T, SleepStep>) return kSleepFailures;
      },
      action);
}

}  // namespace sonde
