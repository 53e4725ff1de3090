#include "chaos/fault.h"

namespace sonde::chaos {

std::string DescribeGroups(const std::vector<std::vector<std::string>>& groups) {
  std::string shape;
  for (const auto& group : groups) {
    std::string g;
    for (const std::string& t : group) g += (g.empty() ? "" : ",") + t;
    shape += (shape.empty() ? "" : " | ") + g;
  }
  return shape;
}

bool IsLinkKind(const std::string& kind) {
  return kind == "latency" || kind == "bandwidth" || kind == "blackhole" || kind == "reset_peer" ||
         kind == "slicer" || kind == "limit_data";
}

bool IsDestructive(const std::string& kind) {
  return kind == "kill" || kind == "pause" || kind == "partition" || kind == "blackhole" ||
         kind == "reset_peer" || kind == "limit_data";
}

Planned PlanFault(const FaultSpec& spec, const ChaosConfig& chaos) {
  if (spec.kind == "partition") {
    return spec.backend == "nftables" ? PlanNftPartition(spec, chaos) : PlanPartition(spec, chaos);
  }
  if (IsLinkKind(spec.kind)) return PlanLinkToxic(spec, chaos);
  auto it = chaos.targets.find(spec.target);
  if (it == chaos.targets.end()) {
    std::string declared;
    for (const auto& [name, t] : chaos.targets) declared += (declared.empty() ? "" : ", ") + name;
    return "fault \"" + spec.name + "\": target \"" + spec.target +
           "\" is not declared under [chaos.targets] (declared: " +
           (declared.empty() ? "none" : declared) + "); refusing to touch it";
  }
  if (spec.kind == "kill") return PlanKill(spec, it->second);
  if (spec.kind == "pause") return PlanPause(spec, it->second);
  if (spec.kind == "exec") return PlanExec(spec, it->second);
  if (spec.kind == "http") return PlanHttp(spec, it->second);
  return "fault \"" + spec.name + "\": unknown kind \"" + spec.kind +
         "\" (use kill, pause, exec, http or partition)";
}

}  // namespace sonde::chaos
