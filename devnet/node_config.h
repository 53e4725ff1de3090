// One node's configuration, read once from TOML (toml++) at start-up into an
// immutable value. Unknown keys are refused and every error names the file,
// the key and its line. The launcher writes these files (see launcher.cc);
// WriteNodeConfig and LoadNodeConfig are inverses.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "devnet/result.h"
#include "signer/ed25519.h"

namespace sonde::devnet {

struct PeerConfig {
  uint32_t id = 0;
  std::string url;  // http://127.0.0.1:PORT, possibly a fault proxy in front of the peer
};

struct NodeConfig {
  uint32_t id = 0;
  uint32_t leader = 1;
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 0;
  std::string data_dir;
  uint32_t block_ms = 500;
  std::string chain_id = "sonde-devnet";
  uint64_t reward_per_block = 10;
  std::string node_key;           // Ed25519 key file (signer/key_file.h)
  std::string frost_share;        // FROST key package file, see frost_share_file.h
  std::vector<PeerConfig> peers;  // every other node, one link each
  std::map<signer::PublicKey, uint64_t> genesis_balances;

  uint32_t cluster_size() const { return static_cast<uint32_t>(peers.size()) + 1; }
  bool is_leader() const { return id == leader; }
  const PeerConfig* FindPeer(uint32_t peer_id) const;
};

Result<NodeConfig> LoadNodeConfig(const std::string& path);
std::string NodeConfigToToml(const NodeConfig& config);

}  // namespace sonde::devnet
