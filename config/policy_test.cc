// Retry policies, latency thresholds and sleep steps: parsing, validation
// and the delay schedule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"

namespace sonde {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

// A journey whose step 1 gets `step_lines` (lines 8+) and whose table gets
// `journey_lines` (lines 5+).
std::string Toml(const std::string& step_lines, const std::string& journey_lines = "") {
  return "[targets.demo]\nurls = [\"http://127.0.0.1:1\"]\n"                         // 1-2
         "[journey.tx]\ninterval = \"15s\"\ntimeout = \"5s\"\ntargets = \"demo\"\n"  // 3-6
         + journey_lines + "[[journey.tx.step]]\nname = \"a\"\n" + step_lines;
}

std::vector<std::string> Errors(const std::string& toml) {
  LoadResult r = LoadConfigString(toml, "t.toml");
  std::vector<std::string> out;
  for (const Diagnostic& d : r.errors) out.push_back(d.ToString());
  return out;
}

const Step& FirstStep(const LoadResult& r) { return r.config->journeys.at(0).steps.at(0); }

TEST(RetryPolicy, ParsesEveryField) {
  LoadResult r = LoadConfigString(Toml(R"(http = { path = "/" }
retry = { policy = "exponential", attempts = 4, delay = "100ms", max_delay = "300ms", deadline = "2s", on = ["connect", "http_status"] }
)"),
                                  "t.toml");
  ASSERT_TRUE(r.ok()) << r.errors.at(0).ToString();
  const RetryPolicy& p = FirstStep(r).retry;
  EXPECT_EQ(p.policy, RetryPolicy::Policy::kExponential);
  EXPECT_EQ(p.max_attempts, 4);
  EXPECT_EQ(p.delay, Duration(100ms));
  EXPECT_EQ(p.max_delay, Duration(300ms));
  EXPECT_EQ(p.deadline, Duration(2s));
  EXPECT_THAT(p.on, ElementsAre(Reason::kConnect, Reason::kHttpStatus));
  EXPECT_TRUE(p.RetriesOn(Reason::kHttpStatus));
  EXPECT_FALSE(p.RetriesOn(Reason::kTimeout));
}

TEST(RetryPolicy, DefaultsToOneAttemptOnTransportReasons) {
  LoadResult r = LoadConfigString(Toml("http = { path = \"/\" }\n"), "t.toml");
  ASSERT_TRUE(r.ok());
  const RetryPolicy& p = FirstStep(r).retry;
  EXPECT_EQ(p.policy, RetryPolicy::Policy::kNone);
  EXPECT_EQ(p.max_attempts, 1);
  EXPECT_THAT(p.on, ElementsAre(Reason::kDns, Reason::kConnect, Reason::kTls, Reason::kTimeout));
}

TEST(RetryPolicy, DelaySchedule) {
  RetryPolicy fixed;
  fixed.policy = RetryPolicy::Policy::kFixed;
  fixed.delay = 200ms;
  EXPECT_EQ(fixed.DelayBefore(2), Duration(200ms));
  EXPECT_EQ(fixed.DelayBefore(5), Duration(200ms));

  RetryPolicy exp;
  exp.policy = RetryPolicy::Policy::kExponential;
  exp.delay = 100ms;
  EXPECT_EQ(exp.DelayBefore(2), Duration(100ms));
  EXPECT_EQ(exp.DelayBefore(3), Duration(200ms));
  EXPECT_EQ(exp.DelayBefore(4), Duration(400ms));
  exp.max_delay = 300ms;
  EXPECT_EQ(exp.DelayBefore(4), Duration(300ms));
  EXPECT_EQ(exp.DelayBefore(60), Duration(300ms));  // capped, no overflow
}

TEST(RetryPolicy, RejectsBadPolicies) {
  EXPECT_THAT(Errors(Toml("http = { path = \"/\" }\nretry = { policy = \"linear\", attempts = 2, "
                          "delay = \"1s\" }\n")),
              ElementsAre("t.toml:10:20: journey.tx.step[1].retry: unknown retry policy \"linear\" "
                          "(use none, fixed or exponential)"));
  EXPECT_THAT(
      Errors(Toml("http = { path = \"/\" }\nretry = { policy = \"fixed\", attempts = 0, delay = "
                  "\"1s\" }\n")),
      ElementsAre("t.toml:10:40: journey.tx.step[1].retry: \"attempts\" must be 1..100, got 0"));
  EXPECT_THAT(
      Errors(Toml("http = { path = \"/\" }\nretry = { policy = \"none\", attempts = 3 }\n")),
      ElementsAre("t.toml:10:39: journey.tx.step[1].retry: policy \"none\" makes one attempt; "
                  "use \"fixed\" or \"exponential\" to retry"));
  EXPECT_THAT(
      Errors(Toml("http = { path = \"/\" }\nretry = { policy = \"fixed\", attempts = 3 }\n")),
      ElementsAre("t.toml:10:9: journey.tx.step[1].retry is missing required key \"delay\""));
  EXPECT_THAT(Errors(Toml("http = { path = \"/\" }\nretry = { policy = \"fixed\", attempts = 2, "
                          "delay = \"1s\", on = [\"conect\"] }\n")),
              ElementsAre(::testing::StartsWith(
                  "t.toml:10:63: journey.tx.step[1].retry: unknown failure reason \"conect\"")));
  EXPECT_THAT(Errors(Toml("http = { path = \"/\" }\nretry = { policy = \"fixed\", attempts = 2, "
                          "delay = \"1s\", max_delay = \"2s\" }\n")),
              ElementsAre("t.toml:10:69: journey.tx.step[1].retry: \"max_delay\" only applies to "
                          "policy \"exponential\""));
}

TEST(Thresholds, StepAndJourney) {
  LoadResult r = LoadConfigString(Toml("http = { path = \"/\" }\ntimeout = \"2s\"\ndegraded_after "
                                       "= \"300ms\"\nfail_after = \"1s\"\n",
                                       "fail_after = \"4s\"\n"),
                                  "t.toml");
  ASSERT_TRUE(r.ok()) << r.errors.at(0).ToString();
  EXPECT_EQ(FirstStep(r).degraded_after, Duration(300ms));
  EXPECT_EQ(FirstStep(r).fail_after, Duration(1s));
  EXPECT_EQ(r.config->journeys[0].fail_after, Duration(4s));
}

TEST(Thresholds, MustBeOrdered) {
  EXPECT_THAT(
      Errors(Toml("http = { path = \"/\" }\ndegraded_after = \"2s\"\nfail_after = \"1s\"\n")),
      ElementsAre("t.toml:10:18: journey.tx.step[1]: \"degraded_after\" (2s) must be shorter "
                  "than \"fail_after\" (1s)"));
  EXPECT_THAT(Errors(Toml("http = { path = \"/\" }\ntimeout = \"1s\"\nfail_after = \"1s\"\n")),
              ElementsAre("t.toml:11:14: journey.tx.step[1]: \"fail_after\" (1s) must be shorter "
                          "than \"timeout\" (1s)"));
  EXPECT_THAT(Errors(Toml("http = { path = \"/\" }\n", "fail_after = \"9s\"\n")),
              ElementsAre("t.toml:7:14: journey.tx: \"fail_after\" (9s) must be shorter than "
                          "\"timeout\" (5s)"));
}

TEST(SleepStep, ParsesAndRejectsResponseChecks) {
  LoadResult r = LoadConfigString(Toml("sleep = \"250ms\"\n"), "t.toml");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(FirstStep(r).kind, "sleep");
  EXPECT_EQ(std::get<SleepStep>(FirstStep(r).action).duration, Duration(250ms));
  EXPECT_THAT(Errors(Toml("sleep = \"250ms\"\nextract = { x = \"/a\" }\n")),
              ElementsAre("t.toml:10:11: journey.tx.step[1]: a \"sleep\" step has no response: "
                          "\"extract\" does not apply"));
  EXPECT_THAT(Errors(Toml("sleep = \"soon\"\n")),
              ElementsAre(::testing::StartsWith(
                  "t.toml:9:9: journey.tx.step[1]: bad duration \"soon\" for \"sleep\"")));
  EXPECT_THAT(
      Errors(Toml("sleep = \"1s\"\nhttp = { path = \"/\" }\n")),
      ElementsAre(::testing::StartsWith("t.toml:10:8: journey.tx.step[1]: a step has exactly one "
                                        "action, but \"http\" follows \"sleep\"")));
}

TEST(PollSpec, ParsesEveryField) {
  LoadResult r = LoadConfigString(Toml(R"(http = { path = "/tx" }
poll = { every = "250ms", within = "20s", within_blocks = 5, height = { path = "/head", pointer = "/h" } }
until = { "/status" = "confirmed", "/confirmations" = { ge = 2 } }
)"),
                                  "t.toml");
  ASSERT_TRUE(r.ok()) << r.errors.at(0).ToString();
  const PollSpec& p = *FirstStep(r).poll;
  EXPECT_EQ(p.every, Duration(250ms));
  EXPECT_EQ(p.within, Duration(20s));
  EXPECT_EQ(p.within_blocks, 5);
  ASSERT_TRUE(p.height);
  EXPECT_EQ(p.height->path.source(), "/head");
  EXPECT_EQ(p.height->pointer, "/h");
  ASSERT_EQ(p.until.size(), 2u);
  EXPECT_EQ(p.until[1].op, JsonOp::kGe);
}

TEST(PollSpec, RejectsIncompletePolls) {
  EXPECT_THAT(Errors(Toml("http = { path = \"/\" }\npoll = { every = \"1s\", within = \"5s\" }\n")),
              ElementsAre("t.toml:10:8: journey.tx.step[1]: \"poll\" needs \"until\" = { "
                          "\"/pointer\" = value, ... }"));
  EXPECT_THAT(Errors(Toml("http = { path = \"/\" }\nuntil = { \"/s\" = 1 }\n")),
              ElementsAre("t.toml:10:9: journey.tx.step[1]: \"until\" needs a \"poll\" table"));
  EXPECT_THAT(
      Errors(Toml("http = { path = \"/\" }\npoll = { every = \"1s\" }\nuntil = { \"/s\" = 1 }\n")),
      ElementsAre("t.toml:10:8: journey.tx.step[1].poll: give \"within\" (a duration) or "
                  "\"within_blocks\" (a block count)"));
  EXPECT_THAT(
      Errors(Toml("http = { path = \"/\" }\npoll = { every = \"1s\", within_blocks = 3 }\n"
                  "until = { \"/s\" = 1 }\n")),
      ElementsAre("t.toml:10:40: journey.tx.step[1].poll: \"within_blocks\" needs \"height\" = "
                  "{ path | jsonrpc, pointer } to read the chain height"));
}

TEST(Scheduling, FailingIntervalAndConcurrency) {
  LoadResult r =
      LoadConfigString("[service]\nmax_concurrent_runs = 8\n" +
                           Toml("http = { path = \"/\" }\n", "failing_interval = \"6s\"\n"),
                       "t.toml");
  ASSERT_TRUE(r.ok()) << r.errors.at(0).ToString();
  EXPECT_EQ(r.config->service.max_concurrent_runs, 8);
  EXPECT_EQ(r.config->journeys[0].failing_interval, Duration(6s));
  EXPECT_THAT(
      Errors(Toml("http = { path = \"/\" }\n", "failing_interval = \"20s\"\n")),
      ElementsAre("t.toml:7:20: journey.tx: \"failing_interval\" (20s) must be shorter than "
                  "\"interval\" (15s)"));
  EXPECT_THAT(Errors(Toml("http = { path = \"/\" }\n", "failing_interval = \"5s\"\n")),
              ElementsAre("t.toml:7:20: journey.tx: \"failing_interval\" (5s) must be longer than "
                          "\"timeout\" (5s)"));
  EXPECT_THAT(
      Errors("[service]\nmax_concurrent_runs = 0\n"),
      ElementsAre("t.toml:2:23: service: \"max_concurrent_runs\" must be 1..100000, got 0"));
}

TEST(Fingerprint, ChangesWithWhatRunsDependOnOnly) {
  const std::string base = Toml("http = { path = \"/\" }\n");
  auto fp = [](const std::string& toml) {
    LoadResult r = LoadConfigString(toml, "t.toml");
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.config->journeys.at(0).fingerprint : std::string();
  };
  const std::string original = fp(base);
  EXPECT_FALSE(original.empty());
  // Comments, blank lines and other sections don't matter...
  EXPECT_EQ(fp("# a comment\n\n" + base + "\n# trailing\n"), original);
  EXPECT_EQ(fp("[service]\nlocation = \"x\"\n" + base), original);
  // ...the journey's own fields and its target group do.
  EXPECT_NE(fp(Toml("http = { path = \"/other\" }\n")), original);
  std::string other_group = base;
  other_group.replace(other_group.find("127.0.0.1:1"), 11, "127.0.0.1:2");
  EXPECT_NE(fp(other_group), original);
}

}  // namespace
}  // namespace sonde
