// http: an inject request and the request that undoes it (e.g. the devnet's
// invalid-share and stall hooks). A 2xx answer is success.
#include "chaos/fault.h"
#include "chaos/revert.h"

namespace sonde::chaos {

Planned PlanHttp(const std::string& fault, const HttpFault& http, const ChaosTarget& target) {
  auto url_of = [&](const FaultRequest& call) {
    return call.url.empty() && !call.path.empty() && !target.url.empty() ? target.url + call.path
                                                                         : call.url;
  };
  const std::string inject_url = url_of(http.inject);
  const std::string revert_url = url_of(http.revert);
  if (inject_url.empty() || revert_url.empty()) {
    return "fault \"" + fault + "\": http needs both an inject and a revert request (a url, or "
           "a path on the target's url)";
  }
  FaultAction action;
  action.description = http.inject.method + " " + inject_url + " (" + target.name + ")";
  action.inject = [method = http.inject.method, inject_url, body = http.inject.body] {
    return HttpCall(method, inject_url, body, /*missing_ok=*/false);
  };
  action.revert = {{"action", "http"},
                   {"method", http.revert.method},
                   {"url", revert_url},
                   {"body", http.revert.body}};
  return action;
}

}  // namespace sonde::chaos
