#include "chaos/revert.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "chaos/nft_table.h"
#include "chaos/process.h"

namespace sonde::chaos {
namespace {

std::string Text(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

int64_t Int(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v && v->is_int64()) return v->get_int64();
  if (v && v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  return 0;
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

}  // namespace

std::optional<std::string> RunShell(const std::string& command, std::chrono::milliseconds timeout) {
  char err_path[] = "/tmp/sonde-chaos-XXXXXX";
  const int err_fd = ::mkstemp(err_path);
  const pid_t child = ::fork();
  if (child < 0) {
    if (err_fd >= 0) ::close(err_fd);
    return "cannot start `" + command + "`: " + std::strerror(errno);
  }
  if (child == 0) {
    ::setsid();  // a restarted service must not die with us
    if (err_fd >= 0) ::dup2(err_fd, 2);
    const int null_fd = ::open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
      ::dup2(null_fd, 0);
      ::dup2(null_fd, 1);
    }
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  pid_t done = 0;
  while ((done = ::waitpid(child, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::string stderr_tail;
  if (err_fd >= 0) {
    ::close(err_fd);
    std::ifstream in(err_path);
    stderr_tail.assign(std::istreambuf_iterator<char>(in), {});
    ::unlink(err_path);
    if (stderr_tail.size() > 300) stderr_tail = "..." + stderr_tail.substr(stderr_tail.size() - 300);
    while (!stderr_tail.empty() && stderr_tail.back() == '\n') stderr_tail.pop_back();
  }
  if (done == 0) {
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    return "`" + command + "` did not finish within " +
           std::to_string(timeout.count() / 1000) + " s (killed)";
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return std::nullopt;
  const std::string how = WIFEXITED(status) ? "exited " + std::to_string(WEXITSTATUS(status))
                                            : "died of signal " + std::to_string(WTERMSIG(status));
  return "`" + command + "` " + how + (stderr_tail.empty() ? "" : ": " + stderr_tail);
}

// Keeps an answer's body, refusing (0: curl fails the request) past 4 MiB.
static size_t Keep(char* data, size_t size, size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() + size * n > 4 * 1024 * 1024) return 0;
  body->append(data, size * n);
  return size * n;
}

std::optional<std::string> HttpCall(const std::string& method, const std::string& url,
                                    const std::string& body, bool missing_ok,
                                    std::string* response) {
  CURL* curl = curl_easy_init();
  if (!curl) return "cannot start an HTTP request";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (response) {
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Keep);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, response);
  } else {
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  }
  curl_slist* headers = nullptr;
  if (!body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  }
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return method + " " + url + ": " + curl_easy_strerror(rc);
  if ((status >= 200 && status < 300) || (missing_ok && status == 404)) return std::nullopt;
  return method + " " + url + ": HTTP " + std::to_string(status);
}

std::optional<std::string> ExecuteRevert(const boost::json::object& action) {
  const std::string kind = Text(action, "action");
  if (kind == "none") return std::nullopt;
  if (kind == "signal") {
    const ProcessIdentity id{static_cast<pid_t>(Int(action, "pid")),
                             static_cast<uint64_t>(Int(action, "start_time"))};
    auto handle = ProcessHandle::FromIdentity(id);
    // Gone, or someone else's now: there is nothing of ours left to resume.
    if (std::holds_alternative<std::string>(handle)) return std::nullopt;
    return std::get<ProcessHandle>(handle).Signal(static_cast<int>(Int(action, "signal")));
  }
  if (kind == "exec" || kind == "restart") return RunShell(Text(action, "command"));
  if (kind == "http") {
    return HttpCall(Text(action, "method"), Text(action, "url"), Text(action, "body"),
                    /*missing_ok=*/true);
  }
  if (kind == "nft") return NftDeleteDrops(Text(action, "table"), Text(action, "chain"));
  if (kind == "all") {
    // Every part, even after one fails; the failures together.
    std::string failures;
    if (const auto* actions = action.if_contains("actions"); actions && actions->is_array()) {
      for (const boost::json::value& a : actions->get_array()) {
        if (!a.is_object()) continue;
        if (auto why = ExecuteRevert(a.get_object())) failures += (failures.empty() ? "" : "; ") + *why;
      }
    }
    if (!failures.empty()) return failures;
    return std::nullopt;
  }
  return "unknown revert action \"" + kind + "\"";
}

}  // namespace sonde::chaos
