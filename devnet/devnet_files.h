// The layout of a devnet directory, which `up` writes and `down`, `status`
// and `start` read:
//   DIR/devnet.toml          the manifest: sizes, ports, the binary, the wallet
//   DIR/wallet.key           the funded probe wallet (Ed25519 key file, 0600)
//   DIR/sonde.toml           a sonde config for this devnet
//   DIR/nodeN/node.toml      node N's config     DIR/nodeN/node.key    its key
//   DIR/nodeN/frost.share    its FROST share     DIR/nodeN/chain.jsonl its chain
//   DIR/nodeN/node.pid       its pid             DIR/nodeN/node.log    its output
//   DIR/proxies.json         the fault proxy's links (with proxies on)
//   DIR/proxy/proxy.pid      the proxy's pid     DIR/proxy/proxy.log   its output
//
// With proxies on (the default), every peer link goes through one proxy of
// a single fault proxy process: node i's calls to node j go to the proxy
// "node{i}_to_node{j}" on 127.0.0.1:(base_port + 100 + (i-1)*nodes + (j-1)),
// whose upstream is node j. Its Toxiproxy-compatible API is on
// 127.0.0.1:(base_port + 50).
//
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
  // Peer links through the fault proxy. Fixed when the devnet is made (the
  // node configs hold the links' URLs); a devnet without the key has none.
  bool proxies = false;

  std::string path() const { return dir + "/devnet.toml"; }
  std::string wallet_key() const { return dir + "/wallet.key"; }
  // An active node's key whose rewards sonde's reward_claim journey collects.
  std::string probe_node_key() const { return dir + "/probe_node.key"; }
  std::string sonde_config() const { return dir + "/sonde.toml"; }
  std::string api_token() const { return dir + "/api.token"; }
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

  // The URL node `from` calls node `to` on: the link's proxy, or node `to`.
  std::string peer_url(uint32_t from, uint32_t to) const {
    return proxies ? link_url(from, to) : node_url(to);
  }
  std::string link_name(uint32_t from, uint32_t to) const {
    return "node" + std::to_string(from) + "_to_node" + std::to_string(to);
  }
  uint16_t link_port(uint32_t from, uint32_t to) const {
    return static_cast<uint16_t>(base_port + kLinkPortOffset + (from - 1) * nodes + (to - 1));
  }
  std::string link_url(uint32_t from, uint32_t to) const {
    return "http://127.0.0.1:" + std::to_string(link_port(from, to));
  }
  uint16_t proxy_api_port() const { return static_cast<uint16_t>(base_port + kProxyApiOffset); }
  std::string proxy_api_url() const {
    return "http://127.0.0.1:" + std::to_string(proxy_api_port());
  }
  std::string proxies_file() const { return dir + "/proxies.json"; }
  std::string proxy_dir() const { return dir + "/proxy"; }
  std::string proxy_pidfile() const { return proxy_dir() + "/proxy.pid"; }
  std::string proxy_log() const { return proxy_dir() + "/proxy.log"; }
  // Exactly what runs the fault proxy (and what /proc/PID/cmdline must show).
  std::vector<std::string> proxy_command() const {
    return {binary,     "proxy",       "--listen", "127.0.0.1:" + std::to_string(proxy_api_port()),
            "--config", proxies_file()};
  }
  // The command that (re)starts the fault proxy detached, for chaos restarts.
  std::string proxy_restart_command() const;

  static constexpr uint32_t kProxyApiOffset = 50;
  static constexpr uint32_t kLinkPortOffset = 100;
  // With proxies, node ports (base+1..base+nodes) stay below the API's.
  static constexpr uint32_t kMaxNodesWithProxies = kProxyApiOffset - 1;
};

// Why `base_port` and `nodes` leave no room for a devnet's ports (with or
// without proxies); empty when they fit.
std::string PortPlanProblem(uint16_t base_port, uint32_t nodes, bool proxies);

Status WriteManifest(const Manifest& m);
Result<Manifest> LoadManifest(const std::string& dir);

// How `up` writes the sonde config; not part of the manifest (every `up`
// writes the config anew).
struct SondeConfigOptions {
  std::string listen = "127.0.0.1:9464";  // [service] listen: /metrics, status, API
  std::string slo_window;                 // every SLO's window; empty: sonde's 30d
};

// A sonde config (valid for `sonde check`) probing this devnet. Its drill
// and heal API is on, with the bearer token in DIR/api.token.
std::string RenderSondeConfig(const Manifest& m, const SondeConfigOptions& options = {});

// The fault proxy's -config file: one proxy per link, every one enabled.
std::string RenderProxiesJson(const Manifest& m);

// A TOML basic string with the quotes.
std::string TomlString(const std::string& s);
// A shell word: quoted when it has anything but [A-Za-z0-9_./-].
std::string ShellWord(const std::string& s);

}  // namespace sonde::devnet
