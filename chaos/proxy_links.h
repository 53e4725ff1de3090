// The links a fault needs at the fault proxy, checked before anything is
// touched: a partition cuts proxies named "A_to_B" after its targets, a link
// fault puts toxics on the proxies it names. A link the proxy lacks used to
// be found only at inject time, half-way into a drill; `sonde check`,
// `sonde drill --dry-run` and the drill itself (before its steady state)
// now ask the proxy first.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "chaos/drill_plan.h"
#include "chaos/fault.h"
#include "config/model.h"

namespace sonde::chaos {

// The proxies a planned fault needs, in order; empty for kinds that need
// none (and for a partition cut with nftables).
std::vector<std::string> LinksNeeded(const FaultSpec& spec, const ChaosConfig& chaos);

// Every proxy a declared drill fault could need, whatever the seed picks:
// a named shape may cut any two of its targets apart.
std::vector<std::string> LinksNeeded(const DrillFault& fault, const ChaosConfig& chaos);

// The proxies the fault proxy at `proxy_api` has (GET /proxies), or why it
// cannot tell.
std::variant<std::set<std::string>, std::string> ProxyLinks(const std::string& proxy_api);

// "fault \"f\" needs link node1_to_node4, which the proxy at URL does not
// have", for each link of `needed` (by fault name) missing from `have`.
std::vector<std::string> MissingLinks(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& needed,
    const std::set<std::string>& have, const std::string& proxy_api);

// The plan's faults against the proxy's links: nullopt when every link is
// there (or none is needed), else what is missing or why the proxy could
// not be asked, in one message.
std::optional<std::string> CheckPlannedLinks(const DrillPlan& plan, const ChaosConfig& chaos);

}  // namespace sonde::chaos
