#include "service/once_table.h"

#include <algorithm>
#include <cstdio>

#include "reporter/run_evidence.h"

namespace sonde {
namespace {

std::string Millis(std::chrono::microseconds us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(us.count()) / 1000.0);
  return buf;
}

std::string PhaseSummary(const JourneyResult& r) {
  HttpPhases sum;
  bool any = false;
  for (const StepResult& s : r.steps) {
    if (!s.has_phases) continue;
    any = true;
    sum.resolve += s.phases.resolve;
    sum.connect += s.phases.connect;
    sum.tls += s.phases.tls;
    sum.processing += s.phases.processing;
    sum.transfer += s.phases.transfer;
  }
  if (!any) return "-";
  return "resolve=" + Millis(sum.resolve) + " connect=" + Millis(sum.connect) +
         " tls=" + Millis(sum.tls) + " processing=" + Millis(sum.processing) +
         " transfer=" + Millis(sum.transfer);
}

// A row's columns padded to `width`, without trailing blanks.
std::string Line(const std::vector<std::string>& row, const std::vector<size_t>& width) {
  std::string line;
  for (size_t i = 0; i < row.size(); ++i) {
    line += row[i];
    if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
  }
  return line + "\n";
}

}  // namespace

std::string FormatOnceTable(const std::vector<JourneyResult>& results) {
  std::vector<std::vector<std::string>> rows = {
      {"JOURNEY", "TARGET", "OUTCOME", "REASON", "STEP", "DURATION_MS", "PHASES_MS"}};
  // Under each row (the header's is empty): its evidence line, if any.
  std::vector<std::string> under = {""};
  for (const JourneyResult& r : results) {
    rows.push_back({r.journey, r.target, std::string(ToString(r.outcome)),
                    r.reason == Reason::kNone ? "-" : std::string(ToString(r.reason)),
                    r.failing_step.empty() ? "-" : r.failing_step,
                    Millis(std::chrono::duration_cast<std::chrono::microseconds>(r.duration)),
                    PhaseSummary(r)});
    const std::string evidence = EvidenceText(BoundEvidence(r.evidence));
    under.push_back(evidence.empty() ? "" : "  evidence: " + evidence + "\n");
  }
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (size_t i = 0; i < rows.size(); ++i) out += Line(rows[i], width) + under[i];
  for (const JourneyResult& r : results) {
    if (!r.detail.empty()) out += r.journey + " @ " + r.target + ": " + r.detail + "\n";
  }
  return out;
}

}  // namespace sonde
