// The result store's schema and its migrations. Every chained table has
// `id INTEGER PRIMARY KEY` first and then, as first created, `hash BLOB`
// last; the columns from id to before `hash` are what the chain encodes, in
// declaration order. Columns a later migration adds (ALTER TABLE ADD COLUMN,
// so they come after `hash`; they must default to '' or NULL) are encoded
// after those, each only when it holds something other than '' or NULL, as
// its name and then its value: rows written before the column existed keep
// their hashes, and a value moved to another added column still breaks the
// row's. Tables are STRICT so a value reads back with the type it was
// written with (and so hashes the same).
//
// Columns added since: runs.evidence (2).
#pragma once

#include <cstdint>

namespace sonde {

class SqliteDb;

// Brings the database to kStoreSchemaVersion (see result_store.h), one
// migration per version, each in its own transaction. Throws StoreError when
// the file is not a sonde store, or is newer than this build understands.
void MigrateStore(SqliteDb& db);

// Throws unless the database is a sonde store of a version this build reads.
void CheckStoreVersion(SqliteDb& db);

// The store's schema version (PRAGMA user_version). A store opened read-only
// may be older than kStoreSchemaVersion: readers then go without the
// columns added since.
int64_t StoreSchemaVersion(SqliteDb& db);

// The chained tables, in the order Verify walks them.
inline constexpr const char* kChainedTables[] = {"runs", "fault_events", "drill_events",
                                                 "checkpoints"};

// The columns later migrations added to `runs`, after `hash`, in order.
inline constexpr const char* kRunsAddedColumns[] = {"evidence"};

}  // namespace sonde
