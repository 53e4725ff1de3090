// pause: SIGSTOP to the target's process (through a pidfd); the revert is a
// SIGCONT to that same process, checked by PID and start time, so a heal
// long after a crash cannot resume a stranger.
#include <csignal>
#include <memory>

#include "chaos/fault.h"
#include "chaos/process.h"

namespace sonde::chaos {

Planned PlanPause(const std::string& fault, const PauseFault&, const ChaosTarget& target) {
  if (target.pidfile.empty()) {
    return "fault \"" + fault + "\": target \"" + target.name + "\" has no pidfile to pause by";
  }
  auto opened = ProcessHandle::FromPidfile(target.pidfile);
  if (auto* why = std::get_if<std::string>(&opened)) return "fault \"" + fault + "\": " + *why;
  auto process = std::make_shared<ProcessHandle>(std::move(std::get<ProcessHandle>(opened)));
  FaultAction action;
  action.description =
      "SIGSTOP to " + target.name + " (pid " + std::to_string(process->identity().pid) + ")";
  action.inject = [process] { return process->Signal(SIGSTOP); };
  action.revert = {{"action", "signal"},
                   {"pid", process->identity().pid},
                   {"start_time", process->identity().start_time},
                   {"signal", SIGCONT}};
  return action;
}

}  // namespace sonde::chaos
