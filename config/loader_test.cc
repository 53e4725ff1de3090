#include "config/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace sonde {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// TOML in these tests starts on the line after `R"(`: Load() drops that first
// newline, so line numbers in expectations are the ones you count by eye.
LoadResult Load(std::string_view toml) {
  if (!toml.empty() && toml.front() == '\n') toml.remove_prefix(1);
  return LoadConfigString(toml, "t.toml");
}

std::vector<std::string> Messages(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.errors) out.push_back(d.ToString());
  return out;
}

std::string Src(const Template& t) { return t.source(); }

std::vector<std::string> HeaderList(const std::vector<Header>& headers) {
  std::vector<std::string> out;
  for (const Header& h : headers) out.push_back(h.name + ": " + h.value.source());
  return out;
}

std::string At(SourceLocation at) {
  return std::to_string(at.line) + ":" + std::to_string(at.column);
}

// ---------------------------------------------------------------------------
// A valid file with every key of the schema.

constexpr std::string_view kFullConfig = R"(
[service]
listen = "[::1]:9000"
location = "eu-1"

[targets.api]
urls = ["http://127.0.0.1:18080/", "https://api.example.com:8443/base/"]
headers = { "X-Api-Key" = "key-${vars.key}", Accept = "application/json" }
tls = { insecure_skip_verify = true, ca_file = "ca.pem", cert_file = "c.pem", key_file = "k.pem" }

[journey.transfer]
interval = "15s"
timeout = "5s"
targets = "api"
degraded_after = "1.5s"
vars = { to = "abc", amount = 3, dry = true }

[[journey.transfer.step]]
name = "nonce"
timeout = "1s"
http = { method = "post", path = "/v1/nonce/${vars.to}", headers = { "X-Trace" = "${journey.name}" }, json = '{"to":"${vars.to}"}', max_response_bytes = 1024 }
expect = { status = [200, 202, "3xx"], json = { "/status" = "ok", "/n" = 3, "/f" = 1.5, "/b" = true, "/height" = { exists = true }, "/err" = { exists = false }, "/eq" = { eq = "x" } } }
extract = { nonce = "/result", "hash" = "" }

[[journey.transfer.step]]
name = "send"
http = { path = "/v1/send/${nonce}?url=${target.url}&g=${target.group}", body = "raw $${not} ${hash}" }

[journey.ping]
interval = "1m"
timeout = "10s"
targets = "api"

[[journey.ping.step]]
name = "ping"
http = { method = "HEAD", path = "/" }
)";

TEST(LoaderTest, FullSchemaLoadsIntoTheModel) {
  LoadResult r = Load(kFullConfig);
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Messages(r));
  const Config& c = *r.config;
  EXPECT_EQ(c.source, "t.toml");

  EXPECT_EQ(c.service.listen_host, "::1");
  EXPECT_EQ(c.service.listen_port, 9000);
  EXPECT_EQ(c.service.location, "eu-1");

  ASSERT_EQ(c.targets.size(), 1u);
  const TargetGroup* api = c.FindTargets("api");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->name, "api");
  EXPECT_THAT(api->urls,
              ElementsAre("http://127.0.0.1:18080", "https://api.example.com:8443/base"));
  EXPECT_THAT(HeaderList(api->headers),
              ElementsAre("X-Api-Key: key-${vars.key}", "Accept: application/json"));
  EXPECT_TRUE(api->tls.insecure_skip_verify);
  EXPECT_EQ(api->tls.ca_file, "ca.pem");
  EXPECT_EQ(api->tls.cert_file, "c.pem");
  EXPECT_EQ(api->tls.key_file, "k.pem");
  EXPECT_EQ(At(api->where), "5:1");

  // File order, not alphabetical.
  ASSERT_EQ(c.journeys.size(), 2u);
  const Journey& tx = c.journeys[0];
  EXPECT_EQ(tx.name, "transfer");
  EXPECT_EQ(tx.interval, 15s);
  EXPECT_EQ(tx.timeout, 5s);
  EXPECT_EQ(tx.degraded_after, 1500ms);
  EXPECT_EQ(tx.target_group, "api");
  using Var = std::pair<std::string, std::string>;
  EXPECT_THAT(tx.vars, ElementsAre(Var("to", "abc"), Var("amount", "3"), Var("dry", "true")));
  EXPECT_EQ(At(tx.where), "10:1");
  ASSERT_EQ(tx.steps.size(), 2u);

  const Step& nonce = tx.steps[0];
  EXPECT_EQ(nonce.name, "nonce");
  EXPECT_EQ(nonce.kind, "http");
  EXPECT_EQ(nonce.timeout, 1s);
  EXPECT_EQ(At(nonce.where), "17:1");
  const HttpStep& post = std::get<HttpStep>(nonce.action);
  EXPECT_EQ(post.method, "POST");
  EXPECT_EQ(Src(post.path), "/v1/nonce/${vars.to}");
  EXPECT_THAT(HeaderList(post.headers), ElementsAre("X-Trace: ${journey.name}"));
  EXPECT_EQ(Src(post.body), R"({"to":"${vars.to}"})");
  EXPECT_EQ(post.content_type, "application/json");
  EXPECT_EQ(post.max_response_bytes, 1024u);
  using Range = std::pair<int, int>;
  EXPECT_THAT(nonce.expect.status.ranges,
              ElementsAre(Range(200, 200), Range(202, 202), Range(300, 399)));
  const std::vector<JsonCheck>& json = nonce.expect.json;
  ASSERT_EQ(json.size(), 7u);
  EXPECT_EQ(json[0].pointer, "/status");
  EXPECT_EQ(json[0].op, JsonOp::kEq);
  EXPECT_EQ(json[0].expected, Scalar(std::string("ok")));
  EXPECT_EQ(At(json[0].where), "21:49");
  EXPECT_EQ(json[1].pointer, "/n");
  EXPECT_EQ(json[1].expected, Scalar(int64_t{3}));
  EXPECT_EQ(json[2].pointer, "/f");
  EXPECT_EQ(json[2].expected, Scalar(1.5));
  EXPECT_EQ(json[3].pointer, "/b");
  EXPECT_EQ(json[3].expected, Scalar(true));
  EXPECT_EQ(json[4].pointer, "/height");
  EXPECT_EQ(json[4].op, JsonOp::kExists);
  EXPECT_EQ(json[5].pointer, "/err");
  EXPECT_EQ(json[5].op, JsonOp::kAbsent);
  EXPECT_EQ(json[6].pointer, "/eq");
  EXPECT_EQ(json[6].op, JsonOp::kEq);
  EXPECT_EQ(json[6].expected, Scalar(std::string("x")));
  ASSERT_EQ(nonce.extract.size(), 2u);
  EXPECT_EQ(nonce.extract[0].variable, "nonce");
  EXPECT_EQ(nonce.extract[0].pointer, "/result");
  EXPECT_EQ(At(nonce.extract[0].where), "22:13");
  EXPECT_EQ(nonce.extract[1].variable, "hash");
  EXPECT_EQ(nonce.extract[1].pointer, "");

  const Step& send = tx.steps[1];
  EXPECT_EQ(send.name, "send");
  EXPECT_EQ(send.timeout, std::nullopt);
  const HttpStep& get = std::get<HttpStep>(send.action);
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(Src(get.body), "raw $${not} ${hash}");
  EXPECT_EQ(get.content_type, "");
  EXPECT_EQ(get.max_response_bytes, 4u * 1024 * 1024);
  EXPECT_THAT(send.expect.status.ranges, ElementsAre(Range(200, 299)));
  EXPECT_TRUE(send.expect.json.empty());
  EXPECT_TRUE(send.extract.empty());

  const Journey* ping = c.FindJourney("ping");
  ASSERT_EQ(ping, &c.journeys[1]);
  EXPECT_EQ(ping->interval, 60s);
  EXPECT_EQ(ping->degraded_after, std::nullopt);
  EXPECT_TRUE(ping->vars.empty());
  EXPECT_EQ(std::get<HttpStep>(ping->steps[0].action).method, "HEAD");
}

TEST(LoaderTest, EmptyFileGivesDefaults) {
  LoadResult r = Load("");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config->service.listen_host, "127.0.0.1");
  EXPECT_EQ(r.config->service.listen_port, 9464);
  EXPECT_EQ(r.config->service.location, "");
  EXPECT_TRUE(r.config->targets.empty());
  EXPECT_TRUE(r.config->journeys.empty());
}

// ---------------------------------------------------------------------------
// Each kind of error on its own: exactly one diagnostic, exact text.

struct ErrorCase {
  const char* name;
  const char* toml;
  const char* want;       // the whole "FILE:LINE:COL: message"
  bool add_group = true;  // append [targets.demo] after the case's lines
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

constexpr char kDemoGroup[] = "\n[targets.demo]\nurls = [\"http://127.0.0.1:18080\"]\n";

class SingleErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(SingleErrorTest, ReportsExactlyThisError) {
  const ErrorCase& c = GetParam();
  std::string toml = c.toml;
  if (c.add_group) toml += kDemoGroup;
  LoadResult r = Load(toml);
  EXPECT_EQ(r.config, nullptr);
  EXPECT_THAT(Messages(r), ElementsAre(c.want));
}

// Most cases change one line of this minimal journey (lines 1-6).
//   1 [journey.tx]
//   2 interval = "15s"
//   3 timeout = "5s"
//   4 targets = "demo"
//   5 [[journey.tx.step]]
//   6 name = "a"
//   7 http = { path = "/" }
const ErrorCase kErrorCases[] = {
    // Unknown keys, with and without a suggestion.
    {"UnknownKeySuggests", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
degraded_afterr = "1s"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:5:1: journey.tx: unknown key "degraded_afterr" (did you mean "degraded_after"?))"},
    {"UnknownKeyWithoutSuggestion", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
colour = "red"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:5:1: journey.tx: unknown key "colour")"},
    {"UnknownTopLevelTable", R"(
[servce]
listen = "127.0.0.1:1"
)",
     R"(t.toml:1:2: unknown key "servce" (did you mean "service"?))"},
    {"UnknownKeyInInlineTable", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/", methd = "GET" }
)",
     R"(t.toml:7:22: journey.tx.step[1].http: unknown key "methd" (did you mean "method"?))"},

    // Types and durations.
    {"WrongType", R"(
[journey.tx]
interval = "15s"
timeout = 5
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:3:11: journey.tx: "timeout" must be a string, got integer)"},
    {"BadDurationUnit", R"(
[journey.tx]
interval = "5sec"
timeout = "1s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:2:12: journey.tx: bad duration "5sec" for "interval": unknown unit "sec" (use ns, us, ms, s, m, h or d))"},
    {"BareNumberDuration", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
timeout = "5"
http = { path = "/" }
)",
     R"(t.toml:7:11: journey.tx.step[1]: bad duration "5" for "timeout": missing unit after "5" (use ns, us, ms, s, m, h or d))"},
    {"ZeroDuration", R"(
[journey.tx]
interval = "15s"
timeout = "0s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:3:11: journey.tx: "timeout" must be longer than zero)"},

    // Required keys point at the table that lacks them.
    {"MissingJourneyKey", R"(
[journey.tx]
interval = "15s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:1:1: journey "tx" is missing required key "timeout")"},
    {"MissingSteps", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
)",
     R"(t.toml:1:1: journey "tx" is missing required key "step")"},
    {"EmptySteps", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
step = []
)",
     R"(t.toml:5:8: journey.tx: "step" must not be empty (add a [[journey.tx.step]] table))"},
    {"StepsNotTables", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
step = "a"
)",
     R"(t.toml:5:8: journey.tx: "step" must be an array of tables ([[journey.tx.step]]), got string)"},
    {"MissingStepName", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
http = { path = "/" }
)",
     R"(t.toml:5:1: journey.tx.step[1] is missing required key "name")"},
    {"MissingPath", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { method = "GET" }
)",
     R"(t.toml:7:8: journey.tx.step[1].http is missing required key "path")"},
    {"MissingUrls", R"(
[targets.demo]
headers = { A = "b" }
)",
     R"(t.toml:1:1: target group "demo" is missing required key "urls")", false},
    {"NoAction", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
expect = { status = [200] }
)",
     R"(t.toml:5:1: journey.tx.step[1] has no action (add http, jsonrpc, sign, frost, wallet, tcp, tls or sleep))"},

    // Journey timings.
    {"TimeoutNotShorterThanInterval", R"(
[journey.tx]
interval = "15s"
timeout = "15000ms"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:3:11: journey.tx: "timeout" (15s) must be shorter than "interval" (15s))"},
    {"DegradedNotShorterThanTimeout", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
degraded_after = "6s"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:5:18: journey.tx: "degraded_after" (6s) must be shorter than "timeout" (5s))"},

    // Target groups named by journeys.
    {"UnknownTargetGroupSuggests", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "dmeo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:4:11: journey.tx: unknown target group "dmeo" (did you mean "demo"?))"},
    {"UnknownTargetGroupNoneDefined", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:4:11: journey.tx: unknown target group "demo" (no [targets.*] group is defined))",
     false},

    // Names.
    {"DuplicateStepName", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:9:8: journey.tx.step[2]: duplicate step name "a" (first used on line 6))"},
    {"BadJourneyName", R"(
[journey.Tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.Tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:1:10: journey: bad journey name "Tx": use [a-z][a-z0-9_]* (it becomes a metric label))"},
    {"JourneyNotATable", R"(
[journey]
tx = 1
)",
     R"(t.toml:2:6: journey: "tx" must be a table, got integer)"},
    {"BadStepName", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "get-head"
http = { path = "/" }
)",
     R"(t.toml:6:8: journey.tx.step[1]: bad step name "get-head": use [a-z][a-z0-9_]* (it becomes a metric label))"},
    {"BadGroupName", R"(
[targets."a b"]
urls = ["http://h"]
)",
     R"(t.toml:1:10: targets: bad target group name "a b": use letters, digits, '_' and '-')",
     false},
    {"BadVarsName", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
vars = { "1st" = "x" }
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:5:10: journey.tx: bad variable name "1st" in "vars": use letters, digits, '_' and '-', not starting with a digit or '-')"},
    {"VarsWrongType", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
vars = { x = 1.5 }
[[journey.tx.step]]
name = "a"
http = { path = "/" }
)",
     R"(t.toml:5:14: journey.tx: "vars.x" must be a string, integer or boolean, got float)"},

    // [service].
    {"BadListenPort", R"(
[service]
listen = "127.0.0.1:65536"
)",
     R"(t.toml:2:10: service: bad "listen" address "127.0.0.1:65536": bad port "65536" (use 1..65535, or 0 for any))"},
    {"ListenWithoutPort", R"(
[service]
listen = "localhost"
)",
     R"(t.toml:2:10: service: bad "listen" address "localhost": missing ":PORT")"},
    {"ListenBareIpv6", R"(
[service]
listen = "::1:9464"
)",
     R"(t.toml:2:10: service: bad "listen" address "::1:9464": an IPv6 address needs brackets, as in "[::1]:9464")"},
    {"BadLocation", R"(
[service]
location = "eu/1"
)",
     R"(t.toml:2:12: service: bad "location" "eu/1": use letters, digits and _ . : -)"},

    // [targets.*].
    {"EmptyUrls", R"(
[targets.demo]
urls = []
)",
     R"(t.toml:2:8: targets.demo: "urls" must not be empty)", false},
    {"UrlNotAString", R"(
[targets.demo]
urls = ["http://a", 7]
)",
     R"(t.toml:2:21: targets.demo: "urls[2]" must be a string, got integer)", false},
    {"UrlBadScheme", R"(
[targets.demo]
urls = ["ws://a"]
)",
     R"(t.toml:2:9: targets.demo: "urls[1]" "ws://a" has scheme "ws" (use http or https))", false},
    {"UrlNotAUrl", R"(
[targets.demo]
urls = ["127.0.0.1:80"]
)",
     R"(t.toml:2:9: targets.demo: "urls[1]" "127.0.0.1:80" is not a URL (expected http://host[:port][/prefix]))",
     false},
    {"UrlWithoutHost", R"(
[targets.demo]
urls = ["http://:80/x"]
)",
     R"(t.toml:2:9: targets.demo: "urls[1]" "http://:80/x" has no host)", false},
    {"UrlBadPort", R"(
[targets.demo]
urls = ["http://a:http"]
)",
     R"(t.toml:2:9: targets.demo: "urls[1]" "http://a:http" has a bad port)", false},
    {"UrlPortZero", R"(
[targets.demo]
urls = ["http://a:0/x"]
)",
     R"(t.toml:2:9: targets.demo: "urls[1]" "http://a:0/x" has a bad port)", false},
    {"UrlWithQuery", R"(
[targets.demo]
urls = ["http://a/?x=1"]
)",
     R"(t.toml:2:9: targets.demo: "urls[1]" "http://a/?x=1" must not have a query or fragment)",
     false},
    {"UrlTwice", R"(
[targets.demo]
urls = ["http://a/", "http://a"]
)",
     R"(t.toml:2:22: targets.demo: "urls[2]" "http://a" is listed twice)", false},
    {"KeyWithoutCert", R"(
[targets.demo]
urls = ["http://a"]
tls = { key_file = "k.pem" }
)",
     R"(t.toml:3:20: targets.demo.tls: "cert_file" and "key_file" must be given together)", false},
    {"BadHeaderName", R"(
[targets.demo]
urls = ["http://a"]
headers = { "X Key" = "v" }
)",
     R"(t.toml:3:13: targets.demo: bad header name "X Key")", false},
    {"HeaderNotAString", R"(
[targets.demo]
urls = ["http://a"]
headers = { X = 1 }
)",
     R"(t.toml:3:17: targets.demo: "headers.X" must be a string, got integer)", false},
    {"HeaderLineBreak", R"(
[targets.demo]
urls = ["http://a"]
headers = { X = "a\r\nEvil: 1" }
)",
     R"(t.toml:3:17: targets.demo: "headers.X" must not contain a line break)", false},
    {"GroupHeaderUsesExtractedVariable", R"(
[targets.demo]
urls = ["http://a"]
headers = { Authorization = "Bearer ${token}" }
)",
     R"(t.toml:3:37: targets.demo: unknown variable 'token' (target headers may use target.url, target.group, journey.name and vars.*))",
     false},

    // Steps: http.
    {"UnknownMethod", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { method = "FETCH", path = "/" }
)",
     R"(t.toml:7:19: journey.tx.step[1].http: unknown HTTP method "FETCH" (use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS))"},
    {"PathWithoutSlash", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "v1" }
)",
     R"(t.toml:7:17: journey.tx.step[1].http: "path" must start with '/', got "v1")"},
    {"BodyAndJson", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/", json = "{}", body = "x" }
)",
     R"(t.toml:7:42: journey.tx.step[1].http: "body" and "json" are mutually exclusive)"},
    {"MaxResponseBytesZero", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/", max_response_bytes = 0 }
)",
     R"(t.toml:7:43: journey.tx.step[1].http: "max_response_bytes" must be positive, got 0)"},
    {"MaxResponseBytesWrongType", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/", max_response_bytes = "1MB" }
)",
     R"(t.toml:7:43: journey.tx.step[1].http: "max_response_bytes" must be an integer, got string)"},

    // Steps: templates and the variables they use.
    {"MalformedTemplatePointsInsideTheString", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/a/${1x}" }
)",
     R"(t.toml:7:21: journey.tx.step[1].http: "path": bad variable name "1x" in template)"},
    {"MalformedTemplateAfterEscapePointsAtTheString", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/", body = "\"q\" ${" }
)",
     R"(t.toml:7:29: journey.tx.step[1].http: "body": unterminated "${" in template)"},
    {"UnknownVariable", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/", headers = { X = "${zzz}" } }
)",
     R"(t.toml:7:39: journey.tx.step[1]: unknown variable 'zzz')"},
    {"UnknownVariableSuggests", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
vars = { to = "x" }
[[journey.tx.step]]
name = "a"
http = { path = "/${vars.ot}" }
)",
     R"(t.toml:8:19: journey.tx.step[1]: unknown variable 'vars.ot' (did you mean 'vars.to'?))"},
    {"VariableExtractedByLaterStep", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/", json = '{"n":"${nonce}"}' }
[[journey.tx.step]]
name = "b"
http = { path = "/" }
extract = { nonce = "/n" }
)",
     R"(t.toml:7:36: journey.tx.step[1]: unknown variable 'nonce' (extracted only by later step 'b'))"},
    {"VariableExtractedBySameStep", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/${n}" }
extract = { n = "/n" }
)",
     R"(t.toml:7:19: journey.tx.step[1]: unknown variable 'n' (this step extracts it, but only after its own request))"},

    // Steps: expect and extract.
    {"EmptyStatus", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { status = [] }
)",
     R"(t.toml:8:21: journey.tx.step[1].expect: "status" must not be empty)"},
    {"StatusOutOfRange", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { status = [200, 600] }
)",
     R"(t.toml:8:27: journey.tx.step[1].expect: "status[2]" must be a status 100..599 or a class like "2xx")"},
    {"StatusBadClass", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { status = ["2xy"] }
)",
     R"(t.toml:8:22: journey.tx.step[1].expect: "status[1]" must be a status 100..599 or a class like "2xx")"},
    {"StatusWrongType", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { status = [2.5] }
)",
     R"(t.toml:8:22: journey.tx.step[1].expect: "status[1]" must be an integer or a string like "2xx", got float)"},
    {"JsonPointerWithoutSlash", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { json = { "status" = "ok" } }
)",
     R"(t.toml:8:21: journey.tx.step[1].expect: "json": bad JSON pointer "status": must be "" or start with '/')"},
    {"JsonPointerBadEscape", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { json = { "/a~2" = 1 } }
)",
     R"(t.toml:8:21: journey.tx.step[1].expect: "json": bad JSON pointer "/a~2": '~' must be followed by 0 or 1)"},
    {"JsonCheckEmpty", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { json = { "/a" = {} } }
)",
     R"(t.toml:8:28: journey.tx.step[1].expect.json["/a"]: give at least one of eq, ne, lt, le, gt, ge, exists, absent, matches, type, max_age)"},
    {"JsonCheckOrderingNeedsANumber", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { json = { "/a" = { gt = "one" } } }
)",
     R"(t.toml:8:35: journey.tx.step[1].expect.json["/a"]: "gt" must be a number, a string holding an integer, or a "${variable}" holding one, got string)"},
    {"JsonCheckBadRegex", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { json = { "/a" = { matches = "(" } } }
)",
     R"(t.toml:8:40: journey.tx.step[1].expect.json["/a"]: "matches": bad regular expression: Unmatched marking parenthesis ( or \( (at offset 1))"},
    {"JsonCheckUnknownType", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { json = { "/a" = { type = "list" } } }
)",
     R"(t.toml:8:37: journey.tx.step[1].expect.json["/a"]: unknown JSON type "list" (use string, number, integer, boolean, object, array or null))"},
    {"JsonCheckUnknownOperator", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { json = { "/a" = { gte = 1 } } }
)",
     R"(t.toml:8:30: journey.tx.step[1].expect.json["/a"]: unknown key "gte" (did you mean "gt"?))"},
    {"ExpectBadBodyRegex", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { body = "[" }
)",
     R"(t.toml:8:19: journey.tx.step[1].expect: "body": bad regular expression: Character set declaration starting with [ terminated prematurely - either no ] was found or the set had no content (at offset 1))"},
    {"ExpectHeaderNotString", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { headers = { "content-type" = 1 } }
)",
     R"(t.toml:8:41: journey.tx.step[1].expect: "headers.content-type" must be a string (a regular expression), got integer)"},
    {"JsonExistsNotBoolean", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { json = { "/a" = { exists = "yes" } } }
)",
     R"(t.toml:8:39: journey.tx.step[1].expect.json["/a"]: "exists" must be a boolean, got string)"},
    {"JsonValueArray", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
expect = { json = { "/a" = [1] } }
)",
     R"(t.toml:8:28: journey.tx.step[1].expect: "json["/a"]" must be a value or a table like { exists = true }, got array)"},
    {"BadExtractName", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
extract = { "a.b" = "/x" }
)",
     R"(t.toml:8:13: journey.tx.step[1]: bad variable name "a.b" in "extract": use [A-Za-z_][A-Za-z0-9_]*)"},
    {"BadExtractPointer", R"(
[journey.tx]
interval = "15s"
timeout = "5s"
targets = "demo"
[[journey.tx.step]]
name = "a"
http = { path = "/" }
extract = { x = "x" }
)",
     R"(t.toml:8:17: journey.tx.step[1]: "extract": bad JSON pointer "x": must be "" or start with '/')"},
};

INSTANTIATE_TEST_SUITE_P(Kinds, SingleErrorTest, ::testing::ValuesIn(kErrorCases),
                         [](const auto& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------------------

TEST(LoaderTest, SyntaxErrorIsTheOnlyDiagnostic) {
  LoadResult r = Load(R"(
[servce]
interval = 5
a = = 1
)");
  EXPECT_EQ(r.config, nullptr);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 3u);
  EXPECT_EQ(r.errors[0].column, 5u);
  EXPECT_THAT(r.errors[0].ToString(), StartsWith("t.toml:3:5: TOML syntax error: "));
}

TEST(LoaderTest, DuplicateTomlKeyIsASyntaxError) {
  LoadResult r = Load("a = 1\na = 2\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0].ToString(), StartsWith("t.toml:2:"));
  EXPECT_THAT(r.errors[0].message, HasSubstr("TOML syntax error"));
}

TEST(LoaderTest, ReportsEveryErrorInFileOrder) {
  // The errors are found in a different order (targets before journeys, a
  // journey's step checks last); the report is sorted by position.
  LoadResult r = Load(R"(
[journey.tx]
interval = "15s"
timeout = "20s"
targets = "dmeo"
[[journey.tx.step]]
name = "a"
http = { method = 1, path = "/${later}" }
[[journey.tx.step]]
name = "a"
http = { path = "/" }
extract = { later = "/x" }

[targets.demo]
urls = ["https://"]
tls = { insecure_skip_verify = "yes" }

[service]
listen = ":80"
)");
  EXPECT_EQ(r.config, nullptr);
  EXPECT_THAT(
      Messages(r),
      ElementsAre(
          R"(t.toml:3:11: journey.tx: "timeout" (20s) must be shorter than "interval" (15s))",
          R"(t.toml:4:11: journey.tx: unknown target group "dmeo" (did you mean "demo"?))",
          R"(t.toml:7:19: journey.tx.step[1].http: "method" must be a string, got integer)",
          R"(t.toml:7:31: journey.tx.step[1]: unknown variable 'later' (extracted only by later step 'a'))",
          R"(t.toml:9:8: journey.tx.step[2]: duplicate step name "a" (first used on line 6))",
          R"(t.toml:14:9: targets.demo: "urls[1]" "https://" has no host)",
          R"(t.toml:15:32: targets.demo.tls: "insecure_skip_verify" must be a boolean, got string)",
          R"(t.toml:18:10: service: bad "listen" address ":80": missing host)"));
}

TEST(LoaderTest, ErrorsAtTheSamePlaceKeepTheirOrder) {
  // Three missing keys are all reported at the table header, in the order
  // the loader checks them; sorting by position must not shuffle them.
  LoadResult r = Load(R"(
[journey."Tx"]
interval = "15s"
)");
  EXPECT_THAT(
      Messages(r),
      ElementsAre(
          R"(t.toml:1:1: journey "Tx" is missing required key "timeout")",
          R"(t.toml:1:1: journey "Tx" is missing required key "targets")",
          R"(t.toml:1:1: journey "Tx" is missing required key "step")",
          R"(t.toml:1:10: journey: bad journey name "Tx": use [a-z][a-z0-9_]* (it becomes a metric label))"));
}

TEST(LoaderTest, UnreadableFileIsOneDiagnosticAtZero) {
  LoadResult r = LoadConfigFile("/nonexistent/sonde.toml");
  EXPECT_EQ(r.config, nullptr);
  EXPECT_THAT(Messages(r), ElementsAre("/nonexistent/sonde.toml:0:0: cannot read file: "
                                       "No such file or directory"));
  r = LoadConfigFile("/");
  EXPECT_THAT(Messages(r), ElementsAre("/:0:0: cannot read file: Is a directory"));
}

// ---------------------------------------------------------------------------
// The example files.

std::string ExamplePath(const std::string& name) {
  return std::string(SONDE_SOURCE_DIR) + "/config/examples/" + name;
}

TEST(ExamplesTest, DemoLoadsClean) {
  LoadResult r = LoadConfigFile(ExamplePath("demo.toml"));
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Messages(r));
  const Config& c = *r.config;
  EXPECT_EQ(c.service.listen_host, "127.0.0.1");
  EXPECT_EQ(c.service.listen_port, 9464);
  ASSERT_NE(c.FindTargets("demo"), nullptr);
  EXPECT_THAT(c.FindTargets("demo")->urls, ElementsAre("http://127.0.0.1:18080"));
  ASSERT_EQ(c.journeys.size(), 2u);

  const Journey& head = c.journeys[0];
  EXPECT_EQ(head.name, "chain_head");
  EXPECT_EQ(head.interval, 5s);
  EXPECT_EQ(head.timeout, 2s);
  EXPECT_EQ(head.degraded_after, 500ms);
  EXPECT_EQ(head.target_group, "demo");
  ASSERT_EQ(head.steps.size(), 2u);
  EXPECT_EQ(head.steps[0].name, "head");
  EXPECT_EQ(Src(std::get<HttpStep>(head.steps[0].action).path), "/v1/head");
  using Range = std::pair<int, int>;
  EXPECT_THAT(head.steps[0].expect.status.ranges, ElementsAre(Range(200, 200)));
  ASSERT_EQ(head.steps[0].expect.json.size(), 1u);
  EXPECT_EQ(head.steps[0].expect.json[0].pointer, "/height");
  EXPECT_EQ(head.steps[0].expect.json[0].op, JsonOp::kExists);
  ASSERT_EQ(head.steps[0].extract.size(), 1u);
  EXPECT_EQ(head.steps[0].extract[0].variable, "height");
  EXPECT_EQ(head.steps[0].extract[0].pointer, "/height");
  EXPECT_EQ(head.steps[1].name, "block");
  EXPECT_EQ(Src(std::get<HttpStep>(head.steps[1].action).path), "/v1/blocks/${height}");
  EXPECT_THAT(head.steps[1].expect.status.ranges, ElementsAre(Range(200, 200)));
  EXPECT_EQ(head.steps[1].expect.json[0].op, JsonOp::kExists);

  const Journey& status = c.journeys[1];
  EXPECT_EQ(status.name, "status");
  EXPECT_EQ(status.interval, 10s);
  EXPECT_EQ(status.timeout, 3s);
  EXPECT_EQ(status.degraded_after, std::nullopt);
  ASSERT_EQ(status.steps.size(), 1u);
  EXPECT_EQ(std::get<HttpStep>(status.steps[0].action).method, "GET");
  EXPECT_EQ(Src(std::get<HttpStep>(status.steps[0].action).path), "/v1/status");
  ASSERT_EQ(status.steps[0].expect.json.size(), 1u);
  EXPECT_EQ(status.steps[0].expect.json[0].pointer, "/status");
  EXPECT_EQ(status.steps[0].expect.json[0].op, JsonOp::kEq);
  EXPECT_EQ(status.steps[0].expect.json[0].expected, Scalar(std::string("ok")));
}

TEST(ExamplesTest, BrokenReportsEveryPlantedError) {
  const std::string path = ExamplePath("broken.toml");
  LoadResult r = LoadConfigFile(path);
  EXPECT_EQ(r.config, nullptr);
  // line:column and a fragment of the message, in file order.
  const std::vector<std::string> want = {
      R"(8:10: service: bad "listen" address "127.0.0.1:99999": bad port "99999")",
      R"(9:12: service: bad "location" "eu 1")",
      R"(11:2: unknown key "servce" (did you mean "service"?))",
      R"(14:9: targets.main: "urls[1]" "ftp://example.com" has scheme "ftp")",
      R"(15:24: targets.main: unknown variable 'nonce')",
      R"(16:21: targets.main.tls: "cert_file" and "key_file" must be given together)",
      R"(18:10: targets: bad target group name "bad group")",
      R"(19:8: targets."bad group": "urls" must not be empty)",
      R"(23:1: journey.tx: unknown key "degraded_afer" (did you mean "degraded_after"?))",
      R"(24:11: journey.tx: "timeout" must be a string, got integer)",
      R"(25:11: journey.tx: unknown target group "mian" (did you mean "main"?))",
      R"(26:29: journey.tx: "vars.list" must be a string, integer or boolean, got array)",
      R"(30:11: journey.tx.step[1]: bad duration "1sec" for "timeout": unknown unit "sec")",
      R"(31:19: journey.tx.step[1].http: unknown HTTP method "FETCH")",
      R"(32:27: journey.tx.step[1].expect: "status[2]" must be a status 100..599)",
      R"(35:8: journey.tx.step[2]: duplicate step name "send" (first used on line 29))",
      R"(36:17: journey.tx.step[2].http: "path" must start with '/')",
      R"(37:21: journey.tx.step[2]: "extract": bad JSON pointer "result")",
      R"(39:1: journey.tx.step[3] is missing required key "name")",
      R"(40:22: journey.tx.step[3]: unknown variable 'nonse' (did you mean 'nonce'?))",
      R"(42:1: journey "slow" is missing required key "targets")",
      R"(44:11: journey.slow: "timeout" (5s) must be shorter than "interval" (5s))",
      R"(45:18: journey.slow: "degraded_after" (10s) must be shorter than "timeout" (5s))",
      R"(48:8: journey.slow.step[1]: bad step name "Fetch")",
      R"(49:42: journey.slow.step[1].http: "body" and "json" are mutually exclusive)",
      R"(50:35: journey.slow.step[1].expect.json["/a"]: "gt" must be a number, a string holding an integer, or a "${variable}" holding one, got string)",
      R"(52:1: journey.slow.step[2] has no action (add http, jsonrpc, sign, frost, wallet, tcp, tls or sleep))",
      R"(54:13: journey.slow.step[2]: bad variable name "2x" in "extract")",
      R"(58:21: journey.slow.step[3]: unknown variable 'later' (extracted only by later step 'late'))",
      R"(59:1: journey.slow.step[3]: unknown key "http_" (did you mean "http"?))",
      R"(63:21: journey.slow.step[4].http: "path": unterminated "${" in template)",
      R"(66:10: journey: bad journey name "Upper")",
      R"(70:8: journey.Upper: "step" must not be empty)",
  };
  ASSERT_EQ(r.errors.size(), want.size()) << ::testing::PrintToString(Messages(r));
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_THAT(r.errors[i].ToString(), StartsWith(path + ":" + want[i])) << "error " << i;
  }

  // And the file's own "# ERROR" markers agree: one diagnostic per marked
  // line, none elsewhere.
  std::ifstream in(path);
  std::set<uint32_t> marked, reported;
  std::string line;
  for (uint32_t n = 1; std::getline(in, line); ++n) {
    if (line.find("# ERROR") != std::string::npos) marked.insert(n);
  }
  for (const Diagnostic& d : r.errors) {
    EXPECT_TRUE(reported.insert(d.line).second) << "two errors on line " << d.line;
  }
  EXPECT_EQ(marked, reported);
}

}  // namespace
}  // namespace sonde
