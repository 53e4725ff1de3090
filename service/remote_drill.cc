#include "service/remote_drill.h"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <thread>

#include "chaos/drill_record_json.h"
#include "service/api_token.h"
#include "service/output_file.h"

namespace sonde {
namespace {

namespace json = boost::json;

struct Reply {
  long status = 0;    // 0 when the request did not complete
  std::string error;  // why it did not
  std::string body;
};

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

Reply Call(const std::string& method, const std::string& url, const std::string& token) {
  Reply r;
  CURL* curl = curl_easy_init();
  if (!curl) return {0, "cannot start an HTTP request", ""};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_slist* headers = nullptr;
  if (!token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  }
  const CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  } else {
    r.error = method + " " + url + ": " + curl_easy_strerror(rc);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return r;
}

// The JSON error a daemon answered with, or the body itself.
std::string ErrorOf(const Reply& r) {
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (!ec && v.is_object() && v.as_object().if_contains("error") && v.at("error").is_string()) {
    return std::string(v.at("error").as_string());
  }
  return r.body;
}

std::string Str(const json::value& v, std::string_view key) {
  if (!v.is_object()) return "";
  const json::value* f = v.as_object().if_contains(key);
  return f && f->is_string() ? std::string(f->as_string()) : "";
}

std::optional<uint64_t> Uint(const json::value& v, std::string_view key) {
  if (!v.is_object()) return std::nullopt;
  const json::value* f = v.as_object().if_contains(key);
  if (f && f->is_uint64()) return f->as_uint64();
  if (f && f->is_int64() && f->as_int64() >= 0) return static_cast<uint64_t>(f->as_int64());
  return std::nullopt;
}

int PrintVerdict(const std::string& drill, const json::value& result) {
  const std::string verdict = Str(result, "verdict");
  const std::string why = Str(result, "why");
  std::printf("drill %s: %s%s\n", drill.c_str(), verdict.c_str(),
              why.empty() ? "" : (" (" + why + ")").c_str());
  if (const json::value* checks = result.as_object().if_contains("checks");
      checks && checks->is_array()) {
    for (const json::value& c : checks->as_array()) {
      const bool passed = c.is_object() && c.as_object().if_contains("passed") &&
                          c.at("passed").is_bool() && c.at("passed").as_bool();
      const std::string target = Str(c, "target");
      std::printf("  %s %s %s %s: observed %s\n", passed ? "pass" : "FAIL",
                  (Str(c, "journey") + (target.empty() ? "" : " @ " + target)).c_str(),
                  Str(c, "check").c_str(), Str(c, "expected").c_str(), Str(c, "observed").c_str());
    }
  }
  std::fflush(stdout);
  return VerdictExitCode(VerdictNamed(verdict).value_or(DrillVerdict::kAborted));
}

// Fetches run `run`'s record and writes the JUnit file and the report the
// options name; false (said on stderr) when it cannot.
bool WriteFromRecord(const std::string& base, const RemoteDrillOptions& o, uint64_t run) {
  const Reply reply =
      Call("GET", base + "/api/v1/drills/" + o.drill + "/record?run=" + std::to_string(run), "");
  if (reply.status != 200) {
    std::fprintf(stderr, "cannot fetch the record of drill %s run %llu: %s\n", o.drill.c_str(),
                 static_cast<unsigned long long>(run),
                 reply.status ? ("HTTP " + std::to_string(reply.status) + ": " + ErrorOf(reply)).c_str()
                              : reply.error.c_str());
    return false;
  }
  boost::system::error_code ec;
  const json::value v = json::parse(reply.body, ec);
  std::string why = ec ? "not JSON: " + ec.message() : "";
  std::optional<DrillRecord> record;
  if (!ec) {
    const json::value* inner = v.is_object() ? v.as_object().if_contains("record") : nullptr;
    if (inner) record = DrillRecordFromJson(*inner, &why);
    else why = "no \"record\" in the answer";
  }
  if (!record) {
    std::fprintf(stderr, "the daemon's record of drill %s run %llu is unreadable: %s\n",
                 o.drill.c_str(), static_cast<unsigned long long>(run), why.c_str());
    return false;
  }
  bool ok = true;
  if (!o.junit.empty()) {
    if (auto error = WriteOutput(o.junit, RenderDrillJUnit(*record))) {
      std::fprintf(stderr, "%s\n", error->c_str());
      ok = false;
    }
  }
  if (!o.report.empty()) {
    if (auto error = WriteOutput(o.report, RenderDrillReport(*record, o.report))) {
      std::fprintf(stderr, "%s\n", error->c_str());
      ok = false;
    }
  }
  return ok;
}

}  // namespace

int RunRemoteDrill(const Config& config, const RemoteDrillOptions& o) {
  // listen_host is stored without brackets; a wildcard is reached on loopback.
  std::string host = config.service.listen_host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  const std::string base = "http://" + host + ":" + std::to_string(config.service.listen_port);
  if (config.service.api_token_file.empty()) {
    std::fprintf(stderr,
                 "%s: no [service] api_token_file: the daemon's drill API is off, so --daemon "
                 "cannot start %s\n",
                 config.source.c_str(), o.drill.c_str());
    return 2;
  }
  const std::string token = ReadApiToken(config.service.api_token_file);
  if (token.empty()) {
    std::fprintf(stderr, "%s: the api token file is missing, empty or unreadable\n",
                 config.service.api_token_file.c_str());
    return 2;
  }

  std::string target = base + "/api/v1/drills/" + o.drill + "/run?arm=" + (o.arm ? "1" : "0");
  if (o.seed) target += "&seed=" + std::to_string(*o.seed);
  const Reply started = Call("POST", target, token);
  if (started.status == 0) {
    std::fprintf(stderr, "cannot reach the daemon at %s (is `sonde run -c %s` running?): %s\n",
                 base.c_str(), config.source.c_str(), started.error.c_str());
    return 2;
  }
  if (started.status != 202) {
    std::fprintf(stderr, "the daemon at %s refused drill %s: HTTP %ld: %s\n", base.c_str(),
                 o.drill.c_str(), started.status, ErrorOf(started).c_str());
    return 2;
  }
  boost::system::error_code ec;
  const json::value accepted = json::parse(started.body, ec);
  const std::optional<uint64_t> run = ec ? std::nullopt : Uint(accepted, "run");
  if (!run) {
    std::fprintf(stderr, "the daemon at %s started drill %s but did not say which run: %s\n",
                 base.c_str(), o.drill.c_str(), started.body.c_str());
    return 2;
  }
  std::printf(
      "drill %s: running in the daemon at %s (run %llu, seed %llu); Ctrl-C stops "
      "following it, POST %s/api/v1/heal stops it\n",
      o.drill.c_str(), base.c_str(), static_cast<unsigned long long>(*run),
      static_cast<unsigned long long>(Uint(accepted, "seed").value_or(0)), base.c_str());
  std::fflush(stdout);

  const auto deadline = std::chrono::steady_clock::now() + o.follow_timeout;
  std::string last_phase, last_counts;
  std::chrono::steady_clock::time_point last_print{};
  // A daemon restarting is not the end of the drill; one gone (or not
  // answering) for half a minute is.
  // (A default time point means "answering".)
  std::chrono::steady_clock::time_point unreachable_since{};
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const Reply status = Call("GET", base + "/api/v1/drills", "");
    if (status.status != 200) {
      const auto now = std::chrono::steady_clock::now();
      if (unreachable_since == std::chrono::steady_clock::time_point{}) unreachable_since = now;
      if (now - unreachable_since >= std::chrono::seconds(30)) {
        std::fprintf(stderr, "lost the daemon at %s: %s\n", base.c_str(),
                     status.status ? ("HTTP " + std::to_string(status.status)).c_str()
                                   : status.error.c_str());
        return 2;
      }
      continue;
    }
    unreachable_since = {};
    const json::value v = json::parse(status.body, ec);
    if (ec || !v.is_object()) continue;
    if (Str(v, "running") == o.drill && Uint(v, "run") == run) {
      // Like a local drill's non-terminal progress: a line when the phase
      // or the counts change, else every 5 s.
      const std::string line = Str(v, "progress");
      const std::string phase = line.substr(0, line.find(' '));
      const std::string counts =
          line.substr(line.find(']') == std::string::npos ? line.size() : line.find(']'));
      const auto now = std::chrono::steady_clock::now();
      if (!line.empty() && (phase != last_phase || counts != last_counts ||
                            now - last_print >= std::chrono::seconds(5))) {
        std::printf("%s\n", line.c_str());
        std::fflush(stdout);
        last_phase = phase;
        last_counts = counts;
        last_print = now;
      }
      continue;
    }
    const json::value* last = v.as_object().if_contains("last");
    const json::value* result =
        last && last->is_object() ? last->as_object().if_contains(o.drill) : nullptr;
    if (result && Uint(*result, "run") == run) {
      const int code = PrintVerdict(o.drill, *result);
      if (o.junit.empty() && o.report.empty()) return code;
      return WriteFromRecord(base, o, *run) ? code : 2;
    }
    // A later run of this drill has finished (someone started it again),
    // or the daemon restarted and counts runs anew: ours is lost.
    if (result && Uint(*result, "run").value_or(0) > *run) {
      std::fprintf(stderr, "drill %s: run %llu's verdict was replaced by a later run's\n",
                   o.drill.c_str(), static_cast<unsigned long long>(*run));
      return 2;
    }
    if (Uint(v, "runs_started").value_or(*run) < *run) {
      std::fprintf(stderr, "drill %s: the daemon restarted and lost run %llu\n", o.drill.c_str(),
                   static_cast<unsigned long long>(*run));
      return 2;
    }
  }
  std::fprintf(stderr, "drill %s: still running after %s; stopped following it\n", o.drill.c_str(),
               FormatDuration(o.follow_timeout).c_str());
  return 2;
}

}  // namespace sonde
