// `sonde heal`: reverts every fault the chaos journal still holds (after a
// crash, a kill -9, a lost terminal). `sonde run` does the same at start.
#include <spdlog/spdlog.h>

#include <cstdio>

#include "chaos/injector.h"
#include "service/commands.h"
#include "service/load.h"

namespace sonde {

int HealJournal(const std::string& journal_path, bool quiet_when_clear) {
  chaos::Journal journal(journal_path);
  const chaos::HealReport report = chaos::Heal(journal);
  for (const std::string& p : report.problems) spdlog::warn("heal: {}", p);
  for (const std::string& r : report.reverted) spdlog::info("heal: reverted {}", r);
  for (const std::string& f : report.failed) spdlog::error("heal: could not revert {}", f);
  if (report.reverted.empty() && report.failed.empty() && !quiet_when_clear) {
    spdlog::info("heal: nothing to revert ({})", journal_path);
  }
  return report.failed.empty() ? 0 : 1;
}

int CommandHeal(const std::string& config_path) {
  const std::shared_ptr<const Config> loaded = LoadConfigOrReport(config_path, stderr);
  if (!loaded) return 2;
  return HealJournal(loaded->chaos.journal, /*quiet_when_clear=*/false);
}

}  // namespace sonde
