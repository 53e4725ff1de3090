#include "chaos/drill_record_json.h"

#include <boost/json.hpp>
#include <stdexcept>

namespace sonde {
namespace json = boost::json;
namespace {

json::value Optional(const std::optional<int64_t>& v) { return v ? json::value(*v) : json::value(); }

json::array Strings(const std::vector<std::string>& items) {
  json::array out;
  for (const std::string& s : items) out.push_back(json::string(s));
  return out;
}

// Reading: each accessor names the field it failed on, by its path.
struct BadField : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const json::value& Field(const json::value& v, const std::string& path, std::string_view key) {
  const json::object* o = v.if_object();
  if (!o) throw BadField(path + ": expected an object");
  const json::value* f = o->if_contains(key);
  if (!f) throw BadField(path + "." + std::string(key) + ": missing");
  return *f;
}

std::string Str(const json::value& v, const std::string& path, std::string_view key) {
  const json::value& f = Field(v, path, key);
  if (!f.is_string()) throw BadField(path + "." + std::string(key) + ": expected a string");
  return std::string(f.as_string());
}

int64_t Int(const json::value& v, const std::string& path, std::string_view key) {
  const json::value& f = Field(v, path, key);
  if (f.is_int64()) return f.as_int64();
  if (f.is_uint64() && f.as_uint64() <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(f.as_uint64());
  throw BadField(path + "." + std::string(key) + ": expected an integer");
}

std::optional<int64_t> OptInt(const json::value& v, const std::string& path, std::string_view key) {
  if (Field(v, path, key).is_null()) return std::nullopt;
  return Int(v, path, key);
}

bool Bool(const json::value& v, const std::string& path, std::string_view key) {
  const json::value& f = Field(v, path, key);
  if (!f.is_bool()) throw BadField(path + "." + std::string(key) + ": expected true or false");
  return f.as_bool();
}

const json::array& Array(const json::value& v, const std::string& path, std::string_view key) {
  const json::value& f = Field(v, path, key);
  if (!f.is_array()) throw BadField(path + "." + std::string(key) + ": expected an array");
  return f.as_array();
}

std::vector<std::string> StringList(const json::value& v, const std::string& path, std::string_view key) {
  std::vector<std::string> out;
  for (const json::value& s : Array(v, path, key)) {
    if (!s.is_string()) throw BadField(path + "." + std::string(key) + ": expected strings");
    out.emplace_back(s.as_string());
  }
  return out;
}

std::string Item(const std::string& path, std::string_view key, size_t i) {
  return path + "." + std::string(key) + "[" + std::to_string(i) + "]";
}

}  // namespace

json::value DrillRecordToJson(const DrillRecord& r) {
  json::array checks, faults, runs;
  for (const DrillCheck& c : r.checks) {
    checks.push_back({{"journey", c.journey},
                      {"target", c.target},
                      {"check", c.name},
                      {"expected", c.expected},
                      {"observed", c.observed},
                      {"passed", c.passed}});
  }
  for (const DrillFaultRecord& f : r.faults) {
    faults.push_back({{"name", f.name},
                      {"kind", f.kind},
                      {"target", f.target},
                      {"description", f.description},
                      {"inject_us", f.inject_us},
                      {"revert_us", Optional(f.revert_us)},
                      {"detect_us", Optional(f.detect_us)},
                      {"recovered_us", Optional(f.recovered_us)},
                      {"error", f.error},
                      {"affected", Strings(f.affected)}});
  }
  for (const DrillRun& run : r.runs) {
    runs.push_back({{"journey", run.journey},
                    {"target", run.target},
                    {"started_us", run.started_us},
                    {"finished_us", run.finished_us},
                    {"outcome", ToString(run.outcome)},
                    {"reason", ToString(run.reason)},
                    {"failing_step", run.failing_step}});
  }
  return {{"drill", r.drill},
          {"seed", r.seed},
          {"verdict", VerdictName(r.verdict)},
          {"why", r.why},
          {"started_us", r.started_us},
          {"hold_start_us", r.hold_start_us},
          {"hold_end_us", r.hold_end_us},
          {"ended_us", r.ended_us},
          {"recovered_us", Optional(r.recovered_us)},
          {"last_revert_us", Optional(r.last_revert_us)},
          {"settle_start_us", r.settle_start_us},
          {"settle_end_us", r.settle_end_us},
          {"checks", std::move(checks)},
          {"faults", std::move(faults)},
          {"runs", std::move(runs)}};
}

std::optional<DrillRecord> DrillRecordFromJson(const json::value& v, std::string* error) {
  const std::string root = "record";
  try {
    DrillRecord r;
    r.drill = Str(v, root, "drill");
    const json::value& seed = Field(v, root, "seed");
    if (!seed.is_uint64() && !(seed.is_int64() && seed.as_int64() >= 0)) {
      throw BadField(root + ".seed: expected an unsigned integer");
    }
    r.seed = seed.is_uint64() ? seed.as_uint64() : static_cast<uint64_t>(seed.as_int64());
    const std::string verdict = Str(v, root, "verdict");
    if (auto named = VerdictNamed(verdict)) {
      r.verdict = *named;
    } else {
      throw BadField(root + ".verdict: \"" + verdict + "\" is not pass, fail or aborted");
    }
    r.why = Str(v, root, "why");
    r.started_us = Int(v, root, "started_us");
    r.hold_start_us = Int(v, root, "hold_start_us");
    r.hold_end_us = Int(v, root, "hold_end_us");
    r.ended_us = Int(v, root, "ended_us");
    r.recovered_us = OptInt(v, root, "recovered_us");
    r.last_revert_us = OptInt(v, root, "last_revert_us");
    r.settle_start_us = Int(v, root, "settle_start_us");
    r.settle_end_us = Int(v, root, "settle_end_us");
    const json::array& checks = Array(v, root, "checks");
    for (size_t i = 0; i < checks.size(); ++i) {
      const std::string p = Item(root, "checks", i);
      r.checks.push_back({Str(checks[i], p, "journey"), Str(checks[i], p, "target"),
                          Str(checks[i], p, "check"), Str(checks[i], p, "expected"),
                          Str(checks[i], p, "observed"), Bool(checks[i], p, "passed")});
    }
    const json::array& faults = Array(v, root, "faults");
    for (size_t i = 0; i < faults.size(); ++i) {
      const std::string p = Item(root, "faults", i);
      const json::value& f = faults[i];
      r.faults.push_back({Str(f, p, "name"), Str(f, p, "kind"), Str(f, p, "target"),
                          Str(f, p, "description"), Int(f, p, "inject_us"), OptInt(f, p, "revert_us"),
                          OptInt(f, p, "detect_us"), OptInt(f, p, "recovered_us"),
                          Str(f, p, "error"), StringList(f, p, "affected")});
    }
    const json::array& runs = Array(v, root, "runs");
    for (size_t i = 0; i < runs.size(); ++i) {
      const std::string p = Item(root, "runs", i);
      const json::value& run = runs[i];
      const auto outcome = OutcomeFromString(Str(run, p, "outcome"));
      if (!outcome) throw BadField(p + ".outcome: not an outcome sonde knows");
      const auto reason = ReasonFromString(Str(run, p, "reason"));
      if (!reason) throw BadField(p + ".reason: not a reason sonde knows");
      r.runs.push_back({Str(run, p, "journey"), Str(run, p, "target"), Int(run, p, "started_us"),
                        Int(run, p, "finished_us"), *outcome, *reason, Str(run, p, "failing_step")});
    }
    return r;
  } catch (const BadField& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

}  // namespace sonde
