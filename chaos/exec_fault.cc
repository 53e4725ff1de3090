// exec: for systems sonde has no kind for (kubectl with Chaos Mesh
// manifests, systemctl, ssh): an inject command and the command that undoes
// it, both run with /bin/sh -c.
#include "chaos/fault.h"
#include "chaos/revert.h"

namespace sonde::chaos {

Planned PlanExec(const FaultSpec& spec, const ChaosTarget& target) {
  if (spec.inject_command.empty() || spec.revert_command.empty()) {
    return "fault \"" + spec.name + "\": exec needs both an inject and a revert command";
  }
  FaultAction action;
  action.description = "`" + spec.inject_command + "` on " + target.name;
  action.inject = [command = spec.inject_command] { return RunShell(command); };
  action.revert = {{"action", "exec"}, {"command", spec.revert_command}};
  return action;
}

}  // namespace sonde::chaos
