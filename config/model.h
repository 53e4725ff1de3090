// The typed configuration model. Built once by the loader (loader.h), fully
// validated, then shared read-only (`std::shared_ptr<const Config>`) by the
// scheduler, runner and reporter. Nothing here changes after load, so any
// thread may read it without locks.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "config/fault_kinds.h"
#include "config/template.h"
#include "core/duration.h"
#include "core/regex.h"
#include "core/result.h"

namespace sonde {

// Where a table or value began in its file, for messages that point at it.
struct SourceLocation {
  uint32_t line = 0;    // 1-based; 0 when unknown
  uint32_t column = 0;  // 1-based
};

struct Header {
  std::string name;
  Template value;
};

struct TlsOptions {
  bool insecure_skip_verify = false;  // never the default; for self-signed test networks
  std::string ca_file;                // PEM bundle to trust instead of the system store
  std::string cert_file;              // client certificate (PEM), with key_file
  std::string key_file;
};

// [targets.GROUP]: the endpoints a journey runs against. A journey runs once
// per URL, and the URL is the `target` label of its metrics.
struct TargetGroup {
  std::string name;
  std::vector<std::string> urls;  // base URLs: scheme://host[:port][/prefix], no trailing '/'
  std::vector<Header> headers;    // sent with every request to this group
  TlsOptions tls;
  SourceLocation where;
};

// A literal that a JSON value is compared with.
using Scalar = std::variant<bool, int64_t, double, std::string>;

enum class JsonOp {
  kEq,  // equals `expected` (numbers compare numerically)
  kNe,  // present and not equal to `expected`
  kLt,  // a number <, <=, >, >= `expected` (a number)
  kLe,
  kGt,
  kGe,
  kExists,   // pointer resolves
  kAbsent,   // pointer does not resolve
  kMatches,  // a string (or a number's JSON text) matched by `regex`
  kType,     // JSON type is `expected`: string, number, integer, boolean, object, array, null
  kMaxAge,   // a Unix time in seconds (any integer spelling) no older than `max_age`
};

struct JsonCheck {
  std::string pointer;  // RFC 6901, e.g. "/result/height"
  JsonOp op = JsonOp::kEq;
  Scalar expected;  // for eq/ne/lt/le/gt/ge/type
  // When the operand was a string with "${...}": rendered when the check
  // runs, then compared as `expected`'s kind (a number for lt/le/gt/ge).
  std::optional<Template> expected_template;
  std::optional<Regex> regex;  // for matches
  Duration max_age{};          // for max_age
  SourceLocation where;
};

// `expect.headers = { "content-type" = "^application/json" }`: some header of
// that name (case-insensitive) matches the regex.
struct HeaderCheck {
  std::string name;  // lower-case
  Regex regex;
  SourceLocation where;
};

// A set of accepted HTTP statuses as inclusive ranges; "2xx" is {200, 299}.
struct StatusSet {
  std::vector<std::pair<int, int>> ranges{{200, 299}};
  bool Contains(int status) const {
    for (auto [lo, hi] : ranges) {
      if (status >= lo && status <= hi) return true;
    }
    return false;
  }
};

struct Expectations {
  StatusSet status;
  std::vector<JsonCheck> json;
  std::vector<HeaderCheck> headers;
  std::optional<Regex> body;      // the body must match
  std::optional<Regex> body_not;  // the body must not match
};

// `extract = { nonce = "/result" }`: the value at the pointer becomes variable
// `nonce` for later steps (strings verbatim, anything else as compact JSON).
struct Extraction {
  std::string variable;
  std::string pointer;
  SourceLocation where;
};

// `http = { method, path, headers, body | json, max_response_bytes }`
struct HttpStep {
  std::string method = "GET";
  Template path;  // appended to the target's base URL; must start with '/'
  std::vector<Header> headers;
  Template body;
  std::string content_type;  // "application/json" when given as `json`, else empty
  size_t max_response_bytes = 4 * 1024 * 1024;
};

// A JSON value written in TOML whose strings are templates: rendered at run
// time, then JSON-escaped, so a variable can never break the document.
struct JsonTemplate {
  enum class Kind { kNull, kBool, kInteger, kDouble, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  Template text;                                              // kString
  std::vector<JsonTemplate> items;                            // kArray
  std::vector<std::pair<std::string, JsonTemplate>> members;  // kObject, in file order
};

// `jsonrpc = { method, params, path, headers, max_response_bytes }`: a
// JSON-RPC 2.0 call POSTed to the target URL (+ path). An `error` member in
// the answer is reason rpc_error; `expect`/`extract` see the whole answer
// (so "/result/..." pointers).
struct JsonRpcStep {
  std::string method;
  JsonTemplate params;  // an array or an object; kNull: omitted
  Template path;        // appended to the target URL; empty: the URL itself
  std::vector<Header> headers;
  size_t max_response_bytes = 4 * 1024 * 1024;
};

// `tcp = { port = 8545 }`: a TCP connect to the target's host (port from the
// target URL unless given), timed. As blackbox_exporter's tcp prober.
struct TcpStep {
  uint16_t port = 0;  // 0: the target URL's port
};

// `tls = { port = 443, server_name = "rpc.example.org" }`: a TLS handshake,
// timed; reports the protocol and the certificate's expiry. Verification
// follows the target group's TLS options.
struct TlsStep {
  uint16_t port = 0;        // 0: the target URL's port
  std::string server_name;  // SNI and name to verify; empty: the URL's host
};

// How bytes are written as text: in a sign step's payload (kText: its
// UTF-8 bytes as they are) and in its output.
enum class ByteEncoding { kText, kHex, kBase64, kBase58 };

// `sign = { key, transfer | activation | claim | payload | evm_tx, into }`:
// signs a canonical message (signer/ENCODING.md) or a raw payload with a
// named Ed25519 key, or an EVM transaction with a secp256k1 key.
//  - Ed25519: its "response" is {"signature", "public_key", "message"} in
//    `output` encoding (hex unless told), and the signature lands in
//    variable `into` (an implicit extraction).
//  - evm_tx: its response is {"raw_tx", "tx_hash", "from"} (0x-hex; from is
//    EIP-55), extracted as variables raw_tx and tx_hash, ready for
//    eth_sendRawTransaction.
struct SignStep {
  enum class Message { kPayload, kTransfer, kActivation, kClaim, kEvmTx };
  std::string key;
  Message message = Message::kPayload;
  Template payload;  // kPayload: decoded per payload_encoding, then signed
  ByteEncoding payload_encoding = ByteEncoding::kText;
  ByteEncoding output = ByteEncoding::kHex;
  // The message's fields by name (chain_id, to, amount, nonce, memo,
  // challenge, node_type, beneficiary; for evm_tx: chain_id, nonce, to,
  // value, data, gas, gas_price | max_fee_per_gas, max_priority_fee_per_gas,
  // base_fee), rendered then parsed. Numbers in any integer spelling.
  std::vector<std::pair<std::string, Template>> fields;
  std::string into = "signature";
};

// `frost = { signers, message, participants, deadline, group_public_key }`:
// sonde as the FROST(Ed25519, SHA-512) coordinator of a signing round across
// the nodes of target group `signers` (GET /v1/mpc/group, POST
// /v1/mpc/round1 and /v1/mpc/round2 on each; signer/ENCODING.md has the
// messages). Every share is verified; a bad one is signature_invalid naming
// its participant, too few answers quorum_not_reached naming the absent and
// late ones.
struct FrostStep {
  std::string signers;                          // a [targets.*] group
  TargetGroup signer_group;                     // that group, resolved at load
  Template message;                             // hex; empty: 32 random bytes per run
  std::vector<uint16_t> participants;           // identifiers to ask; empty: all reachable
  Duration deadline = std::chrono::seconds(2);  // per participant and round
  std::string group_public_key;                 // hex; when set, the nodes' group must match it
};

// `wallet = { name = "probe", spend = "${vars.amount}" }`: reserves the next
// nonce of a [wallet.*] and `spend` units of its daily budget. Its result is
// {"nonce", "balance", "address"}. A balance below the floor or a spend past
// the daily cap ends the run infra_error (reason wallet): the network did
// nothing wrong.
struct WalletSpec;
struct WalletStep {
  std::string wallet;
  Template spend;
  std::shared_ptr<const WalletSpec> spec;  // resolved at load
};

// `sleep = "500ms"`: waits, e.g. between submitting and a first poll.
struct SleepStep {
  Duration duration{};
};

// One alternative per step kind; probes/ maps each to its prober.
using StepAction = std::variant<HttpStep, JsonRpcStep, SignStep, FrostStep, WalletStep, SleepStep,
                                TcpStep, TlsStep>;

// `retry = { policy, attempts, delay, max_delay, deadline, on }`. Only the
// last attempt's result counts; the attempts before it are counted apart.
struct RetryPolicy {
  enum class Policy { kNone, kFixed, kExponential };
  Policy policy = Policy::kNone;
  int max_attempts = 1;              // the first attempt included
  Duration delay{};                  // before the 2nd attempt (and each, if fixed)
  Duration max_delay{};              // caps exponential growth; zero = uncapped
  std::optional<Duration> deadline;  // all attempts of the step together
  std::vector<Reason> on{Reason::kDns, Reason::kConnect, Reason::kTls, Reason::kTimeout};

  bool RetriesOn(Reason r) const {
    for (Reason x : on) {
      if (x == r) return true;
    }
    return false;
  }
  // The wait before attempt `attempt` (2, 3, ...).
  Duration DelayBefore(int attempt) const {
    if (policy != Policy::kExponential) return delay;
    Duration d = delay;
    for (int i = 2; i < attempt; ++i) {
      d *= 2;
      if (max_delay.count() > 0 && d >= max_delay) return max_delay;
    }
    return max_delay.count() > 0 ? std::min(d, max_delay) : d;
  }
};

// Where sonde reads a number from the chain (a poll's height, a wallet's
// balance or nonce): GET target URL + path, or a JSON-RPC call to the target
// URL (`jsonrpc = { method, params }`); then the integer at the JSON pointer,
// written as a JSON number, a hex quantity ("0x1a") or a decimal string.
struct HeightSource {
  Template path;             // GET; empty when `rpc_method` is set
  std::string rpc_method;    // JSON-RPC instead of GET when set
  JsonTemplate rpc_params;   // kNull: no params
  std::string pointer;
};

// `poll = { every, within | within_blocks, height }` with `until = {...}`:
// the step's request repeats every `every` until every `until` check holds.
// Running out of time or blocks is reason not_confirmed.
struct PollSpec {
  Duration every{};
  std::optional<Duration> within;        // wall time for all polls
  std::optional<int64_t> within_blocks;  // blocks for all polls; needs `height`
  std::optional<HeightSource> height;
  std::vector<JsonCheck> until;
};

struct Step {
  std::string name;
  std::string kind;  // "http", ... (the key that held the action)
  StepAction action;
  std::optional<Duration> timeout;  // per attempt; capped by what is left of the journey's
  RetryPolicy retry;
  std::optional<PollSpec> poll;
  std::optional<Duration> degraded_after;  // a correct answer slower than this: degraded
  std::optional<Duration> fail_after;      // a correct answer slower than this: failed, slow
  Expectations expect;
  std::vector<Extraction> extract;
  SourceLocation where;
};

inline constexpr size_t kMaxEvidenceNames = 12;

struct Journey {
  std::string name;
  Duration interval{};
  Duration timeout{};                      // strictly shorter than interval
  std::optional<Duration> degraded_after;  // correct but slower than this: degraded
  std::optional<Duration> fail_after;      // correct but slower than this: failed, slow
  std::string target_group;
  std::vector<std::pair<std::string, std::string>> vars;  // `vars = {...}`, read as ${vars.NAME}
  std::vector<Step> steps;
  SourceLocation where;
  std::optional<Duration> failing_interval;  // runs this often while failing
  // `divergence = { value = "height", tolerance = 2 }`: after a successful
  // run, the number in variable `value` is compared with the median of the
  // latest values of all targets (three at least); further off than
  // `tolerance` fails the run with reason divergence, naming this target.
  struct Divergence {
    std::string variable;
    double tolerance = 0;
  };
  std::optional<Divergence> divergence;
  std::vector<std::string> ephemeral_keys;  // fresh for each run: the ones its steps use
  // `evidence = ["tx_hash", "block"]`: variables kept with every run that
  // reached them (JourneyResult::evidence). Never a key or a secret.
  std::vector<std::string> evidence;  // at most kMaxEvidenceNames
  // Canonical text of everything this journey's runs depend on; equal
  // fingerprints mean a reload may keep the journey's schedule and state.
  std::string fingerprint;
};

// [keys.NAME]: a key that sign steps use, from a key file (mode 0600,
// loaded at start) or `ephemeral = true`: a fresh key for every run (e.g. a
// new node to activate). ${keys.NAME.public} is its public key (hex); a
// secp256k1 key also has ${keys.NAME.address}, its EIP-55 EVM address.
struct KeySpec {
  enum class Type { kEd25519, kSecp256k1 };
  std::string name;
  Type type = Type::kEd25519;
  std::string file;
  bool ephemeral = false;
  SourceLocation where;       // the table
  SourceLocation file_where;  // the `file` value, for load errors
};

// [wallet.NAME]: the account the probe spends from. Its nonce is tracked
// locally — read from the chain at the first run and again after any run
// that used it failed — and its balance is read every run and exported.
struct WalletSpec {
  std::string name;
  std::string key;               // a [keys.*] name
  HeightSource balance;  // the balance (on the run's target)
  HeightSource nonce;    // the next nonce, counting transactions still pending
  // Amounts are decimal text of exact integers (core/integer.h), checked at
  // load: wei amounts pass 2^64, and the model stays free of big headers.
  std::string floor = "0";            // below this balance: infra_error
  std::string daily_spend_cap = "0";  // "0": no cap; spent since 00:00 UTC
  SourceLocation where;
};

// [[maintenance]]: a time range (start/end) or a weekly window (UTC) during
// which the listed journeys (all when none are listed) are paused — not run
// at all — or marked: run, but counted apart from every SLI.
struct MaintenanceWindow {
  enum class Mode { kPause, kMark };
  Mode mode = Mode::kPause;
  std::vector<std::string> journeys;  // empty: every journey
  std::optional<std::chrono::system_clock::time_point> start, end;
  struct Weekly {
    int weekday = 0;             // 0 = Sunday ... 6 = Saturday
    std::chrono::minutes at{0};  // from 00:00 UTC
    Duration duration{};
  };
  std::optional<Weekly> weekly;
  SourceLocation where;

  bool Covers(const std::string& journey, std::chrono::system_clock::time_point t) const {
    if (!journeys.empty() &&
        std::find(journeys.begin(), journeys.end(), journey) == journeys.end()) {
      return false;
    }
    if (start && end) return t >= *start && t < *end;
    if (!weekly) return false;
    using namespace std::chrono;
    const auto week = duration_cast<Duration>(hours(24 * 7));
    // 1970-01-01 was a Thursday (weekday 4): the week's Sunday 00:00 is 4 days earlier.
    const Duration since_sunday =
        (duration_cast<Duration>(t.time_since_epoch()) + duration_cast<Duration>(hours(24 * 4))) %
        week;
    const Duration opens = duration_cast<Duration>(hours(24) * weekly->weekday + weekly->at);
    // The window may run past Saturday midnight into the next week.
    Duration into = since_sunday - opens;
    if (into.count() < 0) into += week;
    return into < weekly->duration;
  }
};

// [slo.NAME]: a service level objective over a journey's runs, turned into
// Prometheus recording rules and burn-rate alerts by `sonde rules`.
struct SloSpec {
  enum class Kind { kAvailability, kLatency };
  std::string name;
  std::string journey;
  Kind kind = Kind::kAvailability;
  double objective = 99.9;  // percent, 0 < objective <= 100
  Duration window = std::chrono::hours(24 * 30);
  std::optional<Duration> threshold;  // latency: runs slower than this are errors
  std::string target;                 // optional: only this target URL
  std::string location;               // optional: only this location
  std::string description;
  std::string runbook_url;
  SourceLocation where;
};

// "availability" or "latency", as configs, rules and reports write it.
inline std::string_view KindName(SloSpec::Kind kind) {
  return kind == SloSpec::Kind::kLatency ? "latency" : "availability";
}

struct ServiceConfig {
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 9464;
  std::string location;  // added as a `location` label to every series when set
  // Runs in flight at once, over all journeys; a due run waits for a free
  // place (that wait shows as scheduler lag) and is skipped if none frees
  // up within its timeout.
  int max_concurrent_runs = 512;
  // A file holding the bearer token that POST /api/v1/drills/NAME/run,
  // POST /api/v1/heal and POST /-/reload require; without it those
  // endpoints are off.
  std::string api_token_file;
  SourceLocation api_token_file_where;  // the value, for errors about the file
  // The admin server speaks HTTPS with this certificate chain and key (PEM)
  // when both are set. Read at start; a reload does not change them.
  std::string tls_cert_file;
  std::string tls_key_file;
  SourceLocation tls_where;  // tls_cert_file's value, for errors about the files
};

// [alerting]: how `sonde rules` shapes the burn-rate alerts. For a 30-day
// SLO the windows are the SRE workbook's (page: 2% of the budget spent in
// 1h/5m, 5% in 6h/30m; ticket: 10% in 1d/2h and in 3d/6h); for any other
// period they scale by period / 30d, so each alert still means "this share
// of the budget is gone", never shorter than `min_window`.
struct AlertingConfig {
  // The shortest rate window: rate() needs a few scrapes inside it, so keep
  // it at least 4 scrape intervals (1m for the usual 15 s scrape).
  Duration min_window = std::chrono::minutes(1);
  // How long a burn-rate condition must hold before the alert fires (the
  // workbook uses none: the short window already filters blips).
  Duration burn_for = Duration::zero();
  // How long the SLI's series may be absent before its alert fires; unset:
  // 10m scaled like the windows, at least min_window.
  std::optional<Duration> absent_for;
  SourceLocation where;
};

// [store]: the result store (reporter/result_store.h). Without the table,
// runs are not stored and the status page and reports have no data.
struct StoreConfig {
  std::string dir;  // a relative path is resolved against the config file's directory
  Duration keep = std::chrono::hours(24 * 400);  // rows older than this are pruned
  size_t queue = 10000;  // results waiting to be written; beyond it they are dropped
  SourceLocation where;
};

// [chaos.targets.NAME]: something faults may be aimed at. Nothing that is
// not declared here can be touched by a fault.
struct ChaosTarget {
  std::string name;
  std::string url;      // optional: what it serves (shown in plans and reports)
  std::string pidfile;  // kill/pause: the process, by its pidfile
  std::string restart;  // kill: a shell command that starts it again (detached)
  std::string address;  // partition with the nftables backend: its IPv4 address
  SourceLocation where;
};

// One fault of a drill or of the chaos schedule's menu, as written in
// [[drill.NAME.fault]]: the header every kind shares, and the kind's own
// (config/fault_kinds.h).
struct DrillFault {
  std::string name;
  // Declared [chaos.targets]; `pick` of them at random. A partition's are
  // every target in its groups (or the targets its shape is drawn over), a
  // link fault's the receiving end of each link.
  std::vector<std::string> targets;
  int pick = 0;   // 0: all of `targets`; else this many, chosen with the seed
  Duration at{};  // offset from the start of the inject phase
  Duration duration = std::chrono::seconds(30);
  FaultKind kind;
  SourceLocation where;
};

// [chaos.schedule]: random faults from a menu while the daemon runs, only
// inside the allowed hours and only while the SLO's error budget (from the
// result store) stays above a floor; a fault is reverted early when the
// SLO burns faster than `abort_burn_rate`.
struct ChaosSchedule {
  bool armed = false;                         // destructive kinds need it
  Duration every = std::chrono::minutes(30);  // mean gap between faults (x0.5..1.5 at random)
  int from_minute = 0, to_minute = 24 * 60;   // allowed UTC hours of the day, [from, to)
  std::vector<int> weekdays;                  // 0 = Sunday; empty: every day
  std::string slo;                            // the budget gate
  double min_budget_remaining = 0.5;          // ratio of the error budget still left
  std::optional<double> abort_burn_rate;      // revert early above this burn rate
  Duration burn_window = std::chrono::minutes(5);
  std::optional<uint64_t> seed;
  std::vector<DrillFault> menu;
  SourceLocation where;
};

// [chaos]: the declared targets and the rollback journal.
struct ChaosConfig {
  // Before every inject its revert is appended here and fsynced; `sonde
  // heal` reverts what it still holds. Relative to the config file's
  // directory; default "sonde-chaos.journal" beside the config.
  std::string journal;
  // The fault proxy's control API (Toxiproxy-compatible), for partitions:
  // the link from target A to target B is the proxy named "A_to_B".
  std::string proxy_api;
  std::map<std::string, ChaosTarget> targets;
  std::optional<ChaosSchedule> schedule;
};

// A watched journey's expectations while the faults hold.
struct DrillExpectation {
  // When the expectation is judged: while the faults hold (runs started
  // between the first inject and the last revert) or in the settle window
  // (runs started in the `settle` after recovery).
  enum class Window { kFaults, kSettle };
  std::string journey;
  Window during = Window::kFaults;
  // Judged for each of the journey's targets on its own unless pooled (all
  // targets' runs together: a journey over three members passes when any
  // one of them recovers).
  bool pooled = false;
  std::optional<double> min_success;       // success ratio at least, 0..1
  std::optional<double> max_success;       // success ratio at most: the journey must fail
  std::optional<Duration> max_p95;         // latency p95 at most
  // The first success after the last fault's actual revert (kFaults only).
  std::optional<Duration> recover_within;
  SourceLocation where;
};

// [drill.NAME]
struct DrillSpec {
  std::string name;
  std::vector<std::string> journeys;  // watched (and run) during the drill
  bool armed = false;                 // destructive kinds need this (or --arm)
  std::optional<uint64_t> seed;       // random target choice; recorded either way
  Duration steady_duration = std::chrono::seconds(30);
  double steady_min_success = 1.0;    // every watched journey, before anything is injected
  std::optional<double> abort_below;  // a watched journey's success below this: revert early
  Duration recovery_timeout = std::chrono::seconds(120);  // stop waiting for recovery after
  // After recovery (or the recovery timeout), how long the drill keeps
  // watching: what `during = "settle"` expectations judge. 0: no window.
  Duration settle{};
  std::vector<DrillFault> faults;
  std::vector<DrillExpectation> expect;
  SourceLocation where;
};

struct Config {
  std::string source;  // file path (or name given to LoadConfigString)
  ServiceConfig service;
  std::optional<StoreConfig> store;
  AlertingConfig alerting;
  ChaosConfig chaos;
  std::map<std::string, TargetGroup> targets;
  std::map<std::string, KeySpec> keys;
  std::map<std::string, WalletSpec> wallets;
  std::vector<MaintenanceWindow> maintenance;
  std::vector<SloSpec> slos;      // in file order
  std::vector<DrillSpec> drills;  // in file order

  // The window covering `journey` at `t`, or nullptr.
  const MaintenanceWindow* MaintenanceFor(const std::string& journey,
                                          std::chrono::system_clock::time_point t) const {
    for (const MaintenanceWindow& w : maintenance) {
      if (w.Covers(journey, t)) return &w;
    }
    return nullptr;
  }
  std::vector<Journey> journeys;  // in file order

  const TargetGroup* FindTargets(const std::string& name) const {
    auto it = targets.find(name);
    return it == targets.end() ? nullptr : &it->second;
  }
  const DrillSpec* FindDrill(const std::string& name) const {
    for (const DrillSpec& d : drills) {
      if (d.name == name) return &d;
    }
    return nullptr;
  }
  const Journey* FindJourney(const std::string& name) const {
    for (const Journey& j : journeys) {
      if (j.name == name) return &j;
    }
    return nullptr;
  }
};

}  // namespace sonde
