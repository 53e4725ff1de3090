// The sonde subcommands. Each returns the process exit code:
//   0 success; 1 the job ran and something failed (a journey, a check);
//   2 the job could not run (bad config, port taken).
#pragma once

#include <optional>
#include <string>

#include "core/duration.h"

namespace sonde {

struct RunOptions {
  std::string config_path;
  Duration shutdown_grace = std::chrono::seconds(10);  // in-flight runs may finish within this
};
int CommandRun(const RunOptions& options);

struct OnceOptions {
  std::string config_path;
  std::optional<std::string> journey;  // only this journey
};
int CommandOnce(const OnceOptions& options);

int CommandCheck(const std::string& config_path);

struct RulesOptions {
  std::string config_path;
  std::string out;    // rule file; empty: stdout
  std::string tests;  // promtool test file; empty: none
};
int CommandRules(const RulesOptions& options);

// Writes a new Ed25519 key file (mode 0600; an existing file is an error,
// exit 2) and prints its public key as hex.
int CommandKeysNew(const std::string& out_path);

}  // namespace sonde
