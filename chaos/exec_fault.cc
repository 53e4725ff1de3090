// exec: for systems sonde has no kind for (kubectl with Chaos Mesh
// manifests, systemctl, ssh): an inject command and the command that undoes
// it, both run with /bin/sh -c.
#include "chaos/fault.h"
#include "chaos/revert.h"

namespace sonde::chaos {

Planned PlanExec(const std::string& fault, const ExecFault& exec, const ChaosTarget& target) {
  if (exec.command.empty() || exec.revert_command.empty()) {
    return "fault \"" + fault + "\": exec needs both an inject and a revert command";
  }
  FaultAction action;
  action.description = "`" + exec.command + "` on " + target.name;
  action.inject = [command = exec.command] { return RunShell(command); };
  action.revert = {{"action", "exec"}, {"command", exec.revert_command}};
  return action;
}

}  // namespace sonde::chaos
