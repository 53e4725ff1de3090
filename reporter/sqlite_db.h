// A thin RAII layer over the SQLite C API for the result store: a
// connection, prepared statements with typed binds and columns, and a
// transaction guard. Failures throw StoreError naming the database file and
// what was being done. Not thread-safe: one connection per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace sonde {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SqliteDb;

class Statement {
 public:
  Statement(SqliteDb& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // 1-based positions, as SQLite counts them.
  Statement& Bind(int pos, int64_t v);
  Statement& Bind(int pos, std::string_view v);
  Statement& Bind(int pos, const std::vector<uint8_t>& blob);
  Statement& Bind(int pos, std::optional<int64_t> v);
  Statement& BindNull(int pos);

  // True while there is a row; false when done.
  bool Step();
  // Runs to completion (for statements that return no rows).
  void Run();
  void Reset();

  enum class Kind { kNull, kInteger, kFloat, kText, kBlob };
  Kind KindOf(int col) const;
  int ColumnCount() const;
  std::string ColumnName(int col) const;
  bool IsNull(int col) const;
  int64_t Int(int col) const;
  std::optional<int64_t> OptionalInt(int col) const;
  std::string Text(int col) const;
  // Valid until the next Step or Reset.
  std::string_view TextView(int col) const;
  std::vector<uint8_t> Blob(int col) const;

 private:
  SqliteDb& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  enum class Mode { kReadWrite, kReadOnly };
  SqliteDb(const std::string& path, Mode mode);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  void Exec(std::string_view sql);
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }
  [[noreturn]] void Fail(std::string_view doing) const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE (takes the write lock at once, so two writers queue on the
// busy timeout instead of failing mid-transaction); ROLLBACK unless
// Commit() was called.
class Transaction {
 public:
  explicit Transaction(SqliteDb& db);
  ~Transaction();
  void Commit();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace sonde
