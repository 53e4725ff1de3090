#include "tests/support/journey_harness.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "config/loader.h"
#include "probes/http_client.h"
#include "scenarios/runner.h"

namespace sonde::testing {

std::shared_ptr<const Config> MustLoad(const std::string& toml) {
  LoadResult r = LoadConfigString(toml, "test.toml");
  for (const Diagnostic& d : r.errors) ADD_FAILURE() << d.ToString();
  return r.config;
}

JourneyResult RunOnce(const Config& config, const std::string& name,
                      std::shared_ptr<const KeyRing> keys, Wallets* wallets) {
  Wallets fresh;
  const Journey* journey = config.FindJourney(name);
  EXPECT_NE(journey, nullptr) << name;
  const TargetGroup& group = *config.FindTargets(journey->target_group);
  boost::asio::io_context io;
  HttpClient http(io.get_executor());
  JourneyRunner runner(ProbeEnv{http, wallets ? wallets : &fresh}, std::move(keys));
  JourneyResult result;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        result = co_await runner.Run(*journey, group, group.urls.front());
      },
      boost::asio::detached);
  io.run();
  return result;
}

}  // namespace sonde::testing

namespace sonde::testing {

HttpResponse FetchSync(const std::string& url, std::chrono::milliseconds timeout,
                       const std::string& method, const std::string& body,
                       const std::vector<std::pair<std::string, std::string>>& headers) {
  boost::asio::io_context io;
  HttpClient http(io.get_executor());
  HttpResponse response;
  HttpRequest request;
  request.url = url;
  request.timeout = timeout;
  request.method = method;
  request.body = body;
  request.headers = headers;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { response = co_await http.Fetch(request); },
      boost::asio::detached);
  io.run();
  return response;
}

}  // namespace sonde::testing
