#include "config/fault_parser.h"

#include <algorithm>
#include <cstring>

#include "config/suggest.h"

namespace sonde {
namespace {

// What one kind's parser works with: the fault's table, its reader (which
// already rejected keys that are not this kind's), the fault so far.
struct FaultTable {
  ParseContext& ctx;
  const toml::table& t;
  const std::string& path;
  TableReader& r;
  DrillFault& f;
  const ChaosConfig& chaos;
};

// Keys every kind takes.
constexpr std::array<std::string_view, 4> kCommonKeys = {"name", "kind", "at", "duration"};
// Keys of the kinds that act on each of their targets alone.
constexpr std::array<std::string_view, 3> kTargetKeys = {"target", "targets", "pick"};

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

// `target = "a"` or `targets = [...]`, and `pick`: the kinds that act on
// each target alone.
void ReadTargets(FaultTable& in) {
  if (in.t.get("target") && in.t.get("targets")) {
    in.r.Error(Where(*in.t.get("targets")), "give \"target\" or \"targets\", not both");
  }
  in.f.targets = in.r.Strings(in.t.get("targets") ? "targets" : "target",
                              /*required=*/!in.t.get("targets"));
  if (auto pick = in.r.Integer("pick")) {
    if (*pick < 1 || *pick > static_cast<int64_t>(in.f.targets.size())) {
      in.r.Error(Where(*in.t.get("pick")), "\"pick\" must be 1.." +
                                               std::to_string(in.f.targets.size()) +
                                               " (the number of targets)");
    } else {
      in.f.pick = static_cast<int>(*pick);
    }
  }
}

void RequireProxy(FaultTable& in) {
  if (in.chaos.proxy_api.empty()) {
    in.r.Error(in.f.where, "a " + std::string(FaultKindName(in.f.kind)) +
                               " fault needs [chaos] proxy_api (the fault proxy's control API)");
  }
}

std::vector<std::string_view> OwnKeys(const KillFault&) { return {"signal"}; }
void Parse(FaultTable& in, KillFault& k) {
  ReadTargets(in);
  if (const toml::node* sig = in.r.Get("signal")) {
    if (auto n = SignalNumber(*sig)) {
      k.signal = *n;
    } else {
      in.r.Error(Where(*sig), "unknown signal (use e.g. \"SIGKILL\", \"SIGTERM\" or a number)");
    }
  }
}

std::vector<std::string_view> OwnKeys(const PauseFault&) { return {}; }
void Parse(FaultTable& in, PauseFault&) { ReadTargets(in); }

std::vector<std::string_view> OwnKeys(const ExecFault&) { return {"command", "revert_command"}; }
void Parse(FaultTable& in, ExecFault& k) {
  ReadTargets(in);
  k.command = in.r.String("command", /*required=*/true).value_or("");
  k.revert_command = in.r.String("revert_command", /*required=*/true).value_or("");
}

std::vector<std::string_view> OwnKeys(const HttpFault&) { return {"request", "revert_request"}; }
void Parse(FaultTable& in, HttpFault& k) {
  ReadTargets(in);
  auto request = [&](const char* key, FaultRequest& call) {
    const toml::table* req = in.r.Table(key, /*required=*/true);
    if (!req) return;
    TableReader rr(in.ctx, *req, in.path + "." + key, in.path + "." + key,
                   {"method", "url", "path", "body"});
    call.method = rr.String("method").value_or("POST");
    call.url = rr.String("url").value_or("");
    call.path = rr.String("path").value_or("");
    if (call.url.empty() == call.path.empty()) {
      rr.Error(Where(*req), "give \"url\" or \"path\" (on the target's url), one of them");
    }
    if (!call.path.empty()) {
      for (const std::string& target : in.f.targets) {
        auto it = in.chaos.targets.find(target);
        if (it != in.chaos.targets.end() && it->second.url.empty()) {
          rr.Error(Where(*req->get("path")),
                   "\"path\" needs a url on chaos target \"" + target + "\"");
        }
      }
    }
    call.body = rr.String("body").value_or("");
  };
  request("request", k.inject);
  request("revert_request", k.revert);
}

std::vector<std::string_view> OwnKeys(const PartitionFault&) {
  return {"groups", "shape", "targets", "backend"};
}
void Parse(FaultTable& in, PartitionFault& k) {
  // groups = [["node1", "node2", "node3"], ["node4", "node5"]]: every target
  // in them is a target of the fault. Or a named shape over `targets`.
  if (auto shape = in.r.String("shape")) {
    static const std::map<PartitionFault::Shape, size_t> kMinimum = {
        {PartitionFault::Shape::kIsolate, 2},
        {PartitionFault::Shape::kMajorityMinority, 3},
        {PartitionFault::Shape::kBridge, 3},
        {PartitionFault::Shape::kRing, 4}};
    in.f.targets = in.r.Strings("targets", /*required=*/true);
    auto named = std::find_if(PartitionFault::kShapes.begin(), PartitionFault::kShapes.end(),
                              [&](const auto& s) { return s.first == *shape; });
    if (named == PartitionFault::kShapes.end()) {
      std::string names;
      for (const auto& [n, s] : PartitionFault::kShapes) names += (names.empty() ? "" : ", ") + std::string(n);
      in.r.Error(Where(*in.t.get("shape")), "unknown shape \"" + *shape + "\" (" + names + ")");
    } else {
      k.shape = named->second;
      if (in.f.targets.size() < kMinimum.at(k.shape)) {
        in.r.Error(Where(*in.t.get("shape")), "shape \"" + *shape + "\" needs at least " +
                                                  std::to_string(kMinimum.at(k.shape)) + " targets");
      }
    }
    if (in.t.get("groups")) {
      in.r.Error(Where(*in.t.get("groups")), "give \"groups\" or \"shape\", not both");
    }
  } else if (const toml::array* groups = in.r.Array("groups", /*required=*/true)) {
    if (in.t.get("targets")) {
      in.r.Error(Where(*in.t.get("targets")),
                 "a partition's targets are its groups' (\"targets\" goes with \"shape\")");
    }
    for (const toml::node& g : *groups) {
      const toml::array* members = g.as_array();
      if (!members || members->empty()) {
        in.r.Error(Where(g), "each of \"groups\" must be a non-empty array of target names");
        continue;
      }
      std::vector<std::string> group;
      for (const toml::node& m : *members) {
        if (const auto* name = m.as_string()) group.push_back(name->get());
      }
      k.groups.push_back(group);
      in.f.targets.insert(in.f.targets.end(), group.begin(), group.end());
    }
    if (k.groups.size() < 2) {
      in.r.Error(Where(*in.t.get("groups")), "a partition needs at least two groups");
    }
  }
  if (auto backend = in.r.String("backend")) {
    if (*backend == "nftables") {
      k.backend = PartitionFault::Backend::kNftables;
    } else if (*backend != "proxy") {
      in.r.Error(Where(*in.t.get("backend")), "\"backend\" must be proxy or nftables");
    }
  }
  if (k.backend == PartitionFault::Backend::kProxy) RequireProxy(in);
  if (k.backend == PartitionFault::Backend::kNftables) {
    for (const std::string& target : in.f.targets) {
      auto it = in.chaos.targets.find(target);
      if (it != in.chaos.targets.end() && it->second.address.empty()) {
        in.r.Error(in.f.where,
                   "an nftables partition needs an \"address\" on chaos target \"" + target + "\"");
      }
    }
  }
}

std::vector<std::string_view> OwnKeys(const LinkFault&) {
  return {"links", "stream", "toxicity", "attributes"};
}
void Parse(FaultTable& in, LinkFault& k) {
  // links = ["node1_to_node3", ...]: both ends must be declared targets.
  k.links = in.r.Strings("links", /*required=*/true);
  for (const std::string& link : k.links) {
    const size_t sep = link.find("_to_");
    const std::string from = sep == std::string::npos ? "" : link.substr(0, sep);
    const std::string to = sep == std::string::npos ? "" : link.substr(sep + 4);
    if (!in.chaos.targets.count(from) || !in.chaos.targets.count(to)) {
      in.r.Error(Where(*in.t.get("links")), "link \"" + link +
                                                "\" must be \"A_to_B\" with A and B declared "
                                                "under [chaos.targets]");
    } else if (std::find(in.f.targets.begin(), in.f.targets.end(), to) == in.f.targets.end()) {
      in.f.targets.push_back(to);
    }
  }
  if (auto stream = in.r.String("stream")) {
    if (*stream == "upstream") {
      k.stream = LinkFault::Stream::kUpstream;
    } else if (*stream == "downstream") {
      k.stream = LinkFault::Stream::kDownstream;
    } else if (*stream != "both") {
      in.r.Error(Where(*in.t.get("stream")), "\"stream\" must be upstream, downstream or both");
    }
  }
  if (const toml::node* tox = in.r.Get("toxicity")) {
    const auto* fl = tox->as_floating_point();
    const auto* n = tox->as_integer();
    const double v = fl ? fl->get() : n ? static_cast<double>(n->get()) : -1;
    if (v < 0 || v > 1) {
      in.r.Error(Where(*tox), "\"toxicity\" must be from 0 to 1");
    } else {
      k.toxicity = v;
    }
  }
  if (const toml::table* attrs = in.r.Table("attributes")) {
    for (auto [key, node] : *attrs) {
      if (const auto* v = node.as_integer()) {
        k.attributes[std::string(key.str())] = v->get();
      } else {
        in.r.Error(Where(node), "attribute \"" + std::string(key.str()) + "\" must be an integer");
      }
    }
  }
  RequireProxy(in);
}

// The keys a fault of this kind takes: the common ones, the per-target ones
// for the kinds that act on each target alone, and its own.
template <typename Kind>
std::vector<std::string_view> KeysOf(const Kind& kind) {
  std::vector<std::string_view> keys(kCommonKeys.begin(), kCommonKeys.end());
  constexpr bool kPerTarget =
      !std::is_same_v<Kind, PartitionFault> && !std::is_same_v<Kind, LinkFault>;
  if constexpr (kPerTarget) keys.insert(keys.end(), kTargetKeys.begin(), kTargetKeys.end());
  for (std::string_view k : OwnKeys(kind)) keys.push_back(k);
  return keys;
}

}  // namespace

DrillFault ParseDrillFault(ParseContext& ctx, const toml::table& t, const std::string& path,
                           const ChaosConfig& chaos) {
  DrillFault f;
  f.where = Where(t);
  // The kind first: it decides which keys the table may hold.
  const toml::node* kind_node = t.get("kind");
  if (!kind_node || !kind_node->as_string()) {
    ReportAt(ctx, kind_node ? Where(*kind_node) : f.where, path,
             kind_node ? "\"kind\" must be a string" : "missing required key \"kind\"");
    return f;
  }
  const std::string kind = kind_node->as_string()->get();
  auto named = FaultKindNamed(kind);
  if (!named) {
    const std::vector<std::string> kinds = FaultKindNames();
    std::string message = "unknown fault kind \"" + kind + "\" (";
    for (size_t i = 0; i < kinds.size(); ++i) message += (i ? ", " : "") + kinds[i];
    message += ")";
    if (auto guess = ClosestMatch(kind, kinds)) message += "; did you mean \"" + *guess + "\"?";
    ReportAt(ctx, Where(*kind_node), path, message);
    return f;
  }
  f.kind = std::move(*named);
  std::visit(
      [&](auto& k) {
        TableReader r(ctx, t, path, path, KeysOf(k), "a " + kind + " fault");
        f.name = r.String("name", /*required=*/true).value_or("");
        FaultTable in{ctx, t, path, r, f, chaos};
        Parse(in, k);
        std::vector<std::string> declared;
        for (const auto& [name, target] : chaos.targets) declared.push_back(name);
        const toml::node* targets_node = t.get("groups")    ? t.get("groups")
                                         : t.get("links")   ? t.get("links")
                                         : t.get("targets") ? t.get("targets")
                                                            : t.get("target");
        for (const std::string& target : f.targets) {
          if (!chaos.targets.count(target)) {
            std::string message = "target \"" + target + "\" is not declared under [chaos.targets]";
            if (auto guess = ClosestMatch(target, declared)) {
              message += " (did you mean \"" + *guess + "\"?)";
            }
            r.Error(targets_node ? Where(*targets_node) : f.where, message);
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
      },
      f.kind);
  return f;
}

}  // namespace sonde
