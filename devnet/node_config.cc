#include "devnet/node_config.h"

#include <toml++/toml.h>

#include <set>
#include <sstream>

#include "devnet/peer_client.h"
#include "signer/encoding.h"

namespace sonde::devnet {

namespace {

// Errors name the file, the key and where it is.
class Reader {
 public:
  Reader(std::string file, const toml::table& t) : file_(std::move(file)), t_(t) {}

  std::string At(const toml::node& n, std::string_view key) const {
    const auto& src = n.source();
    return file_ + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column) +
           ": " + std::string(key);
  }

  Status OnlyKeys(const toml::table& t, std::initializer_list<std::string_view> keys,
                  std::string_view where) const {
    for (const auto& [k, v] : t) {
      bool known = false;
      for (std::string_view key : keys) known = known || k.str() == key;
      if (!known) {
        return Fail(At(v, std::string(where) + std::string(k.str())) + ": unknown key");
      }
    }
    return Status::Ok();
  }

  Status Int(const toml::table& t, std::string_view key, int64_t min, int64_t max, bool required,
             int64_t* out) const {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (required) return Fail(file_ + ": " + std::string(key) + ": missing");
      return Status::Ok();
    }
    auto v = n->value<int64_t>();
    if (!n->is_integer() || !v || *v < min || *v > max) {
      return Fail(At(*n, key) + ": must be an integer from " + std::to_string(min) + " to " +
                  std::to_string(max));
    }
    *out = *v;
    return Status::Ok();
  }

  Status Str(const toml::table& t, std::string_view key, bool required, std::string* out) const {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (required) return Fail(file_ + ": " + std::string(key) + ": missing");
      return Status::Ok();
    }
    if (!n->is_string()) return Fail(At(*n, key) + ": must be a string");
    *out = *n->value<std::string>();
    return Status::Ok();
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  const toml::table& t_;
};

Status ReadListen(const Reader& r, const toml::table& t, NodeConfig* c) {
  std::string listen;
  if (Status s = r.Str(t, "listen", true, &listen); !s.ok()) return s;
  auto url = ParsePeerUrl("http://" + listen);
  if (!url.ok() || !url->prefix.empty()) {
    return Fail(r.At(*t.get("listen"), "listen") + ": must be a loopback HOST:PORT (" +
                (url.ok() ? "no path" : url.error()) + ")");
  }
  c->listen_host = url->host;
  c->listen_port = url->port;
  return Status::Ok();
}

Status ReadPeers(const Reader& r, const toml::table& t, NodeConfig* c) {
  const toml::node* n = t.get("peers");
  if (n == nullptr) return Status::Ok();
  const toml::array* peers = n->as_array();
  if (peers == nullptr) return Fail(r.At(*n, "peers") + ": must be an array of tables");
  std::set<uint32_t> seen{c->id};
  for (const toml::node& p : *peers) {
    const toml::table* pt = p.as_table();
    if (pt == nullptr) return Fail(r.At(p, "peers") + ": must be an array of tables");
    if (Status s = r.OnlyKeys(*pt, {"id", "url"}, "peers."); !s.ok()) return s;
    int64_t id = 0;
    PeerConfig peer;
    if (Status s = r.Int(*pt, "id", 1, 1000, true, &id); !s.ok()) return s;
    if (Status s = r.Str(*pt, "url", true, &peer.url); !s.ok()) return s;
    peer.id = static_cast<uint32_t>(id);
    if (!seen.insert(peer.id).second) {
      return Fail(r.At(p, "peers.id") + ": node " + std::to_string(id) + " appears twice");
    }
    if (auto u = ParsePeerUrl(peer.url); !u.ok()) {
      return Fail(r.At(*pt->get("url"), "peers.url") + ": " + u.error());
    }
    c->peers.push_back(std::move(peer));
  }
  return Status::Ok();
}

Status ReadGenesis(const Reader& r, const toml::table& t, NodeConfig* c) {
  const toml::node* n = t.get("genesis");
  if (n == nullptr) return Status::Ok();
  const toml::table* g = n->as_table();
  if (g == nullptr) return Fail(r.At(*n, "genesis") + ": must be a table");
  if (Status s = r.OnlyKeys(*g, {"balances"}, "genesis."); !s.ok()) return s;
  const toml::node* b = g->get("balances");
  if (b == nullptr) return Status::Ok();
  const toml::table* balances = b->as_table();
  if (balances == nullptr) return Fail(r.At(*b, "genesis.balances") + ": must be a table");
  for (const auto& [address, amount] : *balances) {
    auto key = signer::PublicKeyFromHex(address.str(), "genesis.balances key");
    if (!key.ok()) {
      return Fail(r.At(amount, "genesis.balances") + ": \"" + std::string(address.str()) +
                  "\" is not an address (64 hex digits)");
    }
    auto v = amount.value<int64_t>();
    if (!amount.is_integer() || !v || *v < 0) {
      return Fail(r.At(amount, "genesis.balances") + ": must be a non-negative integer");
    }
    c->genesis_balances[key.value()] = static_cast<uint64_t>(*v);
  }
  return Status::Ok();
}

Status Read(const Reader& r, const toml::table& t, NodeConfig* c) {
  if (Status s = r.OnlyKeys(t,
                            {"id", "leader", "listen", "data_dir", "block_ms", "chain_id",
                             "reward_per_block", "node_key", "frost_share", "peers", "genesis"},
                            "");
      !s.ok()) {
    return s;
  }
  int64_t id = 0, leader = 1, block_ms = c->block_ms,
          reward = static_cast<int64_t>(c->reward_per_block);
  if (Status s = r.Int(t, "id", 1, 1000, true, &id); !s.ok()) return s;
  if (Status s = r.Int(t, "leader", 1, 1000, false, &leader); !s.ok()) return s;
  if (Status s = r.Int(t, "block_ms", 10, 60000, false, &block_ms); !s.ok()) return s;
  if (Status s = r.Int(t, "reward_per_block", 0, int64_t{1} << 40, false, &reward); !s.ok()) {
    return s;
  }
  c->id = static_cast<uint32_t>(id);
  c->leader = static_cast<uint32_t>(leader);
  c->block_ms = static_cast<uint32_t>(block_ms);
  c->reward_per_block = static_cast<uint64_t>(reward);
  if (Status s = ReadListen(r, t, c); !s.ok()) return s;
  if (Status s = r.Str(t, "data_dir", true, &c->data_dir); !s.ok()) return s;
  if (Status s = r.Str(t, "chain_id", false, &c->chain_id); !s.ok()) return s;
  if (Status s = r.Str(t, "node_key", true, &c->node_key); !s.ok()) return s;
  if (Status s = r.Str(t, "frost_share", false, &c->frost_share); !s.ok()) return s;
  if (Status s = ReadPeers(r, t, c); !s.ok()) return s;
  if (Status s = ReadGenesis(r, t, c); !s.ok()) return s;
  if (c->chain_id.empty() || c->chain_id.size() > 64) {
    return Fail(r.file() + ": chain_id: must be 1 to 64 printable characters");
  }
  if (!c->is_leader() && c->FindPeer(c->leader) == nullptr) {
    return Fail(r.file() + ": leader: node " + std::to_string(c->leader) +
                " is neither this node nor one of its peers");
  }
  return Status::Ok();
}

}  // namespace

const PeerConfig* NodeConfig::FindPeer(uint32_t peer_id) const {
  for (const PeerConfig& p : peers) {
    if (p.id == peer_id) return &p;
  }
  return nullptr;
}

Result<NodeConfig> LoadNodeConfig(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Fail(path + ":" + std::to_string(e.source().begin.line) + ":" +
                std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
  }
  NodeConfig config;
  Reader reader(path, root);
  if (Status s = Read(reader, root, &config); !s.ok()) return Fail(s.error());
  return config;
}

std::string NodeConfigToToml(const NodeConfig& c) {
  toml::table t;
  t.insert("id", static_cast<int64_t>(c.id));
  t.insert("leader", static_cast<int64_t>(c.leader));
  t.insert("listen", c.listen_host + ":" + std::to_string(c.listen_port));
  t.insert("data_dir", c.data_dir);
  t.insert("block_ms", static_cast<int64_t>(c.block_ms));
  t.insert("chain_id", c.chain_id);
  t.insert("reward_per_block", static_cast<int64_t>(c.reward_per_block));
  t.insert("node_key", c.node_key);
  if (!c.frost_share.empty()) t.insert("frost_share", c.frost_share);
  toml::array peers;
  for (const PeerConfig& p : c.peers) {
    peers.push_back(toml::table{{"id", static_cast<int64_t>(p.id)}, {"url", p.url}});
  }
  t.insert("peers", std::move(peers));
  toml::table balances;
  for (const auto& [key, amount] : c.genesis_balances) {
    balances.insert(signer::ToHex(key), static_cast<int64_t>(amount));
  }
  t.insert("genesis", toml::table{{"balances", std::move(balances)}});
  std::ostringstream out;
  out << "# sonde-devnet node " << c.id << " (written by `sonde-devnet up`)\n" << t << "\n";
  return out.str();
}

}  // namespace sonde::devnet
