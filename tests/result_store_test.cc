// The result store: rows round-trip (with their evidence); any edit,
// deletion or reordering is detected with the right row named; a store
// written by schema version 1 reads, migrates and still verifies with new
// rows after its old ones; pruning keeps the chain verifiable under a signed
// checkpoint; the writer drops and counts when its queue is full and drains
// on stop.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <thread>

#include "reporter/result_store.h"
#include "reporter/row_chain.h"
#include "reporter/run_record.h"
#include "reporter/store_schema.h"
#include "reporter/store_writer.h"
#include "signer/encoding.h"
#include "tests/support/temp_dir.h"

namespace sonde {
namespace {

RunRecord MakeRun(int i, int64_t finished_us = 1'700'000'000'000'000) {
  RunRecord r;
  r.journey = i % 2 ? "tx_submit_confirm" : "node_activation";
  r.target = "http://127.0.0.1:2660" + std::to_string(i % 3);
  r.location = "eu-1";
  r.duration_us = 1000 + i;
  r.finished_us = finished_us + i * 1'000'000;
  r.started_us = r.finished_us - r.duration_us;
  r.outcome = i % 5 == 0 ? Outcome::kFailed : Outcome::kSuccess;
  r.reason = i % 5 == 0 ? Reason::kConnect : Reason::kNone;
  r.failing_step = i % 5 == 0 ? "submit" : "";
  r.detail = i % 5 == 0 ? "connect: refused — «ünïcode»" : "";
  r.maintenance = i == 3;
  r.steps_json = R"([{"name":"submit","us":)" + std::to_string(900 + i) + "}]";
  if (i % 2) r.blocks = i;
  // Every third run kept evidence (run 3: a value with a quote and non-ASCII).
  if (i % 3 == 0) {
    r.evidence = {{"tx_hash", "0x" + std::string(64, static_cast<char>('a' + i % 6))},
                  {"block", "0x1" + std::to_string(i)}};
    if (i == 3) r.evidence.emplace_back("note", "said \"ünïcode\"");
  }
  return r;
}

// Runs SQL on the store's file from a second connection, as someone with
// the sqlite3 shell would.
void Tamper(const std::string& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((std::filesystem::path(dir) / "results.db").c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "") << " in " << sql;
  sqlite3_free(error);
  sqlite3_close(db);
}

int64_t UserVersion(const std::string& dir) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open((std::filesystem::path(dir) / "results.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr), SQLITE_OK);
  const int64_t version = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  sqlite3_finalize(s);
  sqlite3_close(db);
  return version;
}

std::string SqlText(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string SqlBlob(const ChainHash& h) { return "X'" + signer::ToHex(ToBytes(h)) + "'"; }

// A store as schema version 1 made it (migration 1 of store_schema.cc,
// copied: a shipped migration never changes), holding `runs` (without
// evidence, which version 1 did not have), each hashed as version 1 hashed
// it: every column from id to blocks, in order.
void WriteVersion1Store(const std::string& dir, const std::vector<RunRecord>& runs) {
  std::filesystem::create_directories(dir);
  std::string sql = R"sql(
PRAGMA application_id = 1936682596;
CREATE TABLE runs (
  id INTEGER PRIMARY KEY, journey TEXT NOT NULL, target TEXT NOT NULL, location TEXT NOT NULL,
  started_us INTEGER NOT NULL, duration_us INTEGER NOT NULL, finished_us INTEGER NOT NULL,
  outcome TEXT NOT NULL, reason TEXT NOT NULL, failing_step TEXT NOT NULL, detail TEXT NOT NULL,
  maintenance INTEGER NOT NULL, steps TEXT NOT NULL, blocks INTEGER, hash BLOB NOT NULL
) STRICT;
CREATE INDEX runs_by_journey_finished ON runs (journey, finished_us);
CREATE INDEX runs_by_finished ON runs (finished_us);
CREATE TABLE fault_events (
  id INTEGER PRIMARY KEY, at_us INTEGER NOT NULL, event TEXT NOT NULL, drill TEXT NOT NULL,
  fault TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL,
  hash BLOB NOT NULL
) STRICT;
CREATE TABLE drill_events (
  id INTEGER PRIMARY KEY, at_us INTEGER NOT NULL, event TEXT NOT NULL, drill TEXT NOT NULL,
  verdict TEXT NOT NULL, seed INTEGER, detail TEXT NOT NULL, hash BLOB NOT NULL
) STRICT;
CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY, created_us INTEGER NOT NULL, tbl TEXT NOT NULL,
  through_id INTEGER NOT NULL, through_hash BLOB NOT NULL, pruned_rows INTEGER NOT NULL,
  public_key BLOB NOT NULL, signature BLOB NOT NULL, hash BLOB NOT NULL
) STRICT;
CREATE TABLE chain_heads (
  tbl TEXT PRIMARY KEY, last_id INTEGER NOT NULL, last_hash BLOB NOT NULL
) STRICT;
PRAGMA user_version = 1;
)sql";
  ChainHash previous{};
  int64_t id = 0;
  for (const RunRecord& r : runs) {
    ++id;
    const std::string outcome(ToString(r.outcome)), reason(ToString(r.reason));
    RowEncoding e;
    e.Int(id).Text(r.journey).Text(r.target).Text(r.location).Int(r.started_us);
    e.Int(r.duration_us).Int(r.finished_us).Text(outcome).Text(reason).Text(r.failing_step);
    e.Text(r.detail).Int(r.maintenance ? 1 : 0).Text(r.steps_json).OptionalInt(r.blocks);
    previous = ChainNext("runs", previous, e);
    sql += "INSERT INTO runs VALUES (" + std::to_string(id) + ", " + SqlText(r.journey) + ", " +
           SqlText(r.target) + ", " + SqlText(r.location) + ", " + std::to_string(r.started_us) +
           ", " + std::to_string(r.duration_us) + ", " + std::to_string(r.finished_us) + ", " +
           SqlText(outcome) + ", " + SqlText(reason) + ", " + SqlText(r.failing_step) + ", " +
           SqlText(r.detail) + ", " + (r.maintenance ? "1" : "0") + ", " + SqlText(r.steps_json) +
           ", " + (r.blocks ? std::to_string(*r.blocks) : "NULL") + ", " + SqlBlob(previous) +
           ");\n";
  }
  sql += "INSERT INTO chain_heads VALUES ('runs', " + std::to_string(id) + ", " +
         SqlBlob(previous) + ");";
  Tamper(dir, sql);
}

class ResultStoreTest : public ::testing::Test {
 protected:
  TempDir tmp_{"sonde-store"};

  // `n` runs in a new store.
  void Fill(int n) {
    ResultStore store(dir_, ResultStore::Mode::kReadWrite);
    std::vector<RunRecord> runs;
    for (int i = 1; i <= n; ++i) runs.push_back(MakeRun(i));
    store.AppendRuns(runs);
  }

  VerifyReport Verify() {
    ResultStore store(dir_, ResultStore::Mode::kReadOnly);
    return store.Verify(StorePublicKey(dir_));
  }

  std::string dir_ = tmp_ / "store";
};

TEST_F(ResultStoreTest, RunsRoundTripExactly) {
  ResultStore store(dir_, ResultStore::Mode::kReadWrite);
  std::vector<RunRecord> runs;
  for (int i = 1; i <= 6; ++i) runs.push_back(MakeRun(i));
  store.AppendRuns(runs);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(runs[i].id, i + 1);
  const std::vector<RunRecord> back = store.RunsFinishedBetween(0, INT64_MAX);
  ASSERT_EQ(back.size(), runs.size());
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunRecord& a = runs[i];
    const RunRecord& b = back[i];
    EXPECT_EQ(b.id, a.id);
    EXPECT_EQ(b.journey, a.journey);
    EXPECT_EQ(b.target, a.target);
    EXPECT_EQ(b.location, a.location);
    EXPECT_EQ(b.started_us, a.started_us);
    EXPECT_EQ(b.duration_us, a.duration_us);
    EXPECT_EQ(b.finished_us, a.finished_us);
    EXPECT_EQ(b.outcome, a.outcome);
    EXPECT_EQ(b.reason, a.reason);
    EXPECT_EQ(b.failing_step, a.failing_step);
    EXPECT_EQ(b.detail, a.detail);
    EXPECT_EQ(b.maintenance, a.maintenance);
    EXPECT_EQ(b.steps_json, a.steps_json);
    EXPECT_EQ(b.blocks, a.blocks);
    EXPECT_EQ(b.evidence, a.evidence);
  }
  ASSERT_EQ(back[2].evidence.size(), 3u);  // run 3: in the order given
  EXPECT_EQ(back[2].evidence[0].first, "tx_hash");
  EXPECT_EQ(back[2].evidence[2].second, "said \"ünïcode\"");
  EXPECT_TRUE(back[0].evidence.empty());
  const std::string journey = "tx_submit_confirm";
  const auto only = store.RunsFinishedBetween(runs[1].finished_us, runs[5].finished_us, &journey);
  ASSERT_EQ(only.size(), 2u);  // runs 3 and 5 (ids), 2 is the journey's other one but 6 is excluded
  EXPECT_EQ(only[0].id, 3);
  EXPECT_EQ(only[1].id, 5);
  // [from, to): the run finishing at `from` is in, the one at `to` is out.
  const auto half_open = store.RunsFinishedBetween(runs[2].finished_us, runs[4].finished_us, &journey);
  ASSERT_EQ(half_open.size(), 1u);
  EXPECT_EQ(half_open[0].id, 3);
}

TEST_F(ResultStoreTest, AVersion1StoreReadsMigratesAndVerifiesWithNewRowsAfterItsOld) {
  std::vector<RunRecord> old_runs;
  for (int i = 1; i <= 5; ++i) {
    old_runs.push_back(MakeRun(i));
    old_runs.back().evidence.clear();
  }
  WriteVersion1Store(dir_, old_runs);
  // Read-only, as `sonde report` and `sonde store verify` open it: read as it
  // is, without evidence, and not migrated.
  {
    ResultStore store(dir_, ResultStore::Mode::kReadOnly);
    const VerifyReport v = store.Verify(std::nullopt);
    EXPECT_TRUE(v.ok) << v.problem;
    EXPECT_EQ(v.runs, 5);
    const std::vector<RunRecord> back = store.RunsFinishedBetween(0, INT64_MAX);
    ASSERT_EQ(back.size(), 5u);
    EXPECT_EQ(back[4].detail, old_runs[4].detail);
    for (const RunRecord& r : back) EXPECT_TRUE(r.evidence.empty());
    StringPool pool;
    const std::vector<RunFact> facts = store.RunFactsFinishedBetween(0, INT64_MAX, nullptr, pool);
    ASSERT_EQ(facts.size(), 5u);
    EXPECT_EQ(facts[2].id, 3);
    EXPECT_FALSE(facts[2].has_evidence);
    EXPECT_TRUE(store.EvidenceOfRuns({1, 3}).empty());
  }
  EXPECT_EQ(UserVersion(dir_), 1);

  // Read-write migrates; new rows (with evidence and without) chain on.
  {
    ResultStore store(dir_, ResultStore::Mode::kReadWrite);
    std::vector<RunRecord> more = {MakeRun(6), MakeRun(7), MakeRun(9)};
    store.AppendRuns(more);
    EXPECT_EQ(more[0].id, 6);
  }
  EXPECT_EQ(UserVersion(dir_), kStoreSchemaVersion);
  VerifyReport v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.runs, 8);
  {
    ResultStore store(dir_, ResultStore::Mode::kReadOnly);
    const std::vector<RunRecord> back = store.RunsFinishedBetween(0, INT64_MAX);
    ASSERT_EQ(back.size(), 8u);
    EXPECT_TRUE(back[2].evidence.empty());  // old run 3
    EXPECT_EQ(back[5].evidence, MakeRun(6).evidence);
    EXPECT_TRUE(back[6].evidence.empty());
    EXPECT_EQ(back[7].evidence, MakeRun(9).evidence);
    StringPool pool;
    const std::vector<RunFact> facts = store.RunFactsFinishedBetween(0, INT64_MAX, nullptr, pool);
    ASSERT_EQ(facts.size(), 8u);
    EXPECT_FALSE(facts[2].has_evidence);
    EXPECT_TRUE(facts[5].has_evidence);
    EXPECT_FALSE(facts[6].has_evidence);
    const std::map<int64_t, Evidence> evidence = store.EvidenceOfRuns({3, 6, 7, 8, 99});
    ASSERT_EQ(evidence.size(), 2u);
    EXPECT_EQ(evidence.at(6), MakeRun(6).evidence);
    EXPECT_EQ(evidence.at(8), MakeRun(9).evidence);
  }

  // The old rows stay covered: evidence slipped into one is found, and so
  // is an edit of a new row's.
  Tamper(dir_, R"(UPDATE runs SET evidence = '{"tx_hash":"0x01"}' WHERE id = 2)");
  v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.problem.rfind("runs row 2: content", 0), 0u) << v.problem;
  Tamper(dir_, "UPDATE runs SET evidence = '' WHERE id = 2");
  ASSERT_TRUE(Verify().ok);
  Tamper(dir_, "UPDATE runs SET evidence = replace(evidence, '0x16', '0x17') WHERE id = 6");
  v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.problem.rfind("runs row 6: content", 0), 0u) << v.problem;
}

TEST_F(ResultStoreTest, AFreshStoreVerifiesWithItsCounts) {
  Fill(10);
  {
    ResultStore store(dir_, ResultStore::Mode::kReadWrite);
    FaultEvent f{.at_us = 5, .event = FaultEventKind::kInject, .drill = "d", .fault = "kill2",
                 .kind = "kill", .target = "node2", .detail = ""};
    store.AppendFaultEvent(f);
    DrillEvent d{.at_us = 4, .event = DrillEventKind::kStart, .drill = "d", .verdict = "", .seed = 42, .detail = ""};
    store.AppendDrillEvent(d);
  }
  const VerifyReport v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.runs, 10);
  EXPECT_EQ(v.fault_events, 1);
  EXPECT_EQ(v.drill_events, 1);
  EXPECT_EQ(v.checkpoints, 0);
}

struct Edit {
  const char* sql;
  const char* expected;  // the start of the problem Verify names
};

class ResultStoreTamperTest : public ResultStoreTest, public ::testing::WithParamInterface<Edit> {};

TEST_P(ResultStoreTamperTest, IsDetectedAndTheRowNamed) {
  Fill(10);
  ASSERT_TRUE(Verify().ok);
  Tamper(dir_, GetParam().sql);
  const VerifyReport v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.problem.substr(0, std::string(GetParam().expected).size()), GetParam().expected)
      << v.problem;
}

INSTANTIATE_TEST_SUITE_P(
    EveryKindOfEdit, ResultStoreTamperTest,
    ::testing::Values(
        Edit{"UPDATE runs SET outcome = 'success' WHERE id = 5", "runs row 5: content"},
        Edit{"UPDATE runs SET duration_us = duration_us - 1 WHERE id = 1", "runs row 1: content"},
        Edit{"UPDATE runs SET target = target || ' ' WHERE id = 10", "runs row 10: content"},
        Edit{"UPDATE runs SET blocks = NULL WHERE id = 7", "runs row 7: content"},
        Edit{"UPDATE runs SET steps = '[]' WHERE id = 2", "runs row 2: content"},
        Edit{"UPDATE runs SET detail = 'x' WHERE id = 5", "runs row 5: content"},
        Edit{"UPDATE runs SET maintenance = 0 WHERE id = 3", "runs row 3: content"},
        Edit{"DELETE FROM runs WHERE id = 4", "runs row 4 missing"},
        Edit{"DELETE FROM runs WHERE id IN (4, 5, 6)", "runs rows 4..6 missing"},
        Edit{"DELETE FROM runs WHERE id = 1", "runs row 1 missing"},
        Edit{"DELETE FROM runs WHERE id = 10", "runs row 10 missing at the end"},
        // Swapping two rows' contents (ids kept): both hashes move with them.
        Edit{"UPDATE runs SET id = -1 WHERE id = 6; UPDATE runs SET id = 6 WHERE id = 7; "
             "UPDATE runs SET id = 7 WHERE id = -1",
             "runs row 6: content"},
        // A forged row appended without knowing how to chain it.
        Edit{"INSERT INTO runs SELECT 11, journey, target, location, started_us, duration_us, "
             "finished_us, outcome, reason, failing_step, detail, maintenance, steps, blocks, "
             "hash, evidence FROM runs WHERE id = 10",
             "runs row 11: content"},
        Edit{"UPDATE chain_heads SET last_id = 9 WHERE tbl = 'runs'", "runs row 10: the chain head"},
        // Evidence: a value changed, removed, added to a run that had none,
        // or reordered.
        Edit{"UPDATE runs SET evidence = replace(evidence, '0x16', '0x17') WHERE id = 6",
             "runs row 6: content"},
        Edit{"UPDATE runs SET evidence = '' WHERE id = 9", "runs row 9: content"},
        Edit{"UPDATE runs SET evidence = '{\"tx_hash\":\"0x01\"}' WHERE id = 4",
             "runs row 4: content"},
        Edit{"UPDATE runs SET evidence = '{\"block\":\"0x13\",\"tx_hash\":\"' || "
             "json_extract(evidence, '$.tx_hash') || '\",\"note\":\"said \\\"ünïcode\\\"\"}' "
             "WHERE id = 3",
             "runs row 3: content"}));

TEST_F(ResultStoreTest, EditedEventsAreDetected) {
  {
    ResultStore store(dir_, ResultStore::Mode::kReadWrite);
    for (int i = 0; i < 3; ++i) {
      FaultEvent f{.at_us = 10 + i, .event = i % 2 ? FaultEventKind::kRevert : FaultEventKind::kInject,
                   .drill = "d", .fault = "p", .kind = "pause", .target = "node3", .detail = ""};
      store.AppendFaultEvent(f);
    }
  }
  Tamper(dir_, "UPDATE fault_events SET at_us = 99 WHERE id = 2");
  const VerifyReport v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.problem.substr(0, 22), "fault_events row 2: co") << v.problem;
}

TEST_F(ResultStoreTest, PruningKeepsTheChainVerifiable) {
  const int64_t day = 86'400'000'000;
  const int64_t t0 = 1'700'000'000'000'000;
  {
    ResultStore store(dir_, ResultStore::Mode::kReadWrite);
    std::vector<RunRecord> runs;
    for (int i = 1; i <= 20; ++i) runs.push_back(MakeRun(0, t0 + i * day));
    store.AppendRuns(runs);
    const signer::KeyPair key = LoadOrCreateStoreKey(dir_);
    // Runs 1..7 finished before day 8.
    PruneReport p = store.Prune(t0 + 8 * day, key);
    EXPECT_EQ(p.runs, 7);
    // Pruning again at the same cutoff does nothing.
    EXPECT_EQ(store.Prune(t0 + 8 * day, key).runs, 0);
    // More runs after pruning chain on as before.
    std::vector<RunRecord> more;
    more.push_back(MakeRun(0, t0 + 30 * day));
    store.AppendRuns(more);
    EXPECT_EQ(more[0].id, 21);
    p = store.Prune(t0 + 12 * day, key);
    EXPECT_EQ(p.runs, 4);
    EXPECT_EQ(store.RunsFinishedBetween(0, INT64_MAX).size(), 10u);
  }
  VerifyReport v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.runs, 10);
  EXPECT_EQ(v.checkpoints, 2);
  EXPECT_EQ(v.pruned_rows, 11);

  // The checkpoint's signature binds it to the store's key.
  {
    ResultStore store(dir_, ResultStore::Mode::kReadOnly);
    const signer::KeyPair other = signer::KeyPair::Generate();
    const VerifyReport wrong = store.Verify(other.public_key());
    EXPECT_FALSE(wrong.ok);
    EXPECT_NE(wrong.problem.find("checkpoints row 1: signed by"), std::string::npos)
        << wrong.problem;
  }
  // A remaining row edited after pruning is still found.
  Tamper(dir_, "UPDATE runs SET outcome = 'success' WHERE id = 12");
  v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.problem.substr(0, 20), "runs row 12: content") << v.problem;
}

TEST_F(ResultStoreTest, ACheckpointCannotBeMovedToHideDeletions) {
  const int64_t t0 = 1'700'000'000'000'000;
  {
    ResultStore store(dir_, ResultStore::Mode::kReadWrite);
    std::vector<RunRecord> runs;
    for (int i = 1; i <= 10; ++i) runs.push_back(MakeRun(0, t0 + i * int64_t{1'000'000'000}));
    store.AppendRuns(runs);
    ASSERT_EQ(store.Prune(t0 + 4 * int64_t{1'000'000'000}, LoadOrCreateStoreKey(dir_)).runs, 3);
  }
  ASSERT_TRUE(Verify().ok);
  // Deleting rows 4 and 5 and claiming the checkpoint covered them: its row
  // in the checkpoint chain no longer matches its hash.
  Tamper(dir_, "DELETE FROM runs WHERE id <= 5; UPDATE checkpoints SET through_id = 5");
  const VerifyReport v = Verify();
  EXPECT_FALSE(v.ok);
  // Row 6 now chains from the hash the checkpoint kept for row 3.
  EXPECT_EQ(v.problem.rfind("runs row 6: content does not match its hash", 0), 0u) << v.problem;
}

TEST_F(ResultStoreTest, RefusesFilesThatAreNotStores) {
  std::filesystem::create_directories(dir_);
  Tamper(dir_, "CREATE TABLE other (x)");
  try {
    ResultStore store(dir_, ResultStore::Mode::kReadWrite);
    FAIL() << "opened a foreign database";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("not a sonde result store"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir_);
  Fill(1);
  Tamper(dir_, "PRAGMA user_version = 99");
  try {
    ResultStore store(dir_, ResultStore::Mode::kReadOnly);
    FAIL() << "opened a newer schema";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99, newer"), std::string::npos)
        << e.what();
  }
  try {
    ResultStore store(dir_ + "-none", ResultStore::Mode::kReadOnly);
    FAIL() << "opened a missing store";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("no result store in"), std::string::npos) << e.what();
  }
}

TEST_F(ResultStoreTest, WriterDrainsItsQueueOnStop) {
  {
    StoreWriter writer({.dir = dir_, .location = "eu-1", .queue_capacity = 10000, .batch_size = 512, .keep = std::nullopt});
    for (int i = 1; i <= 2000; ++i) ASSERT_TRUE(writer.Enqueue(MakeRun(i)));
    writer.Stop();
    EXPECT_EQ(writer.written(), 2000u);
    EXPECT_EQ(writer.dropped(), 0u);
  }
  const VerifyReport v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.runs, 2000);
}

TEST_F(ResultStoreTest, AFullQueueDropsAndCounts) {
  Fill(1);
  std::atomic<int> dropped_hook{0};
  constexpr size_t kCapacity = 50, kBatch = 10;
  constexpr int kSent = 200;
  StoreWriter writer({.dir = dir_, .location = "", .queue_capacity = kCapacity, .batch_size = kBatch, .keep = std::nullopt},
                     {.written = nullptr, .dropped = [&] { ++dropped_hook; }, .write_failed = nullptr});
  // Another connection holds the write lock, so the writer's first batch
  // waits on it while the queue fills up behind it.
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open((std::filesystem::path(dir_) / "results.db").c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  int accepted = 0;
  for (int i = 0; i < kSent; ++i) accepted += writer.Enqueue(MakeRun(i)) ? 1 : 0;
  // At most the queue and one batch fit; everything else was refused.
  EXPECT_LE(accepted, static_cast<int>(kCapacity + kBatch));
  EXPECT_GE(accepted, static_cast<int>(kCapacity));  // the queue itself filled
  EXPECT_EQ(writer.dropped(), static_cast<uint64_t>(kSent - accepted));
  EXPECT_EQ(dropped_hook.load(), kSent - accepted);
  ASSERT_EQ(sqlite3_exec(blocker, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(blocker);
  writer.Stop();
  EXPECT_EQ(writer.written(), static_cast<uint64_t>(accepted));
  const VerifyReport v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.runs, 1 + accepted);
}

TEST(FaultWindows, PairEachInjectWithItsRevert) {
  auto ev = [](int64_t at, FaultEventKind k, std::string target) {
    return FaultEvent{.at_us = at, .event = k, .drill = "d", .fault = "f", .kind = "kill",
                      .target = std::move(target), .detail = ""};
  };
  const std::vector<FaultEvent> events{
      ev(10, FaultEventKind::kInject, "a"), ev(12, FaultEventKind::kInject, "b"),
      ev(20, FaultEventKind::kRevert, "a"), ev(30, FaultEventKind::kInject, "a"),
      ev(5, FaultEventKind::kRevert, "zzz")};  // a revert without inject: no window
  const auto windows = FaultWindowsOf(events, 0, 100);
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_EQ(windows[0].target, "a");
  EXPECT_EQ(windows[0].end_us, 20);
  EXPECT_EQ(windows[1].target, "b");
  EXPECT_FALSE(windows[1].end_us.has_value());
  EXPECT_EQ(windows[2].start_us, 30);
  // Only windows that overlap the period.
  EXPECT_EQ(FaultWindowsOf(events, 21, 25).size(), 1u);  // b, still open
  EXPECT_EQ(FaultWindowsOf(events, 0, 10).size(), 0u);
}

}  // namespace
}  // namespace sonde
