#include "chaos/injector.h"

#include <boost/json/serialize.hpp>
#include <chrono>
#include <set>

#include "chaos/revert.h"
#include "core/unix_time.h"
#include "reporter/store_writer.h"

namespace sonde::chaos {

std::variant<std::string, std::string> FaultSession::Inject(const FaultSpec& spec,
                                                            FaultAction action) {
  using Out = std::variant<std::string, std::string>;
  JournalEntry entry{NewEntryId(), NowUnixMicros(), drill_,       spec.name,
                     KindName(spec), spec.target,     action.revert};
  if (auto why = journal_.RecordInject(entry)) {
    return Out(std::in_place_index<1>, "not injected: " + *why);
  }
  if (auto why = action.inject()) {
    // Whatever part of it took: undo now, and say so if that fails too.
    auto undo = ExecuteRevert(action.revert);
    if (!undo) (void)journal_.RecordReverted(entry.id);
    return Out(std::in_place_index<1>,
               "fault \"" + spec.name + "\": " + *why +
                   (undo ? "; its revert failed too (kept in the journal): " + *undo : ""));
  }
  held_[entry.id] = Held{spec, action.revert};
  order_.push_back(entry.id);
  return Out(std::in_place_index<0>, entry.id);
}

std::optional<std::string> FaultSession::Revert(const std::string& id) {
  auto it = held_.find(id);
  if (it == held_.end()) return std::nullopt;  // already reverted
  if (auto why = ExecuteRevert(it->second.revert)) {
    return "reverting \"" + it->second.spec.name + "\": " + *why;
  }
  if (auto why = journal_.RecordReverted(id)) return *why;
  held_.erase(it);
  std::erase(order_, id);
  return std::nullopt;
}

std::vector<std::string> FaultSession::RevertAll() {
  std::vector<std::string> failures;
  const std::vector<std::string> ids(order_.rbegin(), order_.rend());
  for (const std::string& id : ids) {
    if (auto why = Revert(id)) failures.push_back(*why);
  }
  return failures;
}

HealReport Heal(Journal& journal) {
  HealReport report;
  std::vector<JournalEntry> outstanding = journal.Outstanding(&report.problems);
  // Newest first: a later fault may sit on top of an earlier one.
  for (auto it = outstanding.rbegin(); it != outstanding.rend(); ++it) {
    const std::string what = (it->drill.empty() ? "" : it->drill + "/") + it->fault + " (" +
                             it->kind + " on " + it->target + ")";
    if (auto why = ExecuteRevert(it->revert)) {
      report.failed.push_back(what + ": " + *why);
      continue;
    }
    if (auto why = journal.RecordReverted(it->id)) {
      report.failed.push_back(what + ": reverted, but " + *why);
      continue;
    }
    report.reverted.push_back(what);
    report.reverted_entries.push_back(*it);
  }
  report.at_us = NowUnixMicros();
  if (report.failed.empty()) journal.CompactIfClear();
  return report;
}

void RecordHeal(const HealReport& report, StoreWriter* store) {
  if (!store) return;
  std::set<std::string> drills;
  for (const JournalEntry& e : report.reverted_entries) {
    store->Enqueue(FaultEvent{.at_us = report.at_us,
                              .event = FaultEventKind::kRevert,
                              .drill = e.drill,
                              .fault = e.fault,
                              .kind = e.kind,
                              .target = e.target,
                              .detail = "reverted by heal"});
    if (!e.drill.empty()) drills.insert(e.drill);
  }
  // A drill that is over already has its end; a second one is ignored by
  // the reports (an end pairs only with an open start).
  for (const std::string& drill : drills) {
    store->Enqueue(DrillEvent{.at_us = report.at_us,
                              .event = DrillEventKind::kEnd,
                              .drill = drill,
                              .verdict = "aborted",
                              .seed = std::nullopt,
                              .detail = "ended by heal: the drill's process did not finish it"});
  }
}

}  // namespace sonde::chaos
