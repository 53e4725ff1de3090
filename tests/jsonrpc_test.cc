// The jsonrpc step kind against a loopback JSON-RPC 2.0 server.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tests/support/journey_harness.h"
#include "tests/support/test_server.h"

namespace sonde {
namespace {

namespace json = boost::json;
using testing::MustLoad;
using testing::RunOnce;

// Answers like an Ethereum-style node, and misbehaves on request.
class RpcServer {
 public:
  RpcServer() {
    server_.SetHandler([this](const testing::TestRequest& req) {
      testing::TestResponse r;
      r.headers = {{"Content-Type", "application/json"}};
      json::value call = json::parse(req.body);
      const json::object& c = call.as_object();
      const std::string method(c.at("method").as_string());
      json::object reply{{"jsonrpc", "2.0"}, {"id", c.at("id")}};
      if (method == "echo") {
        reply["result"] = c.contains("params") ? c.at("params") : json::value(nullptr);
      } else if (method == "eth_blockNumber") {
        reply["result"] = "0x10";
      } else if (method == "eth_getTransactionReceipt") {
        // null (pending) for the first two calls, then a receipt.
        reply["result"] =
            receipts_.fetch_add(1) < 2
                ? json::value(nullptr)
                : json::value(json::object{{"status", "0x1"}, {"blockNumber", "0x11"}});
      } else if (method == "fail") {
        reply["error"] = json::object{{"code", -32000}, {"message", "nonce too low"}};
      } else if (method == "huge_error") {
        // A hostile node: a 3 MB error message.
        reply["error"] = json::object{{"code", -32000}, {"message", std::string(3 << 20, 'e')}};
      } else if (method == "deep") {
        // Valid JSON nested 100 deep: deeper than Boost.JSON's default of 32.
        std::string deep(100, '[');
        deep += "1" + std::string(100, ']');
        reply["result"] = json::parse(deep, {}, {.max_depth = 200});
      } else if (method == "wrong_id") {
        reply["id"] = 999999999;
        reply["result"] = true;
      } else {
        reply = json::object{{"hello", "world"}};
      }
      r.body = json::serialize(reply);
      return r;
    });
  }
  std::string url() const { return server_.base_url(); }
  std::vector<testing::TestRequest> requests() const { return server_.requests(); }

 private:
  testing::TestServer server_;
  std::atomic<int> receipts_{0};
};

std::string Journey(const std::string& url, const std::string& steps) {
  return "[targets.t]\nurls = [\"" + url + "\"]\n" + R"(
[journey.j]
interval = "10s"
timeout = "3s"
targets = "t"
vars = { who = "say \"hi\"\n" }
)" + steps;
}

TEST(JsonRpc, CallsWithRenderedParamsAndExtractsTheResult) {
  RpcServer rpc;
  auto config = MustLoad(Journey(rpc.url(), R"(
[[journey.j.step]]
name = "height"
jsonrpc = { method = "eth_blockNumber" }
expect = { json = { "/result" = { matches = "^0x[0-9a-f]+$" } } }
extract = { height = "/result" }
[[journey.j.step]]
name = "echo"
jsonrpc = { method = "echo", params = ["${height}", 7, true, { who = "${vars.who}" }] }
expect = { json = { "/result/0" = "0x10", "/result/1" = 7, "/result/3/who" = "say \"hi\"\n" } }
)"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  ASSERT_EQ(r.outcome, Outcome::kSuccess) << r.detail;
  auto requests = rpc.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "POST");
  json::value first = json::parse(requests[0].body);
  json::value second = json::parse(requests[1].body);
  EXPECT_EQ(first.at("jsonrpc"), "2.0");
  EXPECT_FALSE(first.as_object().contains("params"));
  EXPECT_NE(first.at("id"), second.at("id"));  // fresh ids
  // The quote and newline in the variable were escaped, not spliced raw.
  EXPECT_EQ(second.at("params").at(3).at("who"), "say \"hi\"\n");
}

TEST(JsonRpc, ErrorObjectIsRpcErrorWithItsCode) {
  RpcServer rpc;
  auto config = MustLoad(
      Journey(rpc.url(), "[[journey.j.step]]\nname = \"send\"\njsonrpc = { method = \"fail\" }\n"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kRpcError);
  EXPECT_EQ(r.detail, "rpc error -32000: nonce too low");
  EXPECT_EQ(r.steps.at(0).rpc_error_code, -32000);
}

// A target's text is bounded before it is kept: a 3 MB error message
// leaves a detail of at most kMaxDetailBytes in the run (which the log, the
// store, the ring and the API copy), saying how long it was.
TEST(JsonRpc, AHugeErrorMessageIsBoundedInTheRun) {
  RpcServer rpc;
  auto config = MustLoad(Journey(rpc.url(), R"(
[[journey.j.step]]
name = "call"
jsonrpc = { method = "huge_error", max_response_bytes = 8000000 }
)"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.reason, Reason::kRpcError);
  EXPECT_LE(r.detail.size(), 1024u);
  EXPECT_NE(r.detail.find("rpc error -32000: eeee"), std::string::npos) << r.detail.substr(0, 80);
  EXPECT_NE(r.detail.find("bytes)"), std::string::npos);
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_LE(r.steps[0].detail.size(), 1024u);
}

// Valid JSON nested deeper than Boost.JSON's default limit (32) is still
// JSON: checks and extractions read it.
TEST(JsonRpc, DeeplyNestedJsonIsStillJson) {
  RpcServer rpc;
  auto config = MustLoad(Journey(rpc.url(), R"(
[[journey.j.step]]
name = "call"
jsonrpc = { method = "deep" }
expect = { json = { "/result/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0" = { type = "array" } } }
)"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << ToString(r.reason) << ": " << r.detail;
}

TEST(JsonRpc, MismatchedIdOrNotJsonRpcIsInvalidResponse) {
  RpcServer rpc;
  auto wrong_id = MustLoad(Journey(
      rpc.url(), "[[journey.j.step]]\nname = \"s\"\njsonrpc = { method = \"wrong_id\" }\n"));
  ASSERT_TRUE(wrong_id);
  JourneyResult r = RunOnce(*wrong_id, "j");
  EXPECT_EQ(r.reason, Reason::kInvalidResponse);
  EXPECT_NE(r.detail.find("does not match request id"), std::string::npos) << r.detail;

  auto not_rpc = MustLoad(
      Journey(rpc.url(), "[[journey.j.step]]\nname = \"s\"\njsonrpc = { method = \"other\" }\n"));
  ASSERT_TRUE(not_rpc);
  EXPECT_EQ(RunOnce(*not_rpc, "j").reason, Reason::kInvalidResponse);
}

TEST(JsonRpc, PollsUntilAReceiptAppears) {
  RpcServer rpc;
  auto config = MustLoad(Journey(rpc.url(), R"(
[[journey.j.step]]
name = "receipt"
jsonrpc = { method = "eth_getTransactionReceipt", params = ["0xabc"] }
poll = { every = "10ms", within = "1s" }
until = { "/result" = { type = "object" }, "/result/status" = "0x1" }
)"));
  ASSERT_TRUE(config);
  JourneyResult r = RunOnce(*config, "j");
  ASSERT_EQ(r.outcome, Outcome::kSuccess) << r.detail;
  EXPECT_EQ(r.steps.at(0).polls, 3);
}

}  // namespace
}  // namespace sonde
