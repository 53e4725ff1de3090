// The launcher's OS boundary: starting a node detached from the terminal,
// pidfiles, recognising our own processes, and stopping them. `down` and
// `status` only ever act on a pid whose /proc/PID/cmdline is exactly the
// node command the launcher ran, so a stale pidfile whose pid was reused by
// another program is never signalled.
// Thread-safety: plain functions; they block (they are for the CLI only).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "devnet/result.h"

namespace sonde::devnet {

// fork + setsid + exec: the child has no controlling terminal, stdin is
// /dev/null, stdout and stderr append to `log_path`, and no other
// descriptor of ours leaks into it.
Result<pid_t> SpawnDetached(const std::vector<std::string>& argv, const std::string& log_path);

// Written to a temporary file and renamed, so a reader never sees half a pid.
Status WritePidFile(const std::string& path, pid_t pid);
std::optional<pid_t> ReadPidFile(const std::string& path);

// The process's argv from /proc; empty if it is gone or a zombie.
std::vector<std::string> ProcessArgs(pid_t pid);

// True when `pid` runs `argv` (argv[0] compared by its last path component).
bool IsProcessRunning(pid_t pid, const std::vector<std::string>& argv);

// Reaps `pid` if it is our child and has exited (the launcher's own
// children); true when it has exited.
bool ReapIfExited(pid_t pid);

// SIGTERM, wait up to `grace`, then SIGKILL and wait up to `kill_wait`.
// Returns true when the process is gone (or was never running `argv`).
bool StopProcess(pid_t pid, const std::vector<std::string>& argv, std::chrono::milliseconds grace,
                 std::chrono::milliseconds kill_wait);

// The path of the running executable (/proc/self/exe).
std::string SelfExe();

// Whether 127.0.0.1:port can be bound now (with SO_REUSEADDR, as the node does).
bool PortFree(const std::string& host, uint16_t port);

}  // namespace sonde::devnet
