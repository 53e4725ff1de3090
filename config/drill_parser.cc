#include "config/drill_parser.h"

#include <algorithm>
#include <map>

#include "config/fault_parser.h"
#include "config/suggest.h"

namespace sonde {
namespace {

std::optional<double> Ratio(TableReader& r, const toml::table& t, std::string_view key) {
  const toml::node* n = r.Get(key);
  if (!n) return std::nullopt;
  std::optional<double> v;
  if (const auto* i = n->as_integer()) v = static_cast<double>(i->get());
  if (const auto* f = n->as_floating_point()) v = f->get();
  if (!v) {
    r.WrongType(*n, key, "a ratio from 0 to 1");
    return std::nullopt;
  }
  if (*v < 0 || *v > 1) {
    r.Error(Where(*t.get(key)), "\"" + std::string(key) + "\" must be a ratio from 0 to 1 (0.99 is 99 %)");
    return std::nullopt;
  }
  return v;
}

}  // namespace

std::vector<DrillSpec> ParseDrills(ParseContext& ctx, const toml::table& drills,
                                   const std::vector<Journey>& journeys, const ChaosConfig& chaos) {
  std::vector<std::string> journey_names;
  for (const Journey& j : journeys) journey_names.push_back(j.name);
  auto check_journey = [&](TableReader& r, const std::string& name, SourceLocation at) {
    if (std::find(journey_names.begin(), journey_names.end(), name) != journey_names.end()) return;
    std::string message = "unknown journey \"" + name + "\"";
    if (auto guess = ClosestMatch(name, journey_names)) message += " (did you mean \"" + *guess + "\"?)";
    r.Error(at, message);
  };
  std::vector<DrillSpec> out;
  for (auto [key, node] : InFileOrder(drills)) {
    const std::string name(key->str());
    const toml::table* table = node->as_table();
    if (!table) {
      ReportAt(ctx, Where(*node), "drill", "\"" + name + "\" must be a table");
      continue;
    }
    const std::string path = "drill." + PathSegment(name);
    TableReader r(ctx, *table, path, "drill \"" + name + "\"",
                  {"journeys", "armed", "seed", "steady_state", "abort_below", "recovery_timeout",
                   "settle", "fault", "expect"});
    DrillSpec d;
    d.name = name;
    d.where = Where(*table);
    d.journeys = r.Strings("journeys", /*required=*/true);
    for (const std::string& j : d.journeys) check_journey(r, j, Where(*table->get("journeys")));
    d.armed = r.Bool("armed").value_or(false);
    if (auto seed = r.Integer("seed")) d.seed = static_cast<uint64_t>(*seed);
    if (const toml::table* steady = r.Table("steady_state")) {
      TableReader sr(ctx, *steady, path + ".steady_state", path + ".steady_state",
                     {"duration", "min_success"});
      if (auto dur = sr.ReadDuration("duration")) d.steady_duration = *dur;
      if (auto min = Ratio(sr, *steady, "min_success")) d.steady_min_success = *min;
    }
    d.abort_below = Ratio(r, *table, "abort_below");
    if (auto t = r.ReadDuration("recovery_timeout")) d.recovery_timeout = *t;
    if (auto t = r.ReadDuration("settle")) d.settle = *t;
    if (const toml::array* faults = r.Array("fault", /*required=*/true)) {
      int i = 0;
      for (const toml::node& f : *faults) {
        const std::string fpath = path + ".fault[" + std::to_string(i++) + "]";
        if (const toml::table* ft = f.as_table()) {
          d.faults.push_back(ParseDrillFault(ctx, *ft, fpath, chaos));
        } else {
          ReportAt(ctx, Where(f), fpath, "must be a table ([[" + path + ".fault]])");
        }
      }
      std::vector<std::string> names;
      for (const DrillFault& f : d.faults) {
        if (std::count(names.begin(), names.end(), f.name)) {
          r.Error(f.where, "two faults named \"" + f.name + "\"");
        }
        names.push_back(f.name);
      }
    }
    if (const toml::array* expects = r.Array("expect")) {
      int i = 0;
      for (const toml::node& e : *expects) {
        const std::string epath = path + ".expect[" + std::to_string(i++) + "]";
        const toml::table* et = e.as_table();
        if (!et) {
          ReportAt(ctx, Where(e), epath, "must be a table ([[" + path + ".expect]])");
          continue;
        }
        TableReader er(ctx, *et, epath, epath,
                       {"journey", "during", "pooled", "min_success", "max_success", "max_p95",
                        "recover_within"});
        DrillExpectation x;
        x.where = Where(*et);
        if (auto j = er.String("journey", /*required=*/true)) {
          x.journey = *j;
          check_journey(er, *j, Where(*et->get("journey")));
          if (std::find(d.journeys.begin(), d.journeys.end(), *j) == d.journeys.end()) {
            er.Error(Where(*et->get("journey")),
                     "journey \"" + *j + "\" is not among the drill's \"journeys\"");
          }
        }
        if (auto during = er.String("during")) {
          if (*during == "settle") {
            x.during = DrillExpectation::Window::kSettle;
          } else if (*during != "faults") {
            er.Error(Where(*et->get("during")),
                     "\"during\" must be \"faults\" or \"settle\", not \"" + *during + "\"");
          }
        }
        x.pooled = er.Bool("pooled").value_or(false);
        x.min_success = Ratio(er, *et, "min_success");
        x.max_success = Ratio(er, *et, "max_success");
        x.max_p95 = er.ReadDuration("max_p95");
        x.recover_within = er.ReadDuration("recover_within");
        if (!x.min_success && !x.max_success && !x.max_p95 && !x.recover_within) {
          er.Error(x.where,
                   "expects nothing: give min_success, max_success, max_p95 or recover_within");
        }
        if (x.min_success && x.max_success && *x.min_success > *x.max_success) {
          er.Error(Where(*et->get("max_success")),
                   "\"max_success\" is below \"min_success\": no ratio can meet both");
        }
        if (x.during == DrillExpectation::Window::kSettle) {
          if (x.recover_within) {
            er.Error(Where(*et->get("recover_within")),
                     "\"recover_within\" is judged after the faults, not in the settle window");
          }
          if (d.settle == Duration::zero()) {
            er.Error(Where(*et->get("during")),
                     "judged in the settle window, but drill \"" + name +
                         "\" has none: give it settle = \"30s\" (for example)");
          }
        }
        d.expect.push_back(std::move(x));
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace sonde
