// sonde's command line (CLI11).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "core/duration.h"
#include "core/log.h"
#include "chaos/proxy/proxy_command.h"
#include "core/version.h"
#include "service/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"sonde: synthetic transactions and chaos probes for blockchain-style networks"};
  app.set_version_flag("--version,-V", std::string("sonde ") + sonde::kVersion);
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str();

  sonde::RunOptions run;
  std::string grace = "10s";
  auto* run_cmd = app.add_subcommand("run", "Run every journey on its schedule and serve /metrics");
  run_cmd->add_option("-c,--config", run.config_path, "Config file (TOML)")->required();
  run_cmd->add_option("--shutdown-grace", grace, "How long in-flight runs may finish after SIGTERM")
      ->capture_default_str();

  sonde::OnceOptions once;
  auto* once_cmd = app.add_subcommand("once", "Run every journey once against every target");
  once_cmd->add_option("-c,--config", once.config_path, "Config file (TOML)")->required();
  once_cmd->add_option("--journey", once.journey, "Only this journey");

  std::string check_path;
  auto* check_cmd = app.add_subcommand("check", "Validate a config; list every problem");
  check_cmd->add_option("-c,--config", check_path, "Config file (TOML)")->required();

  std::string key_out;
  std::string key_type = "ed25519";
  auto* keys_cmd = app.add_subcommand("keys", "Manage signing keys (Ed25519, secp256k1)");
  keys_cmd->require_subcommand(1);
  auto* keys_new_cmd = keys_cmd->add_subcommand(
      "new", "Write a key file; print its public key (Ed25519) or EVM address (secp256k1)");
  keys_new_cmd->add_option("--out", key_out, "Key file to create (mode 0600; never overwritten)")
      ->required();
  keys_new_cmd->add_option("--type", key_type, "ed25519, or secp256k1 for an EVM account")
      ->capture_default_str();

  sonde::RulesOptions rules;
  auto* rules_cmd =
      app.add_subcommand("rules", "Write Prometheus SLO recording and alerting rules for [slo.*]");
  rules_cmd->add_option("-c,--config", rules.config_path, "Config file (TOML)")->required();
  rules_cmd->add_option("-o,--out", rules.out, "Rule file to write (default: stdout)");
  rules_cmd->add_option("--tests", rules.tests, "Also write promtool unit tests to this file");

  sonde::ReportOptions report;
  auto* report_cmd = app.add_subcommand(
      "report", "Write the SLA compliance report for a period from the result store");
  report_cmd->add_option("-c,--config", report.config_path, "Config file (TOML)");
  report_cmd->add_option("--from", report.from,
                         "Start: 2026-11-01, 2026-11-01T00:00:00Z, now, or -30d");
  report_cmd->add_option("--to", report.to, "End (a date means the end of that day)")
      ->capture_default_str();
  report_cmd->add_option("--format", report.format, "html, md, json or csv")->capture_default_str();
  report_cmd->add_option("-o,--out", report.out, "File to write (default: stdout)");
  report_cmd->add_option("--sign", report.sign_key, "Sign with this Ed25519 key file");
  report_cmd->add_flag("--exclude-drills", report.exclude_drills,
                       "Keep runs that overlap a drill out of the numbers");
  std::string verify_path, verify_pubkey;
  auto* report_verify_cmd = report_cmd->add_subcommand("verify", "Check a signed report");
  report_verify_cmd->add_option("file", verify_path, "The report")->required();
  report_verify_cmd->add_option("--pubkey", verify_pubkey, "Require this signer (hex)");

  std::string store_config, store_dir, store_pubkey;
  auto* store_cmd = app.add_subcommand("store", "Inspect the result store");
  store_cmd->require_subcommand(1);
  auto* store_verify_cmd =
      store_cmd->add_subcommand("verify", "Check every row of the result store against its hash chain");
  auto* store_config_opt =
      store_verify_cmd->add_option("-c,--config", store_config, "Config file naming the store");
  auto* store_dir_opt = store_verify_cmd->add_option("--dir", store_dir, "The store's directory");
  store_config_opt->excludes(store_dir_opt);
  store_verify_cmd->add_option("--pubkey", store_pubkey,
                               "Checkpoint signer (hex; default: the store's own store.key)");

  std::string heal_config;
  auto* heal_cmd = app.add_subcommand(
      "heal", "Revert every fault the chaos journal still holds (after a crash)");
  heal_cmd->add_option("-c,--config", heal_config, "Config file (its [chaos] journal)")->required();

  sonde::DrillOptions drill;
  uint64_t drill_seed = 0;
  auto* drill_cmd = app.add_subcommand("drill", "Run a chaos drill and judge it (exit 0 pass, 1 fail, 2 aborted)");
  drill_cmd->add_option("-c,--config", drill.config_path, "Config file (TOML)")->required();
  drill_cmd->add_option("name", drill.drill, "The [drill.NAME] to run")->required();
  drill_cmd->add_flag("--dry-run", drill.dry_run, "Print the plan with resolved targets; touch nothing");
  drill_cmd->add_flag("--arm", drill.arm, "Allow destructive faults (kill, pause, partition, blackhole, reset_peer, limit_data)");
  auto* seed_opt = drill_cmd->add_option("--seed", drill_seed, "Seed for random target choice (replays a drill)");
  drill_cmd->add_option("--junit", drill.junit, "Write a JUnit XML file (one test case per expectation)");
  drill_cmd->add_option("--report", drill.report, "Write a report (.html, else Markdown)");
  drill_cmd->add_flag("--daemon", drill.daemon,
                      "Run it inside the daemon serving this config ([service] listen, with its "
                      "api_token_file) and follow its progress");

  sonde::ProxyOptions proxy;
  auto* proxy_cmd = app.add_subcommand(
      "proxy", "Run the fault proxy (its control API is compatible with Toxiproxy's)");
  proxy_cmd->add_option("--listen", proxy.listen, "Control API address")->capture_default_str();
  proxy_cmd->add_option("--config", proxy.config_file,
                        "Proxies to create at start (a JSON array, as toxiproxy -config)");

  sonde::AlertReceiverOptions alert_receiver;
  auto* alert_receiver_cmd = app.add_subcommand(
      "alert-receiver", "Receive Alertmanager webhooks: print each alert, keep the last 1000");
  alert_receiver_cmd->add_option("--listen", alert_receiver.listen, "Address to serve on")
      ->capture_default_str();
  alert_receiver_cmd->add_option("--log", alert_receiver.log_file,
                                 "Append every notification to this file (JSON lines)");

  CLI11_PARSE(app, argc, argv);

  if (!sonde::SetupLogging(log_level)) {
    std::fprintf(stderr, "--log-level: unknown level \"%s\"\n", log_level.c_str());
    return 2;
  }
  if (*run_cmd) {
    std::string why;
    auto d = sonde::ParseDuration(grace, &why);
    if (!d) {
      std::fprintf(stderr, "--shutdown-grace: bad duration \"%s\": %s\n", grace.c_str(),
                   why.c_str());
      return 2;
    }
    run.shutdown_grace = *d;
    return sonde::CommandRun(run);
  }
  if (*once_cmd) return sonde::CommandOnce(once);
  if (*check_cmd) return sonde::CommandCheck(check_path);
  if (*rules_cmd) return sonde::CommandRules(rules);
  if (*keys_new_cmd) return sonde::CommandKeysNew(key_out, key_type);
  if (*heal_cmd) return sonde::CommandHeal(heal_config);
  if (*proxy_cmd) return sonde::CommandProxy(proxy);
  if (*alert_receiver_cmd) return sonde::CommandAlertReceiver(alert_receiver);
  if (*drill_cmd) {
    if (*seed_opt) drill.seed = drill_seed;
    return sonde::CommandDrill(drill);
  }
  if (*report_verify_cmd) return sonde::CommandReportVerify(verify_path, verify_pubkey);
  if (*report_cmd) {
    if (report.config_path.empty() || report.from.empty()) {
      std::fprintf(stderr, "sonde report: -c/--config and --from are required\n");
      return 2;
    }
    return sonde::CommandReport(report);
  }
  if (*store_verify_cmd) {
    if (store_config.empty() && store_dir.empty()) {
      std::fprintf(stderr, "sonde store verify: give -c/--config or --dir\n");
      return 2;
    }
    return sonde::CommandStoreVerify(store_config, store_dir, store_pubkey);
  }
  return 2;
}
