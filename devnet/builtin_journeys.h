// sonde's built-in journeys (scenarios/journeys/*.toml), embedded at build
// time so that `sonde-devnet up` can write a sonde config that runs them.
// They expect [targets.devnet], [targets.devnet_entry], [keys.wallet],
// [keys.probe_node] and [keys.fresh_node] (see scenarios/journeys/README.md).
#pragma once

#include <string_view>

namespace sonde::devnet {

// The four journey files, concatenated, each with its own comments.
std::string_view BuiltinJourneysToml();
// config/examples/devnet_drills.toml: drills over the devnet's chaos targets.
std::string_view DevnetDrillsToml();
// config/examples/devnet_proxy_drills.toml: drills on the peer links, for a
// devnet with the fault proxy.
std::string_view DevnetProxyDrillsToml();

}  // namespace sonde::devnet
