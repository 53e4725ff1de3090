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

// A named shape's groups (or ring) over `targets`, chosen with `rng`.
void ApplyShape(std::vector<std::string> t, std::mt19937_64& rng, PartitionFault& p) {
  using Shape = PartitionFault::Shape;
  if (p.shape != Shape::kRing) SeededShuffle(t, rng);
  switch (p.shape) {
    case Shape::kIsolate:
      p.groups = {{t[0]}, {t.begin() + 1, t.end()}};
      break;
    case Shape::kMajorityMinority: {
      const auto majority = static_cast<long>(t.size() / 2 + 1);
      p.groups = {{t.begin(), t.begin() + majority}, {t.begin() + majority, t.end()}};
      break;
    }
    case Shape::kBridge: {
      // t[0] bridges: in no group, so linked to both halves.
      const auto half = static_cast<long>(1 + (t.size() - 1) / 2);
      p.groups = {{t.begin() + 1, t.begin() + half}, {t.begin() + half, t.end()}};
      break;
    }
    case Shape::kRing:
      p.ring = t;
      break;
    case Shape::kGroups:
      break;
  }
  for (auto& g : p.groups) std::sort(g.begin(), g.end());
}

}  // namespace

DrillPlan PlanDrill(const DrillSpec& spec, uint64_t seed) {
  DrillPlan plan;
  plan.drill = spec.name;
  plan.seed = seed;
  std::mt19937_64 rng(seed);
  for (const DrillFault& f : spec.faults) {
    plan.destructive = plan.destructive || IsDestructive(f.kind);
    auto planned = [&f](const std::string& name, const std::string& target, FaultKind kind) {
      return PlannedFault{FaultSpec{name, target, std::move(kind)}, f.at, f.duration};
    };
    const std::string first = f.targets.empty() ? "" : f.targets.front();
    if (std::holds_alternative<LinkFault>(f.kind)) {
      // One fault over all its links.
      plan.faults.push_back(planned(f.name, first, f.kind));
      continue;
    }
    if (const auto* partition = std::get_if<PartitionFault>(&f.kind)) {
      // One fault over all its groups; a shape drawn with the seed.
      PartitionFault drawn = *partition;
      if (drawn.shape != PartitionFault::Shape::kGroups) ApplyShape(f.targets, rng, drawn);
      plan.faults.push_back(planned(f.name, first, std::move(drawn)));
      continue;
    }
    std::vector<std::string> targets = f.targets;
    if (f.pick > 0 && f.pick < static_cast<int>(targets.size())) {
      SeededShuffle(targets, rng);
      targets.resize(static_cast<size_t>(f.pick));
      std::sort(targets.begin(), targets.end());
    }
    for (const std::string& target : targets) {
      plan.faults.push_back(
          planned(targets.size() > 1 ? f.name + "@" + target : f.name, target, f.kind));
    }
  }
  std::stable_sort(plan.faults.begin(), plan.faults.end(),
                   [](const PlannedFault& a, const PlannedFault& b) { return a.at < b.at; });
  for (const PlannedFault& p : plan.faults) plan.hold = std::max(plan.hold, p.at + p.duration);
  return plan;
}

namespace {

// What one planned fault does, after "name = kind".
struct DescribeKind {
  const FaultSpec& spec;
  const ChaosConfig& chaos;
  std::ostringstream& o;

  void Target() const {
    o << " on " << spec.target;
    auto t = chaos.targets.find(spec.target);
    if (t == chaos.targets.end()) return;
    if (!t->second.pidfile.empty()) o << " (pidfile " << t->second.pidfile << ")";
    if (!t->second.url.empty()) o << " " << t->second.url;
  }
  void operator()(const PartitionFault& p) const {
    o << " of " << DescribePartition(p)
      << (p.backend == PartitionFault::Backend::kNftables ? " with nftables" : " at " + chaos.proxy_api);
  }
  void operator()(const LinkFault& l) const {
    o << " on";
    for (const std::string& link : l.links) o << " " << link;
    o << " (" << StreamName(l.stream) << ", toxicity " << l.toxicity << ") at " << chaos.proxy_api;
  }
  void operator()(const KillFault& k) const {
    Target();
    auto t = chaos.targets.find(spec.target);
    o << ", signal " << k.signal
      << (t != chaos.targets.end() && !t->second.restart.empty() ? ", restart on revert"
                                                                 : ", no restart declared");
  }
  void operator()(const PauseFault&) const { Target(); }
  void operator()(const ExecFault& e) const {
    Target();
    o << ": `" << e.command << "`, revert `" << e.revert_command << "`";
  }
  void operator()(const HttpFault& h) const {
    Target();
    // A request with no url goes to `path` on the target's url.
    auto where = [](const FaultRequest& r) { return r.url.empty() ? r.path : r.url; };
    o << ": " << h.inject.method << " " << where(h.inject) << ", revert " << h.revert.method << " "
      << where(h.revert);
  }
};

}  // namespace

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
    o << "  +" << FormatDuration(p.at) << " for " << FormatDuration(p.duration) << ": "
      << p.spec.name << " = " << KindName(p.spec);
    std::visit(DescribeKind{p.spec, chaos, o}, p.spec.kind);
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
