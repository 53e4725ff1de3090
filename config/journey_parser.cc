#include "config/journey_parser.h"

#include <algorithm>
#include <map>

#include "config/fields.h"
#include "config/policy_parser.h"
#include "config/step_parser.h"
#include "config/suggest.h"

namespace sonde {
namespace {

void ParseTimings(TableReader& r, Journey& j) {
  std::optional<Duration> interval = r.ReadDuration("interval", /*required=*/true);
  std::optional<Duration> timeout = r.ReadDuration("timeout", /*required=*/true);
  // A probe that may still be running when the next one starts would overlap
  // itself.
  if (interval && timeout && *timeout >= *interval) {
    r.Error(Where(*r.table().get("timeout")), "\"timeout\" (" + FormatDuration(*timeout) +
                                                  ") must be shorter than \"interval\" (" +
                                                  FormatDuration(*interval) + ")");
  }
  if (std::optional<Duration> failing = r.ReadDuration("failing_interval")) {
    // Shorter than the interval (or it is pointless), longer than the
    // timeout (or runs would overlap).
    if (interval && *failing >= *interval) {
      r.Error(Where(*r.table().get("failing_interval")),
              "\"failing_interval\" (" + FormatDuration(*failing) +
                  ") must be shorter than \"interval\" (" + FormatDuration(*interval) + ")");
    } else if (timeout && *failing <= *timeout) {
      r.Error(Where(*r.table().get("failing_interval")),
              "\"failing_interval\" (" + FormatDuration(*failing) +
                  ") must be longer than \"timeout\" (" + FormatDuration(*timeout) + ")");
    }
    j.failing_interval = failing;
  }
  if (const toml::table* d = r.Table("divergence")) {
    TableReader dr(r.ctx(), *d, r.PathOf("divergence"), r.PathOf("divergence"),
                   {"value", "tolerance"});
    Journey::Divergence div;
    div.variable = dr.String("value", /*required=*/true).value_or("");
    if (const toml::node* t = d->get("tolerance")) {
      if (const auto* i = t->as_integer()) {
        div.tolerance = static_cast<double>(i->get());
      } else if (const auto* f = t->as_floating_point()) {
        div.tolerance = f->get();
      } else {
        dr.WrongType(*t, "tolerance", "a number");
      }
      if (div.tolerance < 0) dr.Error(Where(*t), "\"tolerance\" must not be negative");
    }
    j.divergence = div;
  }
  Thresholds thresholds = ParseThresholds(r, timeout);
  j.interval = interval.value_or(Duration{});
  j.timeout = timeout.value_or(Duration{});
  j.degraded_after = thresholds.degraded_after;
  j.fail_after = thresholds.fail_after;
}

void ParseTargetRef(TableReader& r, const std::vector<std::string>& groups, Journey& j) {
  std::optional<std::string> group = r.String("targets", /*required=*/true);
  if (!group) return;
  j.target_group = *group;
  if (std::find(groups.begin(), groups.end(), *group) != groups.end()) return;
  std::string message = "unknown target group \"" + *group + "\"";
  if (groups.empty()) {
    message += " (no [targets.*] group is defined)";
  } else if (auto guess = ClosestMatch(*group, groups)) {
    message += " (did you mean \"" + *guess + "\"?)";
  }
  r.Error(Where(*r.table().get("targets")), message);
}

// `vars = { to = "abc", n = 3 }`: numbers and booleans become their text,
// since a template can only splice in text.
void ParseVars(TableReader& r, Journey& j) {
  const toml::table* vars = r.Table("vars");
  if (!vars) return;
  for (auto [key, node] : InFileOrder(*vars)) {
    const std::string name(key->str());
    if (!IsVariableName(name, /*allow_dash=*/true)) {
      r.Error(Where(*key), "bad variable name \"" + name +
                               "\" in \"vars\": use letters, digits, '_' and '-', "
                               "not starting with a digit or '-'");
    }
    if (const auto* s = node->as_string()) {
      j.vars.emplace_back(name, s->get());
    } else if (const auto* i = node->as_integer()) {
      j.vars.emplace_back(name, std::to_string(i->get()));
    } else if (const auto* b = node->as_boolean()) {
      j.vars.emplace_back(name, b->get() ? "true" : "false");
    } else {
      r.WrongType(*node, "vars." + name, "a string, integer or boolean");
    }
  }
}

// Variables available to step `index`: the built-ins, the journey's vars and
// whatever earlier steps extract.
std::vector<std::string> DefinedBefore(const Journey& j, const std::vector<ParsedStep>& steps,
                                       size_t index, const std::vector<std::string>& keys,
                                       const std::vector<std::string>& evm_keys) {
  std::vector<std::string> names(kBuiltinVariables.begin(), kBuiltinVariables.end());
  for (const std::string& key : keys) names.push_back("keys." + key + ".public");
  for (const std::string& key : evm_keys) names.push_back("keys." + key + ".address");
  for (const auto& [name, value] : j.vars) names.push_back("vars." + name);
  for (size_t i = 0; i < index; ++i) {
    for (const Extraction& e : steps[i].step.extract) names.push_back(e.variable);
  }
  return names;
}

// Why `name` is not defined yet, beyond "unknown": a step at or after
// `index` that extracts it, or a near miss.
std::string UnknownVariableHint(const std::string& name, const std::vector<ParsedStep>& steps,
                                size_t index, const std::vector<std::string>& defined) {
  for (size_t i = index; i < steps.size(); ++i) {
    for (const Extraction& e : steps[i].step.extract) {
      if (e.variable != name) continue;
      if (i == index) return " (this step extracts it, but only after its own request)";
      return " (extracted only by later step '" + steps[i].step.name + "')";
    }
  }
  if (auto guess = ClosestMatch(name, defined)) return " (did you mean '" + *guess + "'?)";
  return "";
}

void CheckVariables(ParseContext& ctx, const Journey& j, const std::vector<ParsedStep>& steps,
                    const std::string& path) {
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::vector<std::string> defined = DefinedBefore(j, steps, i, ctx.keys, ctx.secp256k1_keys);
    for (const VariableUse& use : steps[i].uses) {
      if (std::find(defined.begin(), defined.end(), use.name) != defined.end()) continue;
      ReportAt(
          ctx, use.where, path + ".step[" + std::to_string(i + 1) + "]",
          "unknown variable '" + use.name + "'" + UnknownVariableHint(use.name, steps, i, defined));
    }
  }
}

void CheckUniqueStepNames(ParseContext& ctx, const std::vector<ParsedStep>& steps,
                          const std::string& path) {
  std::map<std::string, uint32_t> first_line;
  for (size_t i = 0; i < steps.size(); ++i) {
    const ParsedStep& s = steps[i];
    if (!s.name_node || s.step.name.empty()) continue;
    auto [it, inserted] = first_line.emplace(s.step.name, Where(*s.name_node).line);
    if (inserted) continue;
    ReportAt(ctx, Where(*s.name_node), path + ".step[" + std::to_string(i + 1) + "]",
             "duplicate step name \"" + s.step.name + "\" (first used on line " +
                 std::to_string(it->second) + ")");
  }
}

std::vector<ParsedStep> ParseSteps(TableReader& r, const std::string& path) {
  std::vector<ParsedStep> steps;
  const toml::node* node = r.Get("step", /*required=*/true);
  if (!node) return steps;
  const toml::array* array = node->as_array();
  if (array && array->empty()) {
    r.Error(Where(*node), "\"step\" must not be empty (add a [[" + path + ".step]] table)");
    return steps;
  }
  if (!array || !array->is_array_of_tables()) {
    r.WrongType(*node, "step", "an array of tables ([[" + path + ".step]])");
    return steps;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string step_path = path + ".step[" + std::to_string(i + 1) + "]";
    steps.push_back(ParseStep(r.ctx(), *array->get(i)->as_table(), step_path));
  }
  return steps;
}

// The ephemeral keys a journey's steps sign with or whose public key they
// use: each run makes a fresh one of each.
std::vector<std::string> EphemeralKeysUsed(const ParseContext& ctx, const Journey& j,
                                           const std::vector<ParsedStep>& steps) {
  std::vector<std::string> used;
  auto add = [&](const std::string& key) {
    if (std::find(ctx.ephemeral_keys.begin(), ctx.ephemeral_keys.end(), key) !=
            ctx.ephemeral_keys.end() &&
        std::find(used.begin(), used.end(), key) == used.end()) {
      used.push_back(key);
    }
  };
  for (const Step& step : j.steps) {
    if (const auto* sign = std::get_if<SignStep>(&step.action)) add(sign->key);
  }
  for (const ParsedStep& s : steps) {
    for (const VariableUse& use : s.uses) {
      if (use.name.starts_with("keys.") && use.name.ends_with(".public")) {
        add(use.name.substr(5, use.name.size() - 5 - 7));
      }
    }
  }
  return used;
}

// `evidence = ["tx_hash", "block"]`: variables the journey defines (what
// steps extract, its vars, keys' public values), kept with each run. Only
// names are checked here; the runner bounds the values.
void ParseEvidence(ParseContext& ctx, TableReader& r, Journey& j,
                   const std::vector<ParsedStep>& steps, const std::string& path) {
  const toml::array* list = r.Array("evidence");
  if (!list) return;
  const std::vector<std::string> defined =
      DefinedBefore(j, steps, steps.size(), ctx.keys, ctx.secp256k1_keys);
  for (size_t i = 0; i < list->size(); ++i) {
    const toml::node& node = *list->get(i);
    const std::string field = "evidence[" + std::to_string(i + 1) + "]";
    const auto* name = node.as_string();
    if (!name) {
      r.WrongType(node, field, "a string (a variable name)");
      continue;
    }
    if (std::find(defined.begin(), defined.end(), name->get()) == defined.end()) {
      std::string message = "\"" + field + "\" names variable '" + name->get() +
                            "', which no step extracts";
      if (auto guess = ClosestMatch(name->get(), defined))
        message += " (did you mean '" + *guess + "'?)";
      ReportAt(ctx, Where(node), path, message);
      continue;
    }
    if (std::find(j.evidence.begin(), j.evidence.end(), name->get()) != j.evidence.end()) {
      ReportAt(ctx, Where(node), path, "\"" + field + "\": '" + name->get() + "' is listed twice");
      continue;
    }
    j.evidence.push_back(name->get());
  }
  if (j.evidence.size() > kMaxEvidenceNames) {
    ReportAt(ctx, Where(*list), path,
             "\"evidence\" lists " + std::to_string(j.evidence.size()) + " variables; at most " +
                 std::to_string(kMaxEvidenceNames) + " are kept with a run");
  }
}

Journey ParseJourney(ParseContext& ctx, const std::string& name, const toml::table& table,
                     const std::vector<std::string>& groups) {
  const std::string path = "journey." + PathSegment(name);
  TableReader r(ctx, table, path, "journey \"" + name + "\"",
                {"interval", "timeout", "failing_interval", "targets", "degraded_after",
                 "fail_after", "divergence", "vars", "evidence", "step"});
  Journey j;
  j.name = name;
  j.where = Where(table);
  ParseTimings(r, j);
  ParseTargetRef(r, groups, j);
  ParseVars(r, j);
  std::vector<ParsedStep> steps = ParseSteps(r, path);
  CheckUniqueStepNames(ctx, steps, path);
  CheckVariables(ctx, j, steps, path);
  ParseEvidence(ctx, r, j, steps, path);  // before the steps move into the journey
  for (ParsedStep& s : steps) j.steps.push_back(std::move(s.step));
  j.ephemeral_keys = EphemeralKeysUsed(ctx, j, steps);
  if (j.divergence && !j.divergence->variable.empty()) {
    bool extracted = false;
    for (const Step& step : j.steps) {
      for (const Extraction& e : step.extract)
        extracted = extracted || e.variable == j.divergence->variable;
    }
    if (!extracted) {
      ReportAt(ctx, Where(*table.get("divergence")), path,
               "\"divergence.value\" names variable \"" + j.divergence->variable +
                   "\", which no step extracts");
    }
  }
  return j;
}

}  // namespace

void ParseJourneys(ParseContext& ctx, const toml::table& journeys,
                   const std::vector<std::string>& groups, std::vector<Journey>& out) {
  for (auto [key, node] : InFileOrder(journeys)) {
    const std::string name(key->str());
    if (!IsMetricName(name)) {
      ReportAt(
          ctx, Where(*key), "journey",
          "bad journey name \"" + name + "\": use [a-z][a-z0-9_]* (it becomes a metric label)");
    }
    if (!node->is_table()) {
      ReportAt(ctx, Where(*node), "journey",
               "\"" + name + "\" must be a table, got " + std::string(TypeName(*node)));
      continue;
    }
    out.push_back(ParseJourney(ctx, name, *node->as_table(), groups));
  }
}

}  // namespace sonde
