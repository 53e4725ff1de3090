#include "service/status_page.h"

namespace sonde {

std::string_view StatusPageHtml() {
  static constexpr std::string_view kPage = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sonde status</title>
<style>
  :root { --ok:#1a7f37; --warn:#9a6700; --bad:#cf222e; --muted:#57606a; --line:#d0d7de; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1f2328; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 24px 0 8px; }
  .meta { color: var(--muted); font-size: 12px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { font-size: 12px; color: var(--muted); font-weight: 600; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; color: #fff; }
  .success, .OK { background: var(--ok); } .degraded, .WARNING { background: var(--warn); }
  .failed, .BREACHED { background: var(--bad); } .infra_error, .NO_DATA, .none { background: var(--muted); }
  .target { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
  .error { color: var(--bad); }
  nav a { margin-right: 12px; }
</style>
</head>
<body>
<h1>sonde</h1>
<div class="meta"><span id="generated">loading…</span> · refreshes every 10 s ·
<nav style="display:inline"><a href="/metrics">/metrics</a><a href="/api/v1/status">/api/v1/status</a><a href="/api/v1/runs?limit=50">/api/v1/runs</a><a href="/readyz">/readyz</a></nav></div>
<div id="store-error" class="error"></div>
<h2>Journeys</h2>
<table><thead><tr><th>journey</th><th>target</th><th>last</th><th>reason</th><th>finished</th>
<th class="num">success 1h</th><th class="num">success 24h</th><th class="num">p95 1h</th></tr></thead>
<tbody id="journeys"></tbody></table>
<h2>SLOs</h2>
<table><thead><tr><th>SLO</th><th>journey</th><th>kind</th><th class="num">objective</th><th class="num">SLI</th>
<th>status</th><th class="num">budget left</th><th>window</th></tr></thead>
<tbody id="slos"></tbody></table>
<h2>Active faults</h2>
<table><thead><tr><th>drill</th><th>fault</th><th>kind</th><th>target</th><th>since</th></tr></thead>
<tbody id="faults"></tbody></table>
<script>
"use strict";
function cell(text, cls) {
  const td = document.createElement("td");
  if (cls) td.className = cls;
  td.textContent = text;
  return td;
}
function badge(text) {
  const td = document.createElement("td");
  const span = document.createElement("span");
  span.className = "badge " + text;
  span.textContent = text;
  td.appendChild(span);
  return td;
}
function pct(x) { return x === null || x === undefined ? "n/a" : (x * 100).toFixed(3) + "%"; }
function ratio(r) { return r ? pct(r.success_ratio) + " (" + r.total + ")" : "n/a"; }
function secs(s) { return s === null || s === undefined ? "n/a" : s < 10 ? (s * 1000).toFixed(1) + " ms" : s.toFixed(2) + " s"; }
function fill(id, rows, make) {
  const body = document.getElementById(id);
  body.replaceChildren();
  if (!rows.length) {
    const tr = document.createElement("tr");
    const td = cell("none", "meta");
    td.colSpan = 8;
    tr.appendChild(td);
    body.appendChild(tr);
  }
  for (const row of rows) {
    const tr = document.createElement("tr");
    for (const td of make(row)) tr.appendChild(td);
    body.appendChild(tr);
  }
}
async function refresh() {
  try {
    const res = await fetch("/api/v1/status", { cache: "no-store" });
    const s = await res.json();
    document.getElementById("generated").textContent =
      "generated " + s.generated + (s.store_read_at ? " · store read at " + s.store_read_at : "");
    document.getElementById("store-error").textContent = s.store_error || "";
    fill("journeys", s.journeys, j => [
      cell(j.journey), cell(j.target, "target"),
      j.last ? badge(j.last.outcome) : badge("none"),
      cell(j.last && j.last.reason !== "none" ? j.last.reason + (j.last.failing_step ? " @ " + j.last.failing_step : "") : ""),
      cell(j.last ? j.last.finished : ""),
      cell(ratio(j["1h"]), "num"), cell(ratio(j["24h"]), "num"), cell(secs(j.p95_seconds_1h), "num")]);
    fill("slos", s.slos, o => [
      cell(o.name), cell(o.journey), cell(o.kind), cell(pct(o.objective), "num"), cell(pct(o.sli), "num"),
      badge(o.status), cell(pct(o.budget_remaining_ratio), "num"),
      cell(o.window + " (" + o.period.from + " – " + o.period.to + ")")]);
    fill("faults", s.faults, f => [cell(f.drill), cell(f.fault), cell(f.kind), cell(f.target, "target"), cell(f.since)]);
  } catch (e) {
    document.getElementById("store-error").textContent = "cannot load /api/v1/status: " + e;
  }
}
refresh();
setInterval(refresh, 10000);
</script>
</body>
</html>
)html";
  return kPage;
}

}  // namespace sonde
