// A fault: what to break, where, and how to undo it. PlanFault resolves the
// target (which must be declared under [chaos.targets]), checks that the
// fault can act (the process is running, ...) and returns the inject step
// and the revert action (revert.h) without touching anything; the injector
// journals the revert before it calls the inject step.
//
// The kinds are config/fault_kinds.h's; PlanFault visits them, one planner
// per kind, one file each: kill_fault.cc (a signal through a pidfd; its
// revert runs the target's restart command), pause_fault.cc (SIGSTOP;
// revert SIGCONT to the same process), exec_fault.cc, http_fault.cc,
// partition_fault.cc and nft_partition_fault.cc (the links between groups
// cut at the fault proxy or with nftables), link_fault.cc (a toxic on named
// proxy links). chaos/ADDING_A_FAULT.md walks through adding a kind.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/model.h"

namespace sonde::chaos {

// One fault as planned: its kind with everything resolved (a shape's
// groups drawn, `pick` applied), and the one target it acts on.
struct FaultSpec {
  std::string name;    // the fault's name in its drill or menu ("kill@node2" when split)
  std::string target;  // a [chaos.targets] name; a partition's or link fault's first
  FaultKind kind;
};

struct FaultAction {
  std::string description;  // "SIGSTOP to node3 (pid 1234)"
  std::function<std::optional<std::string>()> inject;  // nullopt on success, else why not
  boost::json::object revert;
};

using Planned = std::variant<FaultAction, std::string>;  // the action, or why it cannot be

// "node1,node2 | node3": a partition's groups (or its ring), for plans and logs.
std::string DescribePartition(const PartitionFault& partition);

// What the fault acts on, as reports, the store and the `target` label name
// it: a partition's groups (or ring), a link fault's links, else the target.
std::string FaultSubject(const FaultSpec& spec);

// The kind's name (FaultKindName), as stored and labelled.
inline std::string KindName(const FaultSpec& spec) { return std::string(FaultKindName(spec.kind)); }

// The directed links a partition cuts: every (a, b) in different groups, or
// for a ring every pair that are not neighbours. Or why it cannot be (an
// undeclared target, one in two groups, fewer than two groups); `fault`
// names it in that message.
std::variant<std::vector<std::pair<std::string, std::string>>, std::string> PartitionCuts(
    const std::string& fault, const PartitionFault& partition, const ChaosConfig& chaos);

Planned PlanFault(const FaultSpec& spec, const ChaosConfig& chaos);

// One per kind; `fault` is the fault's name for messages. The kinds that act
// on one target get it resolved.
Planned PlanKill(const std::string& fault, const KillFault& kill, const ChaosTarget& target);
Planned PlanPause(const std::string& fault, const PauseFault& pause, const ChaosTarget& target);
Planned PlanExec(const std::string& fault, const ExecFault& exec, const ChaosTarget& target);
Planned PlanHttp(const std::string& fault, const HttpFault& http, const ChaosTarget& target);
Planned PlanPartition(const std::string& fault, const PartitionFault& partition,
                      const ChaosConfig& chaos);
Planned PlanNftPartition(const std::string& fault, const PartitionFault& partition,
                         const ChaosConfig& chaos);
Planned PlanLinkToxic(const std::string& fault, const LinkFault& link, const ChaosConfig& chaos);

}  // namespace sonde::chaos
