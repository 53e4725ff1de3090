// Judging a drill from what was recorded: the runs of the watched journeys
// and when each fault held. "During the faults" is every run that started
// between the first inject and the last revert — it met the faults, even if
// it ended after the revert; a run started before the inject did not, even
// if it ended after it. A journey has recovered at
// the finish of its first successful run started after the last revert.
// Fills the checks (one per expectation and measure), each fault's
// time-to-detect (the first failed watched run after its inject) and
// time-to-recover (every watched journey succeeding again after its revert),
// and the verdict (pass iff every check passed; an aborted drill stays
// aborted).
#pragma once

#include "config/model.h"
#include "reporter/drill_report.h"

namespace sonde::chaos {

void JudgeDrill(const DrillSpec& spec, DrillRecord& record);

}  // namespace sonde::chaos
