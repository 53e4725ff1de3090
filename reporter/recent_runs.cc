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

std::vector<const RunRecord*> RecentRuns::Latest(const std::string& journey, size_t limit) const {
  std::vector<const RunRecord*> out;
  for (const auto& [key, rings] : runs_) {
    if (!journey.empty() && key.first != journey) continue;
    for (const RunRecord& r : rings.successes) out.push_back(&r);
    for (const RunRecord& r : rings.failures) out.push_back(&r);
  }
  std::sort(out.begin(), out.end(), [](const RunRecord* a, const RunRecord* b) {
    return a->finished_us > b->finished_us;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<const RunRecord*> RecentRuns::LastOfEach() const {
  std::vector<const RunRecord*> out;
  for (const auto& [key, rings] : runs_) {
    if (rings.last) out.push_back(rings.last);
  }
  return out;
}

std::string RecentRunsJson(const std::vector<const RunRecord*>& runs) {
  boost::json::array list;
  for (const RunRecord* r : runs) {
    boost::system::error_code ec;
    boost::json::value steps = boost::json::parse(r->steps_json, ec);
    if (ec) steps = boost::json::array();
    list.push_back({{"journey", r->journey},
                    {"target", r->target},
                    {"outcome", ToString(r->outcome)},
                    {"reason", ToString(r->reason)},
                    {"failing_step", r->failing_step},
                    {"detail", r->detail},
                    {"started", FormatTimestamp(r->started_us)},
                    {"started_us", r->started_us},
                    {"duration_seconds", static_cast<double>(r->duration_us) / 1e6},
                    {"maintenance", r->maintenance},
                    {"blocks", r->blocks ? boost::json::value(*r->blocks) : boost::json::value()},
                    {"evidence", EvidenceObject(r->evidence)},
                    {"steps", std::move(steps)}});
  }
  return PrettyJson(boost::json::object{{"runs", std::move(list)}});
}

}  // namespace sonde
