#include "devnet/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace sonde::devnet {

namespace {

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool IsZombie(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // "PID (comm) STATE ...": comm may hold spaces and parens, so look after the last ')'.
  size_t close = stat.rfind(')');
  return close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] == 'Z';
}

// Polls until `pid` no longer runs `argv` or `within` passes.
bool WaitGone(pid_t pid, const std::vector<std::string>& argv, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    ReapIfExited(pid);
    if (!IsProcessRunning(pid, argv)) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

Result<pid_t> SpawnDetached(const std::vector<std::string>& argv, const std::string& log_path) {
  int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return Fail("cannot open " + log_path + ": " + std::strerror(errno));
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null < 0) {
    ::close(log);
    return Fail(std::string("cannot open /dev/null: ") + std::strerror(errno));
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log);
    ::close(null);
    return Fail(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // The child: only async-signal-safe calls until exec.
    ::setsid();
    ::dup2(null, STDIN_FILENO);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    ::close_range(3, ~0U, 0);
    ::signal(SIGPIPE, SIG_DFL);
    ::execv(args[0], args.data());
    const char msg[] = "sonde-devnet: exec failed\n";
    [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }
  ::close(log);
  ::close(null);
  return pid;
}

Status WritePidFile(const std::string& path, pid_t pid) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << pid << "\n";
    if (!out) return Fail("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Fail("cannot rename " + tmp + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

std::optional<pid_t> ReadPidFile(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  if (!(in >> pid) || pid <= 1) return std::nullopt;
  return static_cast<pid_t>(pid);
}

std::vector<std::string> ProcessArgs(pid_t pid) {
  if (IsZombie(pid)) return {};
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> out;
  std::string current;
  for (char c : raw) {
    if (c == '\0') {
      out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

bool IsProcessRunning(pid_t pid, const std::vector<std::string>& argv) {
  const std::vector<std::string> actual = ProcessArgs(pid);
  if (actual.size() != argv.size() || argv.empty()) return false;
  if (Basename(actual[0]) != Basename(argv[0])) return false;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (actual[i] != argv[i]) return false;
  }
  return true;
}

bool ReapIfExited(pid_t pid) {
  int status = 0;
  const pid_t r = ::waitpid(pid, &status, WNOHANG);
  return r == pid;
}

bool StopProcess(pid_t pid, const std::vector<std::string>& argv, std::chrono::milliseconds grace,
                 std::chrono::milliseconds kill_wait) {
  if (!IsProcessRunning(pid, argv)) return true;
  ::kill(pid, SIGTERM);
  if (WaitGone(pid, argv, grace)) return true;
  if (IsProcessRunning(pid, argv)) ::kill(pid, SIGKILL);
  return WaitGone(pid, argv, kill_wait);
}

std::string SelfExe() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "sonde-devnet";
  return std::string(buf, static_cast<size_t>(n));
}

bool PortFree(const std::string& host, uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace sonde::devnet
