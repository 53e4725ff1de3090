#include "devnet/launcher.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <thread>

#include "devnet/devnet_files.h"
#include "devnet/frost_share_file.h"
#include "devnet/node_config.h"
#include "devnet/peer_client.h"
#include "devnet/process.h"
#include "signer/encoding.h"
#include "signer/frost/dealer.h"
#include "signer/key_file.h"

namespace sonde::devnet {

namespace http = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

constexpr auto kStopGrace = 5s;
constexpr auto kKillWait = 2s;

Status MakeDirs(const std::string& path) {
  std::string partial;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    partial = path.substr(0, pos);
    if (partial.empty()) continue;
    if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
      return Fail("cannot create " + partial + ": " + std::strerror(errno));
    }
  }
  return Status::Ok();
}

Result<std::string> AbsoluteDir(const std::string& dir, bool create) {
  if (dir.empty()) return Fail("--dir is empty");
  if (create) {
    if (Status s = MakeDirs(dir); !s.ok()) return Fail(s.error());
  }
  char buf[PATH_MAX];
  if (::realpath(dir.c_str(), buf) == nullptr) {
    return Fail("cannot resolve " + dir + ": " + std::strerror(errno));
  }
  return std::string(buf);
}

bool Exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// The last lines of a node's log, for a failure message.
std::string LogTail(const std::string& path, size_t lines) {
  std::ifstream in(path);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
    out += "    " + all[i] + "\n";
  }
  return out;
}

Result<json::object> GetJson(const std::string& url, const std::string& target,
                             std::chrono::milliseconds timeout) {
  auto base = ParsePeerUrl(url);
  if (!base.ok()) return Fail(base.error());
  auto r = HttpCallBlocking(base.value(), http::verb::get, target, "", timeout);
  if (!r.ok()) return Fail(r.error());
  if (r->status != 200) return Fail("HTTP " + std::to_string(r->status));
  boost::system::error_code ec;
  json::value v = json::parse(r->body, ec);
  if (ec || !v.is_object()) return Fail("not a JSON object");
  return std::move(v.get_object());
}

uint64_t U64(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() > 0) return static_cast<uint64_t>(v->get_int64());
  return 0;
}

Status Generate(const UpOptions& o, Manifest* m) {
  signer::KeyPair wallet = signer::KeyPair::Generate();
  if (auto s = signer::WriteKeyFile(m->wallet_key(), wallet); !s.ok()) {
    return Fail(s.error().message);
  }
  m->wallet_address = signer::ToHex(wallet.public_key());
  auto dealer = signer::frost::TrustedDealerKeygen(static_cast<uint16_t>(o.threshold),
                                                   static_cast<uint16_t>(o.nodes));
  if (!dealer.ok()) return Fail("FROST dealer: " + dealer.error().message);
  for (uint32_t id = 1; id <= o.nodes; ++id) {
    if (::mkdir(m->node_dir(id).c_str(), 0700) != 0) {
      return Fail("cannot create " + m->node_dir(id) + ": " + std::strerror(errno));
    }
    if (auto s = signer::WriteKeyFile(m->node_key(id), signer::KeyPair::Generate()); !s.ok()) {
      return Fail(s.error().message);
    }
    if (Status s = WriteFrostShareFile(m->node_share(id), dealer->key_packages[id - 1],
                                       dealer->public_key_package);
        !s.ok()) {
      return s;
    }
    NodeConfig c;
    c.id = id;
    c.leader = 1;
    c.listen_host = "127.0.0.1";
    c.listen_port = m->node_port(id);
    c.data_dir = m->node_dir(id);
    c.block_ms = o.block_ms;
    c.chain_id = o.chain_id;
    c.node_key = m->node_key(id);
    c.frost_share = m->node_share(id);
    for (uint32_t peer = 1; peer <= o.nodes; ++peer) {
      if (peer != id) c.peers.push_back(PeerConfig{peer, m->node_url(peer)});
    }
    c.genesis_balances[wallet.public_key()] = o.wallet_funds;
    std::ofstream(m->node_config(id)) << NodeConfigToToml(c);
  }
  return WriteManifest(*m);  // last: its presence means the directory is complete
}

// The pid of node `id` if it is running as the manifest says.
std::optional<pid_t> RunningPid(const Manifest& m, uint32_t id) {
  auto pid = ReadPidFile(m.node_pidfile(id));
  if (pid && IsProcessRunning(*pid, m.node_command(id))) return pid;
  return std::nullopt;
}

Result<pid_t> Launch(const Manifest& m, uint32_t id) {
  if (!PortFree("127.0.0.1", m.node_port(id))) {
    return Fail("port " + std::to_string(m.node_port(id)) + " (node " + std::to_string(id) +
                ") is already in use; pick another --base-port");
  }
  auto pid = SpawnDetached(m.node_command(id), m.node_log(id));
  if (!pid.ok()) return pid;
  if (Status s = WritePidFile(m.node_pidfile(id), pid.value()); !s.ok()) return Fail(s.error());
  return pid;
}

// For nodes this launcher process started: they are our children and not
// yet reaped, so their pids cannot have been reused, and they may not have
// reached exec yet — so no cmdline check here.
void StopNodes(const Manifest& m, const std::map<uint32_t, pid_t>& pids) {
  for (const auto& [id, pid] : pids) ::kill(pid, SIGTERM);
  for (const auto& [id, pid] : pids) {
    const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
    bool gone = false;
    while (!(gone = ReapIfExited(pid)) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    if (!gone) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);  // SIGKILL cannot be ignored: this returns promptly
    }
    ::unlink(m.node_pidfile(id).c_str());
  }
}

// Waits until every node in `pids` answers and has committed height >=
// `min_committed`; on failure says which node and why.
Status WaitReady(const Manifest& m, const std::map<uint32_t, pid_t>& pids, uint64_t min_committed,
                 std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  std::map<uint32_t, std::string> waiting;
  for (const auto& [id, pid] : pids) waiting[id] = "not polled yet";
  while (!waiting.empty()) {
    for (auto it = waiting.begin(); it != waiting.end();) {
      const uint32_t id = it->first;
      const pid_t pid = pids.at(id);
      if (ReapIfExited(pid)) {
        return Fail("node " + std::to_string(id) + " (pid " + std::to_string(pid) +
                    ") exited; the end of " + m.node_log(id) + ":\n" + LogTail(m.node_log(id), 8));
      }
      auto head = GetJson(m.node_url(id), "/v1/head", 500ms);
      if (!head.ok()) {
        it->second = head.error();
      } else if (U64(head.value(), "committed_height") < min_committed) {
        it->second = "committed height " + std::to_string(U64(head.value(), "committed_height"));
      } else {
        it = waiting.erase(it);
        continue;
      }
      ++it;
    }
    if (waiting.empty()) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      std::string why;
      for (const auto& [id, what] : waiting) {
        why += "\n  node " + std::to_string(id) + ": " + what + " (log: " + m.node_log(id) + ")";
      }
      return Fail("nodes not ready within " + std::to_string(within.count()) + " ms:" + why);
    }
    std::this_thread::sleep_for(100ms);
  }
  return Status::Ok();
}

}  // namespace

int Up(const UpOptions& o, std::FILE* out, std::FILE* err) {
  if (o.nodes < 2 || o.nodes > 100) {
    std::fprintf(err, "sonde-devnet up: --nodes must be 2 to 100\n");
    return 1;
  }
  if (o.threshold < 2 || o.threshold > o.nodes) {
    std::fprintf(err, "sonde-devnet up: --threshold must be 2 to --nodes (%u)\n", o.nodes);
    return 1;
  }
  if (static_cast<uint32_t>(o.base_port) + o.nodes > 65535 || o.base_port < 1024) {
    std::fprintf(err, "sonde-devnet up: --base-port must leave room for %u ports below 65536 "
                      "and be at least 1024\n", o.nodes);
    return 1;
  }
  auto dir = AbsoluteDir(o.dir, true);
  if (!dir.ok()) {
    std::fprintf(err, "sonde-devnet up: %s\n", dir.error().c_str());
    return 1;
  }
  Manifest m;
  m.dir = dir.value();
  bool reused = false;
  if (Exists(m.path())) {
    auto loaded = LoadManifest(m.dir);
    if (!loaded.ok()) {
      std::fprintf(err, "sonde-devnet up: %s\n", loaded.error().c_str());
      return 1;
    }
    m = loaded.value();
    for (uint32_t id = 1; id <= m.nodes; ++id) {
      if (auto pid = RunningPid(m, id)) {
        std::fprintf(err,
                     "sonde-devnet up: the devnet in %s is already running (node %u, pid %d); "
                     "stop it with: sonde-devnet down --dir %s\n",
                     m.dir.c_str(), id, *pid, m.dir.c_str());
        return 1;
      }
    }
    m.binary = SelfExe();  // the build may have moved since
    if (Status s = WriteManifest(m); !s.ok()) {
      std::fprintf(err, "sonde-devnet up: %s\n", s.error().c_str());
      return 1;
    }
    reused = true;
  } else {
    if (Exists(m.node_dir(1)) || Exists(m.wallet_key())) {
      std::fprintf(err,
                   "sonde-devnet up: %s holds devnet files but no devnet.toml (an interrupted "
                   "up?); remove it or use another --dir\n",
                   m.dir.c_str());
      return 1;
    }
    m.nodes = o.nodes;
    m.threshold = o.threshold;
    m.base_port = o.base_port;
    m.block_ms = o.block_ms;
    m.chain_id = o.chain_id;
    m.binary = SelfExe();
    if (Status s = Generate(o, &m); !s.ok()) {
      std::fprintf(err, "sonde-devnet up: %s\n", s.error().c_str());
      return 1;
    }
  }
  for (uint32_t id = 1; id <= m.nodes; ++id) {
    if (!PortFree("127.0.0.1", m.node_port(id))) {
      std::fprintf(err, "sonde-devnet up: port %u (node %u) is already in use; pick another "
                        "--base-port\n", m.node_port(id), id);
      return 1;
    }
  }
  std::map<uint32_t, pid_t> pids;
  for (uint32_t id = 1; id <= m.nodes; ++id) {
    auto pid = Launch(m, id);
    if (!pid.ok()) {
      std::fprintf(err, "sonde-devnet up: node %u: %s\n", id, pid.error().c_str());
      StopNodes(m, pids);
      return 1;
    }
    pids[id] = pid.value();
  }
  if (Status s = WaitReady(m, pids, 1, std::chrono::milliseconds(o.ready_timeout_ms + 20 * m.block_ms));
      !s.ok()) {
    std::fprintf(err, "sonde-devnet up: %s\nsonde-devnet up: stopped the nodes it started\n",
                 s.error().c_str());
    StopNodes(m, pids);
    return 1;
  }
  {
    std::ofstream cfg(m.sonde_config(), std::ios::trunc);
    cfg << RenderSondeConfig(m);
  }
  std::fprintf(out, "sonde-devnet: %s %u nodes in %s (chain %s, a block every %u ms, FROST %u-of-%u)\n",
               reused ? "restarted" : "started", m.nodes, m.dir.c_str(), m.chain_id.c_str(),
               m.block_ms, m.threshold, m.nodes);
  std::fprintf(out, "  %-5s %-8s %-24s %-9s %s\n", "node", "pid", "url", "role", "log");
  for (uint32_t id = 1; id <= m.nodes; ++id) {
    std::fprintf(out, "  %-5u %-8d %-24s %-9s %s\n", id, pids[id], m.node_url(id).c_str(),
                 id == 1 ? "leader" : "follower", m.node_log(id).c_str());
  }
  std::fprintf(out, "  wallet:       %s (address %s)\n", m.wallet_key().c_str(),
               m.wallet_address.c_str());
  std::fprintf(out, "  sonde config: %s\n", m.sonde_config().c_str());
  std::fprintf(out, "  status:       %s status --dir %s\n", ShellWord(m.binary).c_str(),
               ShellWord(m.dir).c_str());
  std::fprintf(out, "  stop:         %s down --dir %s\n", ShellWord(m.binary).c_str(),
               ShellWord(m.dir).c_str());
  return 0;
}

int Down(const std::string& dir_arg, std::FILE* out, std::FILE* err) {
  auto dir = AbsoluteDir(dir_arg, false);
  auto m = dir.ok() ? LoadManifest(dir.value()) : Result<Manifest>(Fail(dir.error()));
  if (!m.ok()) {
    std::fprintf(err, "sonde-devnet down: %s\n", m.error().c_str());
    return 1;
  }
  // SIGTERM to all first, so they stop together rather than one by one.
  std::map<uint32_t, pid_t> running;
  for (uint32_t id = 1; id <= m->nodes; ++id) {
    auto pid = ReadPidFile(m->node_pidfile(id));
    if (!pid) {
      std::fprintf(out, "node %u: not running (no pidfile)\n", id);
      continue;
    }
    if (!IsProcessRunning(*pid, m->node_command(id))) {
      std::fprintf(out, "node %u: not running (stale pidfile: pid %d is not this node)\n", id, *pid);
      ::unlink(m->node_pidfile(id).c_str());
      continue;
    }
    ::kill(*pid, SIGTERM);
    running[id] = *pid;
  }
  int code = 0;
  for (const auto& [id, pid] : running) {
    if (StopProcess(pid, m->node_command(id), kStopGrace, kKillWait)) {
      std::fprintf(out, "node %u: stopped (pid %d)\n", id, pid);
      ::unlink(m->node_pidfile(id).c_str());
    } else {
      std::fprintf(err, "node %u: pid %d did not stop, even after SIGKILL\n", id, pid);
      code = 1;
    }
  }
  return code;
}

int PrintStatus(const std::string& dir_arg, std::FILE* out, std::FILE* err) {
  auto dir = AbsoluteDir(dir_arg, false);
  auto m = dir.ok() ? LoadManifest(dir.value()) : Result<Manifest>(Fail(dir.error()));
  if (!m.ok()) {
    std::fprintf(err, "sonde-devnet status: %s\n", m.error().c_str());
    return 1;
  }
  std::fprintf(out, "devnet %s: %u nodes, chain %s, block every %u ms\n", m->dir.c_str(),
               m->nodes, m->chain_id.c_str(), m->block_ms);
  std::fprintf(out, "%-5s %-8s %-6s %-9s %-8s %-10s %-10s %s\n", "node", "pid", "alive", "role",
               "height", "committed", "reachable", "url");
  int healthy = 0;
  for (uint32_t id = 1; id <= m->nodes; ++id) {
    auto pidfile = ReadPidFile(m->node_pidfile(id));
    auto pid = RunningPid(*m, id);
    auto st = GetJson(m->node_url(id), "/v1/status", 1000ms);
    std::string role = "-", height = "-", committed = "-";
    if (st.ok()) {
      if (const json::value* r = st->if_contains("role"); r && r->is_string()) {
        role = std::string(r->get_string());
      }
      height = std::to_string(U64(st.value(), "height"));
      committed = std::to_string(U64(st.value(), "committed_height"));
    }
    std::fprintf(out, "%-5u %-8s %-6s %-9s %-8s %-10s %-10s %s\n", id,
                 pidfile ? std::to_string(*pidfile).c_str() : "-", pid ? "yes" : "no",
                 role.c_str(), height.c_str(), committed.c_str(), st.ok() ? "yes" : "no",
                 m->node_url(id).c_str());
    if (pid && st.ok()) ++healthy;
  }
  std::fprintf(out, "%d of %u nodes healthy\n", healthy, m->nodes);
  return healthy == static_cast<int>(m->nodes) ? 0 : 1;
}

int StartNode(const std::string& dir_arg, uint32_t id, std::FILE* out, std::FILE* err) {
  auto dir = AbsoluteDir(dir_arg, false);
  auto m = dir.ok() ? LoadManifest(dir.value()) : Result<Manifest>(Fail(dir.error()));
  if (!m.ok()) {
    std::fprintf(err, "sonde-devnet start: %s\n", m.error().c_str());
    return 1;
  }
  if (id < 1 || id > m->nodes) {
    std::fprintf(err, "sonde-devnet start: --node must be 1 to %u\n", m->nodes);
    return 1;
  }
  if (auto pid = RunningPid(*m, id)) {
    std::fprintf(out, "node %u: already running (pid %d)\n", id, *pid);
    return 0;
  }
  auto pid = Launch(*m, id);
  if (!pid.ok()) {
    std::fprintf(err, "sonde-devnet start: node %u: %s\n", id, pid.error().c_str());
    return 1;
  }
  std::map<uint32_t, pid_t> pids{{id, pid.value()}};
  if (Status s = WaitReady(*m, pids, 0, 10s); !s.ok()) {
    std::fprintf(err, "sonde-devnet start: %s\n", s.error().c_str());
    StopNodes(*m, pids);
    return 1;
  }
  std::fprintf(out, "node %u: started (pid %d) on %s\n", id, pid.value(), m->node_url(id).c_str());
  return 0;
}

}  // namespace sonde::devnet
