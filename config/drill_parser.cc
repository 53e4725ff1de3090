#include "config/drill_parser.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <map>

#include "config/suggest.h"

namespace sonde {
namespace {

// "SIGKILL", "KILL", "TERM", 9 ...
std::optional<int> SignalNumber(const toml::node& node) {
  if (const auto* i = node.as_integer()) {
    if (i->get() >= 1 && i->get() <= 64) return static_cast<int>(i->get());
    return std::nullopt;
  }
  const auto* s = node.as_string();
  if (!s) return std::nullopt;
  std::string name = s->get();
  if (name.rfind("SIG", 0) == 0) name = name.substr(3);
  for (int signo = 1; signo < 32; ++signo) {
    const char* abbrev = sigabbrev_np(signo);
    if (abbrev && name == abbrev) return signo;
  }
  return std::nullopt;
}

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

std::vector<std::string> Strings(TableReader& r, std::string_view key, bool required) {
  std::vector<std::string> out;
  const toml::node* n = r.Get(key, required);
  if (!n) return out;
  if (const auto* s = n->as_string()) {
    out.push_back(s->get());
    return out;
  }
  const auto* a = n->as_array();
  if (!a) {
    r.WrongType(*n, key, "a string or an array of strings");
    return out;
  }
  for (const toml::node& e : *a) {
    if (const auto* s = e.as_string()) {
      out.push_back(s->get());
    } else {
      r.Error(Where(e), "\"" + std::string(key) + "\" must hold strings");
    }
  }
  return out;
}

}  // namespace

DrillFault ParseDrillFault(ParseContext& ctx, const toml::table& t, const std::string& path,
                           const ChaosConfig& chaos) {
  TableReader r(ctx, t, path, path,
                {"name", "kind", "target", "targets", "groups", "shape", "backend", "links", "stream",
                 "toxicity",
                 "attributes", "pick", "at", "duration", "signal", "command", "revert_command",
                 "request", "revert_request"});
  DrillFault f;
  f.where = Where(t);
  f.name = r.String("name", /*required=*/true).value_or("");
  if (auto kind = r.String("kind", /*required=*/true)) {
    static const std::vector<std::string> kKinds = {"kill",      "pause",     "exec",
                                                    "http",      "partition", "latency",
                                                    "bandwidth", "blackhole", "reset_peer",
                                                    "slicer",    "limit_data"};
    if (std::find(kKinds.begin(), kKinds.end(), *kind) == kKinds.end()) {
      std::string message = "unknown fault kind \"" + *kind +
                            "\" (kill, pause, exec, http, partition, latency, bandwidth, blackhole, "
                            "reset_peer, slicer, limit_data)";
      if (auto guess = ClosestMatch(*kind, kKinds)) message += "; did you mean \"" + *guess + "\"?";
      r.Error(Where(*t.get("kind")), message);
    }
    f.kind = *kind;
  }
  if (t.get("target") && t.get("targets")) {
    r.Error(Where(*t.get("targets")), "give \"target\" or \"targets\", not both");
  }
  if (f.kind == "partition") {
    // groups = [["node1", "node2", "node3"], ["node4", "node5"]]: every
    // target in them is a target of the fault. Or a named shape over
    // `targets`.
    if (auto shape = r.String("shape")) {
      static const std::map<std::string, size_t> kMinimum = {
          {"isolate", 2}, {"majority_minority", 3}, {"bridge", 3}, {"ring", 4}};
      auto it = kMinimum.find(*shape);
      f.targets = Strings(r, "targets", /*required=*/true);
      if (it == kMinimum.end()) {
        r.Error(Where(*t.get("shape")), "unknown shape \"" + *shape +
                                            "\" (isolate, majority_minority, bridge, ring)");
      } else if (f.targets.size() < it->second) {
        r.Error(Where(*t.get("shape")), "shape \"" + *shape + "\" needs at least " +
                                            std::to_string(it->second) + " targets");
      }
      if (t.get("groups")) r.Error(Where(*t.get("groups")), "give \"groups\" or \"shape\", not both");
      f.shape = *shape;
    } else if (const toml::array* groups = r.Array("groups", /*required=*/true)) {
      for (const toml::node& g : *groups) {
        const toml::array* members = g.as_array();
        if (!members || members->empty()) {
          r.Error(Where(g), "each of \"groups\" must be a non-empty array of target names");
          continue;
        }
        std::vector<std::string> group;
        for (const toml::node& m : *members) {
          if (const auto* name = m.as_string()) group.push_back(name->get());
        }
        f.groups.push_back(group);
        f.targets.insert(f.targets.end(), group.begin(), group.end());
      }
      if (f.groups.size() < 2) r.Error(Where(*t.get("groups")), "a partition needs at least two groups");
    }
    if (auto backend = r.String("backend")) {
      if (*backend != "proxy" && *backend != "nftables") {
        r.Error(Where(*t.get("backend")), "\"backend\" must be proxy or nftables");
      }
      f.backend = *backend;
    }
    if (f.backend == "proxy" && chaos.proxy_api.empty()) {
      r.Error(f.where, "a partition needs [chaos] proxy_api (the fault proxy's control API)");
    }
    if (f.backend == "nftables") {
      for (const std::string& target : f.targets) {
        auto it = chaos.targets.find(target);
        if (it != chaos.targets.end() && it->second.address.empty()) {
          r.Error(f.where, "an nftables partition needs an \"address\" on chaos target \"" + target + "\"");
        }
      }
    }
  } else if (IsLinkKind(f.kind)) {
    // links = ["node1_to_node3", ...]: both ends must be declared targets.
    f.links = Strings(r, "links", /*required=*/true);
    for (const std::string& link : f.links) {
      const size_t sep = link.find("_to_");
      const std::string from = sep == std::string::npos ? "" : link.substr(0, sep);
      const std::string to = sep == std::string::npos ? "" : link.substr(sep + 4);
      if (!chaos.targets.count(from) || !chaos.targets.count(to)) {
        r.Error(Where(*t.get("links")), "link \"" + link +
                                            "\" must be \"A_to_B\" with A and B declared under "
                                            "[chaos.targets]");
      } else if (std::find(f.targets.begin(), f.targets.end(), to) == f.targets.end()) {
        f.targets.push_back(to);
      }
    }
    if (auto stream = r.String("stream")) {
      if (*stream != "upstream" && *stream != "downstream" && *stream != "both") {
        r.Error(Where(*t.get("stream")), "\"stream\" must be upstream, downstream or both");
      } else {
        f.stream = *stream;
      }
    }
    if (const toml::node* tox = r.Get("toxicity")) {
      const auto* fl = tox->as_floating_point();
      const auto* in = tox->as_integer();
      const double v = fl ? fl->get() : in ? static_cast<double>(in->get()) : -1;
      if (v < 0 || v > 1) {
        r.Error(Where(*tox), "\"toxicity\" must be from 0 to 1");
      } else {
        f.toxicity = v;
      }
    }
    if (const toml::table* attrs = r.Table("attributes")) {
      for (auto [key, node] : *attrs) {
        if (const auto* v = node.as_integer()) {
          f.attributes[std::string(key.str())] = v->get();
        } else {
          r.Error(Where(node), "attribute \"" + std::string(key.str()) + "\" must be an integer");
        }
      }
    }
    if (chaos.proxy_api.empty()) {
      r.Error(f.where, "a " + f.kind + " fault needs [chaos] proxy_api (the fault proxy's control API)");
    }
  } else {
    f.targets = Strings(r, t.get("targets") ? "targets" : "target", /*required=*/!t.get("targets"));
  }
  std::vector<std::string> declared;
  for (const auto& [name, target] : chaos.targets) declared.push_back(name);
  const toml::node* targets_node =
      t.get("groups")    ? t.get("groups")
      : t.get("links")   ? t.get("links")
      : t.get("targets") ? t.get("targets")
                         : t.get("target");
  for (const std::string& target : f.targets) {
    if (!chaos.targets.count(target)) {
      std::string message = "target \"" + target + "\" is not declared under [chaos.targets]";
      if (auto guess = ClosestMatch(target, declared)) message += " (did you mean \"" + *guess + "\"?)";
      r.Error(targets_node ? Where(*targets_node) : f.where, message);
    }
  }
  if (auto pick = r.Integer("pick")) {
    if (*pick < 1 || *pick > static_cast<int64_t>(f.targets.size())) {
      r.Error(Where(*t.get("pick")), "\"pick\" must be 1.." + std::to_string(f.targets.size()) +
                                         " (the number of targets)");
    } else {
      f.pick = static_cast<int>(*pick);
    }
  }
  if (auto at = r.ReadDuration("at")) f.at = *at;
  if (auto d = r.ReadDuration("duration")) {
    if (*d <= Duration::zero()) {
      r.Error(Where(*t.get("duration")), "\"duration\" must be positive");
    } else {
      f.duration = *d;
    }
  }
  if (const toml::node* sig = r.Get("signal")) {
    if (auto n = SignalNumber(*sig)) {
      f.signal = *n;
    } else {
      r.Error(Where(*sig), "unknown signal (use e.g. \"SIGKILL\", \"SIGTERM\" or a number)");
    }
  }
  f.command = r.String("command").value_or("");
  f.revert_command = r.String("revert_command").value_or("");
  if (f.kind == "exec" && (f.command.empty() || f.revert_command.empty())) {
    r.Error(f.where, "an exec fault needs \"command\" and \"revert_command\"");
  }
  auto request = [&](const char* key, std::string& method, std::string& url, std::string& url_path,
                     std::string& body) {
    const toml::table* req = r.Table(key);
    if (!req) return false;
    TableReader rr(ctx, *req, path + "." + key, path + "." + key, {"method", "url", "path", "body"});
    method = rr.String("method").value_or("POST");
    url = rr.String("url").value_or("");
    url_path = rr.String("path").value_or("");
    if (url.empty() == url_path.empty()) {
      rr.Error(Where(*req), "give \"url\" or \"path\" (on the target's url), one of them");
    }
    if (!url_path.empty()) {
      for (const std::string& target : f.targets) {
        auto it = chaos.targets.find(target);
        if (it != chaos.targets.end() && it->second.url.empty()) {
          rr.Error(Where(*req->get("path")), "\"path\" needs a url on chaos target \"" + target + "\"");
        }
      }
    }
    body = rr.String("body").value_or("");
    return true;
  };
  const bool inject = request("request", f.method, f.url, f.path, f.body);
  const bool revert =
      request("revert_request", f.revert_method, f.revert_url, f.revert_path, f.revert_body);
  if (f.kind == "http" && (!inject || !revert)) {
    r.Error(f.where, "an http fault needs \"request\" and \"revert_request\" tables");
  }
  return f;
}

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
    d.journeys = Strings(r, "journeys", /*required=*/true);
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
