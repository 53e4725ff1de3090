// sonde-devnet: the reference network sonde probes by default.
//   sonde-devnet up [--nodes N] [--threshold T] --dir DIR [--block-ms MS] [--base-port P]
//   sonde-devnet down --dir DIR
//   sonde-devnet status --dir DIR
//   sonde-devnet start --dir DIR --node N    (restart one node; the chaos restart command)
//   sonde-devnet node --config FILE          (one node, in the foreground)
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

#include "devnet/launcher.h"
#include "devnet/node.h"
#include "devnet/node_config.h"

namespace {

using namespace sonde::devnet;

int RunNode(const std::string& config_path) {
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  auto config = LoadNodeConfig(config_path);
  if (!config.ok()) {
    spdlog::error("{}", config.error());
    return 2;
  }
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e node" + std::to_string(config->id) + " %^%l%$ %v");
  std::signal(SIGPIPE, SIG_IGN);
  boost::asio::io_context io;
  auto node = Node::Create(io.get_executor(), std::move(config.value()));
  if (!node.ok()) {
    spdlog::error("{}", node.error());
    return 2;
  }
  if (Status s = node.value()->Start(); !s.ok()) {
    spdlog::error("{}", s.error());
    return 2;
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  bool stopping = false;
  signals.async_wait([&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    spdlog::info("signal {}: stopping", signo);
    stopping = true;
    node.value()->Stop();
  });
  // Runs until a signal; then lets in-flight work end (every peer call has a
  // deadline) for a bounded time before giving up on it.
  while (!stopping && !io.stopped()) io.run_for(std::chrono::milliseconds(200));
  io.run_for(std::chrono::milliseconds(1500));
  node.value().reset();  // joins the chain's writer: queued writes reach the file
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sonde-devnet: the reference network that sonde probes by default"};
  app.require_subcommand(1);

  UpOptions up;
  auto* up_cmd =
      app.add_subcommand("up", "generate keys and configs, start the nodes, wait until ready");
  up_cmd->add_option("--dir", up.dir, "directory for keys, configs, chains, pidfiles and logs")
      ->required();
  up_cmd->add_option("--nodes", up.nodes, "number of nodes")->capture_default_str();
  up_cmd->add_option("--threshold", up.threshold, "FROST signing threshold")->capture_default_str();
  up_cmd->add_option("--block-ms", up.block_ms, "block interval in milliseconds")
      ->check(CLI::Range(10, 60000))
      ->capture_default_str();
  up_cmd->add_option("--base-port", up.base_port, "node i listens on 127.0.0.1:(base-port + i)")
      ->capture_default_str();
  up_cmd->add_option("--chain-id", up.chain_id, "chain id signed into every message")
      ->capture_default_str();

  std::string dir;
  auto* down_cmd = app.add_subcommand("down", "stop the nodes that up started");
  down_cmd->add_option("--dir", dir, "the devnet directory")->required();
  auto* status_cmd =
      app.add_subcommand("status", "a table of the nodes: pid, alive, role, heights");
  status_cmd->add_option("--dir", dir, "the devnet directory")->required();
  uint32_t node_id = 0;
  auto* start_cmd = app.add_subcommand("start", "start one node of a devnet again (detached)");
  start_cmd->add_option("--dir", dir, "the devnet directory")->required();
  start_cmd->add_option("--node", node_id, "the node id")->required();

  std::string config;
  auto* node_cmd = app.add_subcommand("node", "run one node in the foreground");
  node_cmd->add_option("--config", config, "the node's TOML config")->required();

  CLI11_PARSE(app, argc, argv);
  if (*up_cmd) return Up(up, stdout, stderr);
  if (*down_cmd) return Down(dir, stdout, stderr);
  if (*status_cmd) return PrintStatus(dir, stdout, stderr);
  if (*start_cmd) return StartNode(dir, node_id, stdout, stderr);
  return RunNode(config);
}
