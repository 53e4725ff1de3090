// `sonde proxy`: the fault proxy as a long-lived process. Its HTTP control
// API is compatible with Toxiproxy's (api_handlers.h), so Toxiproxy's
// clients drive it unchanged.
//
// Thread-safety: CommandProxy runs its own io_context on the calling thread.
#pragma once

#include <string>

namespace sonde {

struct ProxyOptions {
  std::string listen = "127.0.0.1:8474";  // the control API
  // Optional: a JSON array of proxies, as Toxiproxy's -config file
  // ([{"name", "listen", "upstream", "enabled"}, ...]), created at start.
  std::string config_file;
};

// Serves until SIGINT or SIGTERM, then closes every proxy and connection and
// returns 0. Returns 2, with a message on stderr, when the API address cannot
// be bound or the config file cannot be read, parsed or applied.
int CommandProxy(const ProxyOptions& options);

}  // namespace sonde
