// A drill's plan: every fault with its concrete target (chosen at random
// with the drill's seed when a fault picks k of several targets, so the same
// seed replays the same drill), its offset and duration. Pure: nothing is
// touched here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "chaos/fault.h"
#include "config/model.h"

namespace sonde::chaos {

struct PlannedFault {
  FaultSpec spec;  // target resolved
  Duration at{};
  Duration duration{};
};

struct DrillPlan {
  std::string drill;
  uint64_t seed = 0;
  std::vector<PlannedFault> faults;  // by start offset
  bool destructive = false;          // some fault needs the drill armed
  Duration hold{};                   // from the first inject to the last revert
};

DrillPlan PlanDrill(const DrillSpec& spec, uint64_t seed);

// The plan as text: phases, faults, targets, the seed.
std::string DescribePlan(const DrillSpec& spec, const DrillPlan& plan, const ChaosConfig& chaos);

}  // namespace sonde::chaos
