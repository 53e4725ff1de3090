#include "reporter/result_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <span>
#include <tuple>
#include <variant>

#include "core/unix_time.h"
#include "reporter/row_chain.h"
#include "reporter/run_evidence.h"
#include "reporter/store_schema.h"
#include "signer/encoding.h"
#include "signer/key_file.h"

namespace sonde {
namespace {

// One column's value, as written and as the chain encodes it.
using Value = std::variant<std::monostate, int64_t, std::string, std::vector<uint8_t>>;

void EncodeValue(RowEncoding& e, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) e.OptionalInt(std::nullopt);
  if (const auto* i = std::get_if<int64_t>(&v)) e.Int(*i);
  if (const auto* s = std::get_if<std::string>(&v)) e.Text(*s);
  if (const auto* b = std::get_if<std::vector<uint8_t>>(&v)) e.Bytes(*b);
}

// What a column added by a later migration holds in rows written before it
// existed.
bool IsUnset(const Value& v) {
  const auto* s = std::get_if<std::string>(&v);
  return std::holds_alternative<std::monostate>(v) || (s && s->empty());
}

// A row's encoding (store_schema.h): `columns` (id to before `hash`) in
// order, then each added column that holds something, as its name and its
// value. `added` pairs those columns' names with their values.
RowEncoding Encode(const std::vector<Value>& columns,
                   const std::vector<std::pair<std::string, Value>>& added = {}) {
  RowEncoding e;
  for (const Value& v : columns) EncodeValue(e, v);
  for (const auto& [name, v] : added) {
    if (IsUnset(v)) continue;
    e.Text(name);
    EncodeValue(e, v);
  }
  return e;
}

Value OptionalValue(std::optional<int64_t> v) { return v ? Value(*v) : Value(); }

struct Head {
  int64_t last_id = 0;
  ChainHash last_hash{};
};

Head ReadHead(SqliteDb& db, const std::string& table) {
  Statement s(db, "SELECT last_id, last_hash FROM chain_heads WHERE tbl = ?");
  s.Bind(1, table);
  Head head;
  if (s.Step()) {
    head.last_id = s.Int(0);
    if (auto h = HashFromBytes(s.Blob(1))) head.last_hash = *h;
  }
  return head;
}

void WriteHead(SqliteDb& db, const std::string& table, const Head& head) {
  Statement s(db,
              "INSERT INTO chain_heads (tbl, last_id, last_hash) VALUES (?, ?, ?) "
              "ON CONFLICT (tbl) DO UPDATE SET last_id = excluded.last_id, "
              "last_hash = excluded.last_hash");
  s.Bind(1, table).Bind(2, head.last_id).Bind(3, ToBytes(head.last_hash));
  s.Run();
}

void BindValue(Statement& insert, int pos, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) insert.BindNull(pos);
  if (const auto* i = std::get_if<int64_t>(&v)) insert.Bind(pos, *i);
  if (const auto* s = std::get_if<std::string>(&v)) insert.Bind(pos, std::string_view(*s));
  if (const auto* b = std::get_if<std::vector<uint8_t>>(&v)) insert.Bind(pos, *b);
}

// Appends rows (each without id and hash) to `table` inside the caller's
// transaction; returns the ids given. The last `added_columns.size()` values
// of each row are those of the columns later migrations added (after
// `hash`), named there in table order; the rest are the columns before `hash`.
std::vector<int64_t> AppendChained(SqliteDb& db, const std::string& table,
                                   const std::vector<std::vector<Value>>& rows,
                                   std::span<const char* const> added_columns = {}) {
  std::vector<int64_t> ids;
  if (rows.empty()) return ids;
  Head head = ReadHead(db, table);
  // id, the columns, hash: as many as the row's values plus two.
  std::string sql = "INSERT INTO " + table + " VALUES (?";
  for (size_t i = 0; i < rows.front().size() + 1; ++i) sql += ", ?";
  sql += ")";
  Statement insert(db, sql);
  const size_t n_added = added_columns.size();
  for (const std::vector<Value>& values : rows) {
    const size_t n_before = values.size() - n_added;
    std::vector<Value> row;
    row.reserve(n_before + 1);
    row.emplace_back(head.last_id + 1);
    row.insert(row.end(), values.begin(), values.begin() + static_cast<ptrdiff_t>(n_before));
    std::vector<std::pair<std::string, Value>> added;
    for (size_t i = 0; i < n_added; ++i) added.emplace_back(added_columns[i], values[n_before + i]);
    const ChainHash hash = ChainNext(table, head.last_hash, Encode(row, added));
    int pos = 1;
    for (const Value& v : row) BindValue(insert, pos++, v);
    insert.Bind(pos++, ToBytes(hash));
    for (const auto& [name, v] : added) BindValue(insert, pos++, v);
    insert.Run();
    insert.Reset();
    head.last_id += 1;
    head.last_hash = hash;
    ids.push_back(head.last_id);
  }
  WriteHead(db, table, head);
  return ids;
}

std::vector<Value> RunColumns(const RunRecord& r) {
  return {r.journey,
          r.target,
          r.location,
          r.started_us,
          r.duration_us,
          r.finished_us,
          std::string(ToString(r.outcome)),
          std::string(ToString(r.reason)),
          r.failing_step,
          r.detail,
          int64_t{r.maintenance ? 1 : 0},
          r.steps_json,
          OptionalValue(r.blocks),
          // Added by migration 2, after `hash` (kRunsAddedColumns).
          EvidenceToJson(r.evidence)};
}

// The columns a RunRecord is read from, in ReadRun's order; a store older
// than migration 2 (opened read-only) has no evidence to read.
std::string RunColumnsSql(int64_t version) {
  return std::string(
             "id, journey, target, location, started_us, duration_us, finished_us, outcome, "
             "reason, failing_step, detail, maintenance, steps, blocks, ") +
         (version >= 2 ? "evidence" : "''");
}
// The columns reports read (RunFact), in this order.
std::string FactColumnsSql(int64_t version) {
  return std::string(
             "journey, target, location, failing_step, started_us, duration_us, finished_us, "
             "outcome, reason, maintenance, id, ") +
         (version >= 2 ? "evidence != ''" : "0");
}

// `columns` of the runs that finished in [?1, ?2) (and are journey ?3's when
// `by_journey`), by id. Runs are appended as they finish, so ids follow
// finish times closely: the ids of the period's runs, found in the
// finish-time index alone, bound a sequential scan of the table; fetching
// each row through the index instead is a random read per row (3x slower
// over 2M runs). The unary '+' keeps the planner off the index for the scan.
std::string RunsInPeriodSql(const std::string& columns, bool by_journey) {
  const std::string in_period = " finished_us >= ?1 AND finished_us < ?2";
  return std::string("SELECT ") + columns + " FROM runs WHERE id BETWEEN (SELECT min(id) FROM runs WHERE" +
         in_period + ") AND (SELECT max(id) FROM runs WHERE" + in_period +
         ") AND +finished_us >= ?1 AND +finished_us < ?2" + (by_journey ? " AND +journey = ?3" : "") +
         " ORDER BY id";
}

// " FROM runs WHERE ..." for the runs `which` selects that finished in
// [?1, ?2), by the (journey, finished_us) index; ?3 is the journey, ?4 the
// target and ?5 the location (each bound only when selected).
std::string SelectedRunsSql(const RunSelection& which) {
  return std::string(" FROM runs WHERE journey = ?3 AND finished_us >= ?1 AND finished_us < ?2") +
         (which.target.empty() ? "" : " AND target = ?4") +
         (which.location.empty() ? "" : " AND location = ?5");
}

void BindSelection(Statement& s, const RunSelection& which, int64_t from_us, int64_t to_us) {
  s.Bind(1, from_us).Bind(2, to_us).Bind(3, std::string_view(which.journey));
  if (!which.target.empty()) s.Bind(4, std::string_view(which.target));
  if (!which.location.empty()) s.Bind(5, std::string_view(which.location));
}

std::string OutcomeSql(Outcome o) { return "'" + std::string(ToString(o)) + "'"; }

// SQL true for the runs SLIs count: not in maintenance, and with an outcome
// other than infra_error that the store can name (OutcomeFromString reads
// any other text as infra_error).
std::string CountedRunSql() {
  return "maintenance = 0 AND outcome IN (" + OutcomeSql(Outcome::kSuccess) + ", " +
         OutcomeSql(Outcome::kDegraded) + ", " + OutcomeSql(Outcome::kFailed) + ")";
}

// How many runs finished in [from_us, to_us): the size to reserve, since
// growing a vector of 2M rows moves every one of them several times.
size_t CountRunsInPeriod(SqliteDb& db, int64_t from_us, int64_t to_us) {
  Statement count(db, "SELECT count(*) FROM runs WHERE finished_us >= ?1 AND finished_us < ?2");
  count.Bind(1, from_us).Bind(2, to_us);
  return count.Step() ? static_cast<size_t>(count.Int(0)) : 0;
}

RunRecord ReadRun(const Statement& s) {
  RunRecord r;
  r.id = s.Int(0);
  r.journey = s.Text(1);
  r.target = s.Text(2);
  r.location = s.Text(3);
  r.started_us = s.Int(4);
  r.duration_us = s.Int(5);
  r.finished_us = s.Int(6);
  r.outcome = OutcomeFromString(s.TextView(7)).value_or(Outcome::kInfraError);
  r.reason = ReasonFromString(s.Text(8)).value_or(Reason::kInternal);
  r.failing_step = s.Text(9);
  r.detail = s.Text(10);
  r.maintenance = s.Int(11) != 0;
  r.steps_json = s.Text(12);
  r.blocks = s.OptionalInt(13);
  r.evidence = EvidenceFromJson(s.TextView(14));
  return r;
}

std::string EventName(FaultEventKind k) { return k == FaultEventKind::kInject ? "inject" : "revert"; }
std::string EventName(DrillEventKind k) { return k == DrillEventKind::kStart ? "start" : "end"; }

// What a checkpoint's signature covers.
RowEncoding CheckpointMessage(int64_t created_us, const std::string& table, int64_t through_id,
                              const std::vector<uint8_t>& through_hash, int64_t pruned_rows) {
  RowEncoding m;
  m.Text("sonde.store.checkpoint.v1")
      .Int(created_us)
      .Text(table)
      .Int(through_id)
      .Bytes(through_hash)
      .Int(pruned_rows);
  return m;
}

struct Checkpoint {
  int64_t id = 0;
  int64_t through_id = 0;
  ChainHash through_hash{};
  int64_t pruned_rows = 0;
};

// The latest checkpoint of `table`, if any.
std::optional<Checkpoint> LatestCheckpoint(SqliteDb& db, const std::string& table) {
  Statement s(db,
              "SELECT id, through_id, through_hash, pruned_rows FROM checkpoints WHERE tbl = ? "
              "ORDER BY id DESC LIMIT 1");
  s.Bind(1, table);
  if (!s.Step()) return std::nullopt;
  Checkpoint c;
  c.id = s.Int(0);
  c.through_id = s.Int(1);
  c.through_hash = HashFromBytes(s.Blob(2)).value_or(ChainHash{});
  c.pruned_rows = s.Int(3);
  return c;
}

// Column `c` of the row the statement is on, by the type it holds. A float
// can only appear if someone wrote the row by hand (the tables are STRICT
// and sonde writes none): it encodes as text, so the row fails its hash
// rather than being skipped.
void EncodeStoredValue(RowEncoding& e, const Statement& s, int c) {
  switch (s.KindOf(c)) {
    case Statement::Kind::kNull: e.OptionalInt(std::nullopt); break;
    case Statement::Kind::kInteger: e.Int(s.Int(c)); break;
    case Statement::Kind::kFloat:
    case Statement::Kind::kText: e.Text(s.TextView(c)); break;
    case Statement::Kind::kBlob: e.Bytes(s.Blob(c)); break;
  }
}

// The encoding of the row the statement (a SELECT *) is on, as Encode makes
// it: the columns before `hash_column`, then each one after it (added by a
// later migration; `names` holds every column's name) that is not unset.
RowEncoding EncodeStoredRow(const Statement& s, int hash_column,
                            const std::vector<std::string>& names) {
  RowEncoding e;
  for (int c = 0; c < hash_column; ++c) EncodeStoredValue(e, s, c);
  for (int c = hash_column + 1; c < s.ColumnCount(); ++c) {
    const Statement::Kind kind = s.KindOf(c);
    if (kind == Statement::Kind::kNull || (kind == Statement::Kind::kText && s.TextView(c).empty()))
      continue;
    e.Text(names[static_cast<size_t>(c)]);
    EncodeStoredValue(e, s, c);
  }
  return e;
}

int HashColumn(const Statement& s) {
  for (int c = 0; c < s.ColumnCount(); ++c) {
    if (s.ColumnName(c) == "hash") return c;
  }
  return s.ColumnCount() - 1;
}

std::string Range(int64_t first, int64_t last) {
  return first == last ? "row " + std::to_string(first)
                       : "rows " + std::to_string(first) + ".." + std::to_string(last);
}

// Walks one table's chain; fills `problem` with the first bad row.
struct ChainWalk {
  int64_t rows = 0;
  int64_t pruned = 0;
  std::string problem;
};

ChainWalk WalkChain(SqliteDb& db, const std::string& table) {
  ChainWalk walk;
  ChainHash previous{};
  int64_t expected_id = 1;
  if (table != "checkpoints") {
    if (auto cp = LatestCheckpoint(db, table)) {
      previous = cp->through_hash;
      expected_id = cp->through_id + 1;
      walk.pruned = cp->pruned_rows;
    }
  }
  Statement s(db, "SELECT * FROM " + table + " ORDER BY id");
  const int hash_column = HashColumn(s);
  std::vector<std::string> names;
  for (int c = 0; c < s.ColumnCount(); ++c) names.push_back(s.ColumnName(c));
  while (s.Step()) {
    const int64_t id = s.Int(0);
    if (id < expected_id) {
      walk.problem = table + " row " + std::to_string(id) +
                     ": present although a checkpoint says rows up to " +
                     std::to_string(expected_id - 1) + " were pruned";
      return walk;
    }
    if (id > expected_id) {
      walk.problem = table + " " + Range(expected_id, id - 1) + " missing (ids jump from " +
                     std::to_string(expected_id - 1) + " to " + std::to_string(id) + ")";
      return walk;
    }
    const ChainHash hash = ChainNext(table, previous, EncodeStoredRow(s, hash_column, names));
    const auto stored = HashFromBytes(s.Blob(hash_column));
    if (!stored || *stored != hash) {
      walk.problem = table + " row " + std::to_string(id) +
                     ": content does not match its hash (the row was changed)";
      return walk;
    }
    previous = hash;
    ++expected_id;
    ++walk.rows;
  }
  const Head head = ReadHead(db, table);
  const int64_t last = expected_id - 1;
  if (head.last_id > last) {
    walk.problem = table + " " + Range(last + 1, head.last_id) +
                   " missing at the end (the chain head records row " +
                   std::to_string(head.last_id) + ")";
  } else if (head.last_id < last || (last > 0 && head.last_hash != previous)) {
    walk.problem = table + " row " + std::to_string(last) +
                   ": the chain head records row " + std::to_string(head.last_id) +
                   " with another hash (rows were added or the head was changed)";
  }
  return walk;
}

// Every checkpoint's signature, under `key`.
std::string CheckCheckpointSignatures(SqliteDb& db,
                                      const std::optional<signer::PublicKey>& key) {
  Statement s(db,
              "SELECT id, created_us, tbl, through_id, through_hash, pruned_rows, public_key, "
              "signature FROM checkpoints ORDER BY id");
  while (s.Step()) {
    const std::string where = "checkpoints row " + std::to_string(s.Int(0));
    if (!key) {
      return where + ": cannot check its signature: no store.key in the store's directory and "
                     "no --pubkey given";
    }
    const std::vector<uint8_t> stored_key = s.Blob(6);
    if (stored_key != std::vector<uint8_t>(key->begin(), key->end())) {
      return where + ": signed by " + signer::ToHex(stored_key) + ", not by the expected key " +
             signer::ToHex(*key);
    }
    const std::vector<uint8_t> sig = s.Blob(7);
    signer::Signature signature{};
    if (sig.size() != signature.size()) return where + ": malformed signature";
    std::copy(sig.begin(), sig.end(), signature.begin());
    const RowEncoding message =
        CheckpointMessage(s.Int(1), s.Text(2), s.Int(3), s.Blob(4), s.Int(5));
    if (!signer::Verify(*key, message.bytes(), signature).ok()) {
      return where + ": signature does not verify (the checkpoint was changed)";
    }
  }
  return {};
}

}  // namespace

ResultStore::ResultStore(const std::string& dir, Mode mode) : dir_(dir) {
  const std::string path = (std::filesystem::path(dir) / "results.db").string();
  if (mode == Mode::kReadWrite) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw StoreError("cannot create the store directory " + dir + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);  // runs hold target URLs and error text: the owner's only
  } else if (!std::filesystem::exists(path)) {
    throw StoreError("no result store in " + dir + " (" + path + " does not exist)");
  }
  db_ = std::make_unique<SqliteDb>(path, mode == Mode::kReadOnly ? SqliteDb::Mode::kReadOnly
                                                                 : SqliteDb::Mode::kReadWrite);
  if (mode == Mode::kReadWrite) {
    db_->Exec("PRAGMA journal_mode = WAL");
    // WAL with synchronous=NORMAL: a crash (even kill -9 or power loss) can
    // lose the last transactions but never corrupt the file or half-write a
    // batch, which is what the chain needs.
    db_->Exec("PRAGMA synchronous = NORMAL");
    MigrateStore(*db_);
  } else {
    CheckStoreVersion(*db_);
  }
  schema_version_ = StoreSchemaVersion(*db_);
}

ResultStore::~ResultStore() = default;

const std::string& ResultStore::db_path() const { return db_->path(); }

void ResultStore::AppendRuns(std::vector<RunRecord>& runs) {
  std::vector<std::vector<Value>> rows;
  rows.reserve(runs.size());
  for (const RunRecord& r : runs) rows.push_back(RunColumns(r));
  Transaction tx(*db_);
  const std::vector<int64_t> ids = AppendChained(*db_, "runs", rows, kRunsAddedColumns);
  tx.Commit();
  for (size_t i = 0; i < ids.size(); ++i) runs[i].id = ids[i];
}

void ResultStore::AppendFaultEvent(FaultEvent& e) {
  Transaction tx(*db_);
  e.id = AppendChained(*db_, "fault_events",
                       {{e.at_us, EventName(e.event), e.drill, e.fault, e.kind, e.target,
                         e.detail}})
             .front();
  tx.Commit();
}

void ResultStore::AppendDrillEvent(DrillEvent& e) {
  Transaction tx(*db_);
  e.id = AppendChained(*db_, "drill_events",
                       {{e.at_us, EventName(e.event), e.drill, e.verdict, OptionalValue(e.seed),
                         e.detail}})
             .front();
  tx.Commit();
}

std::vector<RunRecord> ResultStore::RunsFinishedBetween(int64_t from_us, int64_t to_us,
                                                        const std::string* journey) {
  Statement s(*db_, RunsInPeriodSql(RunColumnsSql(schema_version_), journey != nullptr));
  s.Bind(1, from_us).Bind(2, to_us);
  if (journey) s.Bind(3, std::string_view(*journey));
  std::vector<RunRecord> out;
  out.reserve(CountRunsInPeriod(*db_, from_us, to_us));
  while (s.Step()) out.push_back(ReadRun(s));
  // Finish order, as promised (ids may be a little out of it when two
  // writers interleave).
  auto by_finish = [](const RunRecord& a, const RunRecord& b) {
    return a.finished_us < b.finished_us;
  };
  if (!std::is_sorted(out.begin(), out.end(), by_finish)) {
    std::stable_sort(out.begin(), out.end(), by_finish);
  }
  return out;
}

std::vector<RunFact> ResultStore::RunFactsFinishedBetween(int64_t from_us, int64_t to_us,
                                                         const std::string* journey,
                                                         StringPool& pool) {
  Statement s(*db_, RunsInPeriodSql(FactColumnsSql(schema_version_), journey != nullptr));
  s.Bind(1, from_us).Bind(2, to_us);
  if (journey) s.Bind(3, std::string_view(*journey));
  std::vector<RunFact> out;
  out.reserve(CountRunsInPeriod(*db_, from_us, to_us));
  while (s.Step()) {
    RunFact f;
    f.journey = pool.Intern(s.TextView(0));
    f.target = pool.Intern(s.TextView(1));
    f.location = pool.Intern(s.TextView(2));
    f.failing_step = pool.Intern(s.TextView(3));
    f.started_us = s.Int(4);
    f.duration_us = s.Int(5);
    f.finished_us = s.Int(6);
    f.outcome = OutcomeFromString(s.TextView(7)).value_or(Outcome::kInfraError);
    f.reason = ReasonFromString(s.TextView(8)).value_or(Reason::kInternal);
    f.maintenance = s.Int(9) != 0;
    f.id = s.Int(10);
    f.has_evidence = s.Int(11) != 0;
    out.push_back(f);
  }
  return out;
}

RunCounts ResultStore::CountRuns(const RunSelection& which, int64_t from_us, int64_t to_us,
                                 std::optional<int64_t> slow_over_us) {
  const std::string counted = CountedRunSql();
  const std::string bad = slow_over_us ? "duration_us > ?6" : "outcome = " + OutcomeSql(Outcome::kFailed);
  auto sum = [](const std::string& condition) { return "coalesce(sum(" + condition + "), 0)"; };
  Statement s(*db_, "SELECT " + sum("maintenance != 0") + ", " +
                        sum("maintenance = 0 AND NOT (" + counted + ")") + ", " +
                        sum("(" + counted + ") AND " + bad) + ", " +
                        sum("(" + counted + ") AND NOT (" + bad + ")") + SelectedRunsSql(which));
  BindSelection(s, which, from_us, to_us);
  if (slow_over_us) s.Bind(6, *slow_over_us);
  RunCounts out;
  if (s.Step()) {
    out.excluded_maintenance = s.Int(0);
    out.excluded_infra = s.Int(1);
    out.bad = s.Int(2);
    out.good = s.Int(3);
  }
  return out;
}

std::optional<int64_t> ResultStore::DurationPercentile(const RunSelection& which, int64_t from_us,
                                                       int64_t to_us, int percent) {
  const std::string where = SelectedRunsSql(which) + " AND " + CountedRunSql();
  Statement count(*db_, "SELECT count(*)" + where);
  BindSelection(count, which, from_us, to_us);
  const int64_t n = count.Step() ? count.Int(0) : 0;
  if (n == 0) return std::nullopt;
  // NearestRank's rank, counted from the top: with LIMIT 1 OFFSET k SQLite
  // keeps only the k + 1 longest durations while it sorts, and k is the
  // small end (5 % of the runs for a p95).
  const int64_t rank = std::clamp<int64_t>((n * percent + 99) / 100, 1, n);
  Statement s(*db_, "SELECT duration_us" + where + " ORDER BY duration_us DESC LIMIT 1 OFFSET ?6");
  BindSelection(s, which, from_us, to_us);
  s.Bind(6, n - rank);
  if (!s.Step()) return std::nullopt;
  return s.Int(0);
}

std::map<int64_t, Evidence> ResultStore::EvidenceOfRuns(const std::vector<int64_t>& ids) {
  std::map<int64_t, Evidence> out;
  if (schema_version_ < 2) return out;
  Statement s(*db_, "SELECT evidence FROM runs WHERE id = ?");
  for (int64_t id : ids) {
    if (out.count(id)) continue;
    s.Bind(1, id);
    if (s.Step()) {
      Evidence e = EvidenceFromJson(s.TextView(0));
      if (!e.empty()) out.emplace(id, std::move(e));
    }
    s.Reset();
  }
  return out;
}

std::vector<FaultEvent> ResultStore::FaultEvents(int64_t until_us) {
  Statement s(*db_,
              "SELECT id, at_us, event, drill, fault, kind, target, detail FROM fault_events "
              "WHERE at_us <= ? ORDER BY at_us, id");
  s.Bind(1, until_us);
  std::vector<FaultEvent> out;
  while (s.Step()) {
    FaultEvent e;
    e.id = s.Int(0);
    e.at_us = s.Int(1);
    e.event = s.Text(2) == "revert" ? FaultEventKind::kRevert : FaultEventKind::kInject;
    e.drill = s.Text(3);
    e.fault = s.Text(4);
    e.kind = s.Text(5);
    e.target = s.Text(6);
    e.detail = s.Text(7);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<DrillEvent> ResultStore::DrillEvents(int64_t until_us) {
  Statement s(*db_,
              "SELECT id, at_us, event, drill, verdict, seed, detail FROM drill_events "
              "WHERE at_us <= ? ORDER BY at_us, id");
  s.Bind(1, until_us);
  std::vector<DrillEvent> out;
  while (s.Step()) {
    DrillEvent e;
    e.id = s.Int(0);
    e.at_us = s.Int(1);
    e.event = s.Text(2) == "end" ? DrillEventKind::kEnd : DrillEventKind::kStart;
    e.drill = s.Text(3);
    e.verdict = s.Text(4);
    e.seed = s.OptionalInt(5);
    e.detail = s.Text(6);
    out.push_back(std::move(e));
  }
  return out;
}

PruneReport ResultStore::Prune(int64_t cutoff_us, const signer::KeyPair& key) {
  PruneReport report;
  Transaction tx(*db_);
  const std::pair<const char*, const char*> tables[] = {
      {"runs", "finished_us"}, {"fault_events", "at_us"}, {"drill_events", "at_us"}};
  for (auto [table, time_column] : tables) {
    // The rows to go must be a prefix by id: the first row at or after the
    // cutoff, and everything after it, stays.
    Statement first_kept(*db_, std::string("SELECT min(id) FROM ") + table + " WHERE " +
                                   time_column + " >= ?");
    first_kept.Bind(1, cutoff_us);
    first_kept.Step();
    Statement last(*db_, std::string("SELECT max(id) FROM ") + table);
    last.Step();
    if (last.IsNull(0)) continue;  // empty
    const int64_t through = first_kept.IsNull(0) ? last.Int(0) : first_kept.Int(0) - 1;
    const std::optional<Checkpoint> previous = LatestCheckpoint(*db_, table);
    const int64_t already = previous ? previous->through_id : 0;
    if (through <= already) continue;
    Statement row(*db_, std::string("SELECT hash FROM ") + table + " WHERE id = ?");
    row.Bind(1, through);
    if (!row.Step()) continue;  // a gap: Verify will name it; pruning must not hide it
    const std::vector<uint8_t> through_hash = row.Blob(0);
    Statement count(*db_, std::string("SELECT count(*) FROM ") + table + " WHERE id <= ?");
    count.Bind(1, through);
    count.Step();
    const int64_t removed = count.Int(0);
    const int64_t pruned_total = (previous ? previous->pruned_rows : 0) + removed;
    const int64_t now_us = NowUnixMicros();
    const RowEncoding message = CheckpointMessage(now_us, table, through, through_hash, pruned_total);
    const signer::Signature signature = key.Sign(message.bytes());
    AppendChained(*db_, "checkpoints",
                  {{now_us, std::string(table), through, through_hash, pruned_total,
                    std::vector<uint8_t>(key.public_key().begin(), key.public_key().end()),
                    std::vector<uint8_t>(signature.begin(), signature.end())}});
    Statement remove(*db_, std::string("DELETE FROM ") + table + " WHERE id <= ?");
    remove.Bind(1, through);
    remove.Run();
    (std::string_view(table) == "runs"           ? report.runs
     : std::string_view(table) == "fault_events" ? report.fault_events
                                                 : report.drill_events) = removed;
  }
  tx.Commit();
  return report;
}

VerifyReport ResultStore::Verify(const std::optional<signer::PublicKey>& checkpoint_key) {
  VerifyReport report;
  // One read transaction: a snapshot, however many rows the daemon appends
  // meanwhile.
  db_->Exec("BEGIN");
  try {
    for (const char* table : kChainedTables) {
      const ChainWalk walk = WalkChain(*db_, table);
      const std::string_view t(table);
      (t == "runs"           ? report.runs
       : t == "fault_events" ? report.fault_events
       : t == "drill_events" ? report.drill_events
                             : report.checkpoints) = walk.rows;
      report.pruned_rows += walk.pruned;
      if (!walk.problem.empty()) {
        report.ok = false;
        report.problem = walk.problem;
        break;
      }
    }
    if (report.ok) {
      if (std::string problem = CheckCheckpointSignatures(*db_, checkpoint_key); !problem.empty()) {
        report.ok = false;
        report.problem = problem;
      }
    }
  } catch (...) {
    db_->Exec("ROLLBACK");
    throw;
  }
  db_->Exec("COMMIT");
  return report;
}

signer::KeyPair LoadOrCreateStoreKey(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / "store.key").string();
  if (!std::filesystem::exists(path)) {
    const signer::KeyPair key = signer::KeyPair::Generate();
    signer::Status written = signer::WriteKeyFile(path, key);
    if (!written.ok() && written.error().code != signer::ErrorCode::kAlreadyExists) {
      throw StoreError("cannot create the store key: " + written.error().message);
    }
  }
  signer::Result<signer::KeyPair> key = signer::LoadKeyFile(path);
  if (!key.ok()) throw StoreError("cannot load the store key: " + key.error().message);
  return std::move(key).value();
}

std::optional<signer::PublicKey> StorePublicKey(const std::string& dir) {
  signer::Result<signer::KeyPair> key =
      signer::LoadKeyFile((std::filesystem::path(dir) / "store.key").string());
  if (!key.ok()) return std::nullopt;
  return key->public_key();
}

std::vector<FaultWindow> FaultWindowsOf(const std::vector<FaultEvent>& events, int64_t from_us,
                                        int64_t to_us) {
  std::vector<FaultWindow> all;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::vector<size_t>>
      open;
  for (const FaultEvent& e : events) {
    auto key = std::make_tuple(e.drill, e.fault, e.kind, e.target);
    if (e.event == FaultEventKind::kInject) {
      open[key].push_back(all.size());
      all.push_back({e.drill, e.fault, e.kind, e.target, e.at_us, std::nullopt});
    } else if (auto it = open.find(key); it != open.end() && !it->second.empty()) {
      all[it->second.front()].end_us = e.at_us;
      it->second.erase(it->second.begin());
    }
    // A revert with no inject on record (pruned, or a heal of a fault that
    // never took) has no window.
  }
  std::vector<FaultWindow> out;
  for (FaultWindow& w : all) {
    if (w.start_us < to_us && w.end_us.value_or(INT64_MAX) > from_us) out.push_back(std::move(w));
  }
  return out;
}

std::vector<DrillWindow> DrillWindowsOf(const std::vector<DrillEvent>& events, int64_t from_us,
                                        int64_t to_us) {
  std::vector<DrillWindow> all;
  std::map<std::string, std::vector<size_t>> open;
  for (const DrillEvent& e : events) {
    if (e.event == DrillEventKind::kStart) {
      open[e.drill].push_back(all.size());
      all.push_back({e.drill, e.at_us, std::nullopt, "", e.seed});
    } else if (auto it = open.find(e.drill); it != open.end() && !it->second.empty()) {
      DrillWindow& w = all[it->second.front()];
      w.end_us = e.at_us;
      w.verdict = e.verdict;
      if (e.seed) w.seed = e.seed;
      it->second.erase(it->second.begin());
    }
  }
  std::vector<DrillWindow> out;
  for (DrillWindow& w : all) {
    if (w.start_us < to_us && w.end_us.value_or(INT64_MAX) > from_us) out.push_back(std::move(w));
  }
  return out;
}

}  // namespace sonde
