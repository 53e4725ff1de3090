// What `sonde once` prints: one table row per run (journey, target, outcome,
// reason, step, duration, summed HTTP phases) in the order given, each run
// that kept evidence followed by a line `  evidence: tx_hash=0x.. block=0x1a`
// (run_evidence.h: EvidenceText, within BoundEvidence's limits), then one
// line per run with a detail (`journey @ target: detail`).
//
// Thread-safety: a plain function.
#pragma once

#include <string>
#include <vector>

#include "scenarios/journey_result.h"

namespace sonde {

std::string FormatOnceTable(const std::vector<JourneyResult>& results);

}  // namespace sonde
