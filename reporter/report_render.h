// Renders an SlaReport. Renderers only format (see report_format.h); every
// number comes from the report. Output is deterministic for a given report.
#pragma once

#include <boost/json/array.hpp>
#include <string>

#include "reporter/report_format.h"
#include "reporter/sla_report.h"

namespace sonde {

std::string RenderReport(const SlaReport& report, ReportFormat format);

std::string RenderJson(const SlaReport& report);
std::string RenderCsv(const SlaReport& report);
std::string RenderMarkdown(const SlaReport& report);
// One self-contained file: inline CSS and SVG, no scripts, no fetches.
std::string RenderHtml(const SlaReport& report);

// An incident's evidence as the JSON and CSV forms carry it:
// [{"run_id": 17, "started": "2026-11-01T00:10:29Z", "started_us": ...,
//   "values": {"tx_hash": "0x..", "block": "0x1a"}}], runs without values left out.
boost::json::array IncidentEvidenceJson(const Incident& incident);

}  // namespace sonde
