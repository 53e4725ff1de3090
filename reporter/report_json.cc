// The JSON form of an SLA report: the exact values (ratios as fractions,
// durations in seconds, times as RFC 3339 strings and Unix microseconds).
#include <boost/json.hpp>

#include "reporter/json_text.h"
#include "reporter/report_render.h"
#include "reporter/run_evidence.h"
#include "core/version.h"

namespace sonde {
namespace json = boost::json;
namespace {

json::value Optional(std::optional<double> v) { return v ? json::value(*v) : json::value(); }

json::value Seconds(std::optional<int64_t> us) {
  return us ? json::value(static_cast<double>(*us) / 1e6) : json::value();
}

json::object Time(const char* name, int64_t us) {
  return {{name, FormatTimestamp(us)}, {std::string(name) + "_us", us}};
}

void Merge(json::object& into, json::object from) {
  for (auto& [k, v] : from) into[k] = std::move(v);
}

json::object PercentilesJson(const Percentiles& p) {
  return {{"p50", Seconds(p.p50_us)},
          {"p90", Seconds(p.p90_us)},
          {"p95", Seconds(p.p95_us)},
          {"p99", Seconds(p.p99_us)}};
}

}  // namespace

json::array IncidentEvidenceJson(const Incident& i) {
  json::array out;
  for (const IncidentEvidence& e : i.evidence) {
    if (e.values.empty()) continue;
    json::object eo{{"run_id", e.run_id}};
    Merge(eo, Time("started", e.started_us));
    eo["values"] = EvidenceObject(e.values);
    out.push_back(std::move(eo));
  }
  return out;
}

namespace {

json::object SloJson(const SloReport& s) {
  json::object o;
  o["name"] = s.spec.name;
  o["journey"] = s.spec.journey;
  o["kind"] = KindName(s.spec.kind);
  o["objective"] = ObjectiveRatio(s.spec);
  o["target"] = s.spec.target.empty() ? json::value() : json::value(s.spec.target);
  o["location"] = s.spec.location.empty() ? json::value() : json::value(s.spec.location);
  o["threshold_seconds"] = s.spec.threshold ? json::value(ToSeconds(*s.spec.threshold)) : json::value();
  o["runs"] = {{"good", s.good},
               {"bad", s.bad},
               {"total", s.total},
               {"excluded",
                {{"infra_error", s.excluded_infra},
                 {"maintenance", s.excluded_maintenance},
                 {"drill", s.excluded_drill}}}};
  o["sli"] = Optional(s.sli);
  o["met"] = s.met;
  o["status"] = ToString(s.status);
  const ErrorBudget& b = s.budget;
  o["error_budget"] = {{"allowed_runs", b.allowed_runs},
                       {"consumed_runs", b.consumed_runs},
                       {"remaining_runs", b.remaining_runs},
                       {"remaining_ratio", Optional(b.remaining_ratio)},
                       {"period_minutes", b.period_minutes},
                       {"minutes_with_data", b.minutes_with_data},
                       {"allowed_down_minutes", b.allowed_down_minutes},
                       {"down_minutes", b.down_minutes},
                       {"remaining_down_minutes", b.remaining_down_minutes}};
  o["latency_seconds"] = PercentilesJson(s.latency);
  o["under_threshold"] = Optional(s.under_threshold);
  json::array incidents;
  for (const Incident& i : s.incidents) {
    json::object io;
    io["target"] = i.target;
    Merge(io, Time("start", i.start_us));
    Merge(io, Time("end", i.end_us));
    io["duration_seconds"] = static_cast<double>(i.end_us - i.start_us) / 1e6;
    io["runs"] = i.runs;
    io["reason"] = i.reason;
    io["step"] = i.step;
    io["ongoing"] = i.ongoing;
    json::array faults;
    for (size_t f : i.fault_windows) faults.push_back(f);
    io["fault_windows"] = std::move(faults);
    io["evidence"] = IncidentEvidenceJson(i);
    incidents.push_back(std::move(io));
  }
  o["incidents"] = std::move(incidents);
  json::array daily;
  for (const DailyRow& d : s.daily) {
    daily.push_back({{"day", d.day},
                     {"good", d.good},
                     {"bad", d.bad},
                     {"total", d.total},
                     {"sli", Optional(d.sli)},
                     {"latency_seconds", PercentilesJson(d.latency)}});
  }
  o["daily"] = std::move(daily);
  return o;
}

}  // namespace

std::string RenderJson(const SlaReport& r) {
  json::object o;
  o["kind"] = "sonde.sla_report";
  o["format_version"] = 1;
  o["sonde_version"] = kVersion;
  Merge(o, Time("generated", r.generated_us));
  json::object period;
  Merge(period, Time("from", r.period.from_us));
  Merge(period, Time("to", r.period.to_us));
  o["period"] = std::move(period);
  o["config"] = r.config_source;
  o["location"] = r.location.empty() ? json::value() : json::value(r.location);
  o["drills_excluded"] = r.drills_excluded;
  json::array slos;
  for (const SloReport& s : r.slos) slos.push_back(SloJson(s));
  o["slos"] = std::move(slos);
  json::array faults;
  for (const FaultWindow& f : r.fault_windows) {
    json::object fo{{"drill", f.drill}, {"fault", f.fault}, {"kind", f.kind}, {"target", f.target}};
    Merge(fo, Time("start", f.start_us));
    if (f.end_us) {
      Merge(fo, Time("end", *f.end_us));
    } else {
      fo["end"] = nullptr;
      fo["end_us"] = nullptr;
    }
    faults.push_back(std::move(fo));
  }
  o["fault_windows"] = std::move(faults);
  json::array drills;
  for (const DrillWindow& d : r.drills) {
    json::object dobj{{"drill", d.drill}, {"verdict", d.verdict}};
    Merge(dobj, Time("start", d.start_us));
    if (d.end_us) {
      Merge(dobj, Time("end", *d.end_us));
    } else {
      dobj["end"] = nullptr;
      dobj["end_us"] = nullptr;
    }
    dobj["seed"] = d.seed ? json::value(*d.seed) : json::value();
    drills.push_back(std::move(dobj));
  }
  o["drills"] = std::move(drills);
  return PrettyJson(o);
}

}  // namespace sonde
