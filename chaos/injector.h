// Injecting and reverting with the journal: the revert is journaled (and
// fsynced) before the inject step runs; an inject that fails is reverted at
// once; a revert that succeeds is marked in the journal. Heal() reverts
// whatever the journal holds, whoever injected it.
//
// Thread-safety: a FaultSession is used by one thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "chaos/fault.h"
#include "chaos/journal.h"

namespace sonde {
class StoreWriter;
}

namespace sonde::chaos {

// A fault injected and not yet reverted, by its journal entry's id.
struct Held {
  FaultSpec spec;
  boost::json::object revert;
};

class FaultSession {
 public:
  FaultSession(Journal& journal, std::string drill) : journal_(journal), drill_(std::move(drill)) {}
  ~FaultSession() = default;

  // The journal entry's id, or why the fault was not injected (it holds
  // nothing then: a failed inject is reverted before this returns).
  std::variant<std::string, std::string> Inject(const FaultSpec& spec, FaultAction action);
  // nullopt when reverted; the fault stays held (and journaled) otherwise.
  std::optional<std::string> Revert(const std::string& id);
  // Reverts every fault held, newest first; the failures.
  std::vector<std::string> RevertAll();

  const std::map<std::string, Held>& held() const { return held_; }

 private:
  Journal& journal_;
  std::string drill_;
  std::map<std::string, Held> held_;
  std::vector<std::string> order_;  // ids, oldest first
};

struct HealReport {
  std::vector<std::string> reverted;  // descriptions of what was undone
  std::vector<std::string> failed;    // what could not be (still in the journal)
  std::vector<std::string> problems;  // malformed journal lines
  std::vector<JournalEntry> reverted_entries;  // what `reverted` describes, with its fields
  int64_t at_us = 0;                           // when the reverts were done
};

HealReport Heal(Journal& journal);

// Writes what a heal reverted into the result store, so that reports close
// those fault windows: a revert event per fault, and an end ("aborted") for
// each drill the faults belonged to — a drill whose process died never wrote
// its own. `store` may be null (no store configured): then nothing is done.
void RecordHeal(const HealReport& report, StoreWriter* store);

}  // namespace sonde::chaos
