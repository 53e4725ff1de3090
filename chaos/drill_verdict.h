// Judging a drill from what was recorded: the runs of the watched journeys
// and when each fault held.
//
// - "During the faults" is every run that started between the first inject
//   and the last revert — it met the faults, even if it ended after the
//   revert; a run started before the inject did not, even if it ended after
//   it. The settle window is the runs started in it.
// - Expectations are judged for each (journey, target) the drill saw,
//   unless pooled: then over all the journey's targets together.
// - Recovery is measured from the last fault's actual revert: a target has
//   recovered at the finish of its first successful run started after it.
// - Each fault's time-to-detect is its first failed watched run that ended
//   after its inject; its time-to-recover counts only what it affected
//   (the pairs with a failed run that ended after the inject and started
//   before the revert), from its own revert.
//
// Fills the checks (one per expectation, measure and judged target), the
// faults' detection, recovery and affected pairs, the drill's recovery,
// and the verdict (pass iff every check passed; an aborted drill stays
// aborted).
#pragma once

#include "config/model.h"
#include "chaos/drill_report.h"

namespace sonde::chaos {

void JudgeDrill(const DrillSpec& spec, DrillRecord& record);

// When every (journey, target) the network answered for (some run not
// infra_error: one seen only as infra_error, sonde's own side, is not
// waited for) had succeeded again in a run started at or after `since`:
// the latest of those first successes; nullopt until all have. The drill's
// recovery, both while it waits and in its verdict.
std::optional<int64_t> RecoveredAt(const std::vector<DrillRun>& runs, int64_t since);

}  // namespace sonde::chaos
