#include "devnet/proxy_steps.h"

#include <boost/json.hpp>
#include <fstream>
#include <thread>

#include "devnet/launch_steps.h"
#include "devnet/process.h"

namespace sonde::devnet {

namespace json = boost::json;
using namespace std::chrono_literals;

std::optional<pid_t> RunningProxyPid(const Manifest& m) {
  auto pid = ReadPidFile(m.proxy_pidfile());
  if (pid && IsProcessRunning(*pid, m.proxy_command())) return pid;
  return std::nullopt;
}

std::string ProxyPortsInUse(const Manifest& m) {
  auto in_use = [](uint16_t port, const std::string& what) {
    return "port " + std::to_string(port) + " (" + what +
           ") is already in use; pick another --base-port (or --no-proxies)";
  };
  if (!PortFree("127.0.0.1", m.proxy_api_port())) {
    return in_use(m.proxy_api_port(), "the fault proxy's API");
  }
  for (uint32_t from = 1; from <= m.nodes; ++from) {
    for (uint32_t to = 1; to <= m.nodes; ++to) {
      if (from != to && !PortFree("127.0.0.1", m.link_port(from, to))) {
        return in_use(m.link_port(from, to), "link " + m.link_name(from, to));
      }
    }
  }
  return "";
}

Result<pid_t> LaunchProxy(const Manifest& m) {
  if (Status s = MakeDirs(m.proxy_dir()); !s.ok()) return Fail(s.error());
  const std::string tmp = m.proxies_file() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << RenderProxiesJson(m);
    if (!f) return Fail("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), m.proxies_file().c_str()) != 0) {
    return Fail("cannot write " + m.proxies_file());
  }
  if (std::string problem = ProxyPortsInUse(m); !problem.empty()) return Fail(problem);
  auto pid = SpawnDetached(m.proxy_command(), m.proxy_log());
  if (!pid.ok()) return pid;
  if (Status s = WritePidFile(m.proxy_pidfile(), pid.value()); !s.ok()) return Fail(s.error());
  return pid;
}

Status WaitProxyReady(const Manifest& m, pid_t pid, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  const size_t expected = static_cast<size_t>(m.nodes) * (m.nodes - 1);
  std::string last = "not polled yet";
  for (;;) {
    if (ReapIfExited(pid)) {
      return Fail("the fault proxy (pid " + std::to_string(pid) + ") exited; the end of " +
                  m.proxy_log() + ":\n" + LogTail(m.proxy_log(), 8));
    }
    auto version = GetJson(m.proxy_api_url(), "/version", 500ms);
    if (!version.ok()) {
      last = "GET /version: " + version.error();
    } else if (auto proxies = GetJson(m.proxy_api_url(), "/proxies", 1s); !proxies.ok()) {
      last = "GET /proxies: " + proxies.error();
    } else {
      size_t present = 0;
      std::string missing;
      for (uint32_t from = 1; from <= m.nodes; ++from) {
        for (uint32_t to = 1; to <= m.nodes; ++to) {
          if (from == to) continue;
          if (proxies->contains(m.link_name(from, to))) {
            ++present;
          } else if (missing.empty()) {
            missing = m.link_name(from, to);
          }
        }
      }
      if (present == expected) return Status::Ok();
      last = std::to_string(present) + " of " + std::to_string(expected) + " links (no " + missing +
             ")";
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Fail("the fault proxy was not ready within " + std::to_string(within.count()) +
                  " ms at " + m.proxy_api_url() + ": " + last + " (log: " + m.proxy_log() + ")");
    }
    std::this_thread::sleep_for(50ms);
  }
}

void StopLaunchedProxy(const Manifest& m, pid_t pid) {
  StopChildren({pid});
  ::unlink(m.proxy_pidfile().c_str());
}

ProxyView InspectProxy(const Manifest& m) {
  ProxyView v;
  v.links_expected = static_cast<size_t>(m.nodes) * (m.nodes - 1);
  v.pidfile_pid = ReadPidFile(m.proxy_pidfile());
  v.alive = v.pidfile_pid && IsProcessRunning(*v.pidfile_pid, m.proxy_command());
  auto proxies = GetJson(m.proxy_api_url(), "/proxies", 1s);
  if (!proxies.ok()) {
    v.api_error = proxies.error();
    return v;
  }
  v.api_ok = true;
  for (uint32_t from = 1; from <= m.nodes; ++from) {
    for (uint32_t to = 1; to <= m.nodes; ++to) {
      if (from == to) continue;
      const std::string name = m.link_name(from, to);
      const json::value* p = proxies->if_contains(name);
      if (p == nullptr || !p->is_object()) continue;
      ++v.links_present;
      const json::object& o = p->get_object();
      if (const json::value* e = o.if_contains("enabled"); e && e->is_bool() && !e->get_bool()) {
        ++v.links_disabled;
      }
      const json::value* toxics = o.if_contains("toxics");
      if (toxics == nullptr || !toxics->is_array()) continue;
      for (const json::value& t : toxics->get_array()) {
        if (!t.is_object()) continue;
        auto text = [&](std::string_view key) -> std::string {
          const json::value* s = t.get_object().if_contains(key);
          return s && s->is_string() ? std::string(s->get_string()) : "?";
        };
        v.toxics[name].push_back(text("name") + " (" + text("type") + ", " + text("stream") + ")");
      }
    }
  }
  return v;
}

}  // namespace sonde::devnet
