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

std::string DescribePartition(const PartitionFault& partition) {
  if (partition.ring.empty()) return DescribeGroups(partition.groups);
  std::string out = "ring";
  for (const std::string& t : partition.ring) out += " " + t;
  return out;
}

std::string FaultSubject(const FaultSpec& spec) {
  if (const auto* partition = std::get_if<PartitionFault>(&spec.kind)) {
    return DescribePartition(*partition);
  }
  if (const auto* link = std::get_if<LinkFault>(&spec.kind)) {
    std::string out;
    for (const std::string& l : link->links) out += (out.empty() ? "" : ",") + l;
    return out;
  }
  return spec.target;
}

std::variant<std::vector<std::pair<std::string, std::string>>, std::string> PartitionCuts(
    const std::string& fault, const PartitionFault& spec, const ChaosConfig& chaos) {
  const std::string who = "fault \"" + fault + "\": ";
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

Planned PlanFault(const FaultSpec& spec, const ChaosConfig& chaos) {
  // The kinds that act on one target: resolved here, for all of them.
  auto target = [&]() -> std::variant<const ChaosTarget*, std::string> {
    auto it = chaos.targets.find(spec.target);
    if (it != chaos.targets.end()) return &it->second;
    std::string declared;
    for (const auto& [name, t] : chaos.targets) declared += (declared.empty() ? "" : ", ") + name;
    return "fault \"" + spec.name + "\": target \"" + spec.target +
           "\" is not declared under [chaos.targets] (declared: " +
           (declared.empty() ? "none" : declared) + "); refusing to touch it";
  };
  auto on_target = [&](auto plan) -> Planned {
    auto resolved = target();
    if (auto* why = std::get_if<std::string>(&resolved)) return *why;
    return plan(*std::get<const ChaosTarget*>(resolved));
  };
  auto visitor = [&](const auto& kind) -> Planned {
    using Kind = std::decay_t<decltype(kind)>;
    if constexpr (std::is_same_v<Kind, PartitionFault>) {
      return kind.backend == PartitionFault::Backend::kNftables
                 ? PlanNftPartition(spec.name, kind, chaos)
                 : PlanPartition(spec.name, kind, chaos);
    } else if constexpr (std::is_same_v<Kind, LinkFault>) {
      return PlanLinkToxic(spec.name, kind, chaos);
    } else if constexpr (std::is_same_v<Kind, KillFault>) {
      return on_target([&](const ChaosTarget& t) { return PlanKill(spec.name, kind, t); });
    } else if constexpr (std::is_same_v<Kind, PauseFault>) {
      return on_target([&](const ChaosTarget& t) { return PlanPause(spec.name, kind, t); });
    } else if constexpr (std::is_same_v<Kind, ExecFault>) {
      return on_target([&](const ChaosTarget& t) { return PlanExec(spec.name, kind, t); });
    } else {
      static_assert(std::is_same_v<Kind, HttpFault>, "a fault kind without a planner");
      return on_target([&](const ChaosTarget& t) { return PlanHttp(spec.name, kind, t); });
    }
  };
  return std::visit(visitor, spec.kind);
}

}  // namespace sonde::chaos
