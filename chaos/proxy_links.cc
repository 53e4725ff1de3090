#include "chaos/proxy_links.h"

#include <boost/json.hpp>

#include "chaos/revert.h"

namespace sonde::chaos {

std::vector<std::string> LinksNeeded(const FaultSpec& spec, const ChaosConfig& chaos) {
  if (const auto* link = std::get_if<LinkFault>(&spec.kind)) return link->links;
  const auto* partition = std::get_if<PartitionFault>(&spec.kind);
  if (!partition || partition->backend == PartitionFault::Backend::kNftables) return {};
  std::vector<std::string> out;
  auto cuts = PartitionCuts(spec.name, *partition, chaos);
  if (auto* pairs = std::get_if<0>(&cuts)) {
    for (const auto& [from, to] : *pairs) out.push_back(from + "_to_" + to);
  }
  return out;
}

std::vector<std::string> LinksNeeded(const DrillFault& fault, const ChaosConfig& chaos) {
  const auto* partition = std::get_if<PartitionFault>(&fault.kind);
  if (!partition || partition->shape == PartitionFault::Shape::kGroups) {
    return LinksNeeded(FaultSpec{fault.name, "", fault.kind}, chaos);
  }
  if (partition->backend == PartitionFault::Backend::kNftables) return {};
  // A shape is drawn with the seed: any two of its targets may be cut.
  std::vector<std::string> out;
  for (const std::string& a : fault.targets) {
    for (const std::string& b : fault.targets) {
      if (a != b) out.push_back(a + "_to_" + b);
    }
  }
  return out;
}

std::variant<std::set<std::string>, std::string> ProxyLinks(const std::string& proxy_api) {
  std::string body;
  if (auto why = HttpCall("GET", proxy_api + "/proxies", "", /*missing_ok=*/false, &body)) {
    return "cannot list the fault proxy's links: " + *why;
  }
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) {
    return "the fault proxy at " + proxy_api + " answered GET /proxies with something other than "
           "a JSON object of proxies";
  }
  std::set<std::string> out;
  for (const auto& [name, proxy] : v.as_object()) out.insert(std::string(name));
  return out;
}

std::vector<std::string> MissingLinks(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& needed,
    const std::set<std::string>& have, const std::string& proxy_api) {
  std::vector<std::string> out;
  for (const auto& [fault, links] : needed) {
    for (const std::string& link : links) {
      if (!have.count(link)) {
        out.push_back("fault \"" + fault + "\" needs link " + link + ", which the proxy at " +
                      proxy_api + " does not have");
      }
    }
  }
  return out;
}

std::optional<std::string> CheckPlannedLinks(const DrillPlan& plan, const ChaosConfig& chaos) {
  std::vector<std::pair<std::string, std::vector<std::string>>> needed;
  for (const PlannedFault& p : plan.faults) {
    std::vector<std::string> links = LinksNeeded(p.spec, chaos);
    if (!links.empty()) needed.push_back({p.spec.name, std::move(links)});
  }
  if (needed.empty() || chaos.proxy_api.empty()) return std::nullopt;
  auto have = ProxyLinks(chaos.proxy_api);
  if (auto* why = std::get_if<std::string>(&have)) return *why;
  const std::vector<std::string> missing = MissingLinks(needed, std::get<0>(have), chaos.proxy_api);
  if (missing.empty()) return std::nullopt;
  std::string out;
  for (const std::string& m : missing) out += (out.empty() ? "" : "; ") + m;
  return out;
}

}  // namespace sonde::chaos
