// The durable result store: one SQLite database (WAL) in the configured data
// directory, holding every run, fault event and drill event, each table
// append-only and covered by a hash chain (row_chain.h) so that a changed,
// deleted or reordered row is detected by Verify(). Pruning old rows keeps
// the chain verifiable: before rows go, a checkpoint signed with the store's
// Ed25519 key records the hash of the last row removed, and the remaining
// rows chain from it.
//
// Layout of the data directory:
//   results.db (+ -wal, -shm)  the database; schema version in PRAGMA user_version
//   store.key                  the checkpoint-signing key (mode 0600), made on first open
//
// Errors throw StoreError naming the file and the operation.
// Thread-safety: one ResultStore per thread; several processes may open the
// same directory (SQLite locks; writers chain from the head stored in the
// database, not from memory).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reporter/run_evidence.h"
#include "reporter/run_facts.h"
#include "reporter/sqlite_db.h"
#include "reporter/store_records.h"
#include "signer/ed25519.h"

namespace sonde {

inline constexpr int kStoreSchemaVersion = 2;

struct VerifyReport {
  bool ok = true;
  std::string problem;  // the first bad row, named ("runs row 57: ..."), when !ok
  int64_t runs = 0, fault_events = 0, drill_events = 0, checkpoints = 0;
  int64_t pruned_rows = 0;  // rows removed under signed checkpoints
};

// Which runs the aggregates below read: `journey`'s, and only `target`'s
// and `location`'s when those are not empty.
struct RunSelection {
  std::string journey, target, location;
};

// What CountRuns finds. Runs in maintenance, then infra_error runs, are
// excluded as BuildSloReport excludes them (an outcome the store cannot
// name counts as infra_error there too); of the others, `bad` are the
// failed ones, or those slower than `slow_over_us` when that is given (a
// latency SLO), and the rest are good (degraded included).
struct RunCounts {
  int64_t good = 0, bad = 0;
  int64_t excluded_maintenance = 0, excluded_infra = 0;
};

struct PruneReport {
  int64_t runs = 0, fault_events = 0, drill_events = 0;  // rows removed now
};

class ResultStore {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Opens (kReadWrite: creating the directory and database, migrating an
  // older schema) the store in `dir`.
  ResultStore(const std::string& dir, Mode mode);
  ~ResultStore();

  const std::string& dir() const { return dir_; }
  const std::string& db_path() const;

  // Appends in one transaction; assigns ids.
  void AppendRuns(std::vector<RunRecord>& runs);
  void AppendFaultEvent(FaultEvent& event);
  void AppendDrillEvent(DrillEvent& event);

  // Runs that finished in [from_us, to_us), by finish time; only `journey`'s
  // when given.
  std::vector<RunRecord> RunsFinishedBetween(int64_t from_us, int64_t to_us,
                                             const std::string* journey = nullptr);
  // The same runs as facts (run_facts.h), their strings in `pool`, by id
  // (not re-sorted): what reports and the status page read.
  std::vector<RunFact> RunFactsFinishedBetween(int64_t from_us, int64_t to_us,
                                               const std::string* journey, StringPool& pool);
  // Aggregates computed by SQLite rather than over facts in memory: what a
  // process that reads the same long window again and again (the status
  // page, the chaos schedule's budget guard) uses, so that its memory does
  // not grow with the runs the window holds.
  //
  // The selected runs that finished in [from, to), judged.
  RunCounts CountRuns(const RunSelection& which, int64_t from_us, int64_t to_us,
                      std::optional<int64_t> slow_over_us);
  // The nearest-rank `percent`ile (as NearestRank, sla_report.h) of the
  // durations of the selected runs that finished in [from, to) and count
  // (neither maintenance nor infra_error); nullopt without any.
  std::optional<int64_t> DurationPercentile(const RunSelection& which, int64_t from_us,
                                            int64_t to_us, int percent);

  // The evidence of the runs with these ids (RunFact::id), for those that
  // have some and are still stored.
  std::map<int64_t, Evidence> EvidenceOfRuns(const std::vector<int64_t>& ids);

  // Every fault/drill event at or before `until_us`, oldest first.
  std::vector<FaultEvent> FaultEvents(int64_t until_us);
  std::vector<DrillEvent> DrillEvents(int64_t until_us);

  // Removes runs that finished, and events that happened, before `cutoff_us`
  // (as a prefix of each table: the chain needs it), recording a checkpoint
  // signed by `key` first. Idempotent.
  PruneReport Prune(int64_t cutoff_us, const signer::KeyPair& key);

  // Walks every chain in one read transaction. Checkpoint signatures must
  // verify under `checkpoint_key`.
  VerifyReport Verify(const std::optional<signer::PublicKey>& checkpoint_key);

 private:
  std::string dir_;
  std::unique_ptr<SqliteDb> db_;
  // Read-only, an older store is read as it is (store_schema.h).
  int64_t schema_version_ = 0;
};

// The store's checkpoint-signing key in `dir` (store.key), created on first
// use. Throws StoreError when it exists but cannot be loaded.
signer::KeyPair LoadOrCreateStoreKey(const std::string& dir);
// Its public key when the file exists and loads; nullopt otherwise.
std::optional<signer::PublicKey> StorePublicKey(const std::string& dir);

// Faults and drills as windows: each inject paired with the next revert of
// the same (drill, fault, kind, target); each start with the next end of the
// same drill. Only windows overlapping [from_us, to_us) are kept.
std::vector<FaultWindow> FaultWindowsOf(const std::vector<FaultEvent>& events, int64_t from_us,
                                        int64_t to_us);
std::vector<DrillWindow> DrillWindowsOf(const std::vector<DrillEvent>& events, int64_t from_us,
                                        int64_t to_us);

}  // namespace sonde
