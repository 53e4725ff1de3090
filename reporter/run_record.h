// A finished run as the result store keeps it: times in Unix microseconds,
// the per-step results as a JSON array (name, duration, failure, status,
// HTTP phases, retries, polls, blocks, rpc error code, participants...),
// the evidence within its limits (run_evidence.h: BoundEvidence).
#pragma once

#include <string>

#include "reporter/store_records.h"
#include "scenarios/journey_result.h"

namespace sonde {

RunRecord ToRunRecord(const JourneyResult& result, const std::string& location);

}  // namespace sonde
