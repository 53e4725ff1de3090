// The status page served at `/`: one self-contained HTML document (inline
// CSS and script, no external fetch) that loads /api/v1/status and renders
// every journey x target (last outcome, success over 1h and 24h, p95), every
// SLO's budget, and the faults holding now; it refreshes itself every 10 s.
#pragma once

#include <string_view>

namespace sonde {

std::string_view StatusPageHtml();

}  // namespace sonde
