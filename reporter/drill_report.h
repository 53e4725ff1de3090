// What a drill did and found, as plain data, and its renderings: JUnit XML
// (one test case per expectation check, so a CI system shows which one
// failed), and a Markdown or HTML report with a timeline of journey outcomes
// and fault windows and each fault's time-to-detect and time-to-recover.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace sonde {

struct DrillCheck {
  std::string journey;
  std::string name;      // "min_success", "max_p95", "recover_within", "steady_state"
  std::string expected;  // "≥ 90.000%"
  std::string observed;  // "83.333% (10 of 12 runs)"
  bool passed = false;
};

struct DrillFaultRecord {
  std::string name, kind, target, description;
  int64_t inject_us = 0;
  std::optional<int64_t> revert_us;       // nullopt: never reverted (a failed revert)
  std::optional<int64_t> detect_us;       // first failed watched run after the inject
  std::optional<int64_t> recovered_us;    // first success of every watched journey after the revert
  std::string error;                      // the inject or revert failure, if any
};

struct DrillRun {
  std::string journey, target;
  int64_t started_us = 0, finished_us = 0;
  Outcome outcome = Outcome::kSuccess;
  Reason reason = Reason::kNone;
};

struct DrillRecord {
  std::string drill;
  uint64_t seed = 0;
  std::string verdict;  // "pass", "fail", "aborted"
  std::string why;      // for aborted: the reason
  int64_t started_us = 0, hold_start_us = 0, hold_end_us = 0, ended_us = 0;
  std::optional<int64_t> recovered_us;  // every watched journey succeeded again
  std::vector<DrillFaultRecord> faults;
  std::vector<DrillCheck> checks;
  std::vector<DrillRun> runs;
};

// Exit status for a verdict: 0 pass, 1 fail, 2 aborted.
int DrillExitCode(const DrillRecord& r);

std::string RenderDrillJUnit(const DrillRecord& r);
std::string RenderDrillMarkdown(const DrillRecord& r);
std::string RenderDrillHtml(const DrillRecord& r);

}  // namespace sonde
