#include "devnet/devnet_files.h"

#include <toml++/toml.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "devnet/builtin_journeys.h"

namespace sonde::devnet {

std::string TomlString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string ShellWord(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
                      c == '/' || c == '-');
  }
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string Manifest::restart_command(uint32_t id) const {
  return ShellWord(binary) + " start --dir " + ShellWord(dir) + " --node " + std::to_string(id);
}

std::string Manifest::proxy_restart_command() const {
  return ShellWord(binary) + " start --dir " + ShellWord(dir) + " --proxy";
}

std::string PortPlanProblem(uint16_t base_port, uint32_t nodes, bool proxies) {
  if (base_port < 1024 || static_cast<uint32_t>(base_port) + nodes > 65535) {
    return "--base-port must leave room for " + std::to_string(nodes) +
           " ports below 65536 and be at least 1024";
  }
  if (!proxies) return "";
  if (nodes > Manifest::kMaxNodesWithProxies) {
    return "with proxies, --nodes must be at most " +
           std::to_string(Manifest::kMaxNodesWithProxies) + " (node ports base+1..base+N stay " +
           "below the proxy API on base+" + std::to_string(Manifest::kProxyApiOffset) +
           "); use --no-proxies for more";
  }
  const uint32_t end = static_cast<uint32_t>(base_port) + Manifest::kLinkPortOffset + nodes * nodes;
  if (end > 65535) {
    return "--base-port " + std::to_string(base_port) + " leaves no room for the " +
           std::to_string(nodes * (nodes - 1)) + " link proxies: they need base+" +
           std::to_string(Manifest::kLinkPortOffset) + "+nodes*nodes <= 65535, so --base-port <= " +
           std::to_string(65535 - Manifest::kLinkPortOffset - nodes * nodes) + " for " +
           std::to_string(nodes) + " nodes (or --no-proxies)";
  }
  return "";
}

Status WriteManifest(const Manifest& m) {
  std::ostringstream out;
  out << "# sonde-devnet manifest, written by `sonde-devnet up`; read by down, status, start.\n"
      << "nodes = " << m.nodes << "\n"
      << "threshold = " << m.threshold << "\n"
      << "base_port = " << m.base_port << "\n"
      << "block_ms = " << m.block_ms << "\n"
      << "chain_id = " << TomlString(m.chain_id) << "\n"
      << "binary = " << TomlString(m.binary) << "\n"
      << "wallet_address = " << TomlString(m.wallet_address) << "\n"
      << "# Peer links through the fault proxy (fixed when the devnet was made).\n"
      << "proxies = " << (m.proxies ? "true" : "false") << "\n";
  const std::string tmp = m.path() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << out.str();
    if (!f) return Fail("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), m.path().c_str()) != 0) return Fail("cannot write " + m.path());
  return Status::Ok();
}

Result<Manifest> LoadManifest(const std::string& dir) {
  Manifest m;
  m.dir = dir;
  toml::table t;
  try {
    t = toml::parse_file(m.path());
  } catch (const toml::parse_error& e) {
    return Fail("no devnet in " + dir + " (" + m.path() + ": " + std::string(e.description()) +
                ")");
  }
  auto integer = [&](const char* key, int64_t min, int64_t max, int64_t* out) -> Status {
    auto v = t[key].value<int64_t>();
    if (!v || *v < min || *v > max)
      return Fail(m.path() + ": " + key + ": missing or out of range");
    *out = *v;
    return Status::Ok();
  };
  int64_t nodes = 0, threshold = 0, base_port = 0, block_ms = 0;
  for (Status s : {integer("nodes", 1, 100, &nodes), integer("threshold", 1, 100, &threshold),
                   integer("base_port", 1, 65535 - 100, &base_port),
                   integer("block_ms", 10, 60000, &block_ms)}) {
    if (!s.ok()) return Fail(s.error());
  }
  m.nodes = static_cast<uint32_t>(nodes);
  m.threshold = static_cast<uint32_t>(threshold);
  m.base_port = static_cast<uint16_t>(base_port);
  m.block_ms = static_cast<uint32_t>(block_ms);
  auto text = [&](const char* key, std::string* out) -> Status {
    auto v = t[key].value<std::string>();
    if (!v || v->empty()) return Fail(m.path() + ": " + key + ": missing");
    *out = *v;
    return Status::Ok();
  };
  for (Status s : {text("chain_id", &m.chain_id), text("binary", &m.binary),
                   text("wallet_address", &m.wallet_address)}) {
    if (!s.ok()) return Fail(s.error());
  }
  if (const toml::node* p = t.get("proxies")) {
    if (!p->is_boolean()) return Fail(m.path() + ": proxies: must be true or false");
    m.proxies = p->as_boolean()->get();
  }
  if (std::string problem = PortPlanProblem(m.base_port, m.nodes, m.proxies); !problem.empty()) {
    return Fail(m.path() + ": " + problem);
  }
  return m;
}

std::string RenderProxiesJson(const Manifest& m) {
  boost::json::array proxies;
  for (uint32_t from = 1; from <= m.nodes; ++from) {
    for (uint32_t to = 1; to <= m.nodes; ++to) {
      if (from == to) continue;
      proxies.push_back(
          boost::json::object{{"name", m.link_name(from, to)},
                              {"listen", "127.0.0.1:" + std::to_string(m.link_port(from, to))},
                              {"upstream", "127.0.0.1:" + std::to_string(m.node_port(to))},
                              {"enabled", true}});
    }
  }
  std::string out = "[\n";
  for (size_t i = 0; i < proxies.size(); ++i) {
    out += "  " + boost::json::serialize(proxies[i]) + (i + 1 < proxies.size() ? ",\n" : "\n");
  }
  return out + "]\n";
}

std::string RenderSondeConfig(const Manifest& m, const SondeConfigOptions& options) {
  std::ostringstream o;
  o << "# sonde config for the devnet in " << m.dir << ", written by `sonde-devnet up`.\n"
    << "# Check it with: sonde check -c " << m.sonde_config() << "\n"
    << "# Run it with:   sonde run -c " << m.sonde_config() << "\n\n";
  o << "# /metrics, the status page, and the drill and heal API (POSTs need\n"
    << "# `Authorization: Bearer $(cat " << m.api_token() << ")`).\n"
    << "[service]\nlisten = " << TomlString(options.listen)
    << "\napi_token_file = " << TomlString(m.api_token()) << "\n\n";
  o << "# Every node of the network; reads and activations go to each.\n"
    << "[targets.devnet]\nurls = [";
  for (uint32_t id = 1; id <= m.nodes; ++id) {
    o << (id > 1 ? ", " : "") << TomlString(m.node_url(id));
  }
  o << "]\n\n"
    << "# The node that takes the probe's writes (a follower, so forwarding to\n"
    << "# the leader is exercised; one writer keeps the wallet's nonces in order).\n"
    << "[targets.devnet_entry]\nurls = [" << TomlString(m.node_url(m.nodes >= 2 ? 2 : 1))
    << "]\n\n";
  o << "# The funded probe wallet, the active probe node, and a fresh node key\n"
    << "# for every activation run.\n"
    << "[keys.wallet]\nfile = " << TomlString(m.wallet_key()) << "\n\n"
    << "[keys.probe_node]\nfile = " << TomlString(m.probe_node_key()) << "\n\n"
    << "[keys.fresh_node]\nephemeral = true\n\n"
    << "# The wallet the transfer journey spends from: its nonce is tracked by\n"
    << "# sonde; below the floor or past the daily cap, runs end infra_error.\n"
    << "[wallet.probe]\nkey = \"wallet\"\n"
    << "balance = { path = \"/v1/accounts/${keys.wallet.public}\", pointer = \"/balance\" }\n"
    << "nonce = { path = \"/v1/accounts/${keys.wallet.public}\", pointer = \"/next_nonce\" }\n"
    << "floor = 1000000\ndaily_spend_cap = 100000\n\n";
  o << "# The committed head exists and its block is readable and committed.\n"
    << "[journey.devnet_chain_head]\n"
    << "interval = \"5s\"\ntimeout = \"2s\"\ndegraded_after = \"500ms\"\ntargets = \"devnet\"\n"
    << "# A node this many blocks off the median of all nodes is named: twice\n"
    << "# the blocks of one interval, since the nodes are sampled up to an\n"
    << "# interval apart.\n"
    << "divergence = { value = \"height\", tolerance = "
    << std::max<uint32_t>(20, 2 * 5000 / std::max<uint32_t>(m.block_ms, 1)) << " }\n\n"
    << "[[journey.devnet_chain_head.step]]\nname = \"head\"\n"
    << "http = { method = \"GET\", path = \"/v1/head\" }\n"
    << "expect = { status = [200], json = { \"/committed_height\" = { exists = true } } }\n"
    << "extract = { height = \"/committed_height\" }\n\n"
    << "[[journey.devnet_chain_head.step]]\nname = \"block\"\n"
    << "http = { method = \"GET\", path = \"/v1/blocks/${height}\" }\n"
    << "expect = { status = [200], json = { \"/committed\" = true } }\n\n";
  o << "# ---------------------------------------------------------------------\n"
    << "# sonde's four built-in journeys (scenarios/journeys/*.toml).\n"
    << BuiltinJourneysToml() << "\n";
  o << "# ---------------------------------------------------------------------\n"
    << "# Every run is kept here (hash-chained; `sonde store verify`), for the\n"
    << "# status page and `sonde report`.\n"
    << "[store]\ndir = " << TomlString(m.dir + "/data") << "\nkeep = \"400d\"\n\n"
    << "# One SLO per journey (`sonde rules -c` turns them into Prometheus rules).\n";
  // Every SLO's window line, when a period other than sonde's 30 days is asked for.
  const std::string window =
      options.slo_window.empty() ? "" : "window = " + TomlString(options.slo_window) + "\n";
  o
    << "[slo.chain_head_availability]\njourney = \"devnet_chain_head\"\nobjective = 99.9\n" << window
    << "description = \"Every node serves its committed head and block.\"\n\n"
    << "[slo.tx_availability]\njourney = \"tx_submit_confirm\"\nobjective = 99.5\n" << window
    << "description = \"A signed transfer is accepted and confirmed.\"\n\n"
    << "[slo.tx_latency]\njourney = \"tx_submit_confirm\"\nkind = \"latency\"\n"
    << "threshold = \"5s\"\nobjective = 99\n" << window
    << "description = \"Submit-to-confirm within 5 s.\"\n\n"
    << "[slo.activation_availability]\njourney = \"node_activation\"\nobjective = 99\n" << window
    << "description = \"A new node can activate on every node.\"\n\n"
    << "[slo.reward_availability]\njourney = \"reward_claim\"\nobjective = 99\n" << window
    << "description = \"The probe node's rewards can be claimed.\"\n\n"
    << "[slo.mpc_availability]\njourney = \"mpc_signing_round\"\nobjective = 99.5\n" << window
    << "description = \"A 3-of-5 FROST signing round completes and verifies.\"\n\n";
  o << "# ---------------------------------------------------------------------\n"
    << "# Each node as a chaos target: its pidfile and the exact command that\n"
    << "# restarts it (detached; a no-op if it is running). Faults can touch\n"
    << "# nothing that is not declared here.\n"
    << "[chaos]\njournal = " << TomlString(m.dir + "/chaos.journal") << "\n";
  if (m.proxies) {
    o << "# The fault proxy on every peer link (Toxiproxy-compatible API), for\n"
      << "# partitions and link faults. Node i calls node j through the proxy\n"
      << "# named node{i}_to_node{j}: toxics on its upstream stream hit i's\n"
      << "# requests, on downstream j's answers.\n"
      << "proxy_api = " << TomlString(m.proxy_api_url()) << "\n";
    if (m.nodes <= 10) {
      o << "# Links:\n";
      for (uint32_t from = 1; from <= m.nodes; ++from) {
        o << "#  ";
        for (uint32_t to = 1; to <= m.nodes; ++to) {
          if (to != from) o << " " << m.link_name(from, to);
        }
        o << "\n";
      }
    }
  }
  o << "\n";
  for (uint32_t id = 1; id <= m.nodes; ++id) {
    o << "[chaos.targets.node" << id << "]\n"
      << "url = " << TomlString(m.node_url(id)) << "\n"
      << "pidfile = " << TomlString(m.node_pidfile(id)) << "\n"
      << "restart = " << TomlString(m.restart_command(id)) << "\n\n";
  }
  if (m.proxies) {
    o << "# The fault proxy itself: killing it cuts every link at once (its\n"
      << "# restart brings the links back, without toxics).\n"
      << "[chaos.targets.proxy]\n"
      << "url = " << TomlString(m.proxy_api_url()) << "\n"
      << "pidfile = " << TomlString(m.proxy_pidfile()) << "\n"
      << "restart = " << TomlString(m.proxy_restart_command()) << "\n\n";
  }
  if (m.nodes >= 5) {
    o << "# ---------------------------------------------------------------------\n"
      << DevnetDrillsToml() << "\n";
    if (m.proxies) {
      o << "# ---------------------------------------------------------------------\n"
        << DevnetProxyDrillsToml() << "\n";
    }
  }
  return o.str();
}

}  // namespace sonde::devnet
