// partition (nftables backend): for nodes on their own addresses or in
// network namespaces. The rules live in a table this sonde process owns
// (nft_table.h), so a crash cannot leave the network split: the kernel
// removes the table when the process goes. The revert deletes the chains.
#include <boost/json.hpp>
#include <set>

#include "chaos/fault.h"
#include "chaos/nft_table.h"

namespace sonde::chaos {

Planned PlanNftPartition(const FaultSpec& spec, const ChaosConfig& chaos) {
  if (spec.groups.size() < 2) return "fault \"" + spec.name + "\": a partition needs two groups";
  std::vector<std::vector<std::string>> addresses;
  std::set<std::string> seen;
  for (const auto& group : spec.groups) {
    std::vector<std::string> addrs;
    for (const std::string& t : group) {
      auto it = chaos.targets.find(t);
      if (it == chaos.targets.end()) {
        return "fault \"" + spec.name + "\": target \"" + t +
               "\" is not declared under [chaos.targets]; refusing to touch it";
      }
      if (it->second.address.empty()) {
        return "fault \"" + spec.name + "\": target \"" + t + "\" has no address";
      }
      if (!seen.insert(t).second) return "fault \"" + spec.name + "\": \"" + t + "\" is in two groups";
      addrs.push_back(it->second.address);
    }
    addresses.push_back(std::move(addrs));
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t a = 0; a < addresses.size(); ++a) {
    for (size_t b = 0; b < addresses.size(); ++b) {
      if (a == b) continue;
      for (const std::string& from : addresses[a]) {
        for (const std::string& to : addresses[b]) pairs.emplace_back(from, to);
      }
    }
  }
  // Chain names: letters, digits and '_' only.
  std::string chain = "p_";
  for (char c : spec.name) chain += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  FaultAction action;
  const std::string shape = DescribeGroups(spec.groups);
  action.description = "partition " + shape + " (nftables table inet " + OwnTableName() + ", " +
                       std::to_string(pairs.size()) + " address pairs dropped)";
  action.inject = [chain, pairs] { return NftAddDrops(chain, pairs); };
  action.revert = {{"action", "nft"}, {"table", OwnTableName()}, {"chain", chain}};
  return action;
}

}  // namespace sonde::chaos
