// `sonde drill -c FILE NAME --daemon`: runs the drill inside the daemon that
// serves FILE (at its [service] listen, with the bearer token from its
// api_token_file) rather than in this process — so the daemon's own runs,
// metrics and result store see it, and nothing else probes the network
// twice (two probes would also share the wallet's nonces).
//
// Starts it with POST /api/v1/drills/NAME/run, follows GET /api/v1/drills
// every second printing each new progress line, then prints the verdict and
// every check; with `junit` or `report`, fetches the run's whole record
// (GET /api/v1/drills/NAME/record?run=N) and writes them. Exit status as for a local drill: 0 pass, 1 fail, 2 aborted
// or could not run (daemon unreachable, refused, drill unknown).
//
// Thread-safety: CLI only; blocks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config/model.h"

namespace sonde {

struct RemoteDrillOptions {
  std::string drill;
  bool arm = false;
  std::optional<uint64_t> seed;
  // Written from the daemon's record of the run, as a local drill writes
  // them (empty: not written).
  std::string junit, report;
  // Give up following after this long (the drill keeps running).
  Duration follow_timeout = std::chrono::hours(2);
};

int RunRemoteDrill(const Config& config, const RemoteDrillOptions& options);

}  // namespace sonde
