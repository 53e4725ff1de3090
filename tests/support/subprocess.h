// Starting the real `sonde` binary from tests: arguments in, exit status and
// captured stdout/stderr out. Output goes to temporary files, not pipes, so a
// chatty child can never block on a full pipe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace sonde::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int term_signal = 0;
  std::string out;
  std::string err;
};

class Subprocess {
 public:
  explicit Subprocess(std::vector<std::string> argv);
  ~Subprocess();  // SIGKILLs the child if it is still running

  void Signal(int signo);
  // Waits up to `timeout`; nullopt (child left running) when it expires.
  std::optional<ProcessResult> Wait(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }
  // What the child has written to stdout / stderr so far.
  std::string StdoutSoFar() const;
  std::string StderrSoFar() const;

 private:
  pid_t pid_ = -1;
  std::string out_path_;
  std::string err_path_;
};

// Runs to completion (bounded by `timeout`; SIGKILL after it).
ProcessResult RunProcess(std::vector<std::string> argv,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace sonde::testing
