#include <cstdio>
#include <variant>

#include "chaos/proxy_links.h"
#include "service/commands.h"
#include "service/load.h"

namespace sonde {

int CommandCheck(const std::string& config_path) {
  LoadedConfig setup = LoadOrReport(config_path, stdout);
  if (!setup.ok()) return 1;
  const std::shared_ptr<const Config>& config = setup.config;
  if (auto warning = ExposureWarning(config->service)) {
    std::printf("%s: warning: %s\n", config_path.c_str(), warning->c_str());
  }
  // Every link a drill or the chaos schedule could cut must exist at the
  // fault proxy: asked now, not found half-way into a drill.
  std::vector<std::pair<std::string, std::vector<std::string>>> needed;
  for (const DrillSpec& d : config->drills) {
    for (const DrillFault& f : d.faults) {
      needed.push_back({d.name + "." + f.name, chaos::LinksNeeded(f, config->chaos)});
    }
  }
  if (config->chaos.schedule) {
    for (const DrillFault& f : config->chaos.schedule->menu) {
      needed.push_back({"schedule." + f.name, chaos::LinksNeeded(f, config->chaos)});
    }
  }
  std::erase_if(needed, [](const auto& n) { return n.second.empty(); });
  if (!needed.empty() && !config->chaos.proxy_api.empty()) {
    auto have = chaos::ProxyLinks(config->chaos.proxy_api);
    if (auto* why = std::get_if<std::string>(&have)) {
      std::printf("%s: warning: links not verified: %s\n", config_path.c_str(), why->c_str());
    } else {
      const auto missing = chaos::MissingLinks(needed, std::get<0>(have), config->chaos.proxy_api);
      for (const std::string& m : missing) std::printf("%s: error: %s\n", config_path.c_str(), m.c_str());
      if (!missing.empty()) return 1;
    }
  }
  size_t runs = 0;
  for (const Journey& j : config->journeys) {
    if (const TargetGroup* g = config->FindTargets(j.target_group)) runs += g->urls.size();
  }
  std::printf("%s: ok (%zu target group%s, %zu journey%s, %zu journey/target pair%s)\n",
              config_path.c_str(), config->targets.size(), config->targets.size() == 1 ? "" : "s",
              config->journeys.size(), config->journeys.size() == 1 ? "" : "s", runs,
              runs == 1 ? "" : "s");
  return 0;
}

}  // namespace sonde
