#include "devnet/launcher.h"

#include <signal.h>

#include <fstream>
#include <map>

#include "devnet/devnet_files.h"
#include "devnet/launch_steps.h"
#include "devnet/process.h"
#include "devnet/proxy_steps.h"

namespace sonde::devnet {

namespace json = boost::json;
using namespace std::chrono_literals;

int Up(const UpOptions& o, std::FILE* out, std::FILE* err) {
  if (o.nodes < 2 || o.nodes > 100) {
    std::fprintf(err, "sonde-devnet up: --nodes must be 2 to 100\n");
    return 1;
  }
  if (o.threshold < 2 || o.threshold > o.nodes) {
    std::fprintf(err, "sonde-devnet up: --threshold must be 2 to --nodes (%u)\n", o.nodes);
    return 1;
  }
  if (std::string problem = PortPlanProblem(o.base_port, o.nodes, o.proxies); !problem.empty()) {
    std::fprintf(err, "sonde-devnet up: %s\n", problem.c_str());
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
    if (m.proxies) {
      if (auto pid = RunningProxyPid(m)) {
        std::fprintf(err,
                     "sonde-devnet up: the devnet in %s is already running (fault proxy, pid "
                     "%d); stop it with: sonde-devnet down --dir %s\n",
                     m.dir.c_str(), *pid, m.dir.c_str());
        return 1;
      }
    }
    if (m.nodes != o.nodes || m.threshold != o.threshold || m.base_port != o.base_port ||
        m.block_ms != o.block_ms || m.chain_id != o.chain_id || m.proxies != o.proxies) {
      std::fprintf(err,
                   "sonde-devnet up: note: %s already holds a devnet (%u nodes, threshold %u, "
                   "base port %u, %u ms blocks, %s); restarting it as it is. Remove the "
                   "directory for a new one.\n",
                   m.dir.c_str(), m.nodes, m.threshold, m.base_port, m.block_ms,
                   m.proxies ? "fault proxies on its links" : "no fault proxies");
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
    m.proxies = o.proxies;
    m.binary = SelfExe();
    if (Status s = Generate(o, &m); !s.ok()) {
      std::fprintf(err, "sonde-devnet up: %s\n", s.error().c_str());
      return 1;
    }
  }
  for (uint32_t id = 1; id <= m.nodes; ++id) {
    if (!PortFree("127.0.0.1", m.node_port(id))) {
      std::fprintf(err,
                   "sonde-devnet up: port %u (node %u) is already in use; pick another "
                   "--base-port\n",
                   m.node_port(id), id);
      return 1;
    }
  }
  if (m.proxies) {
    if (std::string problem = ProxyPortsInUse(m); !problem.empty()) {
      std::fprintf(err, "sonde-devnet up: %s\n", problem.c_str());
      return 1;
    }
  }
  // The proxy first, so that the nodes' first peer calls find their links.
  std::map<uint32_t, pid_t> pids;
  std::optional<pid_t> proxy_pid;
  auto give_up = [&](const std::string& why) {
    std::fprintf(err, "sonde-devnet up: %s\n", why.c_str());
    StopNodes(m, pids);
    if (proxy_pid) StopLaunchedProxy(m, *proxy_pid);
    if (!pids.empty() || proxy_pid) {
      std::fprintf(err, "sonde-devnet up: stopped the processes it started\n");
    }
    return 1;
  };
  if (m.proxies) {
    auto pid = LaunchProxy(m);
    if (!pid.ok()) return give_up("fault proxy: " + pid.error());
    proxy_pid = pid.value();
    if (Status s = WaitProxyReady(m, *proxy_pid, std::chrono::milliseconds(o.ready_timeout_ms));
        !s.ok()) {
      return give_up(s.error());
    }
  }
  for (uint32_t id = 1; id <= m.nodes; ++id) {
    auto pid = Launch(m, id);
    if (!pid.ok()) return give_up("node " + std::to_string(id) + ": " + pid.error());
    pids[id] = pid.value();
  }
  if (Status s =
          WaitReady(m, pids, 1, std::chrono::milliseconds(o.ready_timeout_ms + 20 * m.block_ms));
      !s.ok()) {
    return give_up(s.error());
  }
  if (Status s = ActivateProbeNode(m, std::chrono::milliseconds(o.ready_timeout_ms)); !s.ok()) {
    return give_up(s.error());
  }
  if (Status s = WriteApiToken(m); !s.ok()) return give_up(s.error());
  {
    std::ofstream cfg(m.sonde_config(), std::ios::trunc);
    cfg << RenderSondeConfig(m, o.sonde);
  }
  std::fprintf(out,
               "sonde-devnet: %s %u nodes in %s (chain %s, a block every %u ms, FROST %u-of-%u)\n",
               reused ? "restarted" : "started", m.nodes, m.dir.c_str(), m.chain_id.c_str(),
               m.block_ms, m.threshold, m.nodes);
  std::fprintf(out, "  %-5s %-8s %-24s %-9s %s\n", "node", "pid", "url", "role", "log");
  for (uint32_t id = 1; id <= m.nodes; ++id) {
    std::fprintf(out, "  %-5u %-8d %-24s %-9s %s\n", id, pids[id], m.node_url(id).c_str(),
                 id == 1 ? "leader" : "follower", m.node_log(id).c_str());
  }
  if (proxy_pid) {
    std::fprintf(out,
                 "  fault proxy:  pid %d, API %s, %u links node{i}_to_node{j} on ports %u-%u, "
                 "log %s\n",
                 *proxy_pid, m.proxy_api_url().c_str(), m.nodes * (m.nodes - 1), m.link_port(1, 2),
                 m.link_port(m.nodes, m.nodes - 1), m.proxy_log().c_str());
  } else {
    std::fprintf(out, "  fault proxy:  none (peers call each other directly)\n");
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
      std::fprintf(out, "node %u: not running (stale pidfile: pid %d is not this node)\n", id,
                   *pid);
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
  // The proxy after the nodes: no node sees its links vanish while it runs.
  if (m->proxies) {
    auto pid = ReadPidFile(m->proxy_pidfile());
    if (!pid) {
      std::fprintf(out, "proxy: not running (no pidfile)\n");
    } else if (!IsProcessRunning(*pid, m->proxy_command())) {
      std::fprintf(out, "proxy: not running (stale pidfile: pid %d is not this proxy)\n", *pid);
      ::unlink(m->proxy_pidfile().c_str());
    } else if (StopProcess(*pid, m->proxy_command(), kStopGrace, kKillWait)) {
      std::fprintf(out, "proxy: stopped (pid %d)\n", *pid);
      ::unlink(m->proxy_pidfile().c_str());
    } else {
      std::fprintf(err, "proxy: pid %d did not stop, even after SIGKILL\n", *pid);
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
  std::fprintf(out, "devnet %s: %u nodes, chain %s, block every %u ms\n", m->dir.c_str(), m->nodes,
               m->chain_id.c_str(), m->block_ms);
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
                 pidfile ? std::to_string(*pidfile).c_str() : "-", pid ? "yes" : "no", role.c_str(),
                 height.c_str(), committed.c_str(), st.ok() ? "yes" : "no",
                 m->node_url(id).c_str());
    if (pid && st.ok()) ++healthy;
  }
  bool proxy_ok = true;
  if (m->proxies) {
    const ProxyView p = InspectProxy(*m);
    size_t toxics = 0;
    for (const auto& [name, list] : p.toxics) toxics += list.size();
    std::fprintf(out, "fault proxy: pid %s, alive %s, API %s ",
                 p.pidfile_pid ? std::to_string(*p.pidfile_pid).c_str() : "-",
                 p.alive ? "yes" : "no", m->proxy_api_url().c_str());
    if (p.api_ok) {
      std::fprintf(out, "(answers), %zu of %zu links", p.links_present, p.links_expected);
      if (p.links_disabled > 0) std::fprintf(out, " (%zu disabled)", p.links_disabled);
      std::fprintf(out, ", %zu toxics active\n", toxics);
    } else {
      std::fprintf(out, "(unreachable: %s)\n", p.api_error.c_str());
    }
    for (const auto& [name, list] : p.toxics) {
      std::string all;
      for (const std::string& t : list) all += (all.empty() ? "" : ", ") + t;
      std::fprintf(out, "  %s: %s\n", name.c_str(), all.c_str());
    }
    proxy_ok = p.alive && p.api_ok && p.links_present == p.links_expected;
  } else {
    std::fprintf(out, "fault proxy: none (peers call each other directly)\n");
  }
  std::fprintf(out, "%d of %u nodes healthy%s\n", healthy, m->nodes,
               !m->proxies ? ""
               : proxy_ok  ? "; fault proxy up"
                           : "; fault proxy DOWN");
  return healthy == static_cast<int>(m->nodes) && proxy_ok ? 0 : 1;
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

int StartProxy(const std::string& dir_arg, std::FILE* out, std::FILE* err) {
  auto dir = AbsoluteDir(dir_arg, false);
  auto m = dir.ok() ? LoadManifest(dir.value()) : Result<Manifest>(Fail(dir.error()));
  if (!m.ok()) {
    std::fprintf(err, "sonde-devnet start: %s\n", m.error().c_str());
    return 1;
  }
  if (!m->proxies) {
    std::fprintf(err,
                 "sonde-devnet start: the devnet in %s has no fault proxy (made with "
                 "--no-proxies)\n",
                 m->dir.c_str());
    return 1;
  }
  if (auto pid = RunningProxyPid(*m)) {
    std::fprintf(out, "proxy: already running (pid %d)\n", *pid);
    return 0;
  }
  auto pid = LaunchProxy(*m);
  if (!pid.ok()) {
    std::fprintf(err, "sonde-devnet start: fault proxy: %s\n", pid.error().c_str());
    return 1;
  }
  if (Status s = WaitProxyReady(*m, pid.value(), 10s); !s.ok()) {
    std::fprintf(err, "sonde-devnet start: %s\n", s.error().c_str());
    StopLaunchedProxy(*m, pid.value());
    return 1;
  }
  std::fprintf(out, "proxy: started (pid %d), API %s\n", pid.value(), m->proxy_api_url().c_str());
  return 0;
}

}  // namespace sonde::devnet
