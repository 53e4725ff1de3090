#include "service/load.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sonde {
namespace {

// Why `path` is no fit place for a secret (`what`: "the token"): missing,
// or readable by group or others; nullopt when it is fine.
std::optional<std::string> SecretFileProblem(const std::string& path, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::string(std::strerror(errno));
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return std::string("mode ") + mode + " lets group or others read " + what +
           "; it must be 0600 or stricter (chmod 600 " + path + ")";
  }
  return std::nullopt;
}

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
  if (auto why = SecretFileProblem(s.api_token_file, "the token")) fail(*why);
}

// The admin server's TLS files: both readable, the key as private as a
// token (the server would otherwise fail only at start, or not at all).
void CheckAdminTlsFiles(const Config& config, std::vector<Diagnostic>* errors) {
  const ServiceConfig& s = config.service;
  if (s.tls_cert_file.empty()) return;
  auto fail = [&](const std::string& why) {
    errors->push_back({config.source, s.tls_where.line, s.tls_where.column, "service: " + why});
  };
  if (::access(s.tls_cert_file.c_str(), R_OK) != 0) {
    fail("tls_cert_file " + s.tls_cert_file + ": " + std::strerror(errno));
  }
  if (auto why = SecretFileProblem(s.tls_key_file, "the key")) {
    fail("tls_key_file " + s.tls_key_file + ": " + *why);
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
  CheckAdminTlsFiles(*loaded.config, &setup.errors);
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
         (service.tls_cert_file.empty()
              ? std::string(", and it is plain HTTP (set tls_cert_file and tls_key_file for HTTPS)")
              : std::string()) +
         ". Listen on 127.0.0.1 unless that is what you want.";
}

}  // namespace sonde
