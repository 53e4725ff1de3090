// kill: a signal (default SIGKILL) to the target's process, found by its
// pidfile and held by a pidfd from planning on, so a PID recycled in between
// is never hit. The revert starts the target again with its `restart`
// command; without one there is nothing to undo, and the plan says so.
#include <csignal>
#include <cstring>
#include <memory>

#include "chaos/fault.h"
#include "chaos/process.h"

namespace sonde::chaos {

Planned PlanKill(const std::string& fault, const KillFault& kill, const ChaosTarget& target) {
  if (target.pidfile.empty()) {
    return "fault \"" + fault + "\": target \"" + target.name + "\" has no pidfile to kill by";
  }
  auto opened = ProcessHandle::FromPidfile(target.pidfile);
  if (auto* why = std::get_if<std::string>(&opened)) return "fault \"" + fault + "\": " + *why;
  auto process = std::make_shared<ProcessHandle>(std::move(std::get<ProcessHandle>(opened)));
  FaultAction action;
  const char* name = sigabbrev_np(kill.signal);
  action.description = std::string("SIG") + (name ? name : std::to_string(kill.signal).c_str()) +
                       " to " + target.name + " (pid " + std::to_string(process->identity().pid) +
                       ")";
  action.inject = [process, signo = kill.signal] { return process->Signal(signo); };
  if (target.restart.empty()) {
    action.revert = {{"action", "none"},
                     {"why", "target \"" + target.name + "\" declares no restart command"}};
  } else {
    action.revert = {{"action", "restart"}, {"command", target.restart}};
  }
  return action;
}

}  // namespace sonde::chaos
