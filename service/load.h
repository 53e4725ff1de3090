// Loading what a command needs from a config file: the validated config and
// the keys it names (a config whose key files cannot be loaded is as broken
// as one that does not parse: both are reported as FILE:LINE:COL).
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/loader.h"
#include "config/model.h"
#include "scenarios/key_ring.h"

namespace sonde {

struct LoadedConfig {
  std::shared_ptr<const Config> config;
  std::shared_ptr<const KeyRing> keys;
  std::vector<Diagnostic> errors;  // empty when both loaded
  bool ok() const { return errors.empty(); }
};

LoadedConfig LoadWithKeys(const std::string& path);

// LoadWithKeys, and on failure print every diagnostic (one per line) and a
// count to `out`.
LoadedConfig LoadOrReport(const std::string& path, std::FILE* out);

// The same without loading keys (for commands that only read the config:
// report, store verify, heal): the config, or null after printing why.
std::shared_ptr<const Config> LoadConfigOrReport(const std::string& path, std::FILE* out);

// A warning when the admin server would listen beyond loopback (0.0.0.0, ::,
// a routable address): the status page, /metrics and the run history are
// then open to the network. nullopt on loopback.
std::optional<std::string> ExposureWarning(const ServiceConfig& service);

}  // namespace sonde
