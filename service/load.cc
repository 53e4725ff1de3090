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

namespace {

// Every diagnostic, one per line, and their count.
void PrintDiagnostics(const std::string& path, const std::vector<Diagnostic>& errors, std::FILE* out) {
  for (const Diagnostic& d : errors) std::fprintf(out, "%s\n", d.ToString().c_str());
  std::fprintf(out, "%s: %zu error%s\n", path.c_str(), errors.size(), errors.size() == 1 ? "" : "s");
}

}  // namespace

LoadedConfig LoadOrReport(const std::string& path, std::FILE* out) {
  LoadedConfig setup = LoadWithKeys(path);
  if (!setup.ok()) PrintDiagnostics(path, setup.errors, out);
  return setup;
}

std::shared_ptr<const Config> LoadConfigOrReport(const std::string& path, std::FILE* out) {
  LoadResult loaded = LoadConfigFile(path);
  if (!loaded.ok()) PrintDiagnostics(path, loaded.errors, out);
  return loaded.config;
}

}  // namespace sonde
