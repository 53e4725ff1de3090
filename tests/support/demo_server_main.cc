// sonde-demo-server: a tiny chain-shaped HTTP API on loopback that README's
// demo probes until the devnet exists. A new "block" every --block-ms.
//   GET /v1/status       {"status":"ok","height":H}
//   GET /v1/head         {"height":H,"hash":"..."}
//   GET /v1/blocks/N     {"height":N,"hash":"..."} or 404 if N > H
// It is the test server with a fixed port and a handler; it runs until
// SIGINT/SIGTERM.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

#include "tests/support/test_server.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

std::string HashOf(long height) {
  // Not a real hash: a stable, block-looking hex string per height.
  unsigned long long h = 1469598103934665603ull ^ static_cast<unsigned long long>(height);
  h *= 1099511628211ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", h);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sonde-demo-server: a stand-in chain API on 127.0.0.1"};
  uint16_t port = 18080;
  int block_ms = 1000;
  app.add_option("--port", port, "Port on 127.0.0.1")->capture_default_str();
  app.add_option("--block-ms", block_ms, "Milliseconds per block")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  const auto start = std::chrono::steady_clock::now();
  auto height = [&] {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    return 1 + static_cast<long>(ms.count() / block_ms);
  };

  std::unique_ptr<sonde::testing::TestServer> server;
  try {
    server = std::make_unique<sonde::testing::TestServer>(port);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sonde-demo-server: cannot listen on 127.0.0.1:%u: %s\n", port, e.what());
    return 2;
  }
  server->SetHandler([&](const sonde::testing::TestRequest& req) {
    sonde::testing::TestResponse r;
    r.headers = {{"Content-Type", "application/json"}};
    const long h = height();
    const std::string blocks = "/v1/blocks/";
    if (req.target == "/v1/status") {
      r.body = "{\"status\":\"ok\",\"height\":" + std::to_string(h) + "}";
    } else if (req.target == "/v1/head") {
      r.body = "{\"height\":" + std::to_string(h) + ",\"hash\":\"" + HashOf(h) + "\"}";
    } else if (req.target.rfind(blocks, 0) == 0) {
      long n = std::atol(req.target.c_str() + blocks.size());
      if (n >= 1 && n <= h) {
        r.body = "{\"height\":" + std::to_string(n) + ",\"hash\":\"" + HashOf(n) + "\"}";
      } else {
        r.status = 404;
        r.body = "{\"error\":\"no such block\"}";
      }
    } else {
      r.status = 404;
      r.body = "{\"error\":\"not found\"}";
    }
    return r;
  });
  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::fprintf(stderr, "sonde-demo-server: listening on %s (a block every %d ms)\n",
               server->base_url().c_str(), block_ms);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  server->Stop();
  return 0;
}
