#include "reporter/store_schema.h"

#include <string>

#include "reporter/result_store.h"
#include "reporter/sqlite_db.h"

namespace sonde {
namespace {

// PRAGMA application_id: "sond". Tells a sonde store from any other SQLite file.
constexpr int64_t kApplicationId = 0x736f6e64;

// Migration N brings version N-1 to N. Append; never edit a shipped one.
constexpr const char* kMigrations[] = {
    // 1: runs, fault and drill events, checkpoints, chain heads.
    R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  journey TEXT NOT NULL,
  target TEXT NOT NULL,
  location TEXT NOT NULL,
  started_us INTEGER NOT NULL,
  duration_us INTEGER NOT NULL,
  finished_us INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  failing_step TEXT NOT NULL,
  detail TEXT NOT NULL,
  maintenance INTEGER NOT NULL,
  steps TEXT NOT NULL,
  blocks INTEGER,
  hash BLOB NOT NULL
) STRICT;
CREATE INDEX runs_by_journey_finished ON runs (journey, finished_us);
CREATE INDEX runs_by_finished ON runs (finished_us);
CREATE TABLE fault_events (
  id INTEGER PRIMARY KEY,
  at_us INTEGER NOT NULL,
  event TEXT NOT NULL,
  drill TEXT NOT NULL,
  fault TEXT NOT NULL,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL,
  hash BLOB NOT NULL
) STRICT;
CREATE TABLE drill_events (
  id INTEGER PRIMARY KEY,
  at_us INTEGER NOT NULL,
  event TEXT NOT NULL,
  drill TEXT NOT NULL,
  verdict TEXT NOT NULL,
  seed INTEGER,
  detail TEXT NOT NULL,
  hash BLOB NOT NULL
) STRICT;
CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY,
  created_us INTEGER NOT NULL,
  tbl TEXT NOT NULL,
  through_id INTEGER NOT NULL,
  through_hash BLOB NOT NULL,
  pruned_rows INTEGER NOT NULL,
  public_key BLOB NOT NULL,
  signature BLOB NOT NULL,
  hash BLOB NOT NULL
) STRICT;
-- The last row of each chain, updated in the same transaction as the rows:
-- what tells a chain cut short at its end from a chain that ends there.
CREATE TABLE chain_heads (
  tbl TEXT PRIMARY KEY,
  last_id INTEGER NOT NULL,
  last_hash BLOB NOT NULL
) STRICT;
)sql",
    // 2: each run's evidence (run_evidence.h), '' when it has none. ALTER
    // TABLE appends the column after `hash`, where the chain encodes it only
    // when it holds something (store_schema.h), so that every row written
    // before it keeps its hash; and adding it rewrites no row.
    R"sql(
ALTER TABLE runs ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
)sql",
};

constexpr int kLatest = static_cast<int>(std::size(kMigrations));
static_assert(kLatest == kStoreSchemaVersion);

int64_t Pragma(SqliteDb& db, const char* name) {
  Statement s(db, std::string("PRAGMA ") + name);
  return s.Step() ? s.Int(0) : 0;
}

}  // namespace

void CheckStoreVersion(SqliteDb& db) {
  const int64_t app = Pragma(db, "application_id");
  const int64_t version = Pragma(db, "user_version");
  if (app != kApplicationId) {
    if (app == 0 && version == 0) {
      throw StoreError(db.path() + " is empty: no sonde result store has been written there yet");
    }
    throw StoreError(db.path() + " is not a sonde result store (application_id " +
                     std::to_string(app) + ")");
  }
  if (version > kLatest) {
    throw StoreError(db.path() + " has store schema version " + std::to_string(version) +
                     ", newer than this sonde understands (" + std::to_string(kLatest) +
                     "); use a newer sonde");
  }
}

int64_t StoreSchemaVersion(SqliteDb& db) { return Pragma(db, "user_version"); }

void MigrateStore(SqliteDb& db) {
  Transaction tx(db);
  int64_t version = Pragma(db, "user_version");
  const int64_t app = Pragma(db, "application_id");
  if (version == 0 && app == 0) {
    // A new file, unless it already holds someone else's tables.
    Statement tables(db, "SELECT count(*) FROM sqlite_schema");
    if (tables.Step() && tables.Int(0) > 0) {
      throw StoreError(db.path() + " is an SQLite database but not a sonde result store");
    }
    db.Exec("PRAGMA application_id = " + std::to_string(kApplicationId));
  } else {
    CheckStoreVersion(db);
  }
  for (; version < kLatest; ++version) {
    db.Exec(kMigrations[version]);
    db.Exec("PRAGMA user_version = " + std::to_string(version + 1));
  }
  tx.Commit();
}

}  // namespace sonde
