#include <cstdio>

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
