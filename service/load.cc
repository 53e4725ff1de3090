#include "service/load.h"

namespace sonde {

LoadedConfig LoadWithKeys(const std::string& path) {
  LoadedConfig setup;
  LoadResult loaded = LoadConfigFile(path);
  if (!loaded.ok()) {
    setup.errors = std::move(loaded.errors);
    return setup;
  }
  setup.keys = KeyRing::Load(*loaded.config, &setup.errors);
  if (setup.ok()) setup.config = std::move(loaded.config);
  return setup;
}

LoadedConfig LoadOrReport(const std::string& path, std::FILE* out) {
  LoadedConfig setup = LoadWithKeys(path);
  if (setup.ok()) return setup;
  for (const Diagnostic& d : setup.errors) std::fprintf(out, "%s\n", d.ToString().c_str());
  std::fprintf(out, "%s: %zu error%s\n", path.c_str(), setup.errors.size(),
               setup.errors.size() == 1 ? "" : "s");
  return setup;
}

}  // namespace sonde
