// A fault: what to break, where, and how to undo it. PlanFault resolves the
// target (which must be declared under [chaos.targets]), checks that the
// fault can act (the process is running, ...) and returns the inject step
// and the revert action (revert.h) without touching anything; the injector
// journals the revert before it calls the inject step.
//
// Kinds here: kill (a signal, default SIGKILL, through a pidfd; its revert
// runs the target's restart command), pause (SIGSTOP; revert SIGCONT to the
// same process), exec (inject and revert commands), http (inject and revert
// requests), partition (the links between groups cut at the fault proxy).
// One file per kind: kill_fault.cc, pause_fault.cc, ...
#pragma once

#include <boost/json/object.hpp>
#include <csignal>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/model.h"

namespace sonde::chaos {

struct HttpCallSpec {
  std::string method = "POST";
  std::string url;   // a full URL, or empty for `path` on the target's url
  std::string path;
  std::string body;
};

struct FaultSpec {
  std::string name;    // the fault's name in its drill or menu
  std::string kind;    // kill, pause, exec, http
  std::string target;  // a [chaos.targets] name
  int signal = SIGKILL;                         // kill
  std::string inject_command, revert_command;  // exec
  HttpCallSpec inject_http, revert_http;       // http
  std::vector<std::vector<std::string>> groups;  // partition (target: the first group's first)
  std::string backend = "proxy";                  // partition: proxy or nftables
  std::vector<std::string> ring;                  // partition: a ring (neighbours stay linked)
  std::vector<std::string> links;                 // link kinds: "A_to_B" proxies
  std::string stream = "both";
  double toxicity = 1.0;
  std::map<std::string, int64_t> attributes;
};

struct FaultAction {
  std::string description;  // "SIGSTOP to node3 (pid 1234)"
  std::function<std::optional<std::string>()> inject;  // nullopt on success, else why not
  boost::json::object revert;
};

using Planned = std::variant<FaultAction, std::string>;  // the action, or why it cannot be

// "node1,node2 | node3": a partition's groups (or its ring), for plans and logs.
std::string DescribePartition(const FaultSpec& spec);

// What the fault acts on, as reports, the store and the `target` label name
// it: a partition's groups (or ring), a link fault's links, else the target.
std::string FaultSubject(const FaultSpec& spec);

// The directed links a partition cuts: every (a, b) in different groups, or
// for a ring every pair that are not neighbours. Or why it cannot be (an
// undeclared target, one in two groups, fewer than two groups).
std::variant<std::vector<std::pair<std::string, std::string>>, std::string> PartitionCuts(
    const FaultSpec& spec, const ChaosConfig& chaos);

// Kinds that stop or break a process: a drill must be armed to use them.
bool IsDestructive(const std::string& kind);

Planned PlanFault(const FaultSpec& spec, const ChaosConfig& chaos);

// One per kind (the target is already resolved).
Planned PlanKill(const FaultSpec& spec, const ChaosTarget& target);
Planned PlanPause(const FaultSpec& spec, const ChaosTarget& target);
Planned PlanExec(const FaultSpec& spec, const ChaosTarget& target);
Planned PlanHttp(const FaultSpec& spec, const ChaosTarget& target);
Planned PlanPartition(const FaultSpec& spec, const ChaosConfig& chaos);
Planned PlanNftPartition(const FaultSpec& spec, const ChaosConfig& chaos);
// latency, bandwidth, blackhole, reset_peer, slicer, limit_data (IsLinkKind, config/model.h).
Planned PlanLinkToxic(const FaultSpec& spec, const ChaosConfig& chaos);

}  // namespace sonde::chaos
