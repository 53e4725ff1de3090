// What a drill did and found, as plain data, and its renderings: JUnit XML
// (one test case per expectation check, so a CI system shows which one
// failed), and a Markdown or HTML report with a timeline of journey outcomes
// and fault windows and each fault's time-to-detect and time-to-recover.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sonde {

struct DrillCheck {
  std::string journey;
  std::string target;    // the target judged; empty when its targets are pooled
  // "min_success", "max_success", "max_p95", "recover_within"; a settle
  // window's checks start "settle." ("settle.min_success").
  std::string name;
  std::string expected;  // "≥ 90.000%"
  std::string observed;  // "83.333% (10 of 12 runs)"
  bool passed = false;
};

struct DrillFaultRecord {
  std::string name, kind, target, description;
  int64_t inject_us = 0;
  std::optional<int64_t> revert_us;       // nullopt: never reverted (a failed revert)
  std::optional<int64_t> detect_us;       // first failed watched run after the inject
  // Each affected (journey, target) succeeded again, in a run started after
  // this fault's revert; nullopt when none was affected or one never did.
  std::optional<int64_t> recovered_us;
  std::string error;                      // the inject or revert failure, if any
  // What it affected: "journey @ target" for every pair with a failed run
  // that ended after the inject and started before the revert.
  std::vector<std::string> affected;
};

struct DrillRun {
  std::string journey, target;
  int64_t started_us = 0, finished_us = 0;
  Outcome outcome = Outcome::kSuccess;
  Reason reason = Reason::kNone;
  std::string failing_step;  // where a failed run failed
};

// A drill's verdict: pending until judged; aborted when it could not run
// its course (a failed preflight, an abort threshold, a failed revert, a
// stop), whatever its checks would have said.
enum class DrillVerdict { kPending, kPass, kFail, kAborted };

// "pass", "fail", "aborted" ("" while pending): as stored, exported and sent.
std::string_view VerdictName(DrillVerdict v);
// The verdict named so, or nullopt for an unknown name.
std::optional<DrillVerdict> VerdictNamed(std::string_view name);
// Exit status for a verdict: 0 pass, 1 fail, 2 aborted (or pending).
int VerdictExitCode(DrillVerdict v);

struct DrillRecord {
  std::string drill;
  uint64_t seed = 0;
  DrillVerdict verdict = DrillVerdict::kPending;
  std::string why;      // for aborted: the reason
  int64_t started_us = 0, hold_start_us = 0, hold_end_us = 0, ended_us = 0;
  // Every watched (journey, target) succeeded again after the last revert.
  std::optional<int64_t> recovered_us;
  // The last fault's actual revert; nullopt when a revert failed or nothing
  // was injected. What recovery is measured from.
  std::optional<int64_t> last_revert_us;
  // The settle window, when the drill has one and got that far (0 if not).
  int64_t settle_start_us = 0, settle_end_us = 0;
  std::vector<DrillFaultRecord> faults;
  std::vector<DrillCheck> checks;
  std::vector<DrillRun> runs;
};

// What a check judged: "journey @ target", or the journey when pooled.
std::string CheckSubject(const DrillCheck& c);

// VerdictExitCode of the record's verdict.
inline int DrillExitCode(const DrillRecord& r) { return VerdictExitCode(r.verdict); }

std::string RenderDrillJUnit(const DrillRecord& r);
std::string RenderDrillMarkdown(const DrillRecord& r);
std::string RenderDrillHtml(const DrillRecord& r);
// HTML when `path` ends in ".html", else Markdown.
std::string RenderDrillReport(const DrillRecord& r, const std::string& path);

}  // namespace sonde
