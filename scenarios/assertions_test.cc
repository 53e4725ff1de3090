#include "scenarios/assertions.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

namespace sonde {
namespace {

ProbeResult Response(int status, std::string body) {
  ProbeResult r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

JsonCheck Op(std::string pointer, JsonOp op, Scalar value = {}) {
  JsonCheck c;
  c.pointer = std::move(pointer);
  c.op = op;
  c.expected = std::move(value);
  return c;
}

JsonCheck Matches(std::string pointer, std::string pattern) {
  JsonCheck c = Op(std::move(pointer), JsonOp::kMatches);
  c.regex = Regex::Compile(pattern);
  return c;
}

// The verdict of one check against `body`.
Verdict One(JsonCheck check, const std::string& body) {
  Expectations e;
  e.json = {std::move(check)};
  ProbeResult r = Response(200, body);
  LazyJson json(r.body);
  return CheckExpectations(e, r, json);
}

constexpr const char* kDoc =
    R"({"s":"ok","n":3,"f":2.5,"b":true,"z":null,"a":[1,2],"o":{"k":"v"},"big":18446744073709551615,"h":"0xab12","w":4.0})";

TEST(CheckExpectations, StatusOutsideTheSetIsHttpStatus) {
  Expectations e;
  e.status.ranges = {{200, 200}, {202, 202}};
  auto r = Response(201, "{}");
  LazyJson json(r.body);
  Verdict v = CheckExpectations(e, r, json);
  EXPECT_EQ(v.failure, Reason::kHttpStatus);
  EXPECT_EQ(v.detail, "unexpected status 201: {}");
  r.status = 202;
  EXPECT_TRUE(CheckExpectations(e, r, json).ok());
}

TEST(JsonOperators, Eq) {
  EXPECT_TRUE(One(Op("/s", JsonOp::kEq, std::string("ok")), kDoc).ok());
  EXPECT_TRUE(One(Op("/n", JsonOp::kEq, int64_t{3}), kDoc).ok());
  EXPECT_TRUE(One(Op("/n", JsonOp::kEq, 3.0), kDoc).ok());  // numbers compare numerically
  EXPECT_TRUE(One(Op("/w", JsonOp::kEq, int64_t{4}), kDoc).ok());
  EXPECT_TRUE(One(Op("/b", JsonOp::kEq, true), kDoc).ok());
  EXPECT_EQ(One(Op("/s", JsonOp::kEq, int64_t{1}), kDoc).detail, R"("/s" is "ok", expected 1)");
  EXPECT_EQ(One(Op("/n", JsonOp::kEq, std::string("3")), kDoc).detail,
            R"("/n" is 3, expected "3")");
  EXPECT_EQ(One(Op("/nope", JsonOp::kEq, int64_t{1}), kDoc).detail, R"("/nope" is missing)");
  EXPECT_EQ(One(Op("/s", JsonOp::kEq, std::string("ok")), kDoc).failure, Reason::kNone);
  EXPECT_EQ(One(Op("/s", JsonOp::kEq, std::string("no")), kDoc).failure, Reason::kAssertion);
}

TEST(JsonOperators, Ne) {
  EXPECT_TRUE(One(Op("/s", JsonOp::kNe, std::string("failed")), kDoc).ok());
  EXPECT_EQ(One(Op("/s", JsonOp::kNe, std::string("ok")), kDoc).detail,
            R"("/s" is "ok", expected anything else)");
  EXPECT_EQ(One(Op("/nope", JsonOp::kNe, int64_t{1}), kDoc).detail, R"("/nope" is missing)");
}

TEST(JsonOperators, Ordering) {
  EXPECT_TRUE(One(Op("/n", JsonOp::kLt, int64_t{4}), kDoc).ok());
  EXPECT_FALSE(One(Op("/n", JsonOp::kLt, int64_t{3}), kDoc).ok());
  EXPECT_TRUE(One(Op("/n", JsonOp::kLe, int64_t{3}), kDoc).ok());
  EXPECT_FALSE(One(Op("/n", JsonOp::kLe, 2.99), kDoc).ok());
  EXPECT_TRUE(One(Op("/f", JsonOp::kGt, int64_t{2}), kDoc).ok());
  EXPECT_FALSE(One(Op("/f", JsonOp::kGt, 2.5), kDoc).ok());
  EXPECT_TRUE(One(Op("/f", JsonOp::kGe, 2.5), kDoc).ok());
  EXPECT_TRUE(One(Op("/big", JsonOp::kGe, int64_t{1}), kDoc).ok());  // uint64 values
  EXPECT_EQ(One(Op("/n", JsonOp::kGe, int64_t{10}), kDoc).detail, R"("/n" is 3, expected ge 10)");
  EXPECT_EQ(One(Op("/s", JsonOp::kGt, int64_t{1}), kDoc).detail, R"("/s" is "ok", not a number)");
}

TEST(JsonOperators, ExistsAndAbsent) {
  EXPECT_TRUE(One(Op("/a/0", JsonOp::kExists), kDoc).ok());
  EXPECT_TRUE(One(Op("/z", JsonOp::kExists), kDoc).ok());  // null is present
  EXPECT_EQ(One(Op("/a/2", JsonOp::kExists), kDoc).detail, R"("/a/2" is missing)");
  EXPECT_TRUE(One(Op("/err", JsonOp::kAbsent), kDoc).ok());
  EXPECT_EQ(One(Op("/o/k", JsonOp::kAbsent), kDoc).detail, R"("/o/k" is present)");
}

TEST(JsonOperators, Matches) {
  EXPECT_TRUE(One(Matches("/h", "^0x[0-9a-f]+$"), kDoc).ok());
  EXPECT_TRUE(One(Matches("/n", "^3$"), kDoc).ok());  // non-strings by their JSON text
  EXPECT_EQ(One(Matches("/s", "^fail"), kDoc).detail, R"("/s" is "ok", expected to match /^fail/)");
}

TEST(JsonOperators, Type) {
  for (auto [pointer, type] :
       std::vector<std::pair<std::string, std::string>>{{"/s", "string"},
                                                        {"/n", "number"},
                                                        {"/n", "integer"},
                                                        {"/w", "integer"},  // 4.0 is integral
                                                        {"/f", "number"},
                                                        {"/b", "boolean"},
                                                        {"/z", "null"},
                                                        {"/a", "array"},
                                                        {"/o", "object"}}) {
    EXPECT_TRUE(One(Op(pointer, JsonOp::kType, type), kDoc).ok()) << pointer << " " << type;
  }
  EXPECT_EQ(One(Op("/f", JsonOp::kType, std::string("integer")), kDoc).detail,
            R"("/f" is 2.5 (number), expected type integer)");
  EXPECT_EQ(One(Op("/a", JsonOp::kType, std::string("object")), kDoc).detail,
            R"("/a" is [1,2] (array), expected type object)");
}

TEST(JsonPointer, EdgeCases) {
  const std::string doc = R"({"a/b":1,"m~n":2,"":3,"arr":[10,20],"x":{"":4}})";
  EXPECT_TRUE(One(Op("/a~1b", JsonOp::kEq, int64_t{1}), doc).ok());  // ~1 is '/'
  EXPECT_TRUE(One(Op("/m~0n", JsonOp::kEq, int64_t{2}), doc).ok());  // ~0 is '~'
  EXPECT_TRUE(One(Op("/", JsonOp::kEq, int64_t{3}), doc).ok());      // the empty key
  EXPECT_TRUE(One(Op("/x/", JsonOp::kEq, int64_t{4}), doc).ok());
  EXPECT_TRUE(One(Op("/arr/1", JsonOp::kEq, int64_t{20}), doc).ok());
  EXPECT_FALSE(One(Op("/arr/2", JsonOp::kExists), doc).ok());                // past the end
  EXPECT_FALSE(One(Op("/arr/-", JsonOp::kExists), doc).ok());                // "-" never resolves
  EXPECT_FALSE(One(Op("/arr/01", JsonOp::kExists), doc).ok());               // no leading zeros
  EXPECT_TRUE(One(Op("", JsonOp::kType, std::string("object")), doc).ok());  // whole document
}

TEST(CheckExpectations, HeadersAndBody) {
  ProbeResult r = Response(200, R"({"status":"confirmed"})");
  r.headers = {{"content-type", "application/json"}, {"x-node", "1"}, {"x-node", "leader"}};
  Expectations e;
  e.headers = {{"content-type", *Regex::Compile("^application/json"), {}},
               {"x-node", *Regex::Compile("^leader$"), {}}};  // any of the values
  e.body = Regex::Compile("confirmed");
  e.body_not = Regex::Compile("rejected");
  LazyJson json(r.body);
  EXPECT_TRUE(CheckExpectations(e, r, json).ok());

  e.headers.push_back({"x-missing", *Regex::Compile("."), {}});
  Verdict v = CheckExpectations(e, r, json);
  EXPECT_EQ(v.failure, Reason::kAssertion);
  EXPECT_EQ(v.detail, R"(header "x-missing" is missing)");
  e.headers.pop_back();

  e.headers.push_back({"content-type", *Regex::Compile("xml"), {}});
  EXPECT_EQ(CheckExpectations(e, r, json).detail, R"(header "content-type" does not match /xml/)");
  e.headers.pop_back();

  e.body = Regex::Compile("pending");
  EXPECT_EQ(CheckExpectations(e, r, json).detail, "body does not match /pending/");
  e.body.reset();
  e.body_not = Regex::Compile("conf");
  EXPECT_EQ(CheckExpectations(e, r, json).detail, "body matches /conf/");
}

TEST(CheckExpectations, NonJsonBodyIsInvalidResponse) {
  Verdict v = One(Op("/s", JsonOp::kEq, std::string("ok")), "<html>oops</html>");
  EXPECT_EQ(v.failure, Reason::kInvalidResponse);
  EXPECT_NE(v.detail.find("not JSON"), std::string::npos) << v.detail;
}

TEST(ApplyExtractions, StringsVerbatimOthersAsJson) {
  auto r = Response(200, R"({"h":"0xab","n":42,"o":{"k":[1,2]},"f":2.5})");
  LazyJson json(r.body);
  Variables vars;
  Verdict v = ApplyExtractions(
      {{"hash", "/h", {}}, {"n", "/n", {}}, {"o", "/o", {}}, {"f", "/f", {}}}, json, vars);
  ASSERT_TRUE(v.ok()) << v.detail;
  EXPECT_EQ(*vars.Find("hash"), "0xab");
  EXPECT_EQ(*vars.Find("n"), "42");
  EXPECT_EQ(*vars.Find("o"), R"({"k":[1,2]})");
  EXPECT_EQ(*vars.Find("f"), "2.5");  // not Boost.JSON's "2.5E0"
  Verdict missing = ApplyExtractions({{"x", "/nope", {}}}, json, vars);
  EXPECT_EQ(missing.failure, Reason::kAssertion);
  EXPECT_EQ(vars.Find("x"), nullptr);
}

// Chains write numbers as JSON numbers, hex quantities or decimal strings;
// every comparison reads all three as the same integers, exactly.
TEST(JsonOperators, HexQuantitiesAndDecimalStringsAreIntegers) {
  constexpr const char* doc =
      R"({"height":"0x1a","etcd":"9","wei":"0x21e19e0c9bab2400000","big":"115792089237316195423570985008687907853269984665640564039457584007913129639935","neg":"-5","word":"nine"})";
  EXPECT_TRUE(One(Op("/height", JsonOp::kEq, int64_t{26}), doc).ok());
  EXPECT_TRUE(One(Op("/height", JsonOp::kGt, int64_t{25}), doc).ok());
  EXPECT_FALSE(One(Op("/height", JsonOp::kGt, int64_t{26}), doc).ok());
  EXPECT_TRUE(One(Op("/etcd", JsonOp::kGe, int64_t{9}), doc).ok());
  EXPECT_TRUE(One(Op("/etcd", JsonOp::kLt, int64_t{10}), doc).ok());
  EXPECT_TRUE(One(Op("/neg", JsonOp::kLt, int64_t{0}), doc).ok());
  // 10,000 ether in wei is above 2^64; one wei more or less still counts.
  // eq with a string operand compares strings (hashes, statuses): spelled
  // differently, the same number is a different string.
  EXPECT_FALSE(One(Op("/wei", JsonOp::kEq, std::string("10000000000000000000000")), doc).ok());
  EXPECT_TRUE(One(Op("/wei", JsonOp::kGe, std::string("10000000000000000000000")), doc).ok());
  EXPECT_FALSE(One(Op("/wei", JsonOp::kGt, std::string("10000000000000000000000")), doc).ok());
  EXPECT_TRUE(One(Op("/wei", JsonOp::kLt, std::string("10000000000000000000001")), doc).ok());
  EXPECT_FALSE(One(Op("/wei", JsonOp::kLt, std::string("9999999999999999999999")), doc).ok());
  EXPECT_TRUE(One(Op("/big", JsonOp::kGt, std::string("0x" + std::string(63, 'f'))), doc).ok());
  EXPECT_EQ(One(Op("/word", JsonOp::kGe, int64_t{1}), doc).detail,
            R"("/word" is "nine", not a number)");
}

// Above 2^53 a double cannot tell neighbours apart; the comparison must.
TEST(JsonOperators, OrderingAbove2To53IsExact) {
  constexpr const char* doc = R"({"n":9007199254740993,"s":"9007199254740993"})";
  EXPECT_TRUE(One(Op("/n", JsonOp::kGt, int64_t{9007199254740992}), doc).ok());
  EXPECT_TRUE(One(Op("/s", JsonOp::kGt, int64_t{9007199254740992}), doc).ok());
  EXPECT_FALSE(One(Op("/n", JsonOp::kEq, int64_t{9007199254740992}), doc).ok());
}

TEST(JsonOperators, TemplatedOperandsReadEveryIntegerSpelling) {
  Variables vars;
  vars.Set("before", "0x10");
  vars.Set("huge", "20000000000000000000000");
  const Template::Lookup lookup = vars.AsLookup();
  auto check = [&](JsonOp op, const std::string& operand, const std::string& body) {
    JsonCheck c = Op("/v", op);
    c.expected_template = Template::Compile(operand);
    Expectations e;
    e.json = {c};
    ProbeResult r = Response(200, body);
    LazyJson json(r.body);
    return CheckExpectations(e, r, json, &lookup);
  };
  EXPECT_TRUE(check(JsonOp::kGt, "${before}", R"({"v":"0x11"})").ok());
  EXPECT_FALSE(check(JsonOp::kGt, "${before}", R"({"v":16})").ok());
  EXPECT_TRUE(check(JsonOp::kEq, "${before}", R"({"v":16})").ok());
  EXPECT_TRUE(check(JsonOp::kLt, "${huge}", R"({"v":"0x21e19e0c9bab2400000"})").ok());
  EXPECT_EQ(check(JsonOp::kLt, "${before}", R"({"v":"0x11"})").detail,
            R"("/v" is "0x11", expected lt 16)");
}

// `max_age`: a Unix time in seconds (any integer spelling) no older than
// the duration; a halted chain's head fails it.
TEST(JsonOperators, MaxAgeJudgesABlocksTimestamp) {
  using namespace std::chrono;
  const int64_t now = duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
  auto fresh = [&](int64_t at, Duration max_age) {
    JsonCheck c = Op("/t", JsonOp::kMaxAge);
    c.max_age = max_age;
    char hex[32];
    std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(at));
    return One(c, std::string(R"({"t":")") + hex + "\"}");
  };
  EXPECT_TRUE(fresh(now - 5, seconds(36)).ok());
  EXPECT_TRUE(fresh(now + 3, seconds(36)).ok()) << "a clock a little ahead is not stale";
  Verdict stale = fresh(now - 100, seconds(36));
  EXPECT_EQ(stale.failure, Reason::kAssertion);
  EXPECT_NE(stale.detail.find("old, expected at most 36s"), std::string::npos) << stale.detail;
  JsonCheck c = Op("/t", JsonOp::kMaxAge);
  c.max_age = seconds(1);
  EXPECT_EQ(One(c, R"({"t":"yesterday"})").detail, R"("/t" is "yesterday", not a Unix time)");
}

}  // namespace
}  // namespace sonde
