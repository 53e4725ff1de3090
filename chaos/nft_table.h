// The OS boundary for nftables partitions: one table per sonde process,
// `inet sonde_<pid>`, created with the `owner` flag through libnftables, so
// the kernel deletes it — and every rule in it — when this process exits,
// however it exits (kill -9 included). Only the owning process can change
// it. Each partition is a pair of chains in it (forward and output hooks)
// that drop IPv4 traffic between the groups' addresses.
//
// Thread-safety: all functions may be called from any thread (one mutex).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sonde::chaos {

// The table this process owns (created on first use).
std::string OwnTableName();

// Adds the chains `name`_fwd and `name`_out dropping every (a, b) pair.
std::optional<std::string> NftAddDrops(const std::string& name,
                                       const std::vector<std::pair<std::string, std::string>>& pairs);
// Deletes them; nullopt also when they, or the table, are gone.
std::optional<std::string> NftDeleteDrops(const std::string& table, const std::string& name);

}  // namespace sonde::chaos
