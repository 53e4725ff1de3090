#include "scenarios/poller.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/value.hpp>

#include "probes/chain_value.h"

namespace sonde {
namespace {

using Clock = std::chrono::steady_clock;

// The first `until` check that does not hold, or "" when all do.
std::string UntilFailure(const std::vector<JsonCheck>& until, LazyJson& json,
                         const Template::Lookup& vars) {
  Expectations e;
  e.status.ranges = {{0, 999}};
  e.json = until;
  ProbeResult any;  // status 0: the status was checked already
  Verdict v = CheckExpectations(e, any, json, &vars);
  return v.ok() ? "" : v.detail;
}

// The chain height, which must fit 64 bits; on failure sets `why`.
boost::asio::awaitable<std::optional<int64_t>> ReadHeight(ProbeEnv& env, ProbeRequest request,
                                                          const HeightSource& source,
                                                          Verdict* why) {
  IntegerRead h = co_await ReadChainInteger(env, request, source, "chain height");
  if (!h.value) {
    *why = {h.failure, h.detail};
    co_return std::nullopt;
  }
  if (*h.value < 0 || *h.value > INT64_MAX) {
    *why = {Reason::kInvalidResponse, "the chain height " + ToDecimal(*h.value) + " is out of range"};
    co_return std::nullopt;
  }
  co_return h.value->convert_to<int64_t>();
}

}  // namespace

boost::asio::awaitable<PollResult> PollUntil(ProbeEnv& env, const Step& step,
                                             const TargetGroup& group,
                                             const std::string& target_url,
                                             const Template::Lookup& vars,
                                             Clock::time_point deadline) {
  const PollSpec& poll = *step.poll;
  PollResult out;
  const Clock::time_point start = Clock::now();
  Clock::time_point poll_deadline = deadline;
  if (poll.within) poll_deadline = std::min(poll_deadline, start + *poll.within);

  std::optional<int64_t> start_height;
  if (poll.height) {
    std::optional<int64_t> h = co_await ReadHeight(env, {step, group, target_url, vars, poll_deadline},
                                                   *poll.height, &out.verdict);
    if (!h) co_return out;
    start_height = h;
  }

  // What the last answer said ("not yet" and why), and the last transport
  // failure: a poll that fails to connect must not hide what the chain said
  // before, and a target that never answered keeps its transport reason.
  std::optional<std::string> last_answer;
  Verdict last_failure;
  std::optional<int64_t> blocks;
  bool confirmed = false, out_of_blocks = false;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    ++out.polls;
    out.response =
        co_await ProberFor(step.action)(env, {step, group, target_url, vars, poll_deadline});
    if (out.response.failure == Reason::kNone) {
      LazyJson json(out.response.body);
      Verdict v = CheckExpectations(step.expect, out.response, json, &vars);
      std::string why = v.ok() ? UntilFailure(poll.until, json, vars) : v.detail;
      if (why.empty()) {
        confirmed = true;
        break;
      }
      last_answer = why;
    } else {
      last_failure = {out.response.failure, out.response.detail};
    }
    if (start_height) {
      Verdict ignored;  // a missed height read only delays counting
      std::optional<int64_t> h = co_await ReadHeight(
          env, {step, group, target_url, vars, poll_deadline}, *poll.height, &ignored);
      if (h) blocks = *h - *start_height;
    }
    out_of_blocks = poll.within_blocks && blocks && *blocks >= *poll.within_blocks;
    if (out_of_blocks || Clock::now() + poll.every >= poll_deadline) break;
    timer.expires_after(poll.every);
    co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    // A late wake-up (a loaded machine) may leave no time for another poll.
    if (Clock::now() >= poll_deadline) break;
  }

  if (!confirmed) {
    out.blocks = blocks;
    if (!last_answer) {
      out.verdict = last_failure;
      out.verdict.detail =
          "no answer in " + std::to_string(out.polls) + " polls: " + last_failure.detail;
    } else {
      const std::string budget =
          out_of_blocks ? std::to_string(*blocks) + " blocks"
                        : FormatDuration(std::chrono::duration_cast<std::chrono::milliseconds>(
                              Clock::now() - start));
      out.verdict = {Reason::kNotConfirmed, "not confirmed after " + std::to_string(out.polls) +
                                                " polls in " + budget + ": " + *last_answer};
    }
    co_return out;
  }

  out.verdict = {};
  if (start_height) {
    Verdict ignored;
    std::optional<int64_t> h =
        co_await ReadHeight(env, {step, group, target_url, vars, deadline}, *poll.height, &ignored);
    if (h) out.blocks = *h - *start_height;
  }
  co_return out;
}

}  // namespace sonde
