// How faithfully sonde measures latency: sequential requests to a loopback
// server with a known delay, through the same HttpClient the probes use.
//   error    = curl's total - the server's delay (what sonde adds or loses)
//   overhead = coroutine wall time around Fetch - curl's total (event loop)
// Prints percentiles in microseconds. Bounded: --requests (default 500).
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "probes/http_client.h"
#include "tests/support/test_server.h"

namespace {

using Micros = std::chrono::microseconds;

void Report(const char* name, std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  auto pct = [&](double p) { return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))]; };
  std::printf("%-9s p50=%6lldus p90=%6lldus p99=%6lldus max=%6lldus (n=%zu)\n", name,
              static_cast<long long>(pct(0.5)), static_cast<long long>(pct(0.9)),
              static_cast<long long>(pct(0.99)), static_cast<long long>(v.back()), v.size());
}

}  // namespace

int main(int argc, char** argv) {
  const int requests = argc > 1 ? std::max(10, std::atoi(argv[1])) : 500;
  const auto delay = std::chrono::milliseconds(20);
  sonde::testing::TestServer server;
  server.SetHandler([delay](const sonde::testing::TestRequest&) {
    sonde::testing::TestResponse r;
    r.body = "{\"ok\":true}";
    r.delay = delay;
    return r;
  });

  boost::asio::io_context io;
  sonde::HttpClient http(io.get_executor());
  std::vector<int64_t> error, overhead;
  int failures = 0;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        for (int i = 0; i < requests; ++i) {
          sonde::HttpRequest req;
          req.url = server.base_url() + "/";
          req.timeout = std::chrono::seconds(2);
          const auto start = std::chrono::steady_clock::now();
          sonde::HttpResponse r = co_await http.Fetch(std::move(req));
          const auto wall = std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - start);
          if (r.failure != sonde::Reason::kNone) {
            ++failures;
            continue;
          }
          error.push_back((r.phases.total - std::chrono::duration_cast<Micros>(delay)).count());
          overhead.push_back((wall - r.phases.total).count());
        }
      },
      boost::asio::detached);
  io.run();
  std::printf("latency_fidelity: %d requests, server delay %lld ms, %d failures\n", requests,
              static_cast<long long>(delay.count()), failures);
  if (error.empty()) return 1;
  Report("error", error);
  Report("overhead", overhead);
  return failures == 0 ? 0 : 1;
}
