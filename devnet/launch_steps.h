// The steps the launcher's commands are made of (launcher.h): directories,
// key and config generation for a new devnet, starting one node detached,
// waiting until nodes serve and commit, stopping the nodes a command started.
// Thread-safety: CLI only; these block.
#pragma once

#include <sys/types.h>

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devnet/devnet_files.h"
#include "devnet/launcher.h"
#include "devnet/result.h"

namespace sonde::devnet {

inline constexpr std::chrono::seconds kStopGrace{5};
inline constexpr std::chrono::seconds kKillWait{2};

Status MakeDirs(const std::string& path);
// The absolute, resolved form of `dir` (created first when `create`).
Result<std::string> AbsoluteDir(const std::string& dir, bool create);
bool Exists(const std::string& path);
// The last `lines` lines of a node's log, indented, for failure messages.
std::string LogTail(const std::string& path, size_t lines);
// GET a JSON object from a node, within `timeout`.
Result<boost::json::object> GetJson(const std::string& url, const std::string& target,
                                    std::chrono::milliseconds timeout);
uint64_t U64(const boost::json::object& o, std::string_view key);

// Writes the wallet, every node's key, FROST share and config, then the
// manifest (last: its presence means the directory is complete).
Status Generate(const UpOptions& o, Manifest* m);

// The pid of node `id` if it is running as the manifest says.
std::optional<pid_t> RunningPid(const Manifest& m, uint32_t id);
// Checks the port, starts the node detached and writes its pidfile.
Result<pid_t> Launch(const Manifest& m, uint32_t id);
// Stops processes this process started (its unreaped children): SIGTERM to
// all, up to kStopGrace each, then SIGKILL.
void StopChildren(const std::vector<pid_t>& pids);
// Stops nodes this process started (its unreaped children) and removes
// their pidfiles.
void StopNodes(const Manifest& m, const std::map<uint32_t, pid_t>& pids);
// Waits until every node in `pids` answers and has committed height >=
// `min_committed`; on failure says which node and why (with its log's tail).
// Activates the probe node (DIR/probe_node.key) through the node API, as any
// operator would, and waits until it is active and has accrued a block's
// reward, so that sonde's reward_claim journey has something to collect from
// its first run. An active node is left as is.
Status ActivateProbeNode(const Manifest& m, std::chrono::milliseconds within);
// Writes DIR/api.token (0600, 32 random bytes in hex) unless it exists: the
// bearer token of the sonde daemon's drill and heal API.
Status WriteApiToken(const Manifest& m);

Status WaitReady(const Manifest& m, const std::map<uint32_t, pid_t>& pids, uint64_t min_committed,
                 std::chrono::milliseconds within);

}  // namespace sonde::devnet
