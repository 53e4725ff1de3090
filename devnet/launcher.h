// `sonde-devnet up | down | status | start`: the launcher that creates a
// devnet directory (devnet_files.h), starts its fault proxy (unless made
// without) and its nodes as detached processes, waits until they serve and
// commit, and stops exactly what it started.
// Each command prints what it did to `out`, problems to `err`, and returns
// the process exit code (0 ok, 1 failed).
// Thread-safety: CLI only; these block.
#pragma once

#include "devnet/devnet_files.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace sonde::devnet {

struct UpOptions {
  std::string dir;
  uint32_t nodes = 5;
  uint32_t threshold = 3;
  uint32_t block_ms = 500;
  uint16_t base_port = 26600;
  std::string chain_id = "sonde-devnet";
  uint64_t wallet_funds = 1'000'000'000'000;
  uint32_t ready_timeout_ms = 20000;
  // A fault proxy on every peer link (devnet_files.h). Only for a new
  // devnet: an existing one keeps what its manifest says.
  bool proxies = true;
  // How the sonde config is written (every `up` writes it anew).
  SondeConfigOptions sonde;
};

int Up(const UpOptions& options, std::FILE* out, std::FILE* err);
int Down(const std::string& dir, std::FILE* out, std::FILE* err);
int PrintStatus(const std::string& dir, std::FILE* out, std::FILE* err);
// Starts node `id` of an existing devnet if it is not running, and waits
// until it answers /v1/health. The chaos restart command.
int StartNode(const std::string& dir, uint32_t id, std::FILE* out, std::FILE* err);
// Starts the devnet's fault proxy if it is not running, and waits until it
// serves every link (with none of the toxics it had). The chaos restart
// command of the `proxy` target.
int StartProxy(const std::string& dir, std::FILE* out, std::FILE* err);

}  // namespace sonde::devnet
