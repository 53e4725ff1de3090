// sonde-devnet: the reference network sonde probes by default.
//   sonde-devnet up [--nodes N] [--threshold T] --dir DIR [--block-ms MS] [--base-port P]
//                   [--no-proxies]
//   sonde-devnet down --dir DIR
//   sonde-devnet status --dir DIR
//   sonde-devnet start --dir DIR --node N    (restart one node; the chaos restart command)
//   sonde-devnet start --dir DIR --proxy     (restart the fault proxy)
//   sonde-devnet node --config FILE          (one node, in the foreground)
//   sonde-devnet proxy --listen HOST:PORT --config FILE   (the fault proxy, in the foreground)
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

#include "chaos/proxy/proxy_command.h"
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

int RunProxy(const sonde::ProxyOptions& options) {
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e proxy %^%l%$ %v");
  std::signal(SIGPIPE, SIG_IGN);
  return sonde::CommandProxy(options);
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
  up_cmd
      ->add_option("--sonde-listen", up.sonde.listen,
                   "HOST:PORT the sonde config serves /metrics, the status page and its API on")
      ->capture_default_str();
  up_cmd
      ->add_option("--slo-window", up.sonde.slo_window,
                   "every SLO's period in the sonde config (e.g. 6h, for tests; default 30d)")
      ->check([](const std::string& v) -> std::string {
        const size_t digits = v.find_first_not_of("0123456789");
        if (digits == 0 || digits == std::string::npos || v.size() != digits + 1 ||
            std::string("smhd").find(v.back()) == std::string::npos || digits > 9)
          return "expected a number and a unit (s, m, h or d), like 6h";
        const long long unit = v.back() == 's'   ? 1
                               : v.back() == 'm' ? 60
                               : v.back() == 'h' ? 3600
                                                 : 86400;
        if (std::stoll(v.substr(0, digits)) * unit < 600)
          return "sonde's SLO windows are at least 10m";
        return "";
      });
  bool no_proxies = false;
  up_cmd->add_flag("--no-proxies", no_proxies,
                   "peers call each other directly, without a fault proxy on every link "
                   "(only when the devnet is made)");

  std::string dir;
  auto* down_cmd = app.add_subcommand("down", "stop the nodes and the fault proxy that up started");
  down_cmd->add_option("--dir", dir, "the devnet directory")->required();
  auto* status_cmd = app.add_subcommand(
      "status", "a table of the nodes (pid, alive, role, heights) and the fault proxy");
  status_cmd->add_option("--dir", dir, "the devnet directory")->required();
  uint32_t node_id = 0;
  bool start_proxy = false;
  auto* start_cmd = app.add_subcommand(
      "start", "start one node, or the fault proxy, of a devnet again (detached)");
  start_cmd->add_option("--dir", dir, "the devnet directory")->required();
  auto* node_opt = start_cmd->add_option("--node", node_id, "the node id");
  auto* proxy_flag = start_cmd->add_flag("--proxy", start_proxy, "the fault proxy");
  node_opt->excludes(proxy_flag);

  std::string config;
  auto* node_cmd = app.add_subcommand("node", "run one node in the foreground");
  node_cmd->add_option("--config", config, "the node's TOML config")->required();

  sonde::ProxyOptions proxy;
  auto* proxy_cmd = app.add_subcommand(
      "proxy", "run the fault proxy (Toxiproxy-compatible API) in the foreground");
  proxy_cmd->add_option("--listen", proxy.listen, "the control API's HOST:PORT")
      ->capture_default_str();
  proxy_cmd->add_option("--config", proxy.config_file,
                        "JSON array of proxies to create at start ({name, listen, upstream, "
                        "enabled}, as Toxiproxy's -config)");

  CLI11_PARSE(app, argc, argv);
  up.proxies = !no_proxies;
  if (*up_cmd) return Up(up, stdout, stderr);
  if (*down_cmd) return Down(dir, stdout, stderr);
  if (*status_cmd) return PrintStatus(dir, stdout, stderr);
  if (*start_cmd && start_proxy) return StartProxy(dir, stdout, stderr);
  if (*start_cmd && node_opt->count() == 0) {
    std::fprintf(stderr, "sonde-devnet start: --node N or --proxy is required\n");
    return 1;
  }
  if (*start_cmd) return StartNode(dir, node_id, stdout, stderr);
  if (*proxy_cmd) return RunProxy(proxy);
  return RunNode(config);
}
