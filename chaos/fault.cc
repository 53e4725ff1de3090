#include "chaos/fault.h"

#include <set>

namespace sonde::chaos {
namespace {

std::string DescribeGroups(const std::vector<std::vector<std::string>>& groups) {
  std::string shape;
  for (const auto& group : groups) {
    std::string g;
    for (const std::string& t : group) g += (g.empty() ? "" : ",") + t;
    shape += (shape.empty() ? "" : " | ") + g;
  }
  return shape;
}

}  // namespace

std::string DescribePartition(const FaultSpec& spec) {
  if (spec.ring.empty()) return DescribeGroups(spec.groups);
  std::string out = "ring";
  for (const std::string& t : spec.ring) out += " " + t;
  return out;
}

std::string FaultSubject(const FaultSpec& spec) {
  if (!spec.groups.empty() || !spec.ring.empty()) return DescribePartition(spec);
  if (!spec.links.empty()) {
    std::string out;
    for (const std::string& l : spec.links) out += (out.empty() ? "" : ",") + l;
    return out;
  }
  return spec.target;
}

std::variant<std::vector<std::pair<std::string, std::string>>, std::string> PartitionCuts(
    const FaultSpec& spec, const ChaosConfig& chaos) {
  const std::string who = "fault \"" + spec.name + "\": ";
  std::vector<std::pair<std::string, std::string>> cuts;
  std::set<std::string> seen;
  auto check = [&](const std::string& t) -> std::optional<std::string> {
    if (!chaos.targets.count(t)) {
      return who + "target \"" + t +
             "\" is not declared under [chaos.targets]; refusing to touch it";
    }
    if (!seen.insert(t).second) return who + "\"" + t + "\" appears twice";
    return std::nullopt;
  };
  if (!spec.ring.empty()) {
    const size_t n = spec.ring.size();
    if (n < 4) return who + "a ring needs at least 4 targets (with 3 every pair are neighbours)";
    for (const std::string& t : spec.ring) {
      if (auto why = check(t)) return *why;
    }
    for (size_t a = 0; a < n; ++a) {
      for (size_t b = 0; b < n; ++b) {
        const size_t d = a > b ? a - b : b - a;
        if (a != b && d != 1 && d != n - 1) cuts.emplace_back(spec.ring[a], spec.ring[b]);
      }
    }
    return cuts;
  }
  if (spec.groups.size() < 2) return who + "a partition needs two groups";
  for (const auto& group : spec.groups) {
    if (group.empty()) return who + "a partition group is empty: nothing would be cut";
  }
  for (const auto& group : spec.groups) {
    for (const std::string& t : group) {
      if (auto why = check(t)) return *why;
    }
  }
  for (size_t a = 0; a < spec.groups.size(); ++a) {
    for (size_t b = 0; b < spec.groups.size(); ++b) {
      if (a == b) continue;
      for (const std::string& from : spec.groups[a]) {
        for (const std::string& to : spec.groups[b]) cuts.emplace_back(from, to);
      }
    }
  }
  return cuts;
}

bool IsDestructive(const std::string& kind) {
  // exec runs whatever command the config names (kubectl with a Chaos Mesh
  // manifest, a firewall rule): as destructive as anything sonde does.
  return kind == "kill" || kind == "pause" || kind == "partition" || kind == "blackhole" ||
         kind == "reset_peer" || kind == "limit_data" || kind == "exec";
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
