// `sonde rules`: writes the Prometheus rule file (and promtool unit tests)
// for the config's [slo.*] tables.
#include <cstdio>

#include "reporter/slo_rules.h"
#include "service/commands.h"
#include "service/load.h"
#include "service/output_file.h"

namespace sonde {
int CommandRules(const RulesOptions& options) {
  LoadedConfig setup = LoadOrReport(options.config_path, stderr);
  if (!setup.ok()) return 2;
  const std::string rules = RenderSloRules(*setup.config);
  if (auto error = WriteOutput(options.out, rules)) {
    std::fprintf(stderr, "sonde rules: %s\n", error->c_str());
    return 2;
  }
  if (!options.tests.empty()) {
    // promtool resolves rule_files relative to the test file.
    std::string rules_ref = options.out.empty() ? "rules.yml" : options.out;
    const size_t slash = options.tests.rfind('/');
    const std::string test_dir =
        slash == std::string::npos ? "" : options.tests.substr(0, slash + 1);
    if (!test_dir.empty() && rules_ref.rfind(test_dir, 0) == 0)
      rules_ref = rules_ref.substr(test_dir.size());
    if (auto error = WriteOutput(options.tests, RenderSloRuleTests(*setup.config, rules_ref))) {
      std::fprintf(stderr, "sonde rules: %s\n", error->c_str());
      return 2;
    }
  }
  if (!options.out.empty()) {
    std::fprintf(stderr, "sonde rules: %zu SLO%s -> %s%s%s\n", setup.config->slos.size(),
                 setup.config->slos.size() == 1 ? "" : "s", options.out.c_str(),
                 options.tests.empty() ? "" : ", tests -> ", options.tests.c_str());
  }
  return 0;
}

}  // namespace sonde
