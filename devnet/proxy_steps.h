// The fault proxy of a devnet with proxies (devnet_files.h has the ports and
// names): writing its links, starting it detached, waiting until it serves
// every link, finding it again, stopping it and describing it. As for nodes,
// only a pid whose /proc/PID/cmdline is exactly the proxy command the
// launcher runs is ever signalled.
// Thread-safety: CLI only; these block.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "devnet/devnet_files.h"
#include "devnet/result.h"

namespace sonde::devnet {

// The pid of the devnet's fault proxy if it is running as the manifest says.
std::optional<pid_t> RunningProxyPid(const Manifest& m);

// What is wrong with the proxy's ports now (the API's, then each link's):
// "port P (...) is already in use; ...", or empty when all are free.
std::string ProxyPortsInUse(const Manifest& m);

// Writes DIR/proxies.json, starts `sonde-devnet proxy` detached (log
// DIR/proxy/proxy.log) and writes its pidfile.
Result<pid_t> LaunchProxy(const Manifest& m);

// Waits until the API answers GET /version and GET /proxies lists every
// link. `pid` is this process's child: its exit ends the wait with the tail
// of its log.
Status WaitProxyReady(const Manifest& m, pid_t pid, std::chrono::milliseconds within);

// Stops a proxy this process started (its unreaped child) and removes the
// pidfile.
void StopLaunchedProxy(const Manifest& m, pid_t pid);

// The proxy as `status` shows it.
struct ProxyView {
  std::optional<pid_t> pidfile_pid;  // what the pidfile says
  bool alive = false;                // that pid runs the proxy command
  bool api_ok = false;               // GET /proxies answered
  std::string api_error;             // why not
  size_t links_present = 0;          // of the manifest's links, how many exist
  size_t links_expected = 0;
  size_t links_disabled = 0;
  // Active toxics by proxy: "NAME (TYPE, STREAM)" each; only proxies with any.
  std::map<std::string, std::vector<std::string>> toxics;
};
ProxyView InspectProxy(const Manifest& m);

}  // namespace sonde::devnet
