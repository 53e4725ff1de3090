// sonde's command line (CLI11).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "core/duration.h"
#include "core/log.h"
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
  auto* keys_cmd = app.add_subcommand("keys", "Manage Ed25519 keys");
  keys_cmd->require_subcommand(1);
  auto* keys_new_cmd = keys_cmd->add_subcommand("new", "Write a key file; print its public key");
  keys_new_cmd->add_option("--out", key_out, "Key file to create (mode 0600; never overwritten)")
      ->required();

  sonde::RulesOptions rules;
  auto* rules_cmd =
      app.add_subcommand("rules", "Write Prometheus SLO recording and alerting rules for [slo.*]");
  rules_cmd->add_option("-c,--config", rules.config_path, "Config file (TOML)")->required();
  rules_cmd->add_option("-o,--out", rules.out, "Rule file to write (default: stdout)");
  rules_cmd->add_option("--tests", rules.tests, "Also write promtool unit tests to this file");

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
  if (*keys_new_cmd) return sonde::CommandKeysNew(key_out);
  return 2;
}
