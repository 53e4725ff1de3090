// Reads what a report over a period needs from the result store and builds
// it, then fetches the evidence its incidents show (by run id: a few rows,
// not a column of every run). The period names the runs that finished in
// [from, to).
#pragma once

#include "config/model.h"
#include "reporter/result_store.h"
#include "reporter/sla_report.h"

namespace sonde {

SlaReport ReportFromStore(ResultStore& store, const Config& config, const ReportPeriod& period,
                          bool exclude_drills, int64_t now_us);

// One SLO over `period` counted by the store (ResultStore::CountRuns):
// good, bad, the exclusions and JudgeCounts' judgement — the numbers a
// report over the same period shows, without latency percentiles, down
// minutes, incidents or daily rows, and in memory that does not grow with
// the window. What the status page and the chaos schedule's budget guard
// read every few seconds. (No drill is excluded.)
SloReport CountSloInStore(ResultStore& store, const SloSpec& slo, const ReportPeriod& period);

// When a report's --from/--to names a time: "2026-11-21" (midnight UTC; as
// --to, the end of that day), "2026-11-21T10:00:00Z" (or with +hh:mm),
// "now", or an offset back from now such as "-24h" or "-30d". The reason in
// `error` when not.
std::optional<int64_t> ParseReportTime(std::string_view text, int64_t now_us, bool end_of_day,
                                       std::string* error);

}  // namespace sonde
