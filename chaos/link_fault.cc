// Link kinds on the fault proxy: latency (+ jitter), bandwidth, blackhole
// (Toxiproxy's `timeout` with timeout 0: data held until the toxic goes),
// reset_peer, slicer, limit_data. One toxic per link and stream, named after
// the fault; the revert deletes them (a 404 counts as done).
#include <boost/json.hpp>

#include "chaos/fault.h"
#include "chaos/revert.h"

namespace sonde::chaos {

Planned PlanLinkToxic(const std::string& fault, const LinkFault& spec, const ChaosConfig& chaos) {
  if (chaos.proxy_api.empty()) return "fault \"" + fault + "\": needs [chaos] proxy_api";
  if (spec.links.empty()) return "fault \"" + fault + "\": no links";
  for (const std::string& link : spec.links) {
    const size_t sep = link.find("_to_");
    if (sep == std::string::npos || !chaos.targets.count(link.substr(0, sep)) ||
        !chaos.targets.count(link.substr(sep + 4))) {
      return "fault \"" + fault + "\": link \"" + link +
             "\" is not between declared targets; refusing to touch it";
    }
  }
  const std::string type(spec.ToxiproxyType());
  boost::json::object attributes;
  for (const auto& [k, v] : spec.attributes) attributes[k] = v;
  if (spec.toxic == LinkFault::Toxic::kBlackhole) attributes["timeout"] = 0;
  std::vector<std::string> streams;
  if (spec.stream != LinkFault::Stream::kDownstream) streams.push_back("upstream");
  if (spec.stream != LinkFault::Stream::kUpstream) streams.push_back("downstream");
  struct Toxic {
    std::string proxy, name, stream;
  };
  std::vector<Toxic> toxics;
  boost::json::array undo;
  for (const std::string& link : spec.links) {
    for (const std::string& stream : streams) {
      Toxic t{link, "sonde_" + fault + "_" + stream, stream};
      undo.push_back({{"action", "http"},
                      {"method", "DELETE"},
                      {"url", chaos.proxy_api + "/proxies/" + t.proxy + "/toxics/" + t.name},
                      {"body", ""}});
      toxics.push_back(std::move(t));
    }
  }
  FaultAction action;
  std::string links;
  for (const std::string& l : spec.links) links += (links.empty() ? "" : ", ") + l;
  action.description = std::string(spec.Name()) + " " + boost::json::serialize(attributes) +
                       " on " + links + " (" + std::string(StreamName(spec.stream)) + ")";
  action.inject = [api = chaos.proxy_api, toxics, type, attributes,
                   toxicity = spec.toxicity]() -> std::optional<std::string> {
    for (const Toxic& t : toxics) {
      const boost::json::object body{{"name", t.name},
                                     {"type", type},
                                     {"stream", t.stream},
                                     {"toxicity", toxicity},
                                     {"attributes", attributes}};
      if (auto why = HttpCall("POST", api + "/proxies/" + t.proxy + "/toxics",
                              boost::json::serialize(body), /*missing_ok=*/false)) {
        return t.proxy + ": " + *why;
      }
    }
    return std::nullopt;
  };
  action.revert = {{"action", "all"}, {"actions", std::move(undo)}};
  return action;
}

}  // namespace sonde::chaos
