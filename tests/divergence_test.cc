// A journey with `divergence` across targets: the node whose value is out of
// line with the others is named.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "config/loader.h"
#include "probes/http_client.h"
#include "scenarios/runner.h"
#include "tests/support/journey_harness.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

TEST(Divergence, NamesTheOutlierTarget) {
  std::vector<std::unique_ptr<testing::TestServer>> nodes;
  std::string urls;
  for (int height : {100, 101, 40, 99}) {
    auto server = std::make_unique<testing::TestServer>();
    server->SetHandler([height](const testing::TestRequest&) {
      testing::TestResponse r;
      r.body = "{\"committed_height\":" + std::to_string(height) + "}";
      return r;
    });
    urls += (urls.empty() ? "\"" : ", \"") + server->base_url() + "\"";
    nodes.push_back(std::move(server));
  }
  auto config = testing::MustLoad("[targets.net]\nurls = [" + urls + "]\n" + R"(
[journey.head]
interval = "10s"
timeout = "2s"
targets = "net"
divergence = { value = "height", tolerance = 2 }
[[journey.head.step]]
name = "head"
http = { path = "/v1/head" }
extract = { height = "/committed_height" }
)");
  ASSERT_TRUE(config);
  const Journey& journey = *config->FindJourney("head");
  const TargetGroup& group = *config->FindTargets("net");

  boost::asio::io_context io;
  HttpClient http(io.get_executor());
  JourneyRunner runner(ProbeEnv{http});
  std::vector<JourneyResult> results;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        // Two rounds over the four targets, as the scheduler would run them.
        for (int round = 0; round < 2; ++round) {
          for (const std::string& url : group.urls) {
            results.push_back(co_await runner.Run(journey, group, url));
          }
        }
      },
      boost::asio::detached);
  io.run();
  ASSERT_EQ(results.size(), 8u);
  // First round: nothing to judge until three values are known; then the
  // node at 40 is the outlier. Second round: the same, for all four.
  const Outcome want[] = {Outcome::kSuccess, Outcome::kSuccess, Outcome::kFailed,
                          Outcome::kSuccess, Outcome::kSuccess, Outcome::kSuccess,
                          Outcome::kFailed,  Outcome::kSuccess};
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].outcome, want[i]) << i << ": " << results[i].detail;
  }
  EXPECT_EQ(results[2].reason, Reason::kDivergence);
  EXPECT_EQ(results[2].detail,
            group.urls[2] + " is at 40 while the median of 3 targets is 100 (tolerance 2)");
  EXPECT_EQ(results[6].detail,
            group.urls[2] + " is at 40 while the median of 4 targets is 99.5 (tolerance 2)");
}

TEST(Divergence, TheVariableMustBeExtracted) {
  LoadResult r = LoadConfigString(R"(
[targets.net]
urls = ["http://127.0.0.1:1"]
[journey.head]
interval = "10s"
timeout = "2s"
targets = "net"
divergence = { value = "hieght" }
[[journey.head.step]]
name = "head"
http = { path = "/v1/head" }
extract = { height = "/committed_height" }
)",
                                  "t.toml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(
      r.errors[0].ToString(),
      R"(t.toml:8:14: journey.head: "divergence.value" names variable "hieght", which no step extracts)");
}

}  // namespace
}  // namespace sonde
