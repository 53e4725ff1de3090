// A DrillRecord as JSON and back: what the daemon sends to
// `sonde drill --daemon`, so that the client writes the same JUnit file and
// report a local drill writes. Every field round-trips.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "chaos/drill_report.h"

namespace sonde {

boost::json::value DrillRecordToJson(const DrillRecord& r);

// The record, or nullopt with the first field that is missing or of the
// wrong type named in `error` ("runs[3].outcome: expected one of ...").
std::optional<DrillRecord> DrillRecordFromJson(const boost::json::value& v, std::string* error);

}  // namespace sonde
