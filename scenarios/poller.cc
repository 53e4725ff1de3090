#include "scenarios/poller.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/value.hpp>

#include "probes/http_probe.h"

namespace sonde {
namespace {

using Clock = std::chrono::steady_clock;

struct Height {
  std::optional<int64_t> value;
  Verdict error;
};

// GET target + height.path; the integer at height.pointer.
boost::asio::awaitable<Height> ReadHeight(ProbeEnv& env, const HeightSource& source,
                                          const TargetGroup& group, const std::string& target_url,
                                          const Template::Lookup& vars,
                                          Clock::time_point deadline) {
  Step step;
  step.name = "height";
  HttpStep http;
  http.path = source.path;
  step.action = std::move(http);
  ProbeResult r = co_await ProbeHttp(env, {step, group, target_url, vars, deadline});
  Height h;
  if (r.failure != Reason::kNone) {
    h.error = {r.failure, "reading the chain height: " + r.detail};
    co_return h;
  }
  LazyJson json(r.body);
  std::string why;
  const boost::json::value* root = json.Get(&why);
  boost::system::error_code ec;
  const boost::json::value* v = root ? root->find_pointer(source.pointer, ec) : nullptr;
  if (v && v->is_int64()) {
    h.value = v->get_int64();
  } else if (v && v->is_uint64()) {
    h.value = static_cast<int64_t>(v->get_uint64());
  } else {
    h.error = {Reason::kInvalidResponse, "reading the chain height: no integer at \"" +
                                             source.pointer + "\"" +
                                             (root ? "" : " (" + why + ")")};
  }
  co_return h;
}

// The first `until` check that does not hold, or "" when all do.
std::string UntilFailure(const std::vector<JsonCheck>& until, LazyJson& json) {
  Expectations e;
  e.status.ranges = {{0, 999}};
  e.json = until;
  ProbeResult any;  // status 0: the status was checked already
  Verdict v = CheckExpectations(e, any, json);
  return v.ok() ? "" : v.detail;
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
    Height h = co_await ReadHeight(env, *poll.height, group, target_url, vars, poll_deadline);
    if (!h.value) {
      out.verdict = h.error;
      co_return out;
    }
    start_height = h.value;
  }

  bool answered = false;  // some poll got a response, so the target is up
  std::string last_state = "no answer yet";
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    ++out.polls;
    out.response =
        co_await ProberFor(step.action)(env, {step, group, target_url, vars, poll_deadline});
    Verdict v{out.response.failure, out.response.detail};
    if (v.ok()) {
      answered = true;
      LazyJson json(out.response.body);
      v = CheckExpectations(step.expect, out.response, json);
      if (v.ok()) {
        std::string why = UntilFailure(poll.until, json);
        if (why.empty()) break;  // confirmed
        v = {Reason::kNotConfirmed, why};
      }
    }
    last_state = v.detail;
    out.verdict = v;

    std::optional<int64_t> blocks;
    if (start_height) {
      Height h = co_await ReadHeight(env, *poll.height, group, target_url, vars, poll_deadline);
      if (h.value) blocks = *h.value - *start_height;
    }
    const bool out_of_blocks = poll.within_blocks && blocks && *blocks >= *poll.within_blocks;
    const bool out_of_time = Clock::now() + poll.every >= poll_deadline;
    if (out_of_blocks || out_of_time) {
      const std::string budget =
          out_of_blocks ? std::to_string(*blocks) + " blocks"
                        : FormatDuration(std::chrono::duration_cast<std::chrono::milliseconds>(
                              Clock::now() - start));
      if (!answered && out.verdict.failure != Reason::kNone) {
        out.verdict.detail = "no answer in " + std::to_string(out.polls) + " polls: " + last_state;
      } else {
        out.verdict = {Reason::kNotConfirmed, "not confirmed after " + std::to_string(out.polls) +
                                                  " polls in " + budget + ": " + last_state};
      }
      out.blocks = blocks;
      co_return out;
    }
    timer.expires_after(poll.every);
    co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }

  out.verdict = {};
  if (start_height) {
    Height h = co_await ReadHeight(env, *poll.height, group, target_url, vars, deadline);
    if (h.value) out.blocks = *h.value - *start_height;
  }
  co_return out;
}

}  // namespace sonde
