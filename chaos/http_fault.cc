// http: an inject request and the request that undoes it (e.g. the devnet's
// invalid-share and stall hooks). A 2xx answer is success.
#include "chaos/fault.h"
#include "chaos/revert.h"

namespace sonde::chaos {

Planned PlanHttp(const FaultSpec& spec, const ChaosTarget& target) {
  if (spec.inject_http.url.empty() || spec.revert_http.url.empty()) {
    return "fault \"" + spec.name + "\": http needs both an inject and a revert request";
  }
  FaultAction action;
  action.description =
      spec.inject_http.method + " " + spec.inject_http.url + " (" + target.name + ")";
  action.inject = [call = spec.inject_http] {
    return HttpCall(call.method, call.url, call.body, /*missing_ok=*/false);
  };
  action.revert = {{"action", "http"},
                   {"method", spec.revert_http.method},
                   {"url", spec.revert_http.url},
                   {"body", spec.revert_http.body}};
  return action;
}

}  // namespace sonde::chaos
