// `sonde alert-receiver`: a small Alertmanager webhook receiver, so demos and
// end-to-end tests can see alerts arrive (CommandAlertReceiver in
// commands.h runs it; net/http_server.h serves).
//
//   GET /api/v1/notifications   the last 1000 notifications, oldest first, as
//                               a JSON array of {"received_at", "payload"}
//   GET /healthz                200
//   POST (any other path)       an Alertmanager webhook payload (version "4"):
//                               one line per alert on stdout, 200; with --log,
//                               one JSON line per notification appended to the
//                               file: {"received_at": RFC3339 ms UTC, "payload"}
// A body that is not such a payload gets 400 {"error": "..."} naming the
// field (also one line on stderr) and is neither printed nor kept; another
// method on a path gets 405; a body over 4 MiB gets 413.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace sonde {

// Checks what the receiver needs of a payload: an object with an "alerts"
// array whose every entry has a "status" of "firing" or "resolved" and a
// "labels" object of strings. Returns "" when it is fine, else what is wrong,
// naming the field: "alerts[2].labels: expected an object".
std::string CheckAlertPayload(const boost::json::value& payload);

// The stdout lines for a checked payload, one per alert, each ending in '\n':
//   RECEIVED_AT FIRING   NAME severity=.. slo=.. journey=.. k=v.. (receiver R, since S)
// RESOLVED alerts add ", ended E". The alertname label comes first as a bare
// value, then severity, slo and journey, then the other labels sorted by
// name; a value with spaces, quotes or '=' (or an empty one) is quoted.
std::string FormatAlertLines(const boost::json::object& payload, std::string_view received_at);

}  // namespace sonde
