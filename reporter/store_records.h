// The rows of the result store, as plain values. Times are Unix
// microseconds (UTC), durations microseconds: what the store keeps, exactly,
// so that a row read back hashes as it did when written.
//
// Faults and drills are stored as events (an inject and its revert, a drill's
// start and end) rather than as rows updated later: every table is
// append-only, which is what lets one hash chain cover it, and a crash in
// the middle of a fault still leaves its start on record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace sonde {

struct RunRecord {
  int64_t id = 0;  // assigned by the store
  std::string journey;
  std::string target;
  std::string location;
  int64_t started_us = 0;
  int64_t duration_us = 0;
  int64_t finished_us = 0;  // started_us + duration_us: a run belongs to the period it ended in
  Outcome outcome = Outcome::kSuccess;
  Reason reason = Reason::kNone;
  std::string failing_step;
  std::string detail;
  bool maintenance = false;
  std::string steps_json;         // per-step timings and results, a JSON array
  std::optional<int64_t> blocks;  // blocks waited for a confirmation, where known
  // What an auditor looks the run up by (tx hash, block, signature...), in
  // the order declared; within BoundEvidence's limits (run_evidence.h).
  std::vector<std::pair<std::string, std::string>> evidence;
};

enum class FaultEventKind { kInject, kRevert };

struct FaultEvent {
  int64_t id = 0;
  int64_t at_us = 0;
  FaultEventKind event = FaultEventKind::kInject;
  std::string drill;  // empty for faults outside a drill
  std::string fault;  // the fault's name in its drill or chaos menu
  std::string kind;   // kill, pause, partition, latency, ...
  std::string target;
  std::string detail;
};

enum class DrillEventKind { kStart, kEnd };

struct DrillEvent {
  int64_t id = 0;
  int64_t at_us = 0;
  DrillEventKind event = DrillEventKind::kStart;
  std::string drill;
  std::string verdict;  // on kEnd: pass, fail, aborted
  std::optional<int64_t> seed;
  std::string detail;
};

// A fault from inject to revert, as reports and the status page see it.
struct FaultWindow {
  std::string drill, fault, kind, target;
  int64_t start_us = 0;
  std::optional<int64_t> end_us;  // nullopt: not reverted (yet, or ever)
};

// A drill from start to end.
struct DrillWindow {
  std::string drill;
  int64_t start_us = 0;
  std::optional<int64_t> end_us;
  std::string verdict;
  std::optional<int64_t> seed;
};

}  // namespace sonde
