// partition (nftables backend): for nodes on their own addresses or in
// network namespaces. The rules live in a table this sonde process owns
// (nft_table.h), so a crash cannot leave the network split: the kernel
// removes the table when the process goes. The revert deletes the chains.
#include <boost/json.hpp>

#include "chaos/fault.h"
#include "chaos/nft_table.h"

namespace sonde::chaos {

Planned PlanNftPartition(const std::string& fault, const PartitionFault& partition,
                         const ChaosConfig& chaos) {
  auto cuts = PartitionCuts(fault, partition, chaos);
  if (auto* why = std::get_if<std::string>(&cuts)) return *why;
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [from, to] : std::get<0>(cuts)) {
    const std::string& a = chaos.targets.at(from).address;
    const std::string& b = chaos.targets.at(to).address;
    if (a.empty() || b.empty()) {
      return "fault \"" + fault + "\": target \"" + (a.empty() ? from : to) + "\" has no address";
    }
    pairs.emplace_back(a, b);
  }
  // Chain names: letters, digits and '_' only.
  std::string chain = "p_";
  for (char c : fault) chain += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  FaultAction action;
  const std::string shape = DescribePartition(partition);
  action.description = "partition " + shape + " (nftables table inet " + OwnTableName() + ", " +
                       std::to_string(pairs.size()) + " address pairs dropped)";
  action.inject = [chain, pairs] { return NftAddDrops(chain, pairs); };
  action.revert = {{"action", "nft"}, {"table", OwnTableName()}, {"chain", chain}};
  return action;
}

}  // namespace sonde::chaos
