// The layout of a devnet directory, which `up` writes and `down`, `status`
// and `start` read:
//   DIR/devnet.toml          the manifest: sizes, ports, the binary, the wallet
//   DIR/wallet.key           the funded probe wallet (Ed25519 key file, 0600)
//   DIR/sonde.toml           a sonde config for this devnet
//   DIR/nodeN/node.toml      node N's config     DIR/nodeN/node.key    its key
//   DIR/nodeN/frost.share    its FROST share     DIR/nodeN/chain.jsonl its chain
//   DIR/nodeN/node.pid       its pid             DIR/nodeN/node.log    its output
// Thread-safety: plain values and functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devnet/result.h"

namespace sonde::devnet {

struct Manifest {
  std::string dir;  // absolute
  uint32_t nodes = 5;
  uint32_t threshold = 3;
  uint16_t base_port = 26600;
  uint32_t block_ms = 500;
  std::string chain_id = "sonde-devnet";
  std::string binary;          // the sonde-devnet that runs the nodes
  std::string wallet_address;  // hex public key of DIR/wallet.key

  std::string path() const { return dir + "/devnet.toml"; }
  std::string wallet_key() const { return dir + "/wallet.key"; }
  // An active node's key whose rewards sonde's reward_claim journey collects.
  std::string probe_node_key() const { return dir + "/probe_node.key"; }
  std::string sonde_config() const { return dir + "/sonde.toml"; }
  std::string node_dir(uint32_t id) const { return dir + "/node" + std::to_string(id); }
  std::string node_config(uint32_t id) const { return node_dir(id) + "/node.toml"; }
  std::string node_key(uint32_t id) const { return node_dir(id) + "/node.key"; }
  std::string node_share(uint32_t id) const { return node_dir(id) + "/frost.share"; }
  std::string node_pidfile(uint32_t id) const { return node_dir(id) + "/node.pid"; }
  std::string node_log(uint32_t id) const { return node_dir(id) + "/node.log"; }
  uint16_t node_port(uint32_t id) const { return static_cast<uint16_t>(base_port + id); }
  std::string node_url(uint32_t id) const {
    return "http://127.0.0.1:" + std::to_string(node_port(id));
  }
  // Exactly what runs node `id` (and what /proc/PID/cmdline must show).
  std::vector<std::string> node_command(uint32_t id) const {
    return {binary, "node", "--config", node_config(id)};
  }
  // The command that (re)starts node `id` detached, for chaos restarts.
  std::string restart_command(uint32_t id) const;
};

Status WriteManifest(const Manifest& m);
Result<Manifest> LoadManifest(const std::string& dir);

// A sonde config (valid for `sonde check`) probing this devnet.
std::string RenderSondeConfig(const Manifest& m);

// A TOML basic string with the quotes.
std::string TomlString(const std::string& s);
// A shell word: quoted when it has anything but [A-Za-z0-9_./-].
std::string ShellWord(const std::string& s);

}  // namespace sonde::devnet
