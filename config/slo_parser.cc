#include "config/slo_parser.h"

#include <algorithm>
#include <cstdio>

#include "config/fields.h"
#include "config/suggest.h"

namespace sonde {
namespace {

// Sloth's name rule: it becomes a label value and part of alert names.
bool IsSloName(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

}  // namespace

std::vector<SloSpec> ParseSlos(ParseContext& ctx, const toml::table& slos,
                               const std::vector<Journey>& journeys) {
  std::vector<std::string> names;
  for (const Journey& j : journeys) names.push_back(j.name);
  std::vector<SloSpec> out;
  for (auto [key, node] : InFileOrder(slos)) {
    const std::string name(key->str());
    if (!IsSloName(name)) {
      ReportAt(ctx, Where(*key), "slo",
               "bad SLO name \"" + name + "\": use letters, digits, '_' and '-'");
    }
    const toml::table* table = node->as_table();
    if (!table) {
      ReportAt(ctx, Where(*node), "slo",
               "\"" + name + "\" must be a table, got " + std::string(TypeName(*node)));
      continue;
    }
    const std::string path = "slo." + PathSegment(name);
    TableReader r(ctx, *table, path, "slo \"" + name + "\"",
                  {"journey", "kind", "objective", "window", "threshold", "target", "location",
                   "description", "runbook_url"});
    SloSpec slo;
    slo.name = name;
    slo.where = Where(*table);
    if (std::optional<std::string> journey = r.String("journey", /*required=*/true)) {
      slo.journey = *journey;
      if (std::find(names.begin(), names.end(), *journey) == names.end()) {
        std::string message = "unknown journey \"" + *journey + "\"";
        if (auto guess = ClosestMatch(*journey, names))
          message += " (did you mean \"" + *guess + "\"?)";
        r.Error(Where(*table->get("journey")), message);
      }
    }
    if (std::optional<std::string> kind = r.String("kind")) {
      if (*kind == "availability") {
        slo.kind = SloSpec::Kind::kAvailability;
      } else if (*kind == "latency") {
        slo.kind = SloSpec::Kind::kLatency;
      } else {
        r.Error(Where(*table->get("kind")),
                "unknown kind \"" + *kind + "\" (use availability or latency)");
      }
    }
    if (const toml::node* objective = r.Get("objective", /*required=*/true)) {
      std::optional<double> v;
      if (const auto* i = objective->as_integer()) v = static_cast<double>(i->get());
      if (const auto* f = objective->as_floating_point()) v = f->get();
      if (!v) {
        r.WrongType(*objective, "objective", "a number (percent)");
      } else if (!(*v > 0 && *v <= 100)) {
        char text[32];
        std::snprintf(text, sizeof text, "%.12g", *v);
        r.Error(Where(*objective), "\"objective\" must be in (0, 100], got " + std::string(text));
      } else {
        slo.objective = *v;
      }
    }
    if (std::optional<Duration> window = r.ReadDuration("window")) {
      // Short periods are for test setups; below 10m no rate window fits.
      if (*window < std::chrono::minutes(10)) {
        r.Error(Where(*table->get("window")), "\"window\" must be at least 10m");
      } else {
        slo.window = *window;
      }
    }
    slo.threshold = r.ReadDuration("threshold");
    if (slo.kind == SloSpec::Kind::kLatency && !slo.threshold && !table->get("threshold")) {
      r.Error(slo.where, "a latency SLO needs \"threshold\" (e.g. \"3s\")");
    } else if (slo.kind == SloSpec::Kind::kAvailability && table->get("threshold")) {
      r.Error(Where(*table->get("threshold")), "\"threshold\" is for latency SLOs");
    }
    slo.target = r.String("target").value_or("");
    slo.location = r.String("location").value_or("");
    slo.description = r.String("description").value_or("");
    slo.runbook_url = r.String("runbook_url").value_or("");
    out.push_back(std::move(slo));
  }
  return out;
}

}  // namespace sonde
