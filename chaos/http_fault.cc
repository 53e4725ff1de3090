// http: an inject request and the request that undoes it (e.g. the devnet's
// invalid-share and stall hooks). A 2xx answer is success.
#include "chaos/fault.h"
#include "chaos/revert.h"

namespace sonde::chaos {

Planned PlanHttp(const FaultSpec& spec, const ChaosTarget& target) {
  auto url_of = [&](const HttpCallSpec& call) {
    return call.url.empty() && !call.path.empty() && !target.url.empty() ? target.url + call.path
                                                                         : call.url;
  };
  const std::string inject_url = url_of(spec.inject_http);
  const std::string revert_url = url_of(spec.revert_http);
  if (inject_url.empty() || revert_url.empty()) {
    return "fault \"" + spec.name + "\": http needs both an inject and a revert request (a url, or "
           "a path on the target's url)";
  }
  FaultAction action;
  action.description = spec.inject_http.method + " " + inject_url + " (" + target.name + ")";
  action.inject = [method = spec.inject_http.method, inject_url, body = spec.inject_http.body] {
    return HttpCall(method, inject_url, body, /*missing_ok=*/false);
  };
  action.revert = {{"action", "http"},
                   {"method", spec.revert_http.method},
                   {"url", revert_url},
                   {"body", spec.revert_http.body}};
  return action;
}

}  // namespace sonde::chaos
