// The result store's schema and its migrations. Every chained table has
// `id INTEGER PRIMARY KEY` first and `hash BLOB` last; the columns between are
// what the chain encodes, in declaration order. Tables are STRICT so a value
// reads back with the type it was written with (and so hashes the same).
#pragma once

namespace sonde {

class SqliteDb;

// Brings the database to kStoreSchemaVersion (see result_store.h), one
// migration per version, each in its own transaction. Throws StoreError when
// the file is not a sonde store, or is newer than this build understands.
void MigrateStore(SqliteDb& db);

// Throws unless the database is a sonde store of a version this build reads.
void CheckStoreVersion(SqliteDb& db);

// The chained tables, in the order Verify walks them.
inline constexpr const char* kChainedTables[] = {"runs", "fault_events", "drill_events",
                                                 "checkpoints"};

}  // namespace sonde
