#include "scenarios/assertions.h"

#include <gtest/gtest.h>

namespace sonde {
namespace {

ProbeResult Response(int status, std::string body) {
  ProbeResult r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

JsonCheck Eq(std::string pointer, Scalar value) {
  return {std::move(pointer), JsonOp::kEq, std::move(value), {}};
}

TEST(CheckExpectations, StatusOutsideTheSetIsHttpStatus) {
  Expectations e;
  e.status.ranges = {{200, 200}, {202, 202}};
  auto r = Response(201, "{}");
  LazyJson json(r.body);
  Verdict v = CheckExpectations(e, r, json);
  EXPECT_EQ(v.failure, Reason::kHttpStatus);
  EXPECT_EQ(v.detail, "unexpected status 201");
  r.status = 202;
  EXPECT_TRUE(CheckExpectations(e, r, json).ok());
}

TEST(CheckExpectations, JsonEqualityByType) {
  Expectations e;
  e.json = {Eq("/s", std::string("ok")), Eq("/n", int64_t{3}), Eq("/d", 2.5), Eq("/b", true)};
  auto r = Response(200, R"({"s":"ok","n":3.0,"d":2.5,"b":true})");
  LazyJson json(r.body);
  EXPECT_TRUE(CheckExpectations(e, r, json).ok());

  auto bad = Response(200, R"({"s":"ok","n":"3","d":2.5,"b":true})");
  LazyJson bad_json(bad.body);
  Verdict v = CheckExpectations(e, bad, bad_json);
  EXPECT_EQ(v.failure, Reason::kAssertion);
  EXPECT_EQ(v.detail, "\"/n\" is \"3\", expected 3");
}

TEST(CheckExpectations, ExistsAndAbsent) {
  Expectations e;
  e.json = {{"/a/0", JsonOp::kExists, {}, {}}, {"/err", JsonOp::kAbsent, {}, {}}};
  auto r = Response(200, R"({"a":[1]})");
  LazyJson json(r.body);
  EXPECT_TRUE(CheckExpectations(e, r, json).ok());
  auto r2 = Response(200, R"({"a":[1],"err":null})");
  LazyJson json2(r2.body);
  EXPECT_EQ(CheckExpectations(e, r2, json2).detail, "\"/err\" is present");
  auto r3 = Response(200, R"({"a":[]})");
  LazyJson json3(r3.body);
  EXPECT_EQ(CheckExpectations(e, r3, json3).detail, "\"/a/0\" is missing");
}

TEST(CheckExpectations, NonJsonBodyIsInvalidResponse) {
  Expectations e;
  e.json = {Eq("/s", std::string("ok"))};
  auto r = Response(200, "<html>oops</html>");
  LazyJson json(r.body);
  Verdict v = CheckExpectations(e, r, json);
  EXPECT_EQ(v.failure, Reason::kInvalidResponse);
  EXPECT_NE(v.detail.find("not JSON"), std::string::npos) << v.detail;
}

TEST(ApplyExtractions, StringsVerbatimOthersAsJson) {
  auto r = Response(200, R"({"h":"0xab","n":42,"o":{"k":[1,2]}})");
  LazyJson json(r.body);
  Variables vars;
  Verdict v = ApplyExtractions({{"hash", "/h", {}}, {"n", "/n", {}}, {"o", "/o", {}}}, json, vars);
  ASSERT_TRUE(v.ok()) << v.detail;
  EXPECT_EQ(*vars.Find("hash"), "0xab");
  EXPECT_EQ(*vars.Find("n"), "42");
  EXPECT_EQ(*vars.Find("o"), R"({"k":[1,2]})");
  Verdict missing = ApplyExtractions({{"x", "/nope", {}}}, json, vars);
  EXPECT_EQ(missing.failure, Reason::kAssertion);
  EXPECT_EQ(vars.Find("x"), nullptr);
}

}  // namespace
}  // namespace sonde
