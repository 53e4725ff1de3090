#include "service/load.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace sonde {
namespace {

// The API token is a secret like a key: its file must exist (a daemon
// whose token is missing has its drill and heal API silently off) and only
// its owner may read it, as ssh and sonde's key files require.
void CheckApiTokenFile(const Config& config, std::vector<Diagnostic>* errors) {
  const ServiceConfig& s = config.service;
  if (s.api_token_file.empty()) return;
  auto fail = [&](const std::string& why) {
    errors->push_back({config.source, s.api_token_file_where.line, s.api_token_file_where.column,
                       "service: api_token_file " + s.api_token_file + ": " + why});
  };
  struct stat st {};
  if (::stat(s.api_token_file.c_str(), &st) != 0) {
    fail(std::strerror(errno));
  } else if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    fail(std::string("mode ") + mode +
         " lets group or others read the token; it must be 0600 or stricter (chmod 600 " +
         s.api_token_file + ")");
  }
}

}  // namespace

LoadedConfig LoadWithKeys(const std::string& path) {
  LoadedConfig setup;
  LoadResult loaded = LoadConfigFile(path);
  if (!loaded.ok()) {
    setup.errors = std::move(loaded.errors);
    return setup;
  }
  setup.keys = KeyRing::Load(*loaded.config, &setup.errors);
  CheckApiTokenFile(*loaded.config, &setup.errors);
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

std::optional<std::string> ExposureWarning(const ServiceConfig& service) {
  const std::string& host = service.listen_host;
  const bool loopback = host.starts_with("127.") || host == "::1" || host == "localhost";
  if (loopback) return std::nullopt;
  return "service.listen " + host + ":" + std::to_string(service.listen_port) +
         " is reachable beyond this machine: the status page, /metrics and /api/v1/runs are " +
         "open to anyone who can connect" +
         (service.api_token_file.empty()
              ? std::string(" (and no api_token_file guards the mutating endpoints)")
              : std::string("; the mutating endpoints need the API token")) +
         ". Listen on 127.0.0.1 unless that is what you want.";
}

}  // namespace sonde
