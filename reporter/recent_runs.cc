#include "reporter/recent_runs.h"

#include <algorithm>
#include <boost/json.hpp>

#include "reporter/json_text.h"
#include "reporter/report_format.h"
#include "reporter/run_evidence.h"
#include "reporter/run_record.h"

namespace sonde {

RecentRuns::RecentRuns(std::string location, Limits limits)
    : location_(std::move(location)), limits_(limits) {}

void RecentRuns::OnRunFinished(const JourneyResult& result) {
  Rings& rings = runs_[{result.journey, result.target}];
  const bool success = result.outcome == Outcome::kSuccess;
  std::deque<RunRecord>& ring = success ? rings.successes : rings.failures;
  const size_t limit = success ? limits_.successes : limits_.failures;
  ring.push_back(ToRunRecord(result, location_));
  // Pointers into a deque survive push_back/pop_front of other elements.
  rings.last = &ring.back();
  while (ring.size() > limit) ring.pop_front();
}

std::vector<RunRecord> RecentRuns::Latest(const std::string& journey, size_t limit,
                                          std::optional<int64_t> before_us) const {
  std::vector<const RunRecord*> found;
  for (const auto& [key, rings] : runs_) {
    if (!journey.empty() && key.first != journey) continue;
    for (const auto* ring : {&rings.successes, &rings.failures}) {
      for (const RunRecord& r : *ring) {
        if (!before_us || r.finished_us < *before_us) found.push_back(&r);
      }
    }
  }
  const size_t n = std::min(limit, found.size());
  std::partial_sort(found.begin(), found.begin() + n, found.end(),
                    [](const RunRecord* a, const RunRecord* b) { return a->finished_us > b->finished_us; });
  std::vector<RunRecord> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(*found[i]);
  return out;
}

std::vector<const RunRecord*> RecentRuns::LastOfEach() const {
  std::vector<const RunRecord*> out;
  for (const auto& [key, rings] : runs_) {
    if (rings.last) out.push_back(rings.last);
  }
  return out;
}

std::string RecentRunsJson(const std::vector<RunRecord>& runs, size_t limit, size_t max_bytes) {
  boost::json::array list;
  size_t bytes = 0;
  std::optional<int64_t> next;
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunRecord& r = runs[i];
    if (i == limit || (i > 0 && bytes >= max_bytes)) {
      next = runs[i - 1].finished_us;
      break;
    }
    boost::system::error_code ec;
    boost::json::value steps = boost::json::parse(r.steps_json, ec);
    if (ec) steps = boost::json::array();
    boost::json::object run{{"journey", r.journey},
                            {"target", r.target},
                            {"outcome", ToString(r.outcome)},
                            {"reason", ToString(r.reason)},
                            {"failing_step", r.failing_step},
                            {"detail", r.detail},
                            {"started", FormatTimestamp(r.started_us)},
                            {"started_us", r.started_us},
                            {"finished_us", r.finished_us},
                            {"duration_seconds", static_cast<double>(r.duration_us) / 1e6},
                            {"maintenance", r.maintenance},
                            {"blocks", r.blocks ? boost::json::value(*r.blocks) : boost::json::value()},
                            {"evidence", EvidenceObject(r.evidence)},
                            {"steps", std::move(steps)}};
    // The stored steps and the detail are most of a run's size.
    bytes += r.steps_json.size() + r.detail.size() + 256;
    list.push_back(std::move(run));
  }
  return PrettyJson(boost::json::object{
      {"runs", std::move(list)},
      {"next_before_us", next ? boost::json::value(*next) : boost::json::value()}});
}

}  // namespace sonde
