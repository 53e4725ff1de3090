// The OS boundary for process faults: a process named by its pidfile, held
// through a pidfd so that a signal can never reach a process that has
// replaced it under a recycled PID. A process's identity is its PID and its
// start time (field 22 of /proc/PID/stat), which a journal can keep and a
// later `sonde heal` check before it touches anything.
//
// Errors are returned as sentences naming the pidfile or PID.
// Thread-safety: a ProcessHandle is used by one thread at a time.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace sonde::chaos {

struct ProcessIdentity {
  pid_t pid = 0;
  uint64_t start_time = 0;  // clock ticks after boot
};

class ProcessHandle {
 public:
  // The process whose PID `pidfile` holds. Fails when the file is missing or
  // malformed, or the process is gone.
  static std::variant<ProcessHandle, std::string> FromPidfile(const std::string& pidfile);
  // The process `id` names, only if it is still that very process.
  static std::variant<ProcessHandle, std::string> FromIdentity(const ProcessIdentity& id);

  ProcessHandle(ProcessHandle&& other) noexcept;
  ProcessHandle& operator=(ProcessHandle&& other) noexcept;
  ~ProcessHandle();

  const ProcessIdentity& identity() const { return id_; }
  // Sends `signo` through the pidfd; the reason when it could not.
  std::optional<std::string> Signal(int signo) const;
  // The state letter of /proc/PID/stat ('R', 'S', 'T' stopped, 'Z' ...);
  // 0 when the process is gone.
  char State() const;

 private:
  ProcessHandle(int pidfd, ProcessIdentity id) : pidfd_(pidfd), id_(id) {}
  int pidfd_ = -1;
  ProcessIdentity id_;
};

// The start time of `pid`, or nullopt when there is no such process.
std::optional<uint64_t> ProcessStartTime(pid_t pid);

}  // namespace sonde::chaos
