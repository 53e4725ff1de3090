// partition (proxy backend): the links between nodes go through the fault
// proxy, one proxy per direction named "A_to_B" after the chaos targets.
// Cutting the groups apart (or a ring's non-neighbours) adds, on every link
// cut, a `timeout` toxic with timeout 0 on both streams: bytes are held,
// nothing is delivered, as on a dead link. The revert deletes those toxics
// (a 404 counts as done), and held bytes flow again.
#include <boost/json.hpp>
#include <set>

#include "chaos/fault.h"
#include "chaos/revert.h"

namespace sonde::chaos {

Planned PlanPartition(const std::string& fault, const PartitionFault& partition,
                      const ChaosConfig& chaos) {
  if (chaos.proxy_api.empty()) {
    return "fault \"" + fault + "\": a partition needs [chaos] proxy_api";
  }
  auto cuts = PartitionCuts(fault, partition, chaos);
  if (auto* why = std::get_if<std::string>(&cuts)) return *why;
  struct Toxic {
    std::string proxy, name, stream;
  };
  std::vector<Toxic> toxics;
  for (const auto& [from, to] : std::get<0>(cuts)) {
    for (const char* stream : {"upstream", "downstream"}) {
      toxics.push_back({from + "_to_" + to, "sonde_" + fault + "_" + stream, stream});
    }
  }
  const std::string api = chaos.proxy_api;
  boost::json::array undo;
  for (const Toxic& t : toxics) {
    undo.push_back({{"action", "http"},
                    {"method", "DELETE"},
                    {"url", api + "/proxies/" + t.proxy + "/toxics/" + t.name},
                    {"body", ""}});
  }
  FaultAction action;
  const std::string shape = DescribePartition(partition);
  action.description = "partition " + shape + " (" + std::to_string(toxics.size() / 2) +
                       " links cut at " + api + ")";
  action.inject = [api, toxics]() -> std::optional<std::string> {
    for (const Toxic& t : toxics) {
      const boost::json::object body{{"name", t.name},
                                     {"type", "timeout"},
                                     {"stream", t.stream},
                                     {"toxicity", 1.0},
                                     {"attributes", {{"timeout", 0}}}};
      if (auto why = HttpCall("POST", api + "/proxies/" + t.proxy + "/toxics",
                              boost::json::serialize(body), /*missing_ok=*/false)) {
        return "cutting " + t.proxy + ": " + *why;
      }
    }
    return std::nullopt;
  };
  action.revert = {{"action", "all"}, {"actions", std::move(undo)}};
  return action;
}

}  // namespace sonde::chaos
