#include "reporter/sqlite_db.h"

#include <sqlite3.h>

namespace sonde {

SqliteDb::SqliteDb(const std::string& path, Mode mode) : path_(path) {
  const int flags = mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY
                                            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open result store " + path + ": " + why);
  }
  sqlite3_extended_result_codes(db_, 1);
  // Another process (a report, `store verify`, a second writer) may hold a
  // lock for a moment; wait rather than fail.
  sqlite3_busy_timeout(db_, 5000);
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

void SqliteDb::Exec(std::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string why = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw StoreError("result store " + path_ + ": " + why + " (in: " + text.substr(0, 80) + ")");
  }
}

void SqliteDb::Fail(std::string_view doing) const {
  throw StoreError("result store " + path_ + ": " + std::string(doing) + ": " +
                   sqlite3_errmsg(db_));
}

Statement::Statement(SqliteDb& db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK) {
    db.Fail("preparing \"" + std::string(sql.substr(0, 60)) + "\"");
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int pos, int64_t v) {
  if (sqlite3_bind_int64(stmt_, pos, v) != SQLITE_OK) db_.Fail("binding");
  return *this;
}

Statement& Statement::Bind(int pos, std::string_view v) {
  if (sqlite3_bind_text64(stmt_, pos, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8) !=
      SQLITE_OK)
    db_.Fail("binding");
  return *this;
}

Statement& Statement::Bind(int pos, const std::vector<uint8_t>& blob) {
  if (sqlite3_bind_blob64(stmt_, pos, blob.data(), blob.size(), SQLITE_TRANSIENT) != SQLITE_OK)
    db_.Fail("binding");
  return *this;
}

Statement& Statement::Bind(int pos, std::optional<int64_t> v) {
  return v ? Bind(pos, *v) : BindNull(pos);
}

Statement& Statement::BindNull(int pos) {
  if (sqlite3_bind_null(stmt_, pos) != SQLITE_OK) db_.Fail("binding");
  return *this;
}

bool Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.Fail("executing \"" + std::string(sqlite3_sql(stmt_)).substr(0, 60) + "\"");
}

void Statement::Run() {
  while (Step()) {
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement::Kind Statement::KindOf(int col) const {
  switch (sqlite3_column_type(stmt_, col)) {
    case SQLITE_INTEGER: return Kind::kInteger;
    case SQLITE_FLOAT: return Kind::kFloat;
    case SQLITE_TEXT: return Kind::kText;
    case SQLITE_BLOB: return Kind::kBlob;
    default: return Kind::kNull;
  }
}

int Statement::ColumnCount() const { return sqlite3_column_count(stmt_); }

std::string Statement::ColumnName(int col) const {
  const char* name = sqlite3_column_name(stmt_, col);
  return name ? name : "";
}

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

std::optional<int64_t> Statement::OptionalInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

std::string Statement::Text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

std::string_view Statement::TextView(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n))
           : std::string_view();
}

std::vector<uint8_t> Statement::Blob(int col) const {
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::vector<uint8_t>(p, p + n) : std::vector<uint8_t>();
}

Transaction::Transaction(SqliteDb& db) : db_(db) { db_.Exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.Exec("ROLLBACK");
    } catch (const StoreError&) {
      // The connection is unusable anyway; the caller is already unwinding.
    }
  }
}

void Transaction::Commit() {
  db_.Exec("COMMIT");
  done_ = true;
}

}  // namespace sonde
