#include "chaos/process.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sonde::chaos {
namespace {

// glibc 2.36 has no wrappers for these yet.
int PidfdOpen(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }
int PidfdSendSignal(int pidfd, int signo) {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, signo, nullptr, 0));
}

// Fields of /proc/PID/stat after the command (which may hold spaces and
// parentheses, so it is skipped up to the last ')').
std::optional<std::string> StatAfterComm(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  return line.substr(close + 2);
}

}  // namespace

std::optional<uint64_t> ProcessStartTime(pid_t pid) {
  auto rest = StatAfterComm(pid);
  if (!rest) return std::nullopt;
  // After the command: field 3 (state) is the first; start time is field 22.
  std::istringstream fields(*rest);
  std::string field;
  for (int i = 3; i <= 22; ++i) {
    if (!(fields >> field)) return std::nullopt;
  }
  return std::stoull(field);
}

std::variant<ProcessHandle, std::string> ProcessHandle::FromPidfile(const std::string& pidfile) {
  std::ifstream in(pidfile);
  if (!in) return "cannot read pidfile " + pidfile + ": " + std::strerror(errno);
  long long pid = 0;
  if (!(in >> pid) || pid <= 1) return "pidfile " + pidfile + " does not hold a PID";
  const int fd = PidfdOpen(static_cast<pid_t>(pid));
  if (fd < 0) {
    return "process " + std::to_string(pid) + " (from " + pidfile +
           ") is not running: " + std::strerror(errno);
  }
  // The start time read after the pidfd exists names the process the pidfd holds.
  const auto start = ProcessStartTime(static_cast<pid_t>(pid));
  if (!start) {
    ::close(fd);
    return "process " + std::to_string(pid) + " (from " + pidfile + ") exited";
  }
  return ProcessHandle(fd, {static_cast<pid_t>(pid), *start});
}

std::variant<ProcessHandle, std::string> ProcessHandle::FromIdentity(const ProcessIdentity& id) {
  const int fd = PidfdOpen(id.pid);
  if (fd < 0) return "process " + std::to_string(id.pid) + " is gone";
  const auto start = ProcessStartTime(id.pid);
  if (!start || *start != id.start_time) {
    ::close(fd);
    return "PID " + std::to_string(id.pid) +
           " now belongs to another process (start time changed); not touching it";
  }
  return ProcessHandle(fd, id);
}

ProcessHandle::ProcessHandle(ProcessHandle&& other) noexcept
    : pidfd_(other.pidfd_), id_(other.id_) {
  other.pidfd_ = -1;
}

ProcessHandle& ProcessHandle::operator=(ProcessHandle&& other) noexcept {
  if (this != &other) {
    if (pidfd_ >= 0) ::close(pidfd_);
    pidfd_ = other.pidfd_;
    id_ = other.id_;
    other.pidfd_ = -1;
  }
  return *this;
}

ProcessHandle::~ProcessHandle() {
  if (pidfd_ >= 0) ::close(pidfd_);
}

std::optional<std::string> ProcessHandle::Signal(int signo) const {
  if (PidfdSendSignal(pidfd_, signo) != 0) {
    return "cannot send signal " + std::to_string(signo) + " to process " +
           std::to_string(id_.pid) + ": " + std::strerror(errno);
  }
  return std::nullopt;
}

char ProcessHandle::State() const {
  auto rest = StatAfterComm(id_.pid);
  if (!rest || rest->empty()) return 0;
  const auto start = ProcessStartTime(id_.pid);
  if (!start || *start != id_.start_time) return 0;
  return (*rest)[0];
}

}  // namespace sonde::chaos
