// The sonde subcommands. Each returns the process exit code:
//   0 success; 1 the job ran and something failed (a journey, a check);
//   2 the job could not run (bad config, port taken).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/duration.h"

namespace sonde {

struct RunOptions {
  std::string config_path;
  Duration shutdown_grace = std::chrono::seconds(10);  // in-flight runs may finish within this
};
int CommandRun(const RunOptions& options);

struct OnceOptions {
  std::string config_path;
  std::optional<std::string> journey;  // only this journey
};
int CommandOnce(const OnceOptions& options);

int CommandCheck(const std::string& config_path);

struct RulesOptions {
  std::string config_path;
  std::string out;    // rule file; empty: stdout
  std::string tests;  // promtool test file; empty: none
};
int CommandRules(const RulesOptions& options);

// Writes a new key file (mode 0600; an existing file is an error, exit 2)
// of `type` "ed25519" (prints the public key as hex) or "secp256k1" (prints
// the EIP-55 address). Any other type: exit 2 with a message naming it.
int CommandKeysNew(const std::string& out_path, const std::string& type);

}  // namespace sonde

namespace sonde {

struct ReportOptions {
  std::string config_path;
  std::string from;  // see ParseReportTime (reporter/report_source.h)
  std::string to = "now";
  std::string format = "html";
  std::string out;       // empty: stdout
  std::string sign_key;  // key file; empty: unsigned
  bool exclude_drills = false;
};
// Writes the SLA report over the period from the result store.
int CommandReport(const ReportOptions& options);

// Checks a signed report: 0 when it verifies (printing the signer), 1 when
// it does not, 2 when the file cannot be read or --pubkey is malformed.
int CommandReportVerify(const std::string& path, const std::string& pubkey_hex);

// Walks the result store's hash chains: 0 with the counts, 1 naming the
// first bad row, 2 when the store cannot be opened.
int CommandStoreVerify(const std::string& config_path, const std::string& dir,
                       const std::string& pubkey_hex);

}  // namespace sonde

namespace sonde {

class StoreWriter;
struct Config;

// The config's result store as a one-shot command writes to it (no pruning,
// no metrics): nullptr when the config has none. Throws StoreError when it
// cannot be opened.
std::unique_ptr<StoreWriter> OpenCommandStore(const Config& config);

// Reverts what the chaos journal at `journal_path` holds: 0 when nothing is
// left, 1 when a revert failed (it stays in the journal). What was reverted
// is recorded in `store` when there is one (chaos::RecordHeal).
int HealJournal(const std::string& journal_path, bool quiet_when_clear, StoreWriter* store);
// `sonde heal -c FILE`: the same for the config's journal, recorded in the
// config's result store; 2 on a bad config or a store that cannot be opened.
int CommandHeal(const std::string& config_path);

}  // namespace sonde

namespace sonde {

struct DrillOptions {
  std::string config_path;
  std::string drill;
  bool dry_run = false;
  bool arm = false;
  std::optional<uint64_t> seed;
  std::string junit;   // JUnit XML file; empty: none
  std::string report;  // .html: HTML, else Markdown; empty: none
  bool daemon = false;  // run it inside the daemon serving the config (remote_drill.h)
};
// 0 pass, 1 expectations failed, 2 aborted or could not run.
int CommandDrill(const DrillOptions& options);

}  // namespace sonde

namespace sonde {

struct AlertReceiverOptions {
  std::string listen = "127.0.0.1:9097";  // host:port; port 0 lets the kernel choose
  std::string log_file;                   // JSON lines appended; empty: none
};
// `sonde alert-receiver` (service/alert_receiver.h): prints
// "alert-receiver: listening on http://HOST:PORT", serves until SIGINT or
// SIGTERM, then returns 0. Returns 2, with a message on stderr naming the
// address or the file, when it cannot bind or cannot open the log.
int CommandAlertReceiver(const AlertReceiverOptions& options);

}  // namespace sonde
