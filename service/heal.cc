// `sonde heal`: reverts every fault the chaos journal still holds (after a
// crash, a kill -9, a lost terminal), and records the reverts in the result
// store. `sonde run` and `sonde drill` do the same at start.
#include <spdlog/spdlog.h>

#include <cstdio>

#include "chaos/injector.h"
#include "service/commands.h"
#include "reporter/sqlite_db.h"
#include "reporter/store_writer.h"
#include "service/load.h"

namespace sonde {

int HealJournal(const std::string& journal_path, bool quiet_when_clear, StoreWriter* store) {
  chaos::Journal journal(journal_path);
  const chaos::HealReport report = chaos::Heal(journal);
  chaos::RecordHeal(report, store);
  for (const std::string& p : report.problems) spdlog::warn("heal: {}", p);
  for (const std::string& r : report.reverted) spdlog::info("heal: reverted {}", r);
  for (const std::string& f : report.failed) spdlog::error("heal: could not revert {}", f);
  if (report.reverted.empty() && report.failed.empty() && !quiet_when_clear) {
    spdlog::info("heal: nothing to revert ({})", journal_path);
  }
  return report.failed.empty() ? 0 : 1;
}

std::unique_ptr<StoreWriter> OpenCommandStore(const Config& config) {
  if (!config.store) return nullptr;
  return std::make_unique<StoreWriter>(StoreWriter::Options{.dir = config.store->dir,
                                                            .location = config.service.location,
                                                            .queue_capacity = config.store->queue,
                                                            .batch_size = 512,
                                                            .keep = std::nullopt});
}

int CommandHeal(const std::string& config_path) {
  const std::shared_ptr<const Config> loaded = LoadConfigOrReport(config_path, stderr);
  if (!loaded) return 2;
  std::unique_ptr<StoreWriter> store;
  try {
    store = OpenCommandStore(*loaded);
  } catch (const StoreError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  const int status = HealJournal(loaded->chaos.journal, /*quiet_when_clear=*/false, store.get());
  if (store) store->Stop();  // what the heal recorded is written before exit
  return status;
}

}  // namespace sonde
