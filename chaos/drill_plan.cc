#include "chaos/drill_plan.h"

#include <algorithm>
#include <random>
#include <sstream>

namespace sonde::chaos {

namespace {

// Fisher-Yates with the drill's generator: the same seed, the same order.
void SeededShuffle(std::vector<std::string>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) {
    std::uniform_int_distribution<size_t> d(0, i - 1);
    std::swap(v[i - 1], v[d(rng)]);
  }
}

// A named shape's groups (or ring) over `f`'s targets, chosen with `rng`.
void ApplyShape(const DrillFault& f, std::mt19937_64& rng, FaultSpec& spec) {
  std::vector<std::string> t = f.targets;
  if (f.shape != "ring") SeededShuffle(t, rng);
  if (f.shape == "isolate") {
    spec.groups = {{t[0]}, {t.begin() + 1, t.end()}};
  } else if (f.shape == "majority_minority") {
    const auto majority = static_cast<long>(t.size() / 2 + 1);
    spec.groups = {{t.begin(), t.begin() + majority}, {t.begin() + majority, t.end()}};
  } else if (f.shape == "bridge") {
    // t[0] bridges: in no group, so linked to both halves.
    const auto half = static_cast<long>(1 + (t.size() - 1) / 2);
    spec.groups = {{t.begin() + 1, t.begin() + half}, {t.begin() + half, t.end()}};
  } else if (f.shape == "ring") {
    spec.ring = t;
  }
  for (auto& g : spec.groups) std::sort(g.begin(), g.end());
}

}  // namespace

DrillPlan PlanDrill(const DrillSpec& spec, uint64_t seed) {
  DrillPlan plan;
  plan.drill = spec.name;
  plan.seed = seed;
  std::mt19937_64 rng(seed);
  for (const DrillFault& f : spec.faults) {
    plan.destructive = plan.destructive || IsDestructive(f.kind);
    auto planned = [&f](const std::string& name, const std::string& target) {
      PlannedFault p;
      p.spec.name = name;
      p.spec.kind = f.kind;
      p.spec.target = target;
      p.at = f.at;
      p.duration = f.duration;
      return p;
    };
    const std::string first = f.targets.empty() ? "" : f.targets.front();
    if (IsLinkKind(f.kind)) {
      // One fault over all its links.
      PlannedFault p = planned(f.name, first);
      p.spec.links = f.links;
      p.spec.stream = f.stream;
      p.spec.toxicity = f.toxicity;
      p.spec.attributes = f.attributes;
      plan.faults.push_back(std::move(p));
      continue;
    }
    if (f.kind == "partition") {
      // One fault over all its groups.
      PlannedFault p = planned(f.name, first);
      p.spec.groups = f.groups;
      p.spec.backend = f.backend;
      if (!f.shape.empty()) ApplyShape(f, rng, p.spec);
      plan.faults.push_back(std::move(p));
      continue;
    }
    std::vector<std::string> targets = f.targets;
    if (f.pick > 0 && f.pick < static_cast<int>(targets.size())) {
      SeededShuffle(targets, rng);
      targets.resize(static_cast<size_t>(f.pick));
      std::sort(targets.begin(), targets.end());
    }
    for (const std::string& target : targets) {
      PlannedFault p = planned(targets.size() > 1 ? f.name + "@" + target : f.name, target);
      p.spec.signal = f.signal;
      p.spec.inject_command = f.command;
      p.spec.revert_command = f.revert_command;
      p.spec.inject_http = {f.method, f.url, f.path, f.body};
      p.spec.revert_http = {f.revert_method, f.revert_url, f.revert_path, f.revert_body};
      plan.faults.push_back(std::move(p));
    }
  }
  std::stable_sort(plan.faults.begin(), plan.faults.end(),
                   [](const PlannedFault& a, const PlannedFault& b) { return a.at < b.at; });
  for (const PlannedFault& p : plan.faults) plan.hold = std::max(plan.hold, p.at + p.duration);
  return plan;
}

std::string DescribePlan(const DrillSpec& spec, const DrillPlan& plan, const ChaosConfig& chaos) {
  std::ostringstream o;
  o << "drill " << spec.name << " (seed " << plan.seed << (plan.destructive ? ", destructive" : "")
    << ")\n";
  o << "  watch       : ";
  for (size_t i = 0; i < spec.journeys.size(); ++i) o << (i ? ", " : "") << spec.journeys[i];
  o << "\n  steady state: " << FormatDuration(spec.steady_duration)
    << ", every journey >= " << spec.steady_min_success * 100
    << "% success, else nothing is injected\n";
  for (const PlannedFault& p : plan.faults) {
    auto t = chaos.targets.find(p.spec.target);
    o << "  +" << FormatDuration(p.at) << " for " << FormatDuration(p.duration) << ": "
      << p.spec.name << " = " << p.spec.kind;
    if (p.spec.kind == "partition") {
      o << " of " << DescribePartition(p.spec);
      o << (p.spec.backend == "nftables" ? " with nftables\n" : " at " + chaos.proxy_api + "\n");
      continue;
    }
    if (!p.spec.links.empty()) {
      o << " on";
      for (const std::string& l : p.spec.links) o << " " << l;
      o << " (" << p.spec.stream << ", toxicity " << p.spec.toxicity << ") at " << chaos.proxy_api
        << "\n";
      continue;
    }
    o << " on " << p.spec.target;
    if (t != chaos.targets.end()) {
      if (!t->second.pidfile.empty()) o << " (pidfile " << t->second.pidfile << ")";
      if (!t->second.url.empty()) o << " " << t->second.url;
    }
    if (p.spec.kind == "exec")
      o << ": `" << p.spec.inject_command << "`, revert `" << p.spec.revert_command << "`";
    if (p.spec.kind == "http") {
      // A request with no url goes to `path` on the target's url.
      auto where = [](const HttpCallSpec& h) { return h.url.empty() ? h.path : h.url; };
      o << ": " << p.spec.inject_http.method << " " << where(p.spec.inject_http) << ", revert "
        << p.spec.revert_http.method << " " << where(p.spec.revert_http);
    }
    if (p.spec.kind == "kill") {
      o << ", signal " << p.spec.signal
        << (t != chaos.targets.end() && !t->second.restart.empty() ? ", restart on revert"
                                                                   : ", no restart declared");
    }
    o << "\n";
  }
  if (spec.abort_below)
    o << "  abort below : " << *spec.abort_below * 100 << "% success of any watched journey\n";
  o << "  recovery    : up to " << FormatDuration(spec.recovery_timeout)
    << " after the last revert\n";
  if (spec.settle > Duration::zero()) {
    o << "  settle      : " << FormatDuration(spec.settle) << " watched after recovery\n";
  }
  for (const DrillExpectation& x : spec.expect) {
    const bool settle = x.during == DrillExpectation::Window::kSettle;
    o << "  expect      : " << x.journey << (x.pooled ? " (targets pooled)" : " (each target)")
      << (settle ? " in the settle window:" : " while the faults hold:");
    if (x.min_success) o << " success >= " << *x.min_success * 100 << "%";
    if (x.max_success) o << " success <= " << *x.max_success * 100 << "%";
    if (x.max_p95) o << ", p95 <= " << FormatDuration(*x.max_p95);
    if (x.recover_within) o << ", recovered within " << FormatDuration(*x.recover_within);
    o << "\n";
  }
  return o.str();
}

}  // namespace sonde::chaos
