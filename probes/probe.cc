#include "probes/probe.h"

#include <type_traits>

#include "probes/http_probe.h"

namespace sonde {

ProbeFn ProberFor(const StepAction& action) {
  return std::visit(
      [](const auto& spec) -> ProbeFn {
        using T = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<T, HttpStep>) return &ProbeHttp;
      },
      action);
}

}  // namespace sonde
